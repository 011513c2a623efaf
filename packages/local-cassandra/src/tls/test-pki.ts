import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalCassandraError } from '../errors/errors.js';
import { run } from '../process/exec.js';
import { CLIENT_EXTENSIONS, REQ_CONFIG, serverExtensions } from './openssl-config.js';

/** Files of a throwaway PKI: a CA, a server leaf and a client leaf it signed (PEM). */
export interface TestPki {
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  /** Encrypted with `clientKeyPassphrase` when one was given, else plain. */
  readonly clientKeyFile: string;
  readonly clientKeyPassphrase: string | null;
}

export interface TestPkiOptions {
  /** IP addresses the server certificate is valid for (IP SANs; `localhost` is added). */
  readonly serverAddresses: readonly string[];
  /** Encrypts the client key (AES-256) with this passphrase; null leaves it plain. */
  readonly clientKeyPassphrase: string | null;
  /** The openssl binary (default: `openssl` on PATH). */
  readonly openssl?: string;
  /** Common name of the CA, so certificates of different uses are told apart. */
  readonly caName?: string;
  /** Common name of the server certificate (default `cassdl-local-server`): some checks read the CN, not the SANs. */
  readonly serverName?: string;
  /** Common name of the client certificate (default `cassdl-local-client`), which a server may log or check. */
  readonly clientName?: string;
}

const DAYS = '30';

/**
 * Generates a fresh CA, a server certificate and a client certificate under
 * `dir` with the openssl command line, for local clusters and tests: keys
 * are made at run time, never kept in a repository, never reused.
 */
export async function generateTestPki(dir: string, options: TestPkiOptions): Promise<TestPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => join(dir, name);
  await writeFile(f('openssl.cnf'), REQ_CONFIG);
  await writeFile(f('server.ext'), serverExtensions(options.serverAddresses));
  await writeFile(f('client.ext'), CLIENT_EXTENSIONS);
  const pki: TestPki = {
    caFile: f('ca.pem'),
    serverCertFile: f('server.pem'),
    serverKeyFile: f('server.key'),
    clientCertFile: f('client.pem'),
    clientKeyFile: f('client.key'),
    clientKeyPassphrase: options.clientKeyPassphrase,
  };
  const ssl = (step: string, args: string[]) =>
    runCertificateTool(step, options.openssl ?? 'openssl', args, dir);
  const config = ['-config', f('openssl.cnf')];
  await ssl('CA certificate', [
    ...['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key')],
    ...['-out', pki.caFile, '-days', DAYS, '-subj', `/CN=${options.caName ?? 'cassdl local CA'}`],
    ...config,
    ...['-extensions', 'v3_ca'],
  ]);
  await ssl('server request', [
    ...['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', pki.serverKeyFile],
    ...[
      '-out',
      f('server.csr'),
      '-subj',
      `/CN=${options.serverName ?? 'cassdl-local-server'}`,
      ...config,
    ],
  ]);
  await ssl('server certificate', signArgs(f, 'server.csr', pki.serverCertFile, 'server.ext'));
  const passphrase = options.clientKeyPassphrase;
  const encrypt = passphrase === null ? [] : ['-aes-256-cbc', '-pass', `pass:${passphrase}`];
  const unlock = passphrase === null ? [] : ['-passin', `pass:${passphrase}`];
  await ssl('client key', [
    ...['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', ...encrypt],
    ...['-out', pki.clientKeyFile],
  ]);
  await ssl('client request', [
    ...['req', '-new', '-key', pki.clientKeyFile, ...unlock, '-out', f('client.csr')],
    ...['-subj', `/CN=${options.clientName ?? 'cassdl-local-client'}`, ...config],
  ]);
  await ssl('client certificate', signArgs(f, 'client.csr', pki.clientCertFile, 'client.ext'));
  return pki;
}

function signArgs(f: (n: string) => string, csr: string, out: string, ext: string): string[] {
  return [
    ...['x509', '-req', '-in', f(csr), '-CA', f('ca.pem'), '-CAkey', f('ca.key')],
    ...['-set_serial', `0x${randomBytes(8).toString('hex')}`, '-out', out, '-days', DAYS],
    ...['-extfile', f(ext)],
  ];
}

/** Runs one certificate step; a failure names the step and the tool's last words. */
export async function runCertificateTool(
  step: string,
  file: string,
  args: string[],
  cwd: string,
): Promise<void> {
  const result = await run(file, args, { cwd });
  if (result.code !== 0) {
    throw new LocalCassandraError(
      'CERT_GENERATION_FAILED',
      `could not generate the ${step} with ${file} (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
}
