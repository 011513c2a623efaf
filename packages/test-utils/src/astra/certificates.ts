import { readFile } from 'node:fs/promises';
import { generateTestPki } from '@cassdl/local-cassandra';

/** PEM material of a throwaway PKI: a CA, a server certificate and a client certificate it signed. */
export interface AstraCertificates {
  readonly ca: string;
  /** For `127.0.0.1` (CN and IP SAN) and `localhost`: the metadata service and the SNI proxy. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** What the bundle's `cert` and `key` hold: the client side of mutual TLS (a plain key, as Astra's). */
  readonly clientCert: string;
  readonly clientKey: string;
}

/**
 * A fresh CA, server and client certificate (local-cassandra's test PKI)
 * in `dir`, a test's temporary folder: no key is ever in the repository.
 */
export async function generateAstraCertificates(dir: string): Promise<AstraCertificates> {
  const pki = await generateTestPki(dir, {
    serverAddresses: ['127.0.0.1'],
    clientKeyPassphrase: null,
    caName: 'cassdl test Astra CA',
    // cassandra-driver's cloud check compares the proxy host with the CN (it does not read IP SANs).
    serverName: '127.0.0.1',
    clientName: 'cassdl-astra-client',
  });
  const read = (file: string) => readFile(file, 'utf8');
  return {
    ca: await read(pki.caFile),
    serverCert: await read(pki.serverCertFile),
    serverKey: await read(pki.serverKeyFile),
    clientCert: await read(pki.clientCertFile),
    clientKey: await read(pki.clientKeyFile),
  };
}
