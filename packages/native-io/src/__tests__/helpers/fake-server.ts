import { once } from 'node:events';
import net from 'node:net';

/**
 * A CQL v4 endpoint that speaks just enough protocol to inject faults the
 * real server will not produce on demand: split frames, overload errors,
 * malformed bodies, silence. Not a stand-in for Cassandra: every byte-level
 * comparison with real data runs against the real server.
 */
export interface FakeServer {
  readonly port: number;
  /** EXECUTE requests seen, in arrival order (the 16-byte key of each). */
  readonly executes: Buffer[];
  /** PREPARE requests seen, in arrival order (the query of each). */
  readonly prepares: string[];
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

export interface ExecuteContext {
  readonly key: Buffer;
  /** 1 for the first EXECUTE of this key, 2 for its first retry, ... */
  readonly attempt: number;
}

export interface FakeServerBehaviour {
  /** Frames (bodies with opcode) to answer an EXECUTE with; null = stay silent. */
  execute(ctx: ExecuteContext): { opcode: number; body: Buffer } | null;
  /** Write answers one byte per write call. */
  splitBytes?: boolean;
  /**
   * Answers EXECUTEs one at a time over all connections, each in two writes:
   * its first `prefix` bytes, then the rest, each write only once
   * `whenRead(written)` has resolved (the client has read the `written`
   * bytes the server wrote so far). The client then holds exactly a frame's
   * first bytes, however the kernel would have split the reads.
   */
  pauseInFrame?: { prefix: number; whenRead(written: number): Promise<void> };
  /** Require SASL PLAIN with this user and password. */
  auth?: { username: string; password: string };
  /**
   * The answer to a PREPARE (the `n`th this server saw, from 1); default
   * `preparedReply(query)`: the id `PREPARED_ID` and a blob column per
   * column the query selects.
   */
  prepare?(query: string, n: number): { opcode: number; body: Buffer };
}

/** The statement id the fake server gives out unless `prepare` says otherwise. */
export const PREPARED_ID = Buffer.from('cassdl-fake-prepared-id');

/**
 * RESULT Prepared for `query` as Cassandra answers it: `id`, one uuid bind
 * marker, then the selected columns (`types`, default blob each) with a
 * global table spec.
 */
export function preparedReply(
  query: string,
  id: Buffer = PREPARED_ID,
  types?: readonly number[],
): { opcode: number; body: Buffer } {
  const names = [...(query.split(/\bFROM\b/)[0] ?? '').matchAll(/"([^"]+)"/g)].map(
    (m) => m[1] ?? '',
  );
  const columns = names.map((name, i) =>
    Buffer.concat([string(name), short(types?.[i] ?? 0x0003)]),
  );
  const body = Buffer.concat([
    int(4),
    short(id.length),
    id,
    ...[int(1), int(1), int(1), short(0), string('ks'), string('t'), string('id'), short(0x000c)],
    ...[int(1), int(names.length), string('ks'), string('t'), ...columns],
  ]);
  return { opcode: OPCODE.result, body };
}

/** ERROR Unprepared (0x2500) naming the statement id the server no longer knows. */
export function unpreparedBody(id: Buffer = PREPARED_ID): Buffer {
  return errorBody(
    0x2500,
    'Prepared query with ID not found',
    Buffer.concat([short(id.length), id]),
  );
}

const OPCODE = {
  error: 0x00,
  startup: 0x01,
  ready: 0x02,
  authenticate: 0x03,
  result: 0x08,
  prepare: 0x09,
  execute: 0x0a,
  authResponse: 0x0f,
  authSuccess: 0x10,
};

export function frame(stream: number, opcode: number, body: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header[0] = 0x84;
  header.writeInt16BE(stream, 2);
  header[4] = opcode;
  header.writeInt32BE(body.length, 5);
  return Buffer.concat([header, body]);
}

/**
 * RESULT Rows without metadata: one row per entry, each a list of cells
 * (null = null cell). Flags as Cassandra sets them for a prepared read:
 * Global_tables_spec | No_metadata.
 */
export function rowsBody(columns: number, rows: (Buffer | null)[][]): Buffer {
  const parts = [int(2), int(0x0005), int(columns), int(rows.length)];
  for (const row of rows)
    for (const cell of row)
      parts.push(cell === null ? int(-1) : Buffer.concat([int(cell.length), cell]));
  return Buffer.concat(parts);
}

export function errorBody(code: number, message: string, extra: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([int(code), string(message), extra]);
}

export function int(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

function short(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function string(value: string): Buffer {
  const bytes = Buffer.from(value);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The bound key of an EXECUTE body: [short bytes id][consistency][flags][count][bytes key]. */
function keyOf(body: Buffer): Buffer {
  const idLength = body.readUInt16BE(0);
  const at = 2 + idLength + 2 + 1 + 2;
  const keyLength = body.readInt32BE(at);
  return body.subarray(at + 4, at + 4 + keyLength);
}

export async function startFakeServer(behaviour: FakeServerBehaviour): Promise<FakeServer> {
  const attempts = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  let written = 0;
  let answers: Promise<void> = Promise.resolve();
  const state: FakeServer = {
    port: 0,
    executes: [],
    prepares: [],
    connections: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const send = (bytes: Buffer) => {
      if (socket.destroyed) return;
      written += bytes.length;
      if (!behaviour.splitBytes) return void socket.write(bytes);
      for (let i = 0; i < bytes.length; i++) socket.write(bytes.subarray(i, i + 1));
    };
    /** An answer, in two parts each sent once the client has read everything before it (pauseInFrame). */
    const sendAnswer = (bytes: Buffer) => {
      const pause = behaviour.pauseInFrame;
      if (!pause) return send(bytes);
      answers = answers
        .then(async () => {
          await pause.whenRead(written);
          send(bytes.subarray(0, pause.prefix));
          await pause.whenRead(written);
          send(bytes.subarray(pause.prefix));
        })
        .catch(() => {}); // the client went away: nothing left to pace
    };
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 9 && pending.length >= 9 + pending.readInt32BE(5)) {
        const stream = pending.readInt16BE(2);
        const opcode = pending[4] as number;
        const body = pending.subarray(9, 9 + pending.readInt32BE(5));
        pending = pending.subarray(9 + body.length);
        if (opcode === OPCODE.startup) {
          const answer = behaviour.auth
            ? frame(
                stream,
                OPCODE.authenticate,
                string('org.apache.cassandra.auth.PasswordAuthenticator'),
              )
            : frame(stream, OPCODE.ready, Buffer.alloc(0));
          send(answer);
        } else if (opcode === OPCODE.authResponse) {
          const token = body.subarray(4).toString().split('\0');
          const ok = token[1] === behaviour.auth?.username && token[2] === behaviour.auth?.password;
          send(
            ok
              ? frame(stream, OPCODE.authSuccess, int(-1))
              : frame(
                  stream,
                  OPCODE.error,
                  errorBody(0x0100, 'Provided username and/or password are incorrect'),
                ),
          );
        } else if (opcode === OPCODE.prepare) {
          const query = body.subarray(4, 4 + body.readInt32BE(0)).toString();
          state.prepares.push(query);
          const reply = behaviour.prepare?.(query, state.prepares.length) ?? preparedReply(query);
          send(frame(stream, reply.opcode, reply.body));
        } else if (opcode === OPCODE.execute) {
          const key = Buffer.from(keyOf(body));
          state.executes.push(key);
          const attempt = (attempts.get(key.toString('hex')) ?? 0) + 1;
          attempts.set(key.toString('hex'), attempt);
          const reply = behaviour.execute({ key, attempt });
          if (reply) sendAnswer(frame(stream, reply.opcode, reply.body));
        }
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  (state as { port: number }).port = (server.address() as net.AddressInfo).port;
  return state;
}

export const RESULT = OPCODE.result;
export const ERROR = OPCODE.error;
