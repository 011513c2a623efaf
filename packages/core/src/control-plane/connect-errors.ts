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
]);

/**
 * Restates a cassandra-driver connect failure as a `CassdlConnectionError`:
 * `auth` with the server's own words when credentials were refused, `tls`
 * when the handshake failed (with the TLS library's reason), `connect`
 * otherwise, always listing each host tried and what happened there.
 */
export function connectionErrorFrom(error: unknown, what: string): CassdlConnectionError {
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
    return new CassdlConnectionError(
      'tls',
      `TLS handshake with ${what} failed: ${messageOf(tls)}. Check useSsl, sslCertificate (the CA), sslServerName and the client certificate.`,
      causes,
      error,
    );
  }
  const lines = causes.map((c) => `  ${c.host}: ${c.cause}`);
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

function innerErrors(error: unknown): unknown[] {
  const inner = (error as { innerErrors?: Record<string, unknown> } | null)?.innerErrors;
  const list =
    inner !== undefined && inner !== null && typeof inner === 'object' ? Object.values(inner) : [];
  return [error, ...list, ...list.map((e) => (e as { cause?: unknown } | null)?.cause)].filter(
    (e) => e !== undefined && e !== null,
  );
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
