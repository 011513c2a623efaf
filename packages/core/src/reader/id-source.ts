import { readFile } from 'node:fs/promises';
import {
  CassdlValidationError,
  packUuids,
  parseSplitFile,
  type ReaderOptions,
  type SplitFile,
} from '@cassdl/schema';

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

async function readSplitFile(path: string): Promise<SplitFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(
      'reader.splitFile',
      'a readable split file',
      `${JSON.stringify(path)} (${reason})`,
    );
  }
  return parseSplitFile(text);
}

function invalid(path: string, expected: string, received: string): CassdlValidationError {
  const message = `${path}: expected ${expected}, received ${received}`;
  return new CassdlValidationError([{ path, expected, received, message }], 'reader options');
}
