import {
  CassdlValidationError,
  packUuids,
  type ReaderOptions,
  type SplitFile,
} from '@cassdl/schema';
import type { PlanSource } from '../plan/epoch-plan.js';
import { readSplitFile } from './split-file.js';

/** One id list the reader plans over, with the table it lives in and its share of each epoch. */
export interface ResolvedSource extends PlanSource {
  /** Shown in metrics and `plan show`. */
  readonly name: string;
  /** `keyspace.table`. */
  readonly table: string;
}

/**
 * The id lists the reader plans over: the `sources` of a weighted mix, or
 * the one top-level id list. Null in interactive mode.
 */
export async function resolveSources(options: ReaderOptions): Promise<ResolvedSource[] | null> {
  if (options.sources === undefined) {
    const ids = await resolveIds(options);
    return ids === null ? null : [{ ids, name: options.table, table: options.table }];
  }
  const names = sourceNames(options);
  return Promise.all(
    options.sources.map(async (s, i) => {
      const table = s.table ?? options.table;
      const at = `reader.sources[${i}]`;
      const ids =
        s.sourceUuids ??
        (await splitIds(s.splitFile as string | SplitFile, s.splitName as string, table, at));
      return {
        ids,
        name: names[i] as string,
        table,
        weight: s.weight,
        proportion: s.proportion,
        repeat: s.repeat,
      };
    }),
  );
}

/** Each source's name: given, or its table (with `#i` where a table is used twice). */
function sourceNames(options: ReaderOptions): string[] {
  const tables = (options.sources ?? []).map((s) => s.table ?? options.table);
  return (options.sources ?? []).map((s, i) => {
    const table = tables[i] as string;
    return (
      s.name ?? (tables.indexOf(table) === tables.lastIndexOf(table) ? table : `${table}#${i}`)
    );
  });
}

/**
 * The packed id list the reader plans over: `sourceUuids` as given (schema
 * already packed it), or one split of a split file (read here if given as a
 * path). Null in interactive mode, where the caller passes ids to `fetch()`.
 */
export async function resolveIds(options: ReaderOptions): Promise<Uint8Array | null> {
  if (options.sourceUuids !== undefined) return options.sourceUuids;
  if (options.splitFile === undefined || options.splitName === undefined) return null;
  return splitIds(options.splitFile, options.splitName, options.table, 'reader');
}

/** One split of a split file (read here if given as a path), checked to be of `table`. */
async function splitIds(
  splitFile: string | SplitFile,
  splitName: string,
  table: string,
  at: string,
): Promise<Uint8Array> {
  const file =
    typeof splitFile === 'string' ? await readSplitFile(splitFile, `${at}.splitFile`) : splitFile;
  const fileTable = `${file.keyspace}.${file.dataTable}`;
  if (fileTable !== table) {
    throw invalid(
      `${at}.table`,
      `"${fileTable}" (the split file's data table)`,
      JSON.stringify(table),
    );
  }
  const ids = file.splits[splitName];
  if (ids === undefined) {
    const names = Object.keys(file.splits)
      .map((n) => JSON.stringify(n))
      .join(', ');
    throw invalid(`${at}.splitName`, `one of ${names}`, JSON.stringify(splitName));
  }
  return packUuids(ids);
}

function invalid(path: string, expected: string, received: string): CassdlValidationError {
  const message = `${path}: expected ${expected}, received ${received}`;
  return new CassdlValidationError([{ path, expected, received, message }], 'reader options');
}
