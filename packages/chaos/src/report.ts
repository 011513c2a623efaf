import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from './scenarios/types.js';

/** `chaos/report.json`: the run and one row per scenario × engine × ordering. */
export interface ChaosReport {
  readonly version: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly cluster: { readonly nodes: readonly string[]; readonly port: number };
  readonly dataset: { readonly rows: number; readonly blobBytes: number };
  /** Whether the native engine loaded, and if not why (its scenarios are then skipped). */
  readonly native: { readonly available: boolean; readonly note: string };
  readonly results: readonly ScenarioResult[];
}

const COLUMNS = [
  'scenario',
  'engine',
  'epochs',
  'ids expected',
  'delivered',
  'duplicated',
  'lost',
  'retries',
  'outcome',
];

/**
 * The short table for a terminal or a PR comment. `ids expected` and the
 * counts after it add up every epoch a scenario read with its one reader.
 */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => [
    r.scenario,
    `${r.engine}${r.ooo ? ' ooo' : ''}`,
    String(r.epochs),
    String(r.idsExpected),
    String(r.delivered),
    String(r.duplicated),
    String(r.lost),
    String(r.retries),
    r.outcome,
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(COLUMNS),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** Writes `report.json` into `outDir` (the table is for the terminal: `formatTable`). */
export async function writeReport(outDir: string, report: ChaosReport): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, 'report.json');
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** One line per row: the outcome and why (and what it observed), for the lines under the table. */
export function formatDetails(results: readonly ScenarioResult[]): string {
  return results
    .map((r) => {
      const observed = Object.entries(r.observed ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      const line = `- ${r.scenario} / ${r.engine}${r.ooo ? ' ooo' : ''}: ${r.outcome}: ${r.detail}`;
      return observed === '' ? line : `${line} (${observed})`;
    })
    .join('\n');
}
