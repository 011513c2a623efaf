import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** PEM material of a throwaway PKI: a CA, a server certificate and a client certificate it signed. */
export interface AstraCertificates {
  readonly ca: string;
  /** For `127.0.0.1` (CN and IP SAN) and `localhost`: the metadata service and the SNI proxy. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** What the bundle's `cert` and `key` hold: the client side of mutual TLS. */
  readonly clientCert: string;
  readonly clientKey: string;
}

/**
 * Generates a fresh CA, server and client certificate with the openssl CLI
 * into `dir` (a test's temporary folder): no key is ever in the repository.
 */
export async function generateAstraCertificates(dir: string): Promise<AstraCertificates> {
  const f = (name: string) => join(dir, name);
  const ssl = (args: string[]) => exec('openssl', args, { cwd: dir });
  await writeFile(
    f('server.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await writeFile(
    f('client.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  await ssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=cassdl test Astra CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await issue(ssl, f, 'server', '/CN=127.0.0.1');
  await issue(ssl, f, 'client', '/CN=cassdl-astra-client');
  const [ca, serverCert, serverKey, clientCert, clientKey] = await Promise.all(
    ['ca.crt', 'server.crt', 'server.key', 'client.crt', 'client.key'].map((n) =>
      readFile(f(n), 'utf8'),
    ),
  );
  return {
    ca: ca as string,
    serverCert: serverCert as string,
    serverKey: serverKey as string,
    clientCert: clientCert as string,
    clientKey: clientKey as string,
  };
}

async function issue(
  ssl: (args: string[]) => Promise<unknown>,
  f: (name: string) => string,
  name: string,
  subject: string,
): Promise<void> {
  await ssl([
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f(`${name}.key`),
    '-out',
    f(`${name}.csr`),
    '-subj',
    subject,
  ]);
  await ssl([
    'x509',
    '-req',
    '-in',
    f(`${name}.csr`),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '2',
    '-out',
    f(`${name}.crt`),
    '-extfile',
    f(`${name}.ext`),
  ]);
}
