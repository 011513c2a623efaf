import { CassdlValidationError, packUuids } from '@cassdl/schema';

/** Ids given to `reader.fetch()`: UUID strings, or packed 16-byte ids. */
export type IdsInput = readonly string[] | Uint8Array;

/** Packs (and validates) the ids of an interactive fetch. */
export function packInteractiveIds(ids: IdsInput): Uint8Array {
  if (ids instanceof Uint8Array) {
    if (ids.length === 0 || ids.length % 16 !== 0) {
      const received = `${ids.length} bytes (Uint8Array)`;
      const expected = 'a non-empty Uint8Array of 16 bytes per id';
      throw new CassdlValidationError(
        [
          {
            path: 'fetch.ids',
            expected,
            received,
            message: `fetch.ids: expected ${expected}, received ${received}`,
          },
        ],
        'ids',
      );
    }
    return ids;
  }
  return packUuids(ids);
}
