import { readFile, writeFile } from 'node:fs/promises';
import {
  type LabelType,
  parseSplitFile,
  SPLIT_FILE_VERSION,
  type SplitFile,
  serializeSplitFile,
} from '@cassdl/schema';
import { CassdlPickleError } from '../pickle/errors.js';
import { readPickle } from '../pickle/read-pickle.js';
import {
  describe,
  elements,
  indexList,
  optionalString,
  topDict,
  uuidList,
} from './pickle-fields.js';

export interface ImportSplitOptions {
  /** The plugin's split pickle (`save_splits`). */
  readonly input: string;
  /** Write the split file here. */
  readonly output?: string;
  /** Names of the splits, in the pickle's order. Default `train,val` (2), `train,val,test` (3), else `split0`, ... */
  readonly names?: readonly string[];
  /** Keyspace of the tables. Default: the one in the pickle's `data_table` (required when it has none). */
  readonly keyspace?: string;
}

/**
 * The plugin's split pickle as a cassdl split file: `split[i]` holds indices
 * into `row_keys`, and becomes the ids of split `names[i]`, in the same
 * order, so the assignment is kept exactly (never re-drawn with another
 * PRNG). Tables and columns come from the pickle's `data_table`, `data_*_col`
 * and `label_type`.
 */
export async function importSplitPickle(o: ImportSplitOptions): Promise<SplitFile> {
  const file = splitFileFromPickle(await readFile(o.input), o.input, o);
  if (o.output !== undefined) await writeFile(o.output, serializeSplitFile(file));
  return file;
}

export function splitFileFromPickle(
  bytes: Uint8Array,
  what: string,
  o: Pick<ImportSplitOptions, 'names' | 'keyspace'> = {},
): SplitFile {
  const dict = topDict(readPickle(bytes, what), what);
  const rowKeys = uuidList(required(dict, 'row_keys', what), `${what}: row_keys`);
  const parts = elements(required(dict, 'split', what), `${what}: split`);
  const names = o.names ?? defaultNames(parts.length);
  if (names.length !== parts.length)
    throw new CassdlPickleError(
      `${what}: the pickle has ${parts.length} splits, --names gives ${names.length} (${names.join(',')})`,
    );
  const splits: Record<string, string[]> = {};
  parts.forEach((part, i) => {
    const indices = indexList(part, `${what}: split[${i}]`, rowKeys.length);
    splits[names[i] as string] = indices.map((k) => rowKeys[k] as string);
  });
  const [keyspace, dataTable] = qualified(required(dict, 'data_table', what), o.keyspace, what);
  const metadata = optionalString(dict, 'metadata_table');
  return parseSplitFile({
    version: SPLIT_FILE_VERSION,
    keyspace,
    dataTable,
    metadataTable: metadata === undefined ? dataTable : (metadata.split('.').pop() as string),
    idCol: optionalString(dict, 'data_id_col') ?? metadataIdCol(dict) ?? 'id',
    dataCol: optionalString(dict, 'data_col') ?? 'data',
    labelCol:
      optionalString(dict, 'data_label_col') ??
      optionalString(dict, 'metadata_label_col') ??
      'label',
    labelType: labelType(dict),
    splits,
  });
}

/** `metadata_id_col`, spelled `medadata_id_col` by some plugin releases. */
function metadataIdCol(dict: Map<string, unknown>): string | undefined {
  for (const key of ['metadata_id_col', 'medadata_id_col']) {
    const v = dict.get(key);
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

function defaultNames(n: number): string[] {
  if (n === 2) return ['train', 'val'];
  if (n === 3) return ['train', 'val', 'test'];
  return Array.from({ length: n }, (_, i) => `split${i}`);
}

function required(dict: Map<string, ReturnType<typeof readPickle>>, key: string, what: string) {
  const v = dict.get(key);
  if (v === undefined)
    throw new CassdlPickleError(
      `${what}: no "${key}" in the pickle (keys: ${[...dict.keys()].join(', ')}); is it a split file of cassandra-dali-plugin?`,
    );
  return v;
}

function qualified(value: unknown, keyspace: string | undefined, what: string): [string, string] {
  if (typeof value !== 'string' || value === '')
    throw new CassdlPickleError(
      `${what}: data_table is ${describe(value as never)}, expected "keyspace.table"`,
    );
  const parts = value.split('.');
  if (parts.length === 2) return [keyspace ?? (parts[0] as string), parts[1] as string];
  if (parts.length === 1 && keyspace !== undefined) return [keyspace, value];
  throw new CassdlPickleError(
    `${what}: data_table "${value}" is not "keyspace.table"; pass --keyspace`,
  );
}

/** The plugin's `int` / `image` / `blob` / `none`; `image` (masks) is cassdl's `blob`. */
function labelType(dict: Map<string, unknown>): LabelType {
  const v = dict.get('label_type');
  if (v === 'image') return 'blob';
  if (v === 'int' || v === 'blob' || v === 'none') return v;
  return 'int';
}
