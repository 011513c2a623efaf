import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalCassandraError } from '../errors/errors.js';
import { run } from '../process/exec.js';
import { CLIENT_EXTENSIONS, REQ_CONFIG, serverExtensions } from './openssl-config.js';

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

const DAYS = '30';

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
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => join(dir, name);
  await writeFile(f('openssl.cnf'), REQ_CONFIG);
  await writeFile(f('server.ext'), serverExtensions(addresses));
  await writeFile(f('client.ext'), CLIENT_EXTENSIONS);
  const tls = {
    caFile: f('ca.pem'),
    serverCertFile: f('server.pem'),
    clientCertFile: f('client.pem'),
    clientKeyFile: f('client.key'),
    clientKeyPassphrase: secret(),
    requireClientAuth,
    keystoreFile: f('keystore.p12'),
    keystorePassword: secret(),
    truststoreFile: f('truststore.p12'),
    truststorePassword: secret(),
  };
  const ssl = (step: string, args: string[]) => must(step, tools.openssl, args, dir);
  await ssl('CA certificate', [
    'req',
    '-x509',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    tls.caFile,
    '-days',
    DAYS,
    '-subj',
    '/CN=cassdl local CA',
    '-config',
    f('openssl.cnf'),
    '-extensions',
    'v3_ca',
  ]);
  await ssl('server key', [
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
    '-subj',
    '/CN=cassdl-local-server',
    '-config',
    f('openssl.cnf'),
  ]);
  await ssl('server certificate', signArgs(f, 'server.csr', tls.serverCertFile, 'server.ext'));
  await ssl('PKCS12 keystore', [
    'pkcs12',
    '-export',
    '-in',
    tls.serverCertFile,
    '-inkey',
    f('server.key'),
    '-certfile',
    tls.caFile,
    '-name',
    'cassandra',
    '-out',
    tls.keystoreFile,
    '-passout',
    `pass:${tls.keystorePassword}`,
  ]);
  // A trust-only PKCS12 that Java accepts needs keytool (openssl 3.0 cannot mark trusted certs for Java).
  await must(
    'PKCS12 truststore',
    tools.keytool,
    [
      '-importcert',
      '-noprompt',
      '-alias',
      'cassdl-ca',
      '-file',
      tls.caFile,
      '-keystore',
      tls.truststoreFile,
      '-storetype',
      'PKCS12',
      '-storepass',
      tls.truststorePassword,
    ],
    dir,
  );
  await ssl('client key', [
    'genpkey',
    '-algorithm',
    'RSA',
    '-pkeyopt',
    'rsa_keygen_bits:2048',
    '-aes-256-cbc',
    '-pass',
    `pass:${tls.clientKeyPassphrase}`,
    '-out',
    tls.clientKeyFile,
  ]);
  await ssl('client request', [
    'req',
    '-new',
    '-key',
    tls.clientKeyFile,
    '-passin',
    `pass:${tls.clientKeyPassphrase}`,
    '-out',
    f('client.csr'),
    '-subj',
    '/CN=cassdl-local-client',
    '-config',
    f('openssl.cnf'),
  ]);
  await ssl('client certificate', signArgs(f, 'client.csr', tls.clientCertFile, 'client.ext'));
  return { ...tls, caPem: await readFile(tls.caFile, 'utf8') };
}

function signArgs(f: (n: string) => string, csr: string, out: string, ext: string): string[] {
  return [
    'x509',
    '-req',
    '-in',
    f(csr),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-out',
    out,
    '-days',
    DAYS,
    '-extfile',
    f(ext),
  ];
}

async function must(step: string, file: string, args: string[], cwd: string): Promise<void> {
  const result = await run(file, args, { cwd });
  if (result.code !== 0) {
    throw new LocalCassandraError(
      'CERT_GENERATION_FAILED',
      `could not generate the ${step} with ${file} (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
}
