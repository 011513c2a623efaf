import { CassdlConnectionError, type HostAttempt } from '../errors.js';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_OSSL_BAD_DECRYPT',
  'ERR_OSSL_UNSUPPORTED',
]);

/** What to do about a TLS failure, by the TLS library's code. */
const TLS_HINTS: Readonly<Record<string, string>> = {
  ERR_TLS_CERT_ALTNAME_INVALID:
    "the server's certificate does not name the host connected to: use a contact point the certificate lists, or set sslServerName to a name it lists",
  SELF_SIGNED_CERT_IN_CHAIN:
    "the server's certificate is not signed by a trusted CA: set sslCertificate to the CA that signed it",
  DEPTH_ZERO_SELF_SIGNED_CERT:
    "the server's certificate is self-signed: set sslCertificate to that certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the server's certificate is not signed by a trusted CA: set sslCertificate to the CA that signed it",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "the server's certificate is not signed by a trusted CA: set sslCertificate to the CA that signed it",
  ERR_OSSL_BAD_DECRYPT:
    'the client key (sslOwnKey) cannot be decrypted: sslOwnKeyPass is wrong or missing',
  // OpenSSL 3 decrypts an encrypted key with a wrong passphrase into garbage
  // that, about once in 256 passphrases, passes the padding check: then its
  // decoder, not the cipher, refuses the key ("DECODER routines::unsupported").
  ERR_OSSL_UNSUPPORTED:
    'the client key (sslOwnKey) cannot be decrypted or read: sslOwnKeyPass is wrong or missing, or sslOwnKey is not a PEM private key',
};

const DEFAULT_TLS_HINT =
  'check useSsl, sslCertificate (the CA), sslServerName and the client certificate';

/**
 * Restates a cassandra-driver connect failure as a `CassdlConnectionError`:
 * `auth` with the server's own words when credentials were refused, `tls`
 * when the handshake failed (with the TLS library's reason and what to fix),
 * `connect` otherwise, always listing each host tried and what happened
 * there. `useSsl: false` adds a hint when a server drops a plaintext client,
 * as TLS-only servers do.
 */
export function connectionErrorFrom(
  error: unknown,
  what: string,
  context: { readonly useSsl?: boolean } = {},
): CassdlConnectionError {
  if (error instanceof CassdlConnectionError) return error;
  const hosts = hostAttempts(error);
  const causes = hosts.length > 0 ? hosts : [{ host: what, cause: messageOf(error) }];
  const inner = innerErrors(error);
  const auth = inner.find((e) => nameOf(e) === 'AuthenticationError');
  if (auth !== undefined) {
    return new CassdlConnectionError(
      'auth',
      `Authentication to ${what} failed: ${messageOf(auth)} Check username and password.`,
      causes,
      error,
    );
  }
  const tls = inner.find(isTlsError);
  if (tls !== undefined) {
    const code = codeOf(tls);
    const reason = `${messageOf(tls).replace(/\.$/, '')}${code === '' ? '' : ` (${code})`}`;
    return new CassdlConnectionError(
      'tls',
      `TLS with ${what} failed: ${reason}. Fix: ${TLS_HINTS[code] ?? DEFAULT_TLS_HINT}.`,
      causes,
      error,
    );
  }
  const lines = causes.map((c) => `  ${c.host}: ${c.cause}`);
  const dropped = causes.some((c) => /ECONNRESET|EPIPE|closed|hang up/i.test(c.cause));
  if (context.useSsl === false && dropped) {
    lines.push(
      'The server dropped the connection before answering: it may require TLS (set useSsl: true and sslCertificate to its CA).',
    );
  }
  return new CassdlConnectionError(
    'connect',
    [
      `Cannot connect to ${what}; check contactPoints, port and that the server runs:`,
      ...lines,
    ].join('\n'),
    causes,
    error,
  );
}

function hostAttempts(error: unknown): HostAttempt[] {
  const inner = (error as { innerErrors?: Record<string, unknown> } | null)?.innerErrors;
  if (inner === undefined || inner === null || typeof inner !== 'object') return [];
  return Object.entries(inner).map(([host, e]) => ({ host, cause: messageOf(e) }));
}

/**
 * The per-host errors (and their causes) first, the wrapper last: the
 * driver's wrapper message quotes the inner errors with their stacks, so
 * matching on it would report the whole wrapper instead of the reason.
 */
function innerErrors(error: unknown): unknown[] {
  const inner = (error as { innerErrors?: Record<string, unknown> } | null)?.innerErrors;
  const list =
    inner !== undefined && inner !== null && typeof inner === 'object' ? Object.values(inner) : [];
  return [...list, ...list.map((e) => (e as { cause?: unknown } | null)?.cause), error].filter(
    (e) => e !== undefined && e !== null,
  );
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function isTlsError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))
  ) {
    return true;
  }
  return /\b(SSL|TLS)\b|certificate|handshake/i.test(messageOf(error));
}

function nameOf(error: unknown): string {
  return (error as { name?: unknown } | null)?.name === undefined
    ? ''
    : String((error as { name: unknown }).name);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
