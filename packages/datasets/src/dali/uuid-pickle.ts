import { readFile, writeFile } from 'node:fs/promises';
import { CassdlPickleError } from '../pickle/errors.js';
import { readPickle } from '../pickle/read-pickle.js';
import { NdArray, PyTuple } from '../pickle/values.js';
import type { UuidFileFormat } from '../uuids/export-uuids.js';
import { topDict, uuidList } from './pickle-fields.js';

export interface ImportUuidsOptions {
  /** The plugin's id list: a `ListManager.save_rows` pickle (`{"row_keys": [...]}`) or a plain list of UUIDs. */
  readonly input: string;
  /** The id file to write (what `readUuidFile` and `--source-uuids` read). */
  readonly output: string;
  /** `text` (one id per line, the default) or `json`. */
  readonly format?: UuidFileFormat;
}

export interface ImportUuidsSummary {
  readonly ids: number;
  readonly output: string;
}

/** Converts a plugin id-list pickle to a cassdl id file, ids in the pickle's order. */
export async function importUuidPickle(o: ImportUuidsOptions): Promise<ImportUuidsSummary> {
  const ids = uuidsFromPickle(await readFile(o.input), o.input);
  const text =
    o.format === 'json' ? `${JSON.stringify(ids, null, 2)}\n` : ids.map((id) => `${id}\n`).join('');
  await writeFile(o.output, text);
  return { ids: ids.length, output: o.output };
}

export function uuidsFromPickle(bytes: Uint8Array, what: string): string[] {
  const value = readPickle(bytes, what);
  if (Array.isArray(value) || value instanceof PyTuple || value instanceof NdArray)
    return uuidList(value, what);
  const rowKeys = topDict(value, what).get('row_keys');
  if (rowKeys === undefined || rowKeys === null)
    throw new CassdlPickleError(
      `${what}: a dict without "row_keys": not an id list of cassandra-dali-plugin`,
    );
  return uuidList(rowKeys, `${what}: row_keys`);
}
