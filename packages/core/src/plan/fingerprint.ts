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

/**
 * The fingerprint of what an epoch is planned over: with one plain source,
 * `idsFingerprint` of its ids (so states saved before mixing stay valid);
 * otherwise FNV-1a chained over each source's fingerprint, its share and the
 * epoch size.
 */
export function sourcesFingerprint(
  sources: readonly {
    ids: Uint8Array;
    weight?: number | undefined;
    proportion?: number | undefined;
    repeat?: number | undefined;
  }[],
  epochSize: number | undefined,
): string {
  const [only] = sources;
  const plain = (s: (typeof sources)[number]) =>
    s.weight === undefined && s.proportion === undefined && s.repeat === undefined;
  if (only !== undefined && sources.length === 1 && plain(only) && epochSize === undefined)
    return idsFingerprint(only.ids);
  const parts = sources.map(
    (s) => `${idsFingerprint(s.ids)}:${s.weight ?? ''}:${s.proportion ?? ''}:${s.repeat ?? ''}`,
  );
  return idsFingerprint(new TextEncoder().encode(`${parts.join(',')}|${epochSize ?? ''}`));
}
