import { z } from 'zod';

/**
 * Any `Uint8Array` (also a Node `Buffer`), typed with the default
 * `ArrayBufferLike` so it matches the contracts; `z.instanceof` would narrow
 * it to `Uint8Array<ArrayBuffer>` and reject views over shared memory in types.
 */
export const uint8ArraySchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array, {
  error: 'Uint8Array',
});
