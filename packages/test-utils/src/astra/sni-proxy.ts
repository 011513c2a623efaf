import { type AddressInfo, connect, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

/** Where the proxy forwards one SNI name: a plaintext CQL endpoint. */
export interface SniRoute {
  readonly host: string;
  readonly port: number;
}

/** One TLS connection the proxy accepted: the SNI name it asked for and its client certificate's CN. */
export interface SniConnection {
  readonly serverName: string | null;
  readonly clientCn: string | null;
  readonly routed: boolean;
}

export interface SniProxy {
  readonly address: string;
  readonly port: number;
  /** Every connection accepted so far, in order. */
  readonly connections: readonly SniConnection[];
  close(): Promise<void>;
}

/**
 * A TLS-terminating SNI proxy on loopback, as Astra runs in front of its
 * nodes: it demands a client certificate signed by `ca`, reads the SNI name
 * (a host id), and pipes the decrypted stream to that host's plaintext
 * port. An unknown or missing name is closed at once.
 */
export async function startSniProxy(options: {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly routes: ReadonlyMap<string, SniRoute>;
}): Promise<SniProxy> {
  const connections: SniConnection[] = [];
  const open = new Set<Socket>();
  const server = createServer(
    {
      ca: [options.ca],
      cert: options.cert,
      key: options.key,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (tls: TLSSocket) => {
      const serverName = typeof tls.servername === 'string' ? tls.servername : null;
      const route = serverName === null ? undefined : options.routes.get(serverName);
      const cn = tls.getPeerCertificate().subject?.CN;
      connections.push({
        serverName,
        clientCn: typeof cn === 'string' ? cn : null,
        routed: route !== undefined,
      });
      track(open, tls);
      if (route === undefined) {
        tls.destroy();
        return;
      }
      const upstream = track(open, connect(route.port, route.host));
      tls.pipe(upstream).pipe(tls);
      const end = () => {
        tls.destroy();
        upstream.destroy();
      };
      tls.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    },
  );
  // Handshakes refused (no client certificate, another CA) are the tests' point, not errors here.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: '127.0.0.1',
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function track<T extends Socket>(open: Set<Socket>, socket: T): T {
  open.add(socket);
  socket.on('close', () => open.delete(socket));
  return socket;
}
