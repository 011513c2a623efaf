import { z } from 'zod';
import { integer } from '../validation/numbers.js';

/**
 * The ranges of the options both engines take, defined once: the reader
 * options build on these, and the native data plane checks its options with
 * the same schema, so a value the reader accepts is one the engines accept.
 */
export const engineFields = {
  /** Row requests on the wire at most (all batches, all threads). Default 1024. */
  inflight: integer(1, 1 << 20),
  /** Connections per host (each engine client). Default 2. */
  connectionsPerHost: integer(1, 256),
  /** A missing row (or null data/label): reject naming the id, or leave it out and count it. Default `'error'`. */
  onMissing: z.enum(['error', 'skip']),
};

export const engineOptionsSchema = z.object(engineFields);
