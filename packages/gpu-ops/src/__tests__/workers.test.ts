import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pipeline } from '../index.js';
import { pipeline, SampleDecodeError, SampleError, WorkerUnavailableError } from '../index.js';
import { runBatch } from '../pipeline/run-batch.js';
import { acquirePool } from '../workers/pool-registry.js';
import { splitRows } from '../workers/shared-batch.js';
import { WorkerPool } from '../workers/worker-pool.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { makeBatch, testIdString } from './helpers/batch.js';
import { encodeJpeg, encodePng, patternImage } from './helpers/images.js';

type AnyPipeline = Pipeline<tf.Tensor | undefined>;

/** Runs `build` with workers and in-thread on the same batch; returns both outputs' bytes. */
async function bothPaths(
  build: (workers: number) => AnyPipeline,
  batch: Parameters<AnyPipeline['run']>[0],
) {
  const results = [];
  for (const workers of [2, 0]) {
    const p = build(workers);
    const out = await p.run(batch);
    results.push({
      executor: p.executor,
      xs: Array.from(await out.xs.data()),
      xsShape: out.xs.shape,
      ys: out.ys ? Array.from(await out.ys.data()) : undefined,
      sourceRows: Array.from(out.sourceRows),
      stats: out.stats,
    });
    tf.dispose([out.xs, out.ys]);
    await p.close();
  }
  return { workers: results[0]!, inThread: results[1]! };
}

async function jpegs(count: number, width = 37, height = 29): Promise<Uint8Array[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => encodeJpeg(patternImage(width, height, 3, i))),
  );
}

describe.each(BACKENDS)('worker threads on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));
  afterEach(() => expect(tf.memory().numTensors).toBe(0));

  it.each(['sharp', 'native'] as const)(
    'give the same bytes as the in-thread path (crop, flip, normalize, one-hot; %s decoder)',
    async (decoder) => {
      const batch = makeBatch(
        await jpegs(7),
        { kind: 'int', values: [0, 1, 2, 3, 4, 5, 6] },
        {
          epoch: 3,
          index: 11,
        },
      );
      const { workers, inThread } = await bothPaths(
        (w) =>
          pipeline({ seed: 9, workers: w, decoder })
            .randomResizedCrop({ size: [16, 12] })
            .flip({ horizontal: 0.5, vertical: 0.5 })
            .normalize({ mean: [120, 110, 100], std: [60, 55, 50] })
            .labels({ oneHot: 7 }),
        batch,
      );
      expect(workers.executor).toEqual({ kind: 'workers', threads: 2 });
      expect(inThread.executor).toEqual({ kind: 'in-thread', reason: 'workers: 0' });
      expect(workers.xsShape).toEqual([7, 16, 12, 3]);
      expect(workers.xs).toEqual(inThread.xs);
      expect(workers.ys).toEqual(inThread.ys);
    },
  );

  it('give the same bytes for NCHW with padding, libvips normalize, and size-free batches', async () => {
    const batch = makeBatch(await jpegs(5));
    for (const build of [
      (w: number) =>
        pipeline({ seed: 2, workers: w })
          .centerCrop({ size: 20 })
          .normalize({ std: [255], layout: 'NCHW', padChannels: true }),
      (w: number) =>
        pipeline({ seed: 2, workers: w, decoder: 'sharp' })
          .resize({ size: 15 })
          .flip({ horizontal: 1 })
          .normalize({ mean: [127], std: [64], inDecoder: true }),
      (w: number) => pipeline({ workers: w }).decode({ channels: 1 }).normalize({ dtype: 'int32' }),
      (w: number) =>
        pipeline({ seed: 4, workers: w })
          .randomResizedCrop({ size: 12 })
          .flip({ horizontal: 0.5 })
          .normalize({ dtype: 'uint8', layout: 'NCHW' }),
    ]) {
      const { workers, inThread } = await bothPaths(build, batch);
      expect(workers.executor?.kind).toBe('workers');
      expect(workers.xsShape).toEqual(inThread.xsShape);
      expect(workers.xs).toEqual(inThread.xs);
    }
  });

  it('give masks the same crop and flips as their images, as in-thread', async () => {
    const maps = [
      patternImage(30, 22, 1, 1),
      patternImage(30, 22, 1, 2),
      patternImage(30, 22, 1, 3),
    ];
    const pngs = await Promise.all(maps.map(encodePng));
    const batch = makeBatch(pngs, { kind: 'blob', blobs: pngs }, { index: 4 });
    const { workers, inThread } = await bothPaths(
      (w) =>
        pipeline({ seed: 5, workers: w })
          .decode({ channels: 1 })
          .randomResizedCrop({ size: [10, 8], interpolation: 'nearest' })
          .flip({ horizontal: 0.5, vertical: 0.5 })
          .normalize({ dtype: 'int32' })
          .mask(),
      batch,
    );
    expect(workers.executor?.kind).toBe('workers');
    expect(workers.xs).toEqual(inThread.xs);
    expect(workers.ys).toEqual(inThread.ys);
    expect(workers.ys).toEqual(workers.xs); // the image is its own class map
  });

  it('apply skip and replace to corrupt rows exactly as in-thread', async () => {
    const images = await jpegs(6);
    images[1] = images[1]!.subarray(0, 40); // truncated
    images[4] = new Uint8Array([1, 2, 3, 4]); // not an image
    const batch = makeBatch(images, { kind: 'int', values: [10, 11, 12, 13, 14, 15] });
    for (const [onCorrupt, decoder] of [
      ['skip', 'native'],
      ['replace', 'sharp'],
    ] as const) {
      const { workers, inThread } = await bothPaths(
        (w) =>
          pipeline({ workers: w, onCorrupt, decoder })
            .resize({ size: 8 })
            .normalize({ std: [255] }),
        batch,
      );
      expect(workers.executor?.kind).toBe('workers');
      expect(workers.sourceRows).toEqual(inThread.sourceRows);
      expect(workers.stats).toEqual(inThread.stats);
      expect(workers.stats.corruptIds).toEqual([testIdString(1), testIdString(4)]);
      expect(workers.xs).toEqual(inThread.xs);
      expect(workers.ys).toEqual(inThread.ys);
    }
  });
});

describe('errors from worker threads', () => {
  beforeAll(() => useBackend('cpu'));

  it('name the sample: a corrupt image is a SampleDecodeError with its UUID', async () => {
    const images = await jpegs(4);
    images[2] = images[2]!.subarray(0, 50);
    const p = pipeline({ workers: 2 }).resize({ size: 8 });
    const error = await p.run(makeBatch(images)).catch((e: unknown) => e);
    expect(p.executor?.kind).toBe('workers');
    expect(error).toBeInstanceOf(SampleDecodeError);
    expect((error as SampleDecodeError).sampleId).toBe(testIdString(2));
    expect((error as SampleDecodeError).sampleIndex).toBe(2);
    expect((error as Error).message).toContain(`sample ${testIdString(2)} (batch row 2)`);
    expect((error as Error).cause).toBeInstanceOf(Error);
    await p.close();
  });

  it('keep their code: a mask of the wrong size is not corruption, whatever onCorrupt says', async () => {
    const image = await encodePng(patternImage(12, 10, 3));
    const mask = await encodePng(patternImage(11, 10, 1));
    const batch = makeBatch([image, image, image], { kind: 'blob', blobs: [mask, mask, mask] });
    const p = pipeline({ workers: 2, onCorrupt: 'skip' }).resize({ size: 8 }).mask();
    const error = await p.run(batch).catch((e: unknown) => e);
    expect(p.executor?.kind).toBe('workers');
    expect(error).toBeInstanceOf(SampleError);
    expect(error).not.toBeInstanceOf(SampleDecodeError);
    expect((error as SampleError).code).toBe('ERR_GPU_OPS_MASK_SIZE');
    expect((error as SampleError).sampleId).toBe(testIdString(0));
    await p.close();
  });

  it('name the sample when sizes differ in a batch without a geometry step', async () => {
    const images = [await encodePng(patternImage(9, 7, 3)), await encodePng(patternImage(8, 7, 3))];
    const p = pipeline({ workers: 2 });
    const error = await p.run(makeBatch(images)).catch((e: unknown) => e);
    expect(p.executor?.kind).toBe('workers');
    expect(error).toBeInstanceOf(SampleError);
    expect((error as SampleError).sampleId).toBe(testIdString(1));
    expect((error as Error).message).toContain('add resize(), centerCrop() or randomResizedCrop()');
    await p.close();
  });
});

describe('worker lifecycle', () => {
  beforeAll(() => useBackend('cpu'));

  it('shares one pool between pipelines and terminates it when the last one closes', async () => {
    const a = acquirePool(3);
    const b = acquirePool(3);
    const pool = await a.pool;
    expect(await b.pool).toBe(pool);
    expect(pool.liveThreads).toBe(3);
    await a.release();
    expect(pool.liveThreads).toBe(3);
    await b.release();
    expect(pool.liveThreads).toBe(0);
    expect(pool.broken).toBe('the pipeline was closed');
  });

  it('falls back to the JS thread, same bytes, when the pool cannot take the batch', async () => {
    const batch = makeBatch(await jpegs(3));
    const p = pipeline({ seed: 1, workers: 0, decoder: 'sharp' })
      .randomResizedCrop({ size: 9 })
      .flip({ horizontal: 0.5 });
    const lease = acquirePool(1);
    const pool = await lease.pool;
    await lease.release(); // a closed pool rejects every job
    const viaClosed = await runBatch(p.config, batch, pool);
    const inThread = await p.run(batch);
    expect(Array.from(await viaClosed.xs.data())).toEqual(Array.from(await inThread.xs.data()));
    tf.dispose([viaClosed.xs, inThread.xs]);
  });

  it('lets the batches in flight finish before close terminates the workers', async () => {
    const batch = makeBatch(await jpegs(6));
    const config = pipeline({ seed: 6, workers: 2 }).randomResizedCrop({ size: 8 }).config;
    const lease = acquirePool(2);
    const pool = await lease.pool;
    const running = runBatch(config, batch, pool); // posts its jobs before returning
    let finished = false;
    void running.then(() => {
      finished = true;
    });
    await lease.release();
    expect(finished).toBe(true); // it waited; it did not kill the workers under the batch
    expect(pool.liveThreads).toBe(0);
    const out = await running;
    const inThread = await runBatch(config, batch);
    expect(Array.from(await out.xs.data())).toEqual(Array.from(await inThread.xs.data()));
    tf.dispose([out.xs, inThread.xs]);
  });

  it('redoes a batch in-thread, same bytes, when a worker dies mid-batch', async () => {
    const dies = {
      eval: `const port = require('node:worker_threads').parentPort;
port.postMessage({ type: 'ready' });
port.on('message', () => process.exit(3));`,
    };
    const pool = await WorkerPool.start(2, dies);
    const batch = makeBatch(await jpegs(4));
    const p = pipeline({ seed: 4, workers: 0, decoder: 'sharp' })
      .randomResizedCrop({ size: 9 })
      .flip({ horizontal: 0.5 });
    const viaDying = await runBatch(p.config, batch, pool);
    expect(pool.broken).toMatch(/exited with code 3/);
    const inThread = await p.run(batch);
    expect(Array.from(await viaDying.xs.data())).toEqual(Array.from(await inThread.xs.data()));
    tf.dispose([viaDying.xs, inThread.xs]);
    await pool.close();
  });

  it('reports workers that cannot start as WorkerUnavailableError', async () => {
    const missing = { url: new URL('./no-such-worker.js', import.meta.url) };
    await expect(WorkerPool.start(1, missing)).rejects.toBeInstanceOf(WorkerUnavailableError);
    const lease = acquirePool(1, missing);
    await expect(lease.pool).rejects.toThrow(/decode workers did not start/);
    await lease.release();
  });

  it('splits rows into contiguous non-empty shares', () => {
    expect(splitRows(7, 3)).toEqual([
      [0, 2],
      [2, 4],
      [4, 7],
    ]);
    expect(splitRows(2, 4)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(splitRows(0, 4)).toEqual([]);
  });

  describe('in a separate process', () => {
    const packageDir = fileURLToPath(new URL('../..', import.meta.url));
    // Inside the package so the script resolves its dependencies; node_modules is git-ignored.
    const dir = mkdtempSync(join(packageDir, 'node_modules', '.workers-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const index = fileURLToPath(new URL('../index.ts', import.meta.url));

    it('lets the process exit on its own with an idle pool that was never closed', async () => {
      const script = join(dir, 'exit.mts');
      writeFileSync(
        script,
        `import sharp from 'sharp';
import '@tensorflow/tfjs';
import { pipeline } from ${JSON.stringify(index)};
const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#3a6' } }).png().toBuffer();
const batch = { epoch: 0, index: 0, size: 1, padding: 0, ids: new Uint8Array(16), data: new Uint8Array(png),
  dataOffsets: Uint32Array.of(0, png.length), labels: { kind: 'none' } } as const;
const p = pipeline({ workers: 2 }).resize({ size: 4 });
const { xs } = await p.run(batch);
console.log(JSON.stringify({ executor: p.executor, shape: xs.shape }));
`,
      );
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=@cassdl/source', '--import', 'tsx', script],
        { cwd: packageDir, timeout: 60_000 },
      );
      // Reaching here means the process exited by itself, before the timeout.
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
        executor: { kind: 'workers', threads: 2 },
        shape: [1, 4, 4, 3],
      });
    }, 90_000);
  });
});
