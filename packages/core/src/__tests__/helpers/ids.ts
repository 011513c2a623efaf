/** `n` distinct fake ids: id `i` holds `i` big-endian in its last 4 bytes (first byte 0xAB). */
export function fakeIds(n: number): Uint8Array {
  const ids = new Uint8Array(n * 16);
  const view = new DataView(ids.buffer);
  for (let i = 0; i < n; i++) {
    ids[i * 16] = 0xab;
    view.setUint32(i * 16 + 12, i);
  }
  return ids;
}

/** Reads back the index `fakeIds` stored in each 16-byte key. */
export function fakeIndices(keys: Uint8Array): number[] {
  const view = new DataView(keys.buffer, keys.byteOffset, keys.byteLength);
  return Array.from({ length: keys.length / 16 }, (_, i) => view.getUint32(i * 16 + 12));
}
