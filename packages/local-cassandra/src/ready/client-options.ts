import { readFileSync } from 'node:fs';
import cassandra from 'cassandra-driver';
import type { Credentials } from '../cluster/state.js';
import type { LocalTls } from '../tls/certificates.js';

export interface ConnectTarget {
  contactPoints: string[];
  port: number;
  auth: Credentials | null;
  tls: LocalTls | null;
}

/**
 * cassandra-driver options for a local cluster: datacenter1, the cluster's
 * credentials and CA, and the client certificate when the server asks for one.
 */
export function driverOptions(target: ConnectTarget): cassandra.ClientOptions {
  return {
    contactPoints: target.contactPoints,
    localDataCenter: 'datacenter1',
    protocolOptions: { port: target.port },
    socketOptions: { connectTimeout: 3000, readTimeout: 10_000 },
    ...(target.auth === null
      ? {}
      : {
          authProvider: new cassandra.auth.PlainTextAuthProvider(
            target.auth.username,
            target.auth.password,
          ),
        }),
    ...(target.tls === null ? {} : { sslOptions: sslOptions(target.tls) }),
  };
}

function sslOptions(tls: LocalTls): cassandra.ClientOptions['sslOptions'] {
  const base = { ca: [tls.caPem], rejectUnauthorized: true };
  if (!tls.requireClientAuth) return base;
  return {
    ...base,
    cert: readFileSync(tls.clientCertFile),
    key: readFileSync(tls.clientKeyFile),
    passphrase: tls.clientKeyPassphrase,
  };
}
