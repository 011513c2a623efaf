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
