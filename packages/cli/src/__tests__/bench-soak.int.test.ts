import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBench } from '@cassdl/bench';
import { probeNative } from '@cassdl/core';
import { CassdlValidationError, type ConnectionOptionsInput } from '@cassdl/schema';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBenchCommand } from '../commands/bench.js';
import { captureIo } from './helpers/capture-io.js';
import {
  dropKeyspaces,
  removeDir,
  tempDir,
  testConnectionInput,
  testKeyspace,
} from './helpers/fixtures.js';

// Issue 8: a soak must not grow memory after warm-up nor leave sockets,
// descriptors or threads behind after close(). Figures on memory and
// resources are behaviour; throughput and times are not asserted.
const DURATION_SEC = 60;
const ROWS = 2000;
const ROW_BYTES = 16 * 1024;
const BATCH = 64;

const native = await probeNative();
const engine = native.available ? 'native' : 'driver';
const engineNote = native.available
  ? 'native engine'
  : `driver engine (native does not load: ${native.causes.join('; ')})`;

let connection: ConnectionOptionsInput;
let dir: string;
const ks = testKeyspace('soak');

beforeAll(async () => {
  connection = await testConnectionInput();
  dir = await tempDir();
}, 120_000);

afterAll(async () => {
  if (connection !== undefined) await dropKeyspaces(connection, [ks]);
  if (dir !== undefined) await removeDir(dir);
}, 60_000);

describe('cassdl bench --duration (soak)', () => {
  it(`${engineNote}: ${DURATION_SEC} s of epochs keep RSS within 10% after warm-up and close() leaks no fd, socket or thread`, async () => {
    const json = join(dir, 'soak.json');
    const c = captureIo({
      CASSDL_CONTACT_POINTS: (connection.contactPoints ?? []).join(','),
      CASSDL_PORT: String(connection.port ?? 9042),
    });
    const program = new Command();
    registerBenchCommand(program, c.io);
    await program.parseAsync(
      [
        'bench',
        '--keyspace',
        ks,
        '--samples',
        String(ROWS),
        '--blob-size',
        String(ROW_BYTES),
        '--engine',
        engine,
        '--batch-size',
        String(BATCH),
        '--duration',
        String(DURATION_SEC),
        '--json',
        json,
      ],
      { from: 'user' },
    );
    expect(c.stderr()).not.toContain('cassdl bench:');
    expect(c.stderr()).toMatch(new RegExp(`soak ${engine}: \\d+/${DURATION_SEC} s`));
    expect(c.stdout()).toMatch(/RSS after warm-up/);

    const results = JSON.parse(await readFile(json, 'utf8'));
    expect(results.runs).toHaveLength(1);
    const run = results.runs[0];
    expect(run).toMatchObject({ engine, latencyMs: null, durationSec: DURATION_SEC });
    // It looped: more than one epoch's rows, every epoch whole batches (the 2000 % 64 tail dropped).
    expect(run.epochs).toBeGreaterThanOrEqual(1);
    expect(run.samples).toBeGreaterThan(Math.floor(ROWS / BATCH) * BATCH);
    expect(run.samples % BATCH).toBe(0);
    expect(run.bytes).toBe(run.samples * ROW_BYTES);

    // Warm-up: the first 40% (more if the first epoch took longer), leaving room for both windows.
    expect(run.warmupSec).toBeGreaterThanOrEqual(0.4 * DURATION_SEC);
    expect(run.warmupSec).toBeLessThanOrEqual(0.6 * DURATION_SEC);
    expect(run.rssAfterWarmupBytes).toBeGreaterThan(0);
    expect(run.rssEndBytes).toBeGreaterThan(0);
    expect(run.rssGrowth).toBeCloseTo(run.rssEndBytes / run.rssAfterWarmupBytes - 1, 9);
    const figures = JSON.stringify({
      epochs: run.epochs,
      warmupSec: run.warmupSec,
      rssAfterWarmupBytes: run.rssAfterWarmupBytes,
      rssEndBytes: run.rssEndBytes,
      leaks: run.leaks,
    });
    expect(run.rssGrowth, figures).toBeLessThan(0.1);

    // Counted after close() against the counts just before the reader opened
    // (the libuv pool and the addon, which live for the process, were up by then).
    expect(run.leaks).toEqual({
      fds: expect.any(Number),
      sockets: expect.any(Number),
      threads: expect.any(Number),
    });
    expect(run.leaks.fds, figures).toBeLessThanOrEqual(0);
    expect(run.leaks.sockets, figures).toBeLessThanOrEqual(0);
    expect(run.leaks.threads, figures).toBeLessThanOrEqual(0);
  }, 300_000);

  it('refuses a soak of plain or of fewer samples than a batch, before touching the network', async () => {
    const attempt = runBench({
      connection: { contactPoints: ['127.0.0.1:1'] },
      engines: ['driver', 'plain'],
      samples: 10,
      batchSize: 64,
      durationSec: 5,
    });
    await expect(attempt).rejects.toBeInstanceOf(CassdlValidationError);
    await expect(attempt).rejects.toThrow(
      /bench\.engines: .*plain and floor have no reader to soak/,
    );
    await expect(attempt).rejects.toThrow(/bench\.samples: .*at least batchSize \(64\)/);
  });
});
