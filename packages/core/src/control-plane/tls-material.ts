import { readFile } from 'node:fs/promises';
import type { ConnectionOptions, PlanTls } from '@cassdl/schema';
import { isPem } from '@cassdl/schema';
import { CassdlConnectionError } from '../errors.js';

/**
 * Turns the TLS options (each either inline PEM or a file path) into the
 * PEM text a data plan carries. Reading files happens here, once, in the
 * control plane: engines (and worker threads, and native code) only ever see
 * PEM strings. Returns null when TLS is off.
 */
export async function loadTlsMaterial(connection: ConnectionOptions): Promise<PlanTls | null> {
  if (!connection.useSsl) return null;
  return {
    ca: await readPem(connection.sslCertificate, 'sslCertificate'),
    cert: await readPem(connection.sslOwnCertificate, 'sslOwnCertificate'),
    key: await readPem(connection.sslOwnKey, 'sslOwnKey'),
    passphrase: connection.sslOwnKeyPass ?? null,
    serverName: connection.sslServerName ?? null,
    rejectUnauthorized: connection.sslRejectUnauthorized,
  };
}

async function readPem(value: string | undefined, option: string): Promise<string | null> {
  if (value === undefined) return null;
  if (isPem(value)) return value;
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (error) {
    if (option === 'sslOwnKey') {
      // Not a PEM block, so taken as a path; it may still be key material
      // (a bare base64 body), which the fs error would quote: give its code only.
      const code = (error as { code?: unknown } | null)?.code;
      throw new CassdlConnectionError(
        'tls',
        `sslOwnKey: cannot read the key file (${typeof code === 'string' ? code : 'unreadable'}); give a readable file path or the whole PEM text (-----BEGIN ... PRIVATE KEY----- to -----END ...-----). The value is not shown: it may be key material.`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new CassdlConnectionError('tls', `${option}: cannot read ${value}: ${reason}`, [], error);
  }
  if (!isPem(text)) {
    throw new CassdlConnectionError(
      'tls',
      `${option}: ${value} holds no PEM block (-----BEGIN ...-----).`,
    );
  }
  return text;
}
