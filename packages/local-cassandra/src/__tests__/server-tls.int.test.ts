import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster, LocalTls } from '../index.js';
import { startLocalCassandra, stopLocalCassandra } from '../index.js';
import {
  innerMessages,
  releaseVersion,
  SERVER_TIMEOUT_MS,
  tempDir,
  withClient,
} from './helpers/fixtures.js';

const ADDRESS = '127.0.0.23';

function clientCert(tls: LocalTls) {
  return {
    cert: readFileSync(tls.clientCertFile),
    key: readFileSync(tls.clientKeyFile),
    passphrase: tls.clientKeyPassphrase,
  };
}

async function failure(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => 'connected',
    (e: unknown) => innerMessages(e),
  );
}

describe('client TLS on 127.0.0.23', { timeout: SERVER_TIMEOUT_MS }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let cluster: LocalCluster;
  let tls: LocalTls;

  beforeAll(async () => {
    dir = await tempDir('tls');
    cluster = await startLocalCassandra({ address: ADDRESS, dir: dir.path, tls: true });
    if (cluster.tls === null) throw new Error('tls missing');
    tls = cluster.tls;
  }, SERVER_TIMEOUT_MS);

  afterAll(async () => {
    await stopLocalCassandra({ dir: dir.path });
    await dir.remove();
  }, SERVER_TIMEOUT_MS);

  it('writes the PEM files a client needs into the cluster folder', () => {
    expect(tls.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(readFileSync(tls.caFile, 'utf8')).toBe(tls.caPem);
    for (const file of [tls.caFile, tls.clientCertFile, tls.clientKeyFile])
      expect(file.startsWith(dir.path)).toBe(true);
    expect(tls.requireClientAuth).toBe(false);
  });

  it('protects the client key with the returned passphrase', () => {
    const pem = readFileSync(tls.clientKeyFile, 'utf8');
    expect(pem).toContain('ENCRYPTED');
    expect(() => createPrivateKey(pem)).toThrow();
    expect(
      createPrivateKey({ key: pem, passphrase: tls.clientKeyPassphrase }).asymmetricKeyType,
    ).toBe('rsa');
  });

  it('accepts a client that trusts the generated CA', async () => {
    const version = await withClient(
      { contactPoints: cluster.contactPoints, sslOptions: { ca: [tls.caPem] } },
      releaseVersion,
    );
    expect(version).toBe(cluster.version);
  });

  it('is rejected by a client that does not trust the CA', async () => {
    const reason = await failure(
      withClient(
        { contactPoints: cluster.contactPoints, sslOptions: { rejectUnauthorized: true } },
        releaseVersion,
      ),
    );
    expect(reason).toMatch(
      /self[- ]signed certificate|unable to verify|unable to get local issuer/i,
    );
  });

  it('refuses plaintext clients (encryption is not optional)', async () => {
    const reason = await failure(
      withClient(
        { contactPoints: cluster.contactPoints, socketOptions: { readTimeout: 5000 } },
        releaseVersion,
      ),
    );
    expect(reason).not.toBe('connected');
  });

  it('requires the client certificate when asked to (mutual TLS)', async () => {
    await stopLocalCassandra({ dir: dir.path });
    const mutual = await startLocalCassandra({
      address: ADDRESS,
      dir: dir.path,
      tls: true,
      requireClientAuth: true,
    });
    const mtls = mutual.tls as LocalTls;
    expect(mtls.requireClientAuth).toBe(true);
    expect(mtls.caPem).not.toBe(tls.caPem);
    const withCert = await withClient(
      {
        contactPoints: mutual.contactPoints,
        sslOptions: { ca: [mtls.caPem], ...clientCert(mtls) },
      },
      releaseVersion,
    );
    expect(withCert).toBe(mutual.version);
    const reason = await failure(
      withClient(
        {
          contactPoints: mutual.contactPoints,
          sslOptions: { ca: [mtls.caPem] },
          socketOptions: { readTimeout: 5000 },
        },
        releaseVersion,
      ),
    );
    expect(reason).not.toBe('connected');
  });
});
