/**
 * Decode + random resized crop to 224x224 + flip + normalize of a batch of
 * 128 JPEGs (500x375, the ImageNet average), cassdl's pipeline (native JPEG
 * decoder, its default here, and sharp) against what a user writes without
 * it and against DALI 2.1's CPU pipeline, measured in the same run on the
 * same backend; also raw uint8 output and PNG segmentation masks beside it.
 *
 *   pnpm --filter @cassdl/gpu-ops bench [-- --backend cpu|wasm --rounds 5
 *     --dali-python /tmp/dali/bin/python --jpeg-dir DIR --only SUBSTRING]
 *
 * `--dali-python` (or CASSDL_DALI_PYTHON) names a Python with
 * nvidia-dali-cuda130==2.1: bench/dali_cpu.py then runs as a child process,
 * one batch per round between ours (see dali-process.ts). `--only` keeps the
 * variants whose name contains it (for `perf record`). Prints a table and
 * writes bench/gpu-ops-results.json at the repo root. `--jpeg-dir` also
 * writes the 128 JPEGs there (DALI reads them from a temporary one otherwise).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { RawBatch } from '@cassdl/schema';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { pipeline, randomResizedCropWindow, sampleRandom } from '../src/index.js';
import { resolveWorkerThreads } from '../src/workers/pool-registry.js';
import { DaliProcess } from './dali-process.js';

const BATCH = 128;
const WIDTH = 500;
const HEIGHT = 375;
const SIZE = 224;
const MEAN = [123.675, 116.28, 103.53];
const STD = [58.395, 57.12, 57.375];

const { values: args } = parseArgs({
  // pnpm forwards a literal '--' when called as `pnpm bench -- --rounds 2`.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    backend: { type: 'string', default: 'cpu' },
    rounds: { type: 'string', default: '5' },
    'naive-rounds': { type: 'string', default: '2' },
    out: { type: 'string' },
    'jpeg-dir': { type: 'string' },
    'dali-python': { type: 'string', default: process.env.CASSDL_DALI_PYTHON },
    only: { type: 'string' },
  },
});
const rounds = Number(args.rounds);
const naiveRounds = Number(args['naive-rounds']);

/**
 * CPU-seconds the JS (main) thread itself has used, from Linux's per-thread
 * counters; libvips and libuv threads are other tasks and not included.
 * Unlike event-loop utilization this does not count time the thread was
 * runnable but waiting for a core, which on a loaded 2-core machine is most
 * of it. Undefined off Linux.
 */
function jsThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100/s)
  } catch {
    return undefined;
  }
}

/** Photo-like JPEGs: smooth shapes plus sensor-like noise, so they compress like photos (about 70 KB at quality 90). */
async function makeJpegs(): Promise<Uint8Array[]> {
  const jpegs: Uint8Array[] = [];
  let seed = 12345;
  const noise = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 24) - 128;
  };
  for (let i = 0; i < BATCH; i++) {
    const raw = Buffer.alloc(WIDTH * HEIGHT * 3);
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        for (let c = 0; c < 3; c++) {
          const smooth =
            128 + 90 * Math.sin((x + i * 17) / (23 + c * 7)) * Math.cos((y - i * 5) / (31 + c * 3));
          raw[(y * WIDTH + x) * 3 + c] = Math.max(0, Math.min(255, smooth + noise() / 6));
        }
      }
    }
    jpegs.push(
      await sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
  }
  return jpegs;
}

/** Segmentation masks of the images' size: 8-bit gray PNG (one band, colour type 0), class ids 0-20 in blocks. */
async function makeMasks(): Promise<Uint8Array[]> {
  const masks: Uint8Array[] = [];
  for (let i = 0; i < BATCH; i++) {
    const raw = Buffer.alloc(WIDTH * HEIGHT);
    for (let y = 0; y < HEIGHT; y++)
      for (let x = 0; x < WIDTH; x++) raw[y * WIDTH + x] = (((x >> 5) + (y >> 5) + i) * 7) % 21;
    masks.push(
      await sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
        .toColourspace('b-w') // else sharp writes the one band as an RGB PNG
        .png()
        .toBuffer(),
    );
  }
  return masks;
}

function arena(blobs: Uint8Array[]): { data: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(blobs.length + 1);
  blobs.forEach((b, i) => {
    offsets[i + 1] = offsets[i]! + b.length;
  });
  const data = new Uint8Array(offsets[blobs.length]!);
  blobs.forEach((b, i) => {
    data.set(b, offsets[i]!);
  });
  return { data, offsets };
}

function toBatch(jpegs: Uint8Array[], index: number, masks?: Uint8Array[]): RawBatch {
  const { data, offsets: dataOffsets } = arena(jpegs);
  const m = masks && arena(masks);
  const ids = new Uint8Array(jpegs.length * 16);
  for (let i = 0; i < jpegs.length; i++) ids[i * 16 + 15] = i;
  return {
    epoch: 0,
    index,
    size: jpegs.length,
    padding: 0,
    ids,
    data,
    dataOffsets,
    labels: m ? { kind: 'blob', data: m.data, offsets: m.offsets } : { kind: 'none' },
  };
}

/**
 * What a user writes without cassdl: decode each image in turn, then the
 * tf.image ops a tfjs user reaches for (cropAndResize rather than slice +
 * resizeBilinear, flipLeftRight rather than reverse: on the cpu backend those
 * are 20-40x faster, so this baseline is the fair one), concat, normalize.
 */
async function naive(batch: RawBatch, index: number): Promise<tf.Tensor4D> {
  const images: tf.Tensor4D[] = [];
  for (let i = 0; i < batch.size; i++) {
    const bytes = batch.data.subarray(batch.dataOffsets[i]!, batch.dataOffsets[i + 1]!);
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    const random = sampleRandom(1, 0, index, i, 1);
    const w = randomResizedCropWindow(
      info.width,
      info.height,
      [0.08, 1],
      [3 / 4, 4 / 3],
      10,
      random,
    );
    const flip = random() < 0.5;
    images.push(
      tf.tidy(() => {
        const image = tf.tensor4d(data, [1, info.height, info.width, info.channels], 'float32');
        const box = [
          w.top / (info.height - 1),
          w.left / (info.width - 1),
          (w.top + w.height - 1) / (info.height - 1),
          (w.left + w.width - 1) / (info.width - 1),
        ];
        const crop = tf.image.cropAndResize(image, [box], [0], [SIZE, SIZE]);
        return flip ? tf.image.flipLeftRight(crop) : crop;
      }),
    );
  }
  const out = tf.tidy(() => tf.div(tf.sub(tf.concat(images), MEAN), STD) as tf.Tensor4D);
  tf.dispose(images);
  return out;
}

/** Same fused sharp work as cassdl but awaited one image at a time: separates "fused" from "parallel". */
async function sequentialFused(batch: RawBatch, index: number): Promise<tf.Tensor4D> {
  const out = new Float32Array(batch.size * SIZE * SIZE * 3);
  for (let i = 0; i < batch.size; i++) {
    const bytes = batch.data.subarray(batch.dataOffsets[i]!, batch.dataOffsets[i + 1]!);
    const meta = await sharp(bytes).metadata();
    const random = sampleRandom(1, 0, index, i, 1);
    const w = randomResizedCropWindow(
      meta.width!,
      meta.height!,
      [0.08, 1],
      [3 / 4, 4 / 3],
      10,
      random,
    );
    let image = sharp(bytes).extract(w).resize(SIZE, SIZE, { fit: 'fill', kernel: 'linear' });
    if (random() < 0.5) image = image.flop();
    const px = await image.raw().toBuffer();
    const base = i * px.length;
    for (let k = 0; k < px.length; k++) out[base + k] = (px[k]! - MEAN[k % 3]!) / STD[k % 3]!;
  }
  return tf.tensor4d(out, [batch.size, SIZE, SIZE, 3]);
}

/** The pipeline as a user writes it: `workers: 'auto'`, `decoder: 'auto'` (native here). */
const base = (decoder: 'auto' | 'sharp') =>
  pipeline({ seed: 1, decoder })
    .decode({ channels: 3 })
    .randomResizedCrop({ size: SIZE })
    .flip({ horizontal: 0.5 });
const norm = { mean: MEAN, std: STD };
const nativeFloat = base('auto').normalize(norm);
const nativeUint8 = base('auto').normalize({ dtype: 'uint8' });
const nativeMasks = base('auto').normalize(norm).mask();
const sharpFloat = base('sharp').normalize(norm);
const sharpUint8 = base('sharp').normalize({ dtype: 'uint8' });
const sharpMasks = base('sharp').normalize(norm).mask();
const pipelines = [nativeFloat, nativeUint8, nativeMasks, sharpFloat, sharpUint8, sharpMasks];

const NAIVE = 'naive: decode in turn + tf ops';
const IN_TURN = 'sharp fused, in turn';
const DALI = 'DALI 2.1 CPU, 2 threads (dali_cpu.py)';
const NATIVE = 'cassdl, native decoder (default), float32';
const MASKS = ' + PNG masks (nearest)';
type Variant = (batch: RawBatch, index: number) => Promise<tf.Tensor[]>;
const xsOnly =
  (p: { run(b: RawBatch): Promise<{ xs: tf.Tensor }> }): Variant =>
  async (batch) => [(await p.run(batch)).xs];
const withMasks =
  (p: { run(b: RawBatch): Promise<{ xs: tf.Tensor; ys: tf.Tensor | undefined }> }): Variant =>
  async (batch) => {
    const { xs, ys } = await p.run(batch);
    return ys ? [xs, ys] : [xs];
  };
const allVariants: Record<string, Variant> = {
  [NAIVE]: async (batch, index) => [await naive(batch, index)],
  [IN_TURN]: async (batch, index) => [await sequentialFused(batch, index)],
  [NATIVE]: xsOnly(nativeFloat),
  "cassdl, native decoder, dtype 'uint8'": xsOnly(nativeUint8),
  [`cassdl, native decoder,${MASKS}`]: withMasks(nativeMasks),
  "cassdl, decoder: 'sharp', float32 (1 worker)": xsOnly(sharpFloat),
  "cassdl, decoder: 'sharp', dtype 'uint8'": xsOnly(sharpUint8),
  [`cassdl, decoder: 'sharp',${MASKS}`]: withMasks(sharpMasks),
};
const variants = Object.fromEntries(
  Object.entries(allVariants).filter(([name]) => !args.only || name.includes(args.only)),
);

interface Measure {
  seconds: number;
  samples: number;
  loopActive: number;
  jsCpuSeconds: number;
  cpuSeconds: number;
  minorFaults: number;
}

async function main(): Promise<void> {
  if (!(await tf.setBackend(args.backend!))) throw new Error(`backend ${args.backend} failed`);
  await tf.ready();
  const jpegs = await makeJpegs();
  const masks = await makeMasks();
  if (args['jpeg-dir']) {
    mkdirSync(args['jpeg-dir'], { recursive: true });
    jpegs.forEach((j, i) => {
      writeFileSync(resolve(args['jpeg-dir']!, `${String(i).padStart(3, '0')}.jpg`), j);
    });
  }
  const avgKb = jpegs.reduce((a, j) => a + j.length, 0) / jpegs.length / 1024;
  const totals = new Map<string, Measure>();
  const dali = await startDali(jpegs);
  // bench/profile.sh starts `perf record` on this line: the images above are not the pipeline.
  console.log(`measuring: ${Object.keys(variants).length} variants, ${rounds} rounds`);
  // Warm-up, then rounds interleaved so background load hits every variant alike.
  // The naive loop is an order of magnitude slower: it runs fewer rounds (its cost is in tf kernels).
  for (let round = -1; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) {
      if (name === NAIVE && round >= naiveRounds) continue;
      const batch = toBatch(jpegs, round + 1, name.endsWith(MASKS) ? masks : undefined);
      const elu = performance.eventLoopUtilization();
      const faults = process.resourceUsage().minorPageFault;
      const cpu = process.cpuUsage();
      const jsCpu = jsThreadCpuSeconds() ?? 0;
      const start = performance.now();
      const tensors = await run(batch, round + 1);
      // Results are materialized on every backend before the clock stops.
      for (const t of tensors) await t.data();
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      const faulted = process.resourceUsage().minorPageFault - faults;
      const loop = performance.eventLoopUtilization(elu);
      const jsCpuUsed = (jsThreadCpuSeconds() ?? 0) - jsCpu;
      tf.dispose(tensors);
      if (round < 0) continue;
      const t = totalOf(totals, name);
      t.seconds += seconds;
      t.samples += batch.size;
      t.loopActive += loop.active / 1000;
      t.jsCpuSeconds += jsCpuUsed;
      t.cpuSeconds += (used.user + used.system) / 1e6;
      t.minorFaults += faulted;
      totals.set(name, t);
    }
    if (dali) {
      // One DALI batch per round, right after ours: the same minutes of the same machine.
      const d = await dali.round(1);
      if (round >= 0) addDali(totals, d.images, d.seconds, d.cpuSeconds);
    }
  }
  dali?.close();
  const rate = (t: Measure) => t.samples / t.seconds;
  const cpuMs = (t: Measure) => (t.cpuSeconds / t.samples) * 1000;
  const ratio = (a: number, b: number | undefined) =>
    b === undefined ? undefined : Number((a / b).toFixed(2));
  const naiveTotal = totals.get(NAIVE);
  const daliTotal = totals.get(DALI);
  const rows = [...totals].map(([name, t]) => ({
    variant: name,
    samplesPerSecond: Math.round(rate(t)),
    vsNaive: ratio(rate(t), naiveTotal && rate(naiveTotal)),
    /** images/s over DALI's in the same run (> 1: faster). */
    rateVsDali: ratio(rate(t), daliTotal && rate(daliTotal)),
    /** CPU per image over DALI's in the same run (< 1: cheaper). */
    cpuVsDali: ratio(cpuMs(t), daliTotal && cpuMs(daliTotal)),
    /** Share of wall time the JS thread spent on a CPU (Linux per-thread counters). */
    jsThreadCpu: Number((t.jsCpuSeconds / t.seconds).toFixed(3)),
    /** Event-loop utilization: also counts time the JS thread waited for a core. */
    eventLoopUtilization: Number((t.loopActive / t.seconds).toFixed(3)),
    /** Process CPU (every thread: JS, workers, libuv, libvips) per image, in ms. */
    cpuMsPerSample: Number(((t.cpuSeconds / t.samples) * 1000).toFixed(2)),
    /** Minor page faults per image: fresh memory touched (a robust figure under load). */
    minorFaultsPerSample: Math.round(t.minorFaults / t.samples),
    /** JS-thread CPU per sample: 1000 / this bounds samples/s of one process however many cores decode. */
    jsThreadMsPerSample: Number(((t.jsCpuSeconds / t.samples) * 1000).toFixed(3)),
    /** Event-loop busy time per sample (includes waiting for a core on a loaded machine). */
    eventLoopMsPerSample: Number(((t.loopActive / t.samples) * 1000).toFixed(3)),
  }));
  const env = {
    backend: tf.getBackend(),
    /** What `workers: 'auto'` would pick here. */
    autoWorkers: resolveWorkerThreads('auto'),
    cores: os.availableParallelism(),
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
    sharpConcurrency: sharp.concurrency(),
    node: process.version,
    batch: BATCH,
    image: `${WIDTH}x${HEIGHT} JPEG q90, ${avgKb.toFixed(0)} KB avg`,
    output: `${SIZE}x${SIZE}x3 float32 NHWC (uint8 row: raw pixels)`,
    rounds,
    naiveRounds,
    /** Which decoder the default pipeline used (native unless the addon lacks it). */
    decoder: nativeFloat.decoder,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  console.log(JSON.stringify(env));
  console.log(
    '| variant | images/s | vs naive | images/s vs DALI | CPU-ms / image (process) | CPU vs DALI | JS-thread CPU-ms / image | JS thread CPU | page faults / image |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
  const x = (v: number | undefined) => (v === undefined ? '' : `${v.toFixed(2)}x`);
  for (const r of rows) {
    const isDali = r.variant === DALI;
    console.log(
      `| ${r.variant} | ${r.samplesPerSecond} | ${x(r.vsNaive)} | ${x(r.rateVsDali)} | ${r.cpuMsPerSample.toFixed(2)} | ${x(r.cpuVsDali)} | ${isDali ? '' : r.jsThreadMsPerSample.toFixed(2)} | ${isDali ? '' : pct(r.jsThreadCpu)} | ${isDali ? '' : r.minorFaultsPerSample} |`,
    );
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const file = args.out ?? resolve(here, '../../../bench/gpu-ops-results.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), env, rows }, null, 2)}\n`,
  );
  console.log(`wrote ${file}`);
  for (const p of pipelines) {
    if (p.executor?.kind === 'in-thread' && p.config.workers !== 0)
      console.warn(`workers did not run: ${p.executor.reason}`);
    await p.close();
  }
}

/** DALI's pipeline as a child process when a Python with DALI is named, else undefined (the table says so). */
async function startDali(jpegs: Uint8Array[]): Promise<DaliProcess | undefined> {
  const python = args['dali-python'];
  if (!python || (args.only && !DALI.includes(args.only))) {
    if (!args.only)
      console.warn('no DALI row: pass --dali-python (a Python with nvidia-dali-cuda130==2.1)');
    return undefined;
  }
  const dir = args['jpeg-dir'] ?? mkdtempSync(join(os.tmpdir(), 'cassdl-dali-'));
  if (!args['jpeg-dir']) {
    jpegs.forEach((j, i) => {
      writeFileSync(resolve(dir, `${String(i).padStart(3, '0')}.jpg`), j);
    });
  }
  const script = fileURLToPath(new URL('./dali_cpu.py', import.meta.url));
  try {
    return await DaliProcess.start(python, script, dir, 2);
  } finally {
    // DALI has read every file by the time it is ready.
    if (!args['jpeg-dir']) rmSync(dir, { recursive: true, force: true });
  }
}

/** The running totals of a variant, from zero on its first round. */
function totalOf(totals: Map<string, Measure>, name: string): Measure {
  return (
    totals.get(name) ?? {
      seconds: 0,
      samples: 0,
      loopActive: 0,
      jsCpuSeconds: 0,
      cpuSeconds: 0,
      minorFaults: 0,
    }
  );
}

/** Adds one DALI round; its JS-thread columns do not apply (page faults are not counted either). */
function addDali(totals: Map<string, Measure>, images: number, seconds: number, cpu: number): void {
  const t = totalOf(totals, DALI);
  t.seconds += seconds;
  t.samples += images;
  t.cpuSeconds += cpu;
  totals.set(DALI, t);
}

await main();
