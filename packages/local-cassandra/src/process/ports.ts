import { createServer } from 'node:net';

export type PortState = 'free' | 'bound' | 'address-unavailable';

/**
 * Whether something already listens on address:port. We try to bind it
 * ourselves: the only check that also sees listeners on 0.0.0.0.
 * `address-unavailable` means no interface has that address (on macOS only
 * 127.0.0.1 exists until aliases are added).
 */
export function portState(address: string, port: number): Promise<PortState> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolvePromise(error.code === 'EADDRNOTAVAIL' ? 'address-unavailable' : 'bound');
    });
    server.listen({ host: address, port, exclusive: true }, () => {
      server.close(() => resolvePromise('free'));
    });
  });
}
