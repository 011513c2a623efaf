import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Astra's `contact_info`: where the SNI proxy is, the host ids to start from, the local data center. */
export interface ContactInfo {
  readonly sni_proxy_address: string;
  readonly contact_points: readonly string[];
  readonly local_dc: string;
}

export interface MetadataService {
  readonly host: string;
  readonly port: number;
  /** Requests answered (GET /metadata over mutual TLS). */
  readonly requests: () => number;
  close(): Promise<void>;
}

/**
 * The metadata service a secure connect bundle's `config.json` points at:
 * HTTPS demanding a client certificate of `ca`, answering GET /metadata
 * with `{ contact_info }` as Astra does.
 */
export async function startMetadataService(options: {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly contactInfo: ContactInfo;
}): Promise<MetadataService> {
  let requests = 0;
  const server = createServer(
    { ca: [options.ca], cert: options.cert, key: options.key, requestCert: true },
    (req, res) => {
      if (req.method !== 'GET' || req.url !== '/metadata') {
        res.writeHead(404).end();
        return;
      }
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ version: 1, region: 'local', contact_info: options.contactInfo }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
