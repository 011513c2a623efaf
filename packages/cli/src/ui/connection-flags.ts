import { type ConnectionOptionsInput, connectionFromEnv } from '@cassdl/schema';
import type { Command } from 'commander';

/** The connection flags every data command takes, as commander parses them. */
export interface ConnectionFlags {
  contactPoints?: string;
  port?: string;
  localDc?: string;
  username?: string;
  password?: string;
  sslCa?: string;
  sslCert?: string;
  sslKey?: string;
  sslKeyPass?: string;
  ssl?: boolean;
  cloudBundle?: string;
}

/** Commander's names of the connection flags (the keys of `ConnectionFlags`). */
export const CONNECTION_FLAG_NAMES: ReadonlySet<string> = new Set<keyof ConnectionFlags>([
  'contactPoints',
  'port',
  'localDc',
  'username',
  'password',
  'sslCa',
  'sslCert',
  'sslKey',
  'sslKeyPass',
  'ssl',
  'cloudBundle',
]);

/** Where a command connects when neither flags nor `CASSDL_CONTACT_POINTS` say: `cassdl server start`'s node. */
export const DEFAULT_CONTACT_POINTS = ['127.0.0.1'];

export function addConnectionFlags(command: Command): Command {
  return command
    .option(
      '--contact-points <hosts>',
      'comma list of host or host:port (env CASSDL_CONTACT_POINTS; default 127.0.0.1)',
    )
    .option('--port <n>', 'port for contact points without one (env CASSDL_PORT; default 9042)')
    .option(
      '--local-dc <name>',
      'local data center (env CASSDL_LOCAL_DC; default: detected from the cluster)',
    )
    .option('--username <name>', 'user name (env CASSDL_USERNAME)')
    .option('--password <text>', 'password (env CASSDL_PASSWORD)')
    .option('--ssl', 'use TLS with the system CAs')
    .option('--ssl-ca <file>', 'CA certificate to trust, PEM (env CASSDL_SSL_CA; implies --ssl)')
    .option('--ssl-cert <file>', 'client certificate, PEM (env CASSDL_SSL_CERT)')
    .option('--ssl-key <file>', 'client key, PEM (env CASSDL_SSL_KEY)')
    .option('--ssl-key-pass <text>', 'passphrase of --ssl-key (env CASSDL_SSL_KEY_PASS)')
    .option('--cloud-bundle <zip>', 'Astra secure connect bundle (instead of contact points)');
}

/**
 * Connection input from flags over `CASSDL_*` variables over the local
 * default. Only shape is set here; `connectionOptionsSchema` (inside the
 * library calls) checks values and words the errors.
 */
export function connectionFromFlags(
  flags: ConnectionFlags,
  env: Record<string, string | undefined>,
): ConnectionOptionsInput {
  const base: ConnectionOptionsInput = connectionFromEnv(env) ?? {};
  const out: ConnectionOptionsInput = { ...base };
  if (flags.cloudBundle !== undefined) {
    delete out.contactPoints;
    out.cloudConfig = { secureConnectBundle: flags.cloudBundle };
  } else if (flags.contactPoints !== undefined) {
    out.contactPoints = flags.contactPoints
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
  } else if (out.contactPoints === undefined) {
    out.contactPoints = DEFAULT_CONTACT_POINTS;
  }
  // A non-numeric port stays text so the schema's error shows what was typed.
  if (flags.port !== undefined)
    out.port = (/^\d+$/.test(flags.port) ? Number(flags.port) : flags.port) as number;
  const strings = {
    localDc: 'localDataCenter',
    username: 'username',
    password: 'password',
    sslCa: 'sslCertificate',
    sslCert: 'sslOwnCertificate',
    sslKey: 'sslOwnKey',
    sslKeyPass: 'sslOwnKeyPass',
  } as const;
  for (const flag of Object.keys(strings) as (keyof typeof strings)[]) {
    const value = flags[flag];
    if (value !== undefined) out[strings[flag]] = value;
  }
  if (flags.ssl === true) out.useSsl = true;
  return out;
}
