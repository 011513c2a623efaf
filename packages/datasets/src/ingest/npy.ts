/** Element types a multi-hot label can be stored as. */
export type NpyDtype = 'u1' | 'f4';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * A `.npy` v1.0 file holding a 1-D vector: `|u1` (one byte per tag) or `<f4`
 * (little-endian float32), shape `(n,)`. The header is padded with spaces so
 * the data starts at a multiple of 64 bytes, as numpy itself writes it;
 * gpu-ops and numpy both read it.
 */
export function encodeNpyVector(values: ArrayLike<number>, dtype: NpyDtype): Uint8Array {
  const descr = dtype === 'u1' ? '|u1' : '<f4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${values.length},), }`;
  const prefix = MAGIC.length + 2 + 2; // magic, version, header length
  const padded = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = `${header.padEnd(padded - prefix - 1, ' ')}\n`;
  const itemSize = dtype === 'u1' ? 1 : 4;
  const out = new Uint8Array(padded + values.length * itemSize);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, padded);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (dtype === 'u1') body.setUint8(i, v);
    else body.setFloat32(i * 4, v, true);
  }
  return out;
}

/** A multi-hot vector over `vocabulary` with ones at `tags`. */
export function multiHot(
  tags: readonly string[],
  vocabulary: ReadonlyMap<string, number>,
  size: number,
): Uint8Array {
  const out = new Uint8Array(size);
  for (const tag of tags) {
    const index = vocabulary.get(tag);
    if (index !== undefined) out[index] = 1;
  }
  return out;
}
