import { CassdlValidationError, packUuids, type ReaderOptions } from '@cassdl/schema';
import { readSplitFile } from './split-file.js';

/**
 * The packed id list the reader plans over: `sourceUuids` as given (schema
 * already packed it), or one split of a split file (read here if given as a
 * path). Null in interactive mode, where the caller passes ids to `fetch()`.
 */
export async function resolveIds(options: ReaderOptions): Promise<Uint8Array | null> {
  if (options.sourceUuids !== undefined) return options.sourceUuids;
  if (options.splitFile === undefined || options.splitName === undefined) return null;
  const file =
    typeof options.splitFile === 'string'
      ? await readSplitFile(options.splitFile)
      : options.splitFile;
  const table = `${file.keyspace}.${file.dataTable}`;
  if (table !== options.table) {
    throw invalid(
      'reader.table',
      `"${table}" (the split file's data table)`,
      JSON.stringify(options.table),
    );
  }
  const ids = file.splits[options.splitName];
  if (ids === undefined) {
    const names = Object.keys(file.splits)
      .map((n) => JSON.stringify(n))
      .join(', ');
    throw invalid('reader.splitName', `one of ${names}`, JSON.stringify(options.splitName));
  }
  return packUuids(ids);
}

function invalid(path: string, expected: string, received: string): CassdlValidationError {
  const message = `${path}: expected ${expected}, received ${received}`;
  return new CassdlValidationError([{ path, expected, received, message }], 'reader options');
}
