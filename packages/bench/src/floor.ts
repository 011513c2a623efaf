import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { measure } from './measure.js';
import type { BenchRun } from './report.js';
import { benchRun } from './runs.js';

export interface FloorSettings {
  readonly samples: number;
  readonly blobSize: number;
}

/**
 * Bytes on the wire per row, as Cassandra answers a row read: frame header
 * (9), RESULT kind, flags, column count, row count (4 each), the data cell
 * (4 + blob) and an int label cell (4 + 4).
 */
export function floorFrameBytes(blobSize: number): number {
  return 9 + 16 + 4 + blobSize + 8;
}

/**
 * The sender, run in a child process so its CPU is not the client's: one
 * frame-shaped row repeated `samples` times, in writes of about 1 MiB, to
 * the one connection it accepts on a loopback port it prints.
 */
const SENDER = `
const net = require('node:net');
const [samples, frame] = process.argv.slice(1).map(Number);
const row = Buffer.alloc(frame, 7);
const perWrite = Math.max(1, Math.floor((1 << 20) / frame));
const chunk = Buffer.concat(Array.from({ length: perWrite }, () => row));
const server = net.createServer((socket) => {
  let left = samples;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, perWrite);
      left -= n;
      if (!socket.write(n === perWrite ? chunk : chunk.subarray(0, n * frame))) return socket.once('drain', pump);
    }
    socket.end();
    server.close();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

/**
 * The physical floor beside the engines: the same number of rows of the
 * same size, framed like CQL answers, over loopback TCP from another
 * process, and a receiver in this one that reads them into one reused
 * buffer and does nothing else. Every engine's client CPU per GB is this
 * plus what it does with the bytes.
 */
export async function runFloor(s: FloorSettings): Promise<BenchRun> {
  const frame = floorFrameBytes(s.blobSize);
  const sender = spawn(process.execPath, ['-e', SENDER, String(s.samples), String(frame)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await senderPort(sender);
    const total = s.samples * frame;
    const { cost } = await measure(() => receive(port, total));
    const tally = { samples: s.samples, bytes: s.samples * s.blobSize, stallFraction: null };
    return benchRun('floor', null, tally, cost);
  } finally {
    sender.kill();
  }
}

async function senderPort(sender: ChildProcess): Promise<number> {
  let text = '';
  for await (const chunk of sender.stdout as NodeJS.ReadableStream) {
    text += String(chunk);
    if (text.includes('\n')) return Number(text.trim());
  }
  throw new Error('the floor sender exited before listening');
}

/** Reads `total` bytes into one 4 MiB buffer, over and over (`onread`: no Buffer per chunk). */
async function receive(port: number, total: number): Promise<void> {
  let received = 0;
  const socket = connect({
    port,
    host: '127.0.0.1',
    onread: {
      buffer: Buffer.allocUnsafe(4 << 20),
      callback: (n: number) => {
        received += n;
        return true;
      },
    },
  });
  await once(socket, 'close');
  if (received !== total) throw new Error(`the floor receiver got ${received} of ${total} bytes`);
}
