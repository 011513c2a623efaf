import { NpyFormatError } from '../errors/index.js';

/** Element types gpu-ops reads from `.npy` files. */
export type NpyDtype = 'bool' | 'uint8' | 'int32' | 'int64' | 'float32' | 'float64';

/** A parsed `.npy` header. */
export interface NpyHeader {
  readonly dtype: NpyDtype;
  readonly littleEndian: boolean;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Byte offset of the first element from the start of the file. */
  readonly dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const TYPES: Record<string, { dtype: NpyDtype; size: number }> = {
  b1: { dtype: 'bool', size: 1 },
  u1: { dtype: 'uint8', size: 1 },
  i4: { dtype: 'int32', size: 4 },
  i8: { dtype: 'int64', size: 8 },
  f4: { dtype: 'float32', size: 4 },
  f8: { dtype: 'float64', size: 8 },
};

/** Bytes per element of a dtype. */
export function npyItemSize(dtype: NpyDtype): number {
  return Object.values(TYPES).find((t) => t.dtype === dtype)!.size;
}

/**
 * Parses the header of a NumPy `.npy` file, format versions 1.0, 2.0 and 3.0
 * (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new NpyFormatError('missing the \\x93NUMPY magic string (is this a .npy file?)');
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    throw new NpyFormatError(`format version ${major}.${bytes[7]} (expected 1, 2 or 3)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthSize) throw new NpyFormatError('truncated before the header length');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthSize + headerLength;
  if (dataOffset > bytes.length) {
    throw new NpyFormatError(
      `header says ${headerLength} bytes but the file ends at ${bytes.length}`,
    );
  }
  const decoder = new TextDecoder(major === 3 ? 'utf-8' : 'latin1');
  const text = decoder.decode(bytes.subarray(8 + lengthSize, dataOffset));
  return { ...headerFields(text), dataOffset };
}

function headerFields(text: string): Omit<NpyHeader, 'dataOffset'> {
  const dict = parsePythonLiteral(text.trim());
  if (!isRecord(dict)) throw new NpyFormatError(`header is not a dict: ${JSON.stringify(text)}`);
  const { descr, fortran_order: fortran, shape } = dict;
  if (typeof descr !== 'string')
    throw new NpyFormatError(`header 'descr' missing or not a string: ${text}`);
  if (typeof fortran !== 'boolean')
    throw new NpyFormatError(`header 'fortran_order' missing or not a bool: ${text}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new NpyFormatError(`header 'shape' missing or not a tuple of sizes: ${text}`);
  }
  const match = /^([<>|=])([a-z]\d+)$/.exec(descr);
  const type = match ? TYPES[match[2]!] : undefined;
  if (!match || !type) {
    throw new NpyFormatError(
      `dtype '${descr}' is not supported (supported: bool, uint8, int32, int64, float32, float64)`,
    );
  }
  // '|' marks single-byte types, '=' native order: both little-endian on every platform we run.
  return {
    dtype: type.dtype,
    littleEndian: match[1] !== '>',
    fortranOrder: fortran,
    shape: shape as number[],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/**
 * A strict reader of the Python literal subset numpy writes in headers:
 * dicts, strings, ints, tuples/lists, True/False/None. No eval.
 */
function parsePythonLiteral(text: string): PyValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new NpyFormatError(
      `malformed header at character ${pos} (${what}): ${JSON.stringify(text)}`,
    );
  };
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const value = (): PyValue => {
    skip();
    const ch = text[pos];
    if (ch === '{') return dict();
    if (ch === '(' || ch === '[') return sequence(ch === '(' ? ')' : ']');
    if (ch === "'" || ch === '"') return string(ch);
    const word = /^(True|False|None|-?\d+L?)/.exec(text.slice(pos));
    if (!word) return fail('expected a value');
    pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number.parseInt(word[0], 10);
  };
  const string = (quote: string): string => {
    const end = text.indexOf(quote, pos + 1);
    if (end < 0) fail('unterminated string');
    const out = text.slice(pos + 1, end);
    pos = end + 1;
    return out;
  };
  const sequence = (close: string): PyValue[] => {
    pos++;
    const items: PyValue[] = [];
    for (;;) {
      skip();
      if (text[pos] === close) break;
      items.push(value());
      skip();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
    }
    pos++;
    return items;
  };
  const dict = (): { [key: string]: PyValue } => {
    pos++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      skip();
      if (text[pos] === '}') break;
      const key = value();
      if (typeof key !== 'string') fail('dict keys must be strings');
      skip();
      if (text[pos] !== ':') fail("expected ':'");
      pos++;
      out[key as string] = value();
      skip();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== '}') fail("expected ',' or '}'");
    }
    pos++;
    return out;
  };
  const result = value();
  skip();
  if (pos !== text.length) fail('trailing characters');
  return result;
}
