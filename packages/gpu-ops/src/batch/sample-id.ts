const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The 16-byte id of row `index` of a batch as a canonical UUID string. */
export function formatSampleId(ids: Uint8Array, index: number): string {
  const base = index * 16;
  if (base + 16 > ids.length) return `<row ${index}: no id>`;
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[ids[base + i]!];
  }
  return out;
}
