import type { SplitFile } from '@cassdl/schema';

/** One line of `split show`: rows of one class in one split (class null: the split's total). */
export interface SplitCountRow {
  readonly split: string;
  readonly label: string | null;
  readonly count: number;
  /** Share of the split (class rows) or of all ids (totals). */
  readonly fraction: number;
}

/** Totals per split, then per class within each split when the file has class counts. */
export function splitCounts(file: SplitFile): SplitCountRow[] {
  const total = Object.values(file.splits).reduce((n, ids) => n + ids.length, 0);
  const rows: SplitCountRow[] = [];
  for (const [split, ids] of Object.entries(file.splits)) {
    rows.push({
      split,
      label: null,
      count: ids.length,
      fraction: total === 0 ? 0 : ids.length / total,
    });
    for (const [label, count] of Object.entries(file.classCounts?.[split] ?? {})) {
      rows.push({ split, label, count, fraction: ids.length === 0 ? 0 : count / ids.length });
    }
  }
  return rows;
}
