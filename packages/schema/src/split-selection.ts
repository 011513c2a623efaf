import { CassdlValidationError, validationIssue } from './errors.js';
import type { SplitFile } from './split-file.js';
import { quoteList } from './split-file.js';
import type { LabelType } from './table.js';
import { packUuids } from './uuid.js';
import { describeReceived } from './validation/describe.js';

/** The reader fields a split file must agree with. */
export interface SplitSelection {
  readonly table: string;
  readonly idCol: string;
  readonly dataCol: string;
  readonly labelCol: string;
  readonly labelType: LabelType;
  readonly splitName?: string | undefined;
}

/** One way a reader's options disagree with a split file. */
export interface SplitMismatch {
  readonly key: keyof SplitSelection;
  readonly expected: string;
  readonly received: unknown;
}

/**
 * Where the reader's table, columns and split name disagree with the split
 * file: reading ids of one table from another would silently miss every row.
 */
export function splitMismatches(reader: SplitSelection, file: SplitFile): SplitMismatch[] {
  const out: SplitMismatch[] = [];
  const table = `${file.keyspace}.${file.dataTable}`;
  if (reader.table !== table) {
    out.push({
      key: 'table',
      expected: `"${table}" (the split file's data table)`,
      received: reader.table,
    });
  }
  for (const key of ['idCol', 'dataCol', 'labelCol', 'labelType'] as const) {
    if (key === 'labelCol' && file.labelType === 'none' && reader.labelType === 'none') continue;
    if (reader[key] !== file[key]) {
      out.push({
        key,
        expected: `"${file[key]}" (the split file's ${key})`,
        received: reader[key],
      });
    }
  }
  if (reader.splitName !== undefined && !(reader.splitName in file.splits)) {
    out.push({
      key: 'splitName',
      expected: `one of ${quoteList(Object.keys(file.splits))}`,
      received: reader.splitName,
    });
  }
  return out;
}

/**
 * The ids of the reader's split, packed 16 bytes each, after checking the
 * file matches the reader. For split files given as a path: read and
 * `parseSplitFile` the file, then call this.
 */
export function splitIdsForReader(reader: SplitSelection, file: SplitFile): Uint8Array {
  const mismatches = splitMismatches(reader, file);
  if (reader.splitName === undefined) {
    mismatches.push({
      key: 'splitName',
      expected: `one of ${quoteList(Object.keys(file.splits))}`,
      received: undefined,
    });
  }
  if (mismatches.length > 0) {
    const issues = mismatches.map((m) =>
      validationIssue(`reader.${m.key}`, m.expected, describeReceived(m.received)),
    );
    throw new CassdlValidationError(issues, 'reader options for this split file');
  }
  return packUuids(file.splits[reader.splitName as string] ?? []);
}
