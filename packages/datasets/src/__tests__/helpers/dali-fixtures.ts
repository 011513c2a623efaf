import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder of fixtures made by the plugin's own Python code (see make_fixtures.py there). */
export const DALI_FIXTURES = fileURLToPath(new URL('../../../fixtures/dali/', import.meta.url));

export interface DaliDataset {
  readonly data: { id: string; label: number; data: string }[];
  readonly metadata: { id: string; label: number; or_label: string; or_split: string }[];
  /** Each split's ids as the plugin resolves them: row_keys[split[i]]. */
  readonly splits: { train: string[]; val: string[] };
  /** The ids of MiniListManager.save_rows, in order. */
  readonly rows: string[];
}

export function daliDataset(): DaliDataset {
  return JSON.parse(readFileSync(`${DALI_FIXTURES}dataset.json`, 'utf8')) as DaliDataset;
}
