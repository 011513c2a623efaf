import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP proxy in front of a real Cassandra that cuts the server's byte stream
 * into CQL v4 frames and replaces ONE RESULT Rows frame with a hostile one
 * (the classes of fuzz/make_corpus.cc, at the point where a peer would send
 * them: mid-stream, with other requests in flight). Every other byte passes
 * through untouched, and connections opened after the corruption are clean.
 */
export type Corruption =
  /** The first 5 header bytes, then the proxy ends the connection. */
  | 'truncated-header'
  /** A header claiming 4 KiB more body than follows, then the proxy ends the connection. */
  | 'length-past-end'
  /** A header with a negative body length. */
  | 'negative-length'
  /** READY (0x02) on the stream of a row read. */
  | 'wrong-opcode'
  /** The RESULT on a stream id no request holds. */
  | 'unknown-stream'
  /** A row count of 1,048,575 (within the parser's cap, far beyond the body). */
  | 'huge-row-count'
  /** The first cell's length is -2 (only -1, null, is a legal negative). */
  | 'negative-cell-length'
  /** The first cell's length runs one byte past the end of the body. */
  | 'cell-past-end';

export interface CorruptingProxyOptions {
  readonly listen: { readonly host: string; readonly port: number };
  readonly target: { readonly host: string; readonly port: number };
  readonly corruption: Corruption;
  /** Rows results forwarded untouched (over all connections) before the one replaced. */
  readonly skipRows: number;
}

export interface CorruptingProxy {
  /** Client connections accepted so far. */
  readonly connections: number;
  /** Which side closed the connection that carried the crafted frame, once it is closed. */
  readonly corruptedClosed: Promise<'client' | 'proxy'>;
  /** True once the crafted frame was written. */
  readonly corrupted: boolean;
  close(): Promise<void>;
}

const HEADER = 9;
const RESULT = 0x08;
const READY = 0x02;
const ROWS = 2;

const GLOBAL_TABLES_SPEC = 0x0001;
const HAS_MORE_PAGES = 0x0002;
const NO_METADATA = 0x0004;

/** Offset of the row count in a v4 Rows body (kind, flags, columns, [paging], [metadata]). */
function rowCountOffset(body: Buffer): number {
  let at = 4;
  const flags = body.readInt32BE(at);
  const columns = body.readInt32BE(at + 4);
  at += 8;
  const skipString = () => {
    at += 2 + body.readUInt16BE(at);
  };
  const skipType = (): void => {
    const id = body.readUInt16BE(at);
    at += 2;
    if (id === 0x0000) skipString();
    else if (id === 0x0020 || id === 0x0022) skipType();
    else if (id === 0x0021) {
      skipType();
      skipType();
    } else if (id >= 0x0030) throw new Error(`corrupting proxy: column type ${id} not handled`);
  };
  if (flags & HAS_MORE_PAGES) {
    const length = body.readInt32BE(at);
    at += 4 + Math.max(0, length);
  }
  if (!(flags & NO_METADATA)) {
    if (flags & GLOBAL_TABLES_SPEC) {
      skipString();
      skipString();
    }
    for (let i = 0; i < columns; i++) {
      if (!(flags & GLOBAL_TABLES_SPEC)) {
        skipString();
        skipString();
      }
      skipString();
      skipType();
    }
  }
  return at;
}

function header(source: Buffer, changes: { stream?: number; opcode?: number; length: number }) {
  const out = Buffer.from(source.subarray(0, HEADER));
  if (changes.stream !== undefined) out.writeInt16BE(changes.stream, 2);
  if (changes.opcode !== undefined) out[4] = changes.opcode;
  out.writeInt32BE(changes.length, 5);
  return out;
}

/** The bytes sent instead of `frame`, and whether the proxy then ends the connection. */
function craft(corruption: Corruption, frame: Buffer): { bytes: Buffer; end: boolean } {
  const body = frame.subarray(HEADER);
  const rows = rowCountOffset(body);
  const firstCell = rows + 4;
  const patched = (at: number, value: number) => {
    const copy = Buffer.from(frame);
    copy.writeInt32BE(value, HEADER + at);
    return copy;
  };
  switch (corruption) {
    case 'truncated-header':
      return { bytes: Buffer.from(frame.subarray(0, 5)), end: true };
    case 'length-past-end':
      return {
        bytes: Buffer.concat([header(frame, { length: body.length + 4096 }), body]),
        end: true,
      };
    case 'negative-length':
      return { bytes: Buffer.concat([header(frame, { length: -body.length }), body]), end: false };
    case 'wrong-opcode':
      return { bytes: header(frame, { opcode: READY, length: 0 }), end: false };
    case 'unknown-stream':
      return {
        bytes: Buffer.concat([header(frame, { stream: 32767, length: body.length }), body]),
        end: false,
      };
    case 'huge-row-count':
      return { bytes: patched(rows, 0x000fffff), end: false };
    case 'negative-cell-length':
      return { bytes: patched(firstCell, -2), end: false };
    case 'cell-past-end':
      return { bytes: patched(firstCell, body.length - (firstCell + 4) + 1), end: false };
  }
}

export async function startCorruptingProxy(
  options: CorruptingProxyOptions,
): Promise<CorruptingProxy> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let rowsSeen = 0;
  let corrupted = false;
  let resolveClosed: (by: 'client' | 'proxy') => void = () => {};
  const corruptedClosed = new Promise<'client' | 'proxy'>((resolve) => {
    resolveClosed = resolve;
  });

  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(options.target.port, options.target.host);
    sockets.add(client);
    sockets.add(upstream);
    let isCorrupted = false;
    let proxyEnded = false;
    const closed = () => {
      if (isCorrupted) resolveClosed(proxyEnded ? 'proxy' : 'client');
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => {
      sockets.delete(client);
      closed();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      // After a crafted frame that ends the stream, client.end() finishes the job (flushing first).
      if (!proxyEnded) client.destroy();
    });
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('data', (chunk: Buffer) => upstream.write(chunk));

    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      if (proxyEnded) return;
      pending = Buffer.concat([pending, chunk]);
      let at = 0;
      const out: Buffer[] = [];
      while (pending.length - at >= HEADER) {
        const length = pending.readInt32BE(at + 5);
        if (pending.length - at < HEADER + length) break;
        const frame = pending.subarray(at, at + HEADER + length);
        at += HEADER + length;
        const isRows =
          !corrupted &&
          frame[4] === RESULT &&
          frame[1] === 0 &&
          length >= 4 &&
          frame.readInt32BE(HEADER) === ROWS;
        if (isRows && rowsSeen++ >= options.skipRows) {
          corrupted = true;
          isCorrupted = true;
          const crafted = craft(options.corruption, frame);
          out.push(crafted.bytes);
          if (crafted.end) {
            proxyEnded = true;
            break;
          }
          continue;
        }
        out.push(frame);
      }
      pending = Buffer.from(pending.subarray(at));
      if (out.length) client.write(Buffer.concat(out));
      if (proxyEnded) {
        upstream.destroy();
        client.end();
      }
    });
  });
  server.listen(options.listen.port, options.listen.host);
  await once(server, 'listening');

  return {
    get connections() {
      return connections;
    },
    get corrupted() {
      return corrupted;
    },
    corruptedClosed,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
