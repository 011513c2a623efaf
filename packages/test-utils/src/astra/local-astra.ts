import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConnection } from '@cassdl/local-cassandra';
import { openDriverClient } from '../connection.js';
import { secureConnectBundle } from './bundle.js';
import { type AstraCertificates, generateAstraCertificates } from './certificates.js';
import { type MetadataService, startMetadataService } from './metadata-service.js';
import { type SniProxy, startSniProxy } from './sni-proxy.js';

/** An Astra-shaped front for the test Cassandra, all on loopback. */
export interface LocalAstra {
  /** Path of the secure connect bundle (a zip in a temporary folder). */
  readonly bundlePath: string;
  readonly certificates: AstraCertificates;
  readonly proxy: SniProxy;
  readonly metadata: MetadataService;
  /** Host id (UUID text) of each node behind the proxy: the SNI names it routes by. */
  readonly hostIds: readonly string[];
  readonly localDataCenter: string;
  close(): Promise<void>;
}

/**
 * Puts the test Cassandra behind what Astra runs: a metadata service and a
 * TLS-terminating SNI proxy (both mutual TLS with a CA made for the run),
 * and writes the secure connect bundle that leads there. The node is
 * reached in plaintext behind the proxy, as Astra's nodes are.
 */
export async function startLocalAstra(): Promise<LocalAstra> {
  const target = await testConnection();
  const client = await openDriverClient(target);
  let node: { hostId: string; address: string; dc: string };
  try {
    const row = (
      await client.execute('SELECT host_id, rpc_address, data_center FROM system.local')
    ).first();
    node = {
      hostId: String(row.get('host_id')),
      address: String(row.get('rpc_address')),
      dc: String(row.get('data_center')),
    };
  } finally {
    await client.shutdown();
  }
  const dir = await mkdtemp(join(tmpdir(), 'cassdl-astra-'));
  const certificates = await generateAstraCertificates(dir);
  const server = {
    ca: certificates.ca,
    cert: certificates.serverCert,
    key: certificates.serverKey,
  };
  const proxy = await startSniProxy({
    ...server,
    routes: new Map([[node.hostId, { host: node.address, port: target.port }]]),
  });
  const metadata = await startMetadataService({
    ...server,
    contactInfo: {
      sni_proxy_address: `${proxy.address}:${proxy.port}`,
      contact_points: [node.hostId],
      local_dc: node.dc,
    },
  });
  const bundlePath = join(dir, 'secure-connect-cassdl.zip');
  await writeFile(
    bundlePath,
    secureConnectBundle({
      config: { host: metadata.host, port: metadata.port, keyspace: 'cassdl', localDC: node.dc },
      ca: certificates.ca,
      cert: certificates.clientCert,
      key: certificates.clientKey,
    }),
  );
  return {
    bundlePath,
    certificates,
    proxy,
    metadata,
    hostIds: [node.hostId],
    localDataCenter: node.dc,
    close: async () => {
      await Promise.all([proxy.close(), metadata.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
