import cassandra from 'cassandra-driver';

const { errors } = cassandra;

/**
 * Whether another attempt (after backoff, preferably on another replica) may
 * succeed: client timeouts, busy or lost connections, no host available, and
 * the server errors the plan's retry table lists (`retryServerCodes`, the
 * native engine applies the same). Anything else (no permission, invalid
 * query) fails at once.
 */
export function isRetriable(error: unknown, retryServerCodes: ReadonlySet<number>): boolean {
  if (error instanceof errors.OperationTimedOutError) return true;
  if (error instanceof errors.NoHostAvailableError) return true;
  if (error instanceof errors.BusyConnectionError) return true;
  if (error instanceof errors.ResponseError) return retryServerCodes.has(error.code);
  // A connection that closes (node killed, or declared defunct by the driver
  // after too many timeouts) fails every request on it with a DriverError
  // flagged `isSocketError` and no errno code; the row read is idempotent.
  if ((error as { isSocketError?: unknown } | null)?.isSocketError === true) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E(CONNRESET|PIPE|CONNREFUSED|TIMEDOUT)$|SOCKET/.test(code);
}

/** Short cause for the "hosts tried" list. */
export function describeFailure(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  return typeof name === 'string' && name !== 'Error' ? `${name}: ${message}` : message;
}
