import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ChaosReport, formatDetails, formatTable, writeReport } from '../report.js';
import type { ScenarioResult } from '../scenarios/types.js';

const row = (over: Partial<ScenarioResult>): ScenarioResult => ({
  scenario: 'node-killed',
  engine: 'native',
  ooo: false,
  idsExpected: 2000,
  delivered: 2000,
  duplicated: 0,
  lost: 0,
  wrongRows: 0,
  retries: 29,
  outcome: 'pass',
  detail: 'epoch completed exactly once',
  elapsedMs: 1200,
  epochs: 1,
  ...over,
});

describe('the chaos report', () => {
  it('tabulates scenario, engine (with ooo), epochs, ids expected, delivered, duplicated, lost, retries, outcome', () => {
    const lines = formatTable([
      row({}),
      row({ engine: 'driver', ooo: true, delivered: 200, lost: 1800, retries: 0, outcome: 'fail' }),
      row({ scenario: 'cluster-restart', epochs: 2, idsExpected: 4000, delivered: 4000 }),
    ]).split('\n');
    expect(lines[0]).toMatch(
      /^\| scenario +\| engine +\| epochs \| ids expected \| delivered \| duplicated \| lost \| retries \| outcome \|$/,
    );
    expect(lines[2]?.split('|').map((c) => c.trim())).toEqual([
      '',
      'node-killed',
      'native',
      '1',
      '2000',
      '2000',
      '0',
      '0',
      '29',
      'pass',
      '',
    ]);
    expect(lines[3]).toContain('| driver ooo |');
    expect(lines[3]).toMatch(/\| 1800 +\| 0 +\| fail +\|$/);
    expect(lines[4]).toMatch(/^\| cluster-restart \| native +\| 2 +\| 4000 +\| 4000 +\|/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('writes report.json that reads back as the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cassdl-chaos-report-'));
    try {
      const report: ChaosReport = {
        version: 1,
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:05:00.000Z',
        cluster: { nodes: ['127.0.0.61', '127.0.0.62', '127.0.0.63'], port: 9042 },
        dataset: { rows: 2000, blobBytes: 4096 },
        native: { available: false, note: 'not built' },
        results: [row({ outcome: 'skipped', detail: 'not built' })],
      };
      const file = await writeReport(join(dir, 'chaos'), report);
      expect(file).toBe(join(dir, 'chaos', 'report.json'));
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(report);
      expect(formatDetails(report.results)).toBe('- node-killed / native: skipped: not built');
      expect(
        formatDetails([row({ observed: { victimReadsNextEpoch: 312, retriesEpoch1: 40 } })]),
      ).toBe(
        '- node-killed / native: pass: epoch completed exactly once (victimReadsNextEpoch=312, retriesEpoch1=40)',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
