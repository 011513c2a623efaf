import { z } from 'zod';
import { integer } from '../validation/numbers.js';
import { type RetryOptions, retryFields } from './retry-policy.js';

/**
 * The ranges of the options both engines take, defined once: the reader
 * options build on these, and the native data plane checks its options with
 * the same schema, so a value the reader accepts is one the engines accept.
 */
export const engineFields = {
  /** Row requests on the wire at most (all batches, all threads). Default 1024. */
  inflight: integer(1, 1 << 20),
  /** Connections per host (each engine client); the reader resolves its `'auto'` per engine. */
  connectionsPerHost: integer(1, 256),
  /** A missing row (or null data/label): reject naming the id, or leave it out and count it. Default `'error'`. */
  onMissing: z.enum(['error', 'skip']),
};

export const engineOptionsSchema = z.object(engineFields);

/**
 * What the native data plane (@cassdl/native-io) opens with; @cassdl/core
 * fills it from the reader options. Ranges as `engineFields`/`retryFields`.
 */
export interface NativeEngineOptions {
  /** TCP connections opened to each host (each multiplexes up to 32768 requests). */
  readonly connectionsPerHost: number;
  /** Most row requests on the wire at once, across every outstanding `fetch`: the ceiling `setLimits` moves under. */
  readonly inflight: number;
  /** A missing row (or null data/label): reject naming the id, or leave it out and count it. */
  readonly onMissing: 'error' | 'skip';
  /** Retry on another replica after overload, timeouts, unavailable or a lost connection. */
  readonly retry: RetryOptions;
  /**
   * Batch arenas that keep their memory (default 6): leased fetches
   * outstanding plus those not yet released. More leased batches than
   * this still work, in overflow arenas freed as each is released.
   */
  readonly batchSlots?: number;
  /**
   * Development check (default off): each leased batch gets buffers of its
   * own, detached when it is released, so a view kept past `release()`
   * reads as empty (and typed-array methods throw) instead of showing
   * another batch's rows. Costs a little per batch.
   */
  readonly checkRecycled?: boolean;
}

/**
 * The one validation of `NativeEngineOptions`: the native data plane checks
 * what it is given against the same ranges the reader options use.
 */
export const nativeEngineOptionsSchema = z.object({
  ...engineFields,
  retry: z.object(retryFields),
  batchSlots: integer(1, 4096).optional(),
  checkRecycled: z.boolean().optional(),
});
