import { CassdlPickleError } from '../pickle/errors.js';
import { NdArray, type PickleValue, PyTuple, PyUuid } from '../pickle/values.js';

/** The top-level dict of a plugin pickle, by string key; `what` names the file in errors. */
export function topDict(value: PickleValue, what: string): Map<string, PickleValue> {
  if (!(value instanceof Map))
    throw new CassdlPickleError(`${what}: expected a dict at the top, found ${describe(value)}`);
  const out = new Map<string, PickleValue>();
  for (const [k, v] of value) if (typeof k === 'string') out.set(k, v);
  return out;
}

/** A list, tuple or 1-D numpy array as its elements. */
export function elements(value: PickleValue, what: string): PickleValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof PyTuple) return value.items;
  if (value instanceof NdArray) {
    if (value.shape.length !== 1)
      throw new CassdlPickleError(`${what}: expected a 1-D array, found shape (${value.shape})`);
    return value.values;
  }
  throw new CassdlPickleError(`${what}: expected a list or array, found ${describe(value)}`);
}

/** UUID text of each element: `uuid.UUID` objects, or strings in UUID form. */
export function uuidList(value: PickleValue, what: string): string[] {
  return elements(value, what).map((v, i) => {
    if (v instanceof PyUuid) return v.text;
    if (typeof v === 'string') return v;
    throw new CassdlPickleError(`${what}[${i}]: expected a uuid.UUID, found ${describe(v)}`);
  });
}

/** Non-negative integer indices below `size`. */
export function indexList(value: PickleValue, what: string, size: number): number[] {
  return elements(value, what).map((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= size)
      throw new CassdlPickleError(
        `${what}[${i}]: expected an index into row_keys (0 to ${size - 1}), found ${describe(v)}`,
      );
    return v;
  });
}

/** An optional string field; `""` and None count as unset, as in the plugin. */
export function optionalString(dict: Map<string, PickleValue>, key: string): string | undefined {
  const v = dict.get(key);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function describe(value: PickleValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (value instanceof Map) return 'a dict';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof PyTuple) return 'a tuple';
  if (value instanceof PyUuid) return `uuid ${value.text}`;
  if (value instanceof NdArray) return `a numpy ${value.dtype?.descr ?? ''} array`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return `${typeof value} ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`;
}
