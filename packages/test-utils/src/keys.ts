/** 16-byte ids packed back to back, the layout `fetch` and `sourceUuids` take. */
export function concat(keys: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(keys.length * 16);
  keys.forEach((k, i) => {
    out.set(k, i * 16);
  });
  return out;
}
