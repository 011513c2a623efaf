/**
 * The latency proxy's own ceiling, without Cassandra: a fake server answers
 * each 64-byte request with a reply of a CQL row answer's size, and a client
 * keeps `inflight` requests on the wire over `connections` connections,
 * through the same Toxiproxy `cassdl bench --latency-ms` uses. Round trips
 * are Little's law (in flight / rate): at the added latency, the proxy
 * forwards without queueing; above it, the proxy is the limit.
 *
 *   pnpm --filter @cassdl/bench bench:proxy -- --latency-ms 0,200 --connections 2,8 --inflight 12000
 *
 * Server and client run in processes of their own, so the proxy's CPU is its own.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureToxiproxy, floorFrameBytes, LatencyProxy } from '../src/index.js';

const REQUEST_BYTES = 64;
const WARMUP_SEC = 1;

// pnpm passes a lone "--" through, which would end the options.
const argv = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  allowPositionals: true,
  options: {
    'latency-ms': { type: 'string', default: '0,200' },
    connections: { type: 'string', default: '2,8' },
    inflight: { type: 'string', default: '12000' },
    'blob-size': { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '6' },
  },
});
/** Bytes per reply: a CQL answer of one row of `--blob-size` (children get it as an argument). */
const reply = floorFrameBytes(Number(values['blob-size']));

/** Counts whole fixed-size messages in a byte stream. */
function counter(size: number): (bytes: number) => number {
  let pending = 0;
  return (bytes) => {
    pending += bytes;
    const whole = Math.floor(pending / size);
    pending -= whole * size;
    return whole;
  };
}

/** Answers every request with one reply (one write per burst of requests, as a server flushes). */
function serve(reply: number): void {
  // One reused block of about 1 MiB of replies: the server's own cost stays far below the proxy's.
  const perWrite = Math.max(1, Math.floor((1 << 20) / reply));
  const block = Buffer.alloc(perWrite * reply, 7);
  const server = createServer((socket) => {
    const requests = counter(REQUEST_BYTES);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      const n = requests(data.length);
      for (let left = n; left > 0; left -= perWrite) {
        socket.write(left >= perWrite ? block : block.subarray(0, left * reply));
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address !== null && typeof address === 'object') process.send?.(address.port);
  });
}

/** Keeps `perConnection` requests in flight on each connection; reports replies/s after the warm-up. */
function drive(
  reply: number,
  port: number,
  connections: number,
  perConnection: number,
  seconds: number,
): void {
  let replies = 0;
  let atWarmup = 0;
  const sockets: Socket[] = [];
  for (let i = 0; i < connections; i++) {
    const socket = connect(port, '127.0.0.1');
    const replied = counter(reply);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('connect', () => socket.write(Buffer.alloc(perConnection * REQUEST_BYTES)));
    socket.on('data', (data) => {
      const n = replied(data.length);
      replies += n;
      if (n > 0) socket.write(Buffer.alloc(n * REQUEST_BYTES));
    });
    sockets.push(socket);
  }
  setTimeout(() => {
    atWarmup = replies;
  }, WARMUP_SEC * 1000);
  setTimeout(() => {
    process.send?.((replies - atWarmup) / (seconds - WARMUP_SEC));
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  }, seconds * 1000);
}

function cpuSec(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function child(args: string[]): ChildProcess {
  return fork(fileURLToPath(import.meta.url), args, { execArgv: process.execArgv });
}

function firstMessage(process: ChildProcess): Promise<number> {
  return new Promise((resolve) => process.once('message', (m) => resolve(Number(m))));
}

async function main(): Promise<void> {
  const server = child(['server', String(reply)]);
  const port = await firstMessage(server);
  const proxy = await LatencyProxy.start(await ensureToxiproxy(), `127.0.0.1:${port}`);
  const seconds = Number(values.seconds);
  const inflight = Number(values.inflight);
  try {
    for (const latencyMs of values['latency-ms'].split(',').map(Number)) {
      await proxy.setLatency(latencyMs);
      for (const connections of values.connections.split(',').map(Number)) {
        const pid = proxy.pid ?? 0;
        const before = cpuSec(pid);
        const perConnection = Math.ceil(inflight / connections);
        const client = child([
          'client',
          String(reply),
          proxy.listen.split(':')[1] ?? '',
          String(connections),
          String(perConnection),
          String(seconds),
        ]);
        const rate = await firstMessage(client);
        const proxyCpu = (cpuSec(pid) - before) / seconds;
        const roundTripMs = ((connections * perConnection) / Math.max(1, rate)) * 1000;
        console.log(
          `+${latencyMs} ms, ${connections} connections, ${connections * perConnection} in flight: ` +
            `${rate.toFixed(0)} replies/s of ${reply} bytes, round trip ${roundTripMs.toFixed(0)} ms (Little), ` +
            `proxy CPU ${(proxyCpu * 100).toFixed(0)}% of a core`,
        );
      }
    }
  } finally {
    await proxy.stop();
    server.kill();
  }
}

const [mode, ...rest] = positionals;
if (mode === 'server') serve(Number(rest[0]));
else if (mode === 'client') {
  const [bytes, port, connections, perConnection, seconds] = rest.map(Number);
  drive(bytes ?? reply, port ?? 0, connections ?? 1, perConnection ?? 1, seconds ?? 6);
} else await main();
