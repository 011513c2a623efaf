/**
 * FNV-1a (32-bit) over the packed id list, as 8 hex digits. Saved in reader
 * state so that resuming against a different id list (a new split, a
 * re-ordered file) fails loudly instead of silently skipping other samples.
 */
export function idsFingerprint(ids: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < ids.length; i++) {
    hash ^= ids[i] as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
