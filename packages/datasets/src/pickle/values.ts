import { formatUuid } from '@cassdl/schema';
import { CassdlPickleError } from './errors.js';

/**
 * What the safe pickle reader produces. Python dicts become `Map`s (their
 * keys may be any hashable), lists arrays, tuples `PyTuple`, ints `number`
 * (or `bigint` past 2^53), str `string`, bytes `Uint8Array`, `uuid.UUID` a
 * `PyUuid`, numpy arrays an `NdArray`. Nothing else can be built: the reader
 * knows only the constructors in `ALLOWED_GLOBALS`, and none of them runs code.
 */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PyTuple
  | Map<PickleValue, PickleValue>
  | PyUuid
  | NdArray
  | NpDtype
  | PickleGlobal;

export class PyTuple {
  constructor(readonly items: PickleValue[]) {}
}

/** A `uuid.UUID`, filled in by BUILD with its `{'int': n}` state. */
export class PyUuid {
  text = '';

  setState(state: PickleValue): void {
    const dict = state instanceof PyTuple ? state.items[0] : state;
    const n = dict instanceof Map ? dict.get('int') : undefined;
    if (typeof n !== 'bigint' && typeof n !== 'number')
      throw new CassdlPickleError('a uuid.UUID without its 128-bit int state');
    let v = BigInt(n);
    const bytes = new Uint8Array(16);
    for (let i = 15; i >= 0; i--) {
      bytes[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.text = formatUuid(bytes, 0);
  }
}

/** A numpy dtype; only the descriptor and byte order matter here. */
export class NpDtype {
  order = '<';
  constructor(readonly descr: string) {}

  setState(state: PickleValue): void {
    const order = state instanceof PyTuple ? state.items[1] : undefined;
    if (typeof order === 'string') this.order = order;
  }
}

/** A numpy array: integers (any width, either byte order) or objects (e.g. UUIDs). */
export class NdArray {
  dtype: NpDtype | null = null;
  shape: number[] = [];
  values: PickleValue[] = [];

  /** `ndarray.__setstate__`: (version, shape, dtype, is_fortran, data bytes or object list). */
  setState(state: PickleValue): void {
    const items = state instanceof PyTuple ? state.items : [];
    const [shape, dtype, , data] = items.length === 5 ? items.slice(1) : items;
    if (!(shape instanceof PyTuple) || !(dtype instanceof NpDtype))
      throw new CassdlPickleError('a numpy array whose state is not (shape, dtype, ..., data)');
    this.fill(dtype, shape.items.map(Number), data ?? null);
  }

  fill(dtype: NpDtype, shape: number[], data: PickleValue): void {
    this.dtype = dtype;
    this.shape = shape;
    if (Array.isArray(data)) this.values = data;
    else if (data instanceof Uint8Array) this.values = decodeNumbers(dtype, data);
    else throw new CassdlPickleError(`a numpy array of dtype ${dtype.descr} without data`);
  }
}

/** Integer (and empty float) arrays from their raw bytes. */
function decodeNumbers(dtype: NpDtype, bytes: Uint8Array): number[] {
  const match = /^([iuf])(\d)$/.exec(dtype.descr);
  if (match === null)
    throw new CassdlPickleError(
      `a numpy array of dtype ${dtype.descr}; only integer arrays are read`,
    );
  const kind = match[1] as string;
  const size = Number(match[2]);
  if (bytes.length % size !== 0)
    throw new CassdlPickleError(`a numpy ${dtype.descr} array of ${bytes.length} bytes`);
  const count = bytes.length / size;
  if (kind === 'f' && count > 0)
    throw new CassdlPickleError('a numpy float array; index arrays must be integers');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = dtype.order !== '>';
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = readInt(view, i * size, kind, size, little);
  return out;
}

function readInt(view: DataView, at: number, kind: string, size: number, little: boolean): number {
  const signed = kind === 'i';
  if (size === 1) return signed ? view.getInt8(at) : view.getUint8(at);
  if (size === 2) return signed ? view.getInt16(at, little) : view.getUint16(at, little);
  if (size === 4) return signed ? view.getInt32(at, little) : view.getUint32(at, little);
  if (size === 8) {
    const v = signed ? view.getBigInt64(at, little) : view.getBigUint64(at, little);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
      throw new CassdlPickleError(`an integer ${v} too large for an index`);
    return Number(v);
  }
  throw new CassdlPickleError(`a numpy integer of ${size} bytes`);
}

/** A callable the pickle may name, applied to its argument tuple (REDUCE) or class (NEWOBJ). */
export type PickleGlobal =
  | { readonly kind: 'call'; readonly call: (args: PickleValue[]) => PickleValue }
  | { readonly kind: 'class'; readonly create: () => PickleValue }
  | { readonly kind: 'marker'; readonly name: string };

const reconstruct: PickleGlobal = { kind: 'call', call: () => new NdArray() };
const frombuffer: PickleGlobal = {
  kind: 'call',
  call: ([buffer, dtype, shape]) => {
    if (!(dtype instanceof NpDtype) || !(shape instanceof PyTuple))
      throw new CassdlPickleError('numpy _frombuffer without a dtype and shape');
    const array = new NdArray();
    array.fill(dtype, shape.items.map(Number), buffer ?? null);
    return array;
  },
};
const scalar: PickleGlobal = {
  kind: 'call',
  call: ([dtype, bytes]) => {
    if (!(dtype instanceof NpDtype) || !(bytes instanceof Uint8Array))
      throw new CassdlPickleError('a numpy scalar without a dtype and bytes');
    return decodeNumbers(dtype, bytes)[0] ?? null;
  },
};

/**
 * The only globals a pickle may name, by `module name`: numpy's array and
 * dtype reconstruction (numpy 1 `numpy.core` and numpy 2 `numpy._core`),
 * `uuid.UUID`, and `_codecs.encode` (how protocol 2 stores bytes). Each
 * builds a value; none imports or runs anything.
 */
export const ALLOWED_GLOBALS: ReadonlyMap<string, PickleGlobal> = new Map<string, PickleGlobal>([
  ['numpy.core.multiarray _reconstruct', reconstruct],
  ['numpy._core.multiarray _reconstruct', reconstruct],
  ['numpy.core.numeric _frombuffer', frombuffer],
  ['numpy._core.numeric _frombuffer', frombuffer],
  ['numpy.core.multiarray scalar', scalar],
  ['numpy._core.multiarray scalar', scalar],
  ['numpy ndarray', { kind: 'marker', name: 'numpy.ndarray' }],
  [
    'numpy dtype',
    {
      kind: 'call',
      call: ([descr]) => {
        if (typeof descr !== 'string') throw new CassdlPickleError('a numpy dtype without a name');
        return new NpDtype(descr);
      },
    },
  ],
  ['uuid UUID', { kind: 'class', create: () => new PyUuid() }],
  ['uuid SafeUUID', { kind: 'call', call: () => null }],
  [
    '_codecs encode',
    {
      kind: 'call',
      call: ([text]) => {
        if (typeof text !== 'string') throw new CassdlPickleError('_codecs.encode of a non-string');
        return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
      },
    },
  ],
]);
