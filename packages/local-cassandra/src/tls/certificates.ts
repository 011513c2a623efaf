import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTestPki, runCertificateTool } from './test-pki.js';

/** What a client needs to talk TLS to the local cluster; all files live in the cluster folder. */
export interface LocalTls {
  /** The CA certificate (PEM text) that signed the server certificate. */
  caPem: string;
  caFile: string;
  serverCertFile: string;
  /** A client certificate signed by the same CA, for mutual-TLS tests. */
  clientCertFile: string;
  /** The client key, encrypted with `clientKeyPassphrase`. */
  clientKeyFile: string;
  clientKeyPassphrase: string;
  /** Whether the server demands a client certificate. */
  requireClientAuth: boolean;
  /** Server side stores, for the yaml; PKCS12. */
  keystoreFile: string;
  keystorePassword: string;
  truststoreFile: string;
  truststorePassword: string;
}

export interface TlsTools {
  openssl: string;
  keytool: string;
}

function secret(): string {
  return randomBytes(18).toString('hex');
}

/**
 * Generates a fresh CA, a server certificate for `addresses`, a PKCS12
 * keystore/truststore for Cassandra, and a client certificate with a
 * passphrase-protected key. Nothing is reused between clusters.
 */
export async function generateTls(
  dir: string,
  addresses: readonly string[],
  requireClientAuth: boolean,
  tools: TlsTools,
): Promise<LocalTls> {
  await rm(dir, { recursive: true, force: true });
  const pki = await generateTestPki(dir, {
    serverAddresses: addresses,
    clientKeyPassphrase: secret(),
    openssl: tools.openssl,
  });
  const tls = {
    caFile: pki.caFile,
    serverCertFile: pki.serverCertFile,
    clientCertFile: pki.clientCertFile,
    clientKeyFile: pki.clientKeyFile,
    clientKeyPassphrase: pki.clientKeyPassphrase ?? '',
    requireClientAuth,
    keystoreFile: join(dir, 'keystore.p12'),
    keystorePassword: secret(),
    truststoreFile: join(dir, 'truststore.p12'),
    truststorePassword: secret(),
  };
  await runCertificateTool(
    'PKCS12 keystore',
    tools.openssl,
    [
      ...['pkcs12', '-export', '-in', tls.serverCertFile, '-inkey', pki.serverKeyFile],
      ...['-certfile', tls.caFile, '-name', 'cassandra', '-out', tls.keystoreFile],
      ...['-passout', `pass:${tls.keystorePassword}`],
    ],
    dir,
  );
  // A trust-only PKCS12 that Java accepts needs keytool (openssl 3.0 cannot mark trusted certs for Java).
  await runCertificateTool(
    'PKCS12 truststore',
    tools.keytool,
    [
      ...['-importcert', '-noprompt', '-alias', 'cassdl-ca', '-file', tls.caFile],
      ...[
        '-keystore',
        tls.truststoreFile,
        '-storetype',
        'PKCS12',
        '-storepass',
        tls.truststorePassword,
      ],
    ],
    dir,
  );
  return { ...tls, caPem: await readFile(tls.caFile, 'utf8') };
}
