import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochPlanSummary } from '@cassdl/core';
import { sourcesFingerprint } from '@cassdl/core/plan';
import { packUuids } from '@cassdl/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../__tests__/helpers/capture-io.js';
import { buildProgram } from '../../program.js';

const uuid = (prefix: string, i: number) =>
  `${prefix}-0000-4000-8000-${String(i).padStart(12, '0')}`;
let dir: string;
let sourcesFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cassdl-plan-'));
  sourcesFile = join(dir, 'sources.json');
  await writeFile(
    sourcesFile,
    JSON.stringify([
      {
        table: 'ks.a',
        sourceUuids: Array.from({ length: 50 }, (_, i) => uuid('6f1c0e4a', i)),
        weight: 0.7,
      },
      {
        table: 'ks.b',
        sourceUuids: Array.from({ length: 20 }, (_, i) => uuid('0b1d0e4a', i)),
        weight: 0.3,
      },
    ]),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `cassdl plan show ARGS`; returns what it printed. */
async function show(args: string[]) {
  const c = captureIo();
  await buildProgram(c.io).parseAsync(['node', 'cassdl', 'plan', 'show', ...args]);
  return { stdout: c.stdout(), stderr: c.stderr() };
}

describe('cassdl plan show', () => {
  it('prints per-source counts, per-shard sizes and the first ids of a weighted mix', async () => {
    const io = await show([
      '--sources',
      sourcesFile,
      '--epoch-size',
      '1000',
      '--num-shards',
      '3',
      '--batch-size',
      '16',
      '--first',
      '2',
    ]);
    const text = io.stdout;
    expect(io.stderr).toBe('');
    expect(text).toMatch(/ks\.a\s+ks\.a\s+50\s+700\s+70\.0%/);
    expect(text).toMatch(/ks\.b\s+ks\.b\s+20\s+300\s+30\.0%/);
    expect(text).toMatch(/3 shard\(s\) x 21 batch\(es\) of 16/);
    expect(text).toMatch(/^0\s+333\s+3\s+\S+ \(ks\.[ab]\) \S+ \(ks\.[ab]\)$/m);
  });

  it('--json: the shards cover the epoch, and a resume from saved states shows what is left', async () => {
    const io = await show([
      '--sources',
      sourcesFile,
      '--num-shards',
      '4',
      '--batch-size',
      '5',
      '--seed',
      '9',
      '--json',
    ]);
    const plan = JSON.parse(io.stdout) as EpochPlanSummary;
    expect(plan.shards.reduce((t, s) => t + s.samples, 0)).toBe(70);
    const base = {
      version: 2,
      seed: 9,
      epoch: 0,
      numShards: 4,
      batchSize: 5,
      shuffleEveryEpoch: true,
      padLastBatch: true,
      epochSize: 70,
      remaining: [[0, 70]],
      window: [],
      sampleInEpoch: 0,
    };
    // Four shards each delivered their first 10 rows (2 batches of 5).
    const states = [0, 1, 2, 3].map((shardId) => ({
      ...base,
      shardId,
      delivered: 10,
      datasetSize: 70,
      datasetFingerprint: FINGERPRINT,
    }));
    const statesFile = join(dir, 'states.json');
    await writeFile(statesFile, JSON.stringify(states));
    const resumed = await show([
      '--sources',
      sourcesFile,
      '--num-shards',
      '3',
      '--batch-size',
      '5',
      '--seed',
      '9',
      '--resume',
      statesFile,
      '--json',
    ]);
    expect(resumed.stderr).toBe('');
    const after = JSON.parse(resumed.stdout) as EpochPlanSummary;
    expect(after.remaining).toBe(30);
    expect(after.shards.map((s) => s.samples)).toEqual([10, 10, 10]);
  });

  it('names the flag of an unreadable file', async () => {
    const io = await show(['--sources', join(dir, 'missing.json')]);
    expect(io.stderr).toMatch(/--sources: expected a readable JSON file/);
    process.exitCode = 0;
  });
});

let FINGERPRINT = '';
beforeAll(() => {
  // The sources' fingerprint, as a reader would have saved it.
  FINGERPRINT = sourcesFingerprint(
    [
      { ids: packUuids(Array.from({ length: 50 }, (_, i) => uuid('6f1c0e4a', i))), weight: 0.7 },
      { ids: packUuids(Array.from({ length: 20 }, (_, i) => uuid('0b1d0e4a', i))), weight: 0.3 },
    ],
    undefined,
  );
});
