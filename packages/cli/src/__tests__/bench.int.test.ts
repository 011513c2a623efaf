import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBench } from '@cassdl/bench';
import type { ConnectionOptionsInput } from '@cassdl/schema';
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

const RUN_FIELDS = [
  'engine',
  'latencyMs',
  'samples',
  'bytes',
  'wallSec',
  'samplesPerSec',
  'bytesPerSec',
  'clientCpuSec',
  'mainThreadCpuSec',
  'cpuSecPer1kSamples',
  'stallFraction',
  'peakRssBytes',
  'gcSec',
  'batchSize',
  'inflightTarget',
  'prefetchTarget',
  'controllerReason',
  'controllerRttMs',
  't90Sec',
  'rttP50Ms',
  'rttP99Ms',
  'memoryBudgetBytes',
  'peakHeldBytes',
  'vsZeroMs',
];

let connection: ConnectionOptionsInput;
let dir: string;
const ks = testKeyspace('bench');

beforeAll(async () => {
  connection = await testConnectionInput();
  dir = await tempDir();
}, 120_000);

afterAll(async () => {
  await dropKeyspaces(connection, [ks]);
  await removeDir(dir);
}, 60_000);

describe('cassdl bench', () => {
  // A batch size dividing 200: the reader drops a last partial batch when padLastBatch is off.
  it('runs two engines on a tiny dataset and writes the JSON fields and a plot', async () => {
    const json = join(dir, 'bench.json');
    const plot = join(dir, 'bench.svg');
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
        '200',
        '--blob-size',
        '4096',
        '--engine',
        'driver,plain,floor',
        '--batch-size',
        '40',
        '--memory-budget',
        '64MiB',
        '--json',
        json,
        '--plot',
        plot,
      ],
      { from: 'user' },
    );
    expect(c.stderr()).not.toContain('cassdl bench:');
    const results = JSON.parse(await readFile(json, 'utf8'));
    expect(Object.keys(results).sort()).toEqual(['machine', 'runs', 'server']);
    // The floor (loopback TCP, nothing else) runs first, once.
    expect(results.runs.map((r: { engine: string }) => r.engine)).toEqual([
      'floor',
      'driver',
      'plain',
    ]);
    for (const run of results.runs) {
      expect(Object.keys(run).sort()).toEqual([...RUN_FIELDS].sort());
      expect(run).toMatchObject({ latencyMs: null, samples: 200, bytes: 200 * 4096 });
      expect(run.samplesPerSec).toBeCloseTo(200 / run.wallSec, 6);
      expect(run.cpuSecPer1kSamples).toBeCloseTo((run.clientCpuSec * 1000) / 200, 6);
      expect(run.peakRssBytes).toBeGreaterThan(0);
      expect(run.gcSec).toBeGreaterThanOrEqual(0);
      expect(run.gcSec).toBeLessThanOrEqual(run.wallSec);
    }
    expect(results.runs[0].stallFraction).toBeNull();
    expect(results.runs[1].stallFraction).toBeGreaterThanOrEqual(0);
    expect(results.runs[2].stallFraction).toBeNull();
    // The reader run says what its controller decided (with the reader's defaults) and what it measured.
    const [floor, driver, plain] = results.runs;
    expect(floor).toMatchObject({ batchSize: null, inflightTarget: null, vsZeroMs: null });
    expect(plain).toMatchObject({ batchSize: 40, controllerReason: null, t90Sec: null });
    expect(driver.batchSize).toBe(40);
    expect(driver.inflightTarget).toBeGreaterThan(0);
    expect(['startup', 'link', 'budget', 'server', 'limit']).toContain(driver.controllerReason);
    expect(driver.rttP99Ms).toBeGreaterThanOrEqual(driver.rttP50Ms);
    expect(driver.memoryBudgetBytes).toBe(64 * 2 ** 20);
    expect(driver.peakHeldBytes).toBeLessThanOrEqual(driver.memoryBudgetBytes);
    expect(driver.vsZeroMs).toBeNull(); // direct: no +0 ms run to compare with
    expect(results.machine.cpus).toBeGreaterThan(0);
    expect(results.server.releaseVersion).toMatch(/^\d+\.\d+/);
    expect(c.stdout()).toMatch(/driver\s+40\s+direct/);
    const svg = await readFile(plot, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg.match(/<rect x=/g)?.length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it("--dali-options takes the plugin's connection and tuning; an explicit flag wins", async () => {
    const json = join(dir, 'bench-dali.json');
    const daliFile = join(dir, 'dali.json');
    await writeFile(
      daliFile,
      JSON.stringify({
        cassandra_ips: connection.contactPoints,
        cassandra_port: connection.port ?? 9042,
        table: 'ignored.by_bench',
        batch_size: 20,
        prefetch_buffers: 3,
        ooo: false,
      }),
    );
    // No CASSDL_* variables: the connection comes from the file.
    const c = captureIo({});
    const program = new Command();
    registerBenchCommand(program, c.io);
    const args = ['bench', '--keyspace', ks, '--samples', '200', '--blob-size', '4096'];
    const rest = ['--engine', 'driver', '--dali-options', daliFile, '--json', json];
    await program.parseAsync([...args, ...rest], { from: 'user' });
    expect(c.stderr()).toContain('cassdl reader options: ');
    const [fromFile] = JSON.parse(await readFile(json, 'utf8')).runs;
    expect(fromFile.batchSize).toBe(20);
    expect(fromFile.prefetchTarget).toBeLessThanOrEqual(3);

    const again = new Command();
    registerBenchCommand(again, captureIo({}).io);
    await again.parseAsync([...args, '--batch-size', '40', ...rest], { from: 'user' });
    const [flagged] = JSON.parse(await readFile(json, 'utf8')).runs;
    expect(flagged.batchSize).toBe(40);
    expect(flagged.prefetchTarget).toBeLessThanOrEqual(3);
  }, 180_000);

  it('reuses the dataset and runs through Toxiproxy when given latencies, 0 included', async () => {
    const results = await runBench({
      connection,
      keyspace: ks,
      samples: 200,
      blobSize: 4096,
      engines: ['plain'],
      latencyMs: [0, 20],
      batchSize: [40, 100],
    });
    // Each batch size runs every latency, and each latency run is compared with its +0 ms run.
    expect(results.runs.map((r) => [r.engine, r.batchSize, r.latencyMs, r.samples])).toEqual([
      ['plain', 40, 0, 200],
      ['plain', 40, 20, 200],
      ['plain', 100, 0, 200],
      ['plain', 100, 20, 200],
    ]);
    expect(results.runs[0]?.vsZeroMs).toBe(1);
    expect(results.runs[3]?.vsZeroMs).toBeCloseTo(
      (results.runs[3]?.samplesPerSec ?? 0) / (results.runs[2]?.samplesPerSec ?? 1),
      6,
    );
  }, 300_000);
});
