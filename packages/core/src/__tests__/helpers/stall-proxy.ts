import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of Cassandra that can stop answering: while
 * `stalled`, server-to-client bytes are held back (requests still arrive), so
 * every request times out on the client as if the node were overloaded or
 * partitioned. Releasing the stall flushes what was held.
 */
export class StallProxy {
  stalled = false;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #held: { socket: Socket; chunk: Buffer }[] = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(target: { host: string; port: number }): Promise<StallProxy> {
    const server = createServer();
    const proxy = new StallProxy(server);
    server.on('connection', (client) => proxy.#pipe(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  release(): void {
    this.stalled = false;
    for (const { socket, chunk } of this.#held.splice(0))
      if (!socket.destroyed) socket.write(chunk);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pipe(client: Socket, target: { host: string; port: number }): void {
    const upstream = createConnection(target);
    for (const s of [client, upstream]) {
      this.#sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.#sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (this.stalled) this.#held.push({ socket: client, chunk });
      else client.write(chunk);
    });
  }
}
