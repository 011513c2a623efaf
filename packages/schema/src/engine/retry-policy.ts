import { integer } from '../validation/numbers.js';

/**
 * Ranges of the retry options, defined once: the reader options build on
 * these and the native data plane accepts the same (0..60,000 ms first delay,
 * 0..600,000 ms largest, 1..100 tries).
 */
export const retryFields = {
  /** Tries per row, the first included. */
  maxAttempts: integer(1, 100),
  /** First backoff delay. */
  baseDelayMs: integer(0, 60_000),
  /** Largest backoff delay. */
  maxDelayMs: integer(0, 600_000),
};

/** Backoff settings of failed row reads (reader option `retry`), as both engines take them. */
export interface RetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** The CQL server error codes (native protocol spec, section 9) a row read can meet and retry. */
export const RETRIABLE_SERVER_ERRORS = {
  serverError: 0x0000,
  unavailable: 0x1000,
  overloaded: 0x1001,
  isBootstrapping: 0x1002,
  truncateError: 0x1003,
  readTimeout: 0x1200,
  readFailure: 0x1300,
} as const;

/**
 * The one table of retry decisions for server errors, carried in the plan
 * (`DataPlanePlan.retryServerCodes`) and applied by both engines: a row
 * whose read gets one of these codes is sent again to the next replica
 * after backoff (`RetryOptions`), up to `maxAttempts` sends. Any other
 * server error fails the row at once with its code (UNPREPARED re-prepares
 * first). Failures of the transport (no answer within `requestTimeoutMs`, a
 * lost or refused connection, a malformed answer) are always retried.
 *
 * The list is the DataStax drivers' default retry policy for idempotent
 * reads: an internal server error, a truncation racing the read or a node
 * still bootstrapping may well not happen on the next replica.
 */
export const RETRY_SERVER_CODES: readonly number[] = Object.values(RETRIABLE_SERVER_ERRORS);
