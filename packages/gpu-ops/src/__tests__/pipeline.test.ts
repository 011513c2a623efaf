import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CassdlValidationError, pipeline, SampleDecodeError, SampleLabelError } from '../index.js';
import { NPY_CASES } from './fixtures/npy-cases.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { makeBatch, testIdString } from './helpers/batch.js';
import { encodeGrayPng, encodeJpeg, encodePng, patternImage } from './helpers/images.js';

const npy = (name: string) =>
  new Uint8Array(Buffer.from(NPY_CASES.find((c) => c.name === name)!.b64, 'base64'));

/** A class map whose every pixel differs from its neighbours, so any misalignment shows. */
function classMap(width: number, height: number) {
  const image = patternImage(width, height, 1);
  return image;
}

describe.each(BACKENDS)('pipeline on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));
  afterEach(() => expect(tf.memory().numTensors).toBe(0));

  it('gives a mask the same window, flips and size as its image, class ids exact', async () => {
    const maps = [classMap(40, 30), classMap(31, 45)];
    const pngs = await Promise.all(maps.map(encodePng));
    // The image is the class map itself, resized with nearest: xs must equal ys exactly.
    const batch = makeBatch(pngs, { kind: 'blob', blobs: pngs }, { epoch: 2, index: 5 });
    const out = await pipeline({ seed: 3 })
      .decode({ channels: 1 })
      .randomResizedCrop({ size: [24, 20], interpolation: 'nearest' })
      .flip({ horizontal: 0.5, vertical: 0.5 })
      .normalize({ dtype: 'int32' })
      .mask()
      .run(batch);
    expect(out.ys.shape).toEqual([2, 24, 20]);
    expect(out.ys.dtype).toBe('int32');
    const xs = await out.xs.data();
    const ys = await out.ys.data();
    expect(Array.from(xs)).toEqual(Array.from(ys));
    const classes = new Set(maps.flatMap((m) => Array.from(m.pixels)));
    expect(Array.from(ys).every((v) => classes.has(v))).toBe(true);
    tf.dispose([out.xs, out.ys]);
  });

  it('reads one-band gray PNG masks (its band as is) exactly as RGB-written ones (through greyscale)', async () => {
    const maps = [classMap(40, 30), classMap(31, 45)];
    const run = async (encode: typeof encodePng) => {
      const pngs = await Promise.all(maps.map(encode));
      const batch = makeBatch(pngs, { kind: 'blob', blobs: pngs }, { epoch: 1, index: 2 });
      const out = await pipeline({ seed: 4 })
        .decode({ channels: 1 })
        .randomResizedCrop({ size: [24, 20], interpolation: 'nearest' })
        .flip({ horizontal: 0.5 })
        .normalize({ dtype: 'int32' })
        .mask()
        .run(batch);
      const result = { xs: Array.from(await out.xs.data()), ys: Array.from(await out.ys.data()) };
      tf.dispose([out.xs, out.ys]);
      return result;
    };
    const gray = await run(encodeGrayPng);
    const rgb = await run(encodePng);
    expect(gray.ys).toEqual(rgb.ys);
    expect(gray.xs).toEqual(rgb.xs);
    expect(gray.ys).toEqual(gray.xs);
  });

  it('one-hot encodes masks and names a sample whose class is out of range', async () => {
    const mask = { pixels: new Uint8Array([0, 1, 2, 1]), width: 2, height: 2, channels: 1 };
    const png = await encodePng(mask);
    const image = await encodePng(patternImage(2, 2, 3));
    const batch = makeBatch([image], { kind: 'blob', blobs: [png] });
    const out = await pipeline().mask({ oneHot: 3 }).run(batch);
    expect(out.ys.shape).toEqual([1, 2, 2, 3]);
    expect(out.ys.arraySync()).toEqual([
      [
        [
          [1, 0, 0],
          [0, 1, 0],
        ],
        [
          [0, 0, 1],
          [0, 1, 0],
        ],
      ],
    ]);
    tf.dispose([out.xs, out.ys]);
    await expect(pipeline().mask({ oneHot: 2 }).run(batch)).rejects.toThrow(
      new RegExp(`${testIdString(0)}.*mask class 2 is outside \\[0, 2\\)`),
    );
  });

  it('refuses a mask whose size differs from its image, naming the sample', async () => {
    const image = await encodePng(patternImage(8, 8, 3));
    const mask = await encodePng(patternImage(4, 8, 1));
    const run = pipeline()
      .mask()
      .run(makeBatch([image], { kind: 'blob', blobs: [mask] }));
    await expect(run).rejects.toThrow(
      /00000000-0000-4000-8000-000000000000.*mask is 4x8 but its image is 8x8/,
    );
  });

  it('refuses JPEG and palette PNG masks, whose class ids would not survive decoding', async () => {
    const image = await encodePng(patternImage(4, 4, 3));
    const jpegMask = await encodeJpeg(patternImage(4, 4, 3));
    const paletteMask = await sharp(patternImage(4, 4, 3).pixels, {
      raw: { width: 4, height: 4, channels: 3 },
    })
      .png({ palette: true })
      .toBuffer();
    await expect(
      pipeline()
        .mask()
        .run(makeBatch([image], { kind: 'blob', blobs: [jpegMask] })),
    ).rejects.toThrow(/mask is a JPEG/);
    await expect(
      pipeline()
        .mask()
        .run(makeBatch([image], { kind: 'blob', blobs: [paletteMask] })),
    ).rejects.toThrow(/mask is a palette PNG/);
  });

  it('stacks .npy multilabel blobs into one tensor', async () => {
    const png = await encodePng(patternImage(4, 4, 3));
    const label = npy('multilabel 5-hot v1');
    const batch = makeBatch([png, png], { kind: 'blob', blobs: [label, label] });
    const out = await pipeline()
      .labels({ npy: { dtype: 'float32' } })
      .run(batch);
    expect(out.ys.shape).toEqual([2, 10]);
    expect(Array.from(await out.ys.data()).slice(0, 10)).toEqual([0, 1, 1, 0, 0, 1, 0, 0, 0, 1]);
    tf.dispose([out.xs, out.ys]);
    const mixed = makeBatch([png, png], { kind: 'blob', blobs: [label, npy('float32 v2')] });
    await expect(pipeline().labels({ npy: {} }).run(mixed)).rejects.toThrow(SampleLabelError);
    const broken = makeBatch([png], { kind: 'blob', blobs: [new Uint8Array([1, 2, 3])] });
    await expect(pipeline().labels({ npy: {} }).run(broken)).rejects.toThrow(/000000000000.*magic/);
  });

  it('names an int label outside the one-hot range', async () => {
    const png = await encodePng(patternImage(4, 4, 3));
    const batch = makeBatch([png, png], { kind: 'int', values: [1, 10] });
    await expect(pipeline().labels({ oneHot: 10 }).run(batch)).rejects.toThrow(
      /00000000-0000-4000-8000-000000000001.*label 10 is outside \[0, 10\)/,
    );
  });
});

describe('corrupt images', () => {
  beforeAll(() => useBackend('cpu'));
  afterEach(() => expect(tf.memory().numTensors).toBe(0));

  async function batchWithCorruptRow() {
    const good = await Promise.all(
      [0, 1, 2, 3].map((salt) => encodeJpeg(patternImage(16, 12, 3, salt))),
    );
    // Cut inside the entropy-coded data: the header reads fine, the pixels do not.
    const truncated = good[1]!.subarray(0, good[1]!.length - 40);
    const images = [good[0]!, truncated, good[2]!, new Uint8Array([1, 2, 3, 4]), good[3]!];
    return makeBatch(images, { kind: 'int', values: [10, 11, 12, 13, 14] });
  }

  it("'error' throws a SampleDecodeError naming the first bad id", async () => {
    const batch = await batchWithCorruptRow();
    const error = await pipeline()
      .run(batch)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SampleDecodeError);
    expect((error as SampleDecodeError).sampleId).toBe(testIdString(1));
    expect((error as Error).message).toMatch(
      /00000000-0000-4000-8000-000000000001 \(batch row 1\): cannot decode image/,
    );
    expect((error as Error).message).toMatch(
      /\(1 more corrupt in this batch: 00000000-0000-4000-8000-000000000003;/,
    );
  });

  it("'skip' drops bad rows and keeps ids and labels aligned, counted", async () => {
    const p = pipeline({ onCorrupt: 'skip' });
    const out = await p.run(await batchWithCorruptRow());
    expect(out.xs.shape[0]).toBe(3);
    expect(Array.from(out.sourceRows)).toEqual([0, 2, 4]);
    expect(Array.from(await out.ys!.data())).toEqual([10, 12, 14]);
    expect(new DataView(out.ids.buffer).getUint32(16 + 12)).toBe(2);
    expect(out.stats).toMatchObject({
      samples: 5,
      decoded: 3,
      corrupt: 2,
      skipped: 2,
      replaced: 0,
    });
    expect(out.stats.corruptIds).toEqual([testIdString(1), testIdString(3)]);
    // Row 1 of the output is batch row 2, byte for byte.
    const alone = await pipeline().run(makeBatch([await encodeJpeg(patternImage(16, 12, 3, 2))]));
    const row1 = (await out.xs.data()).subarray(16 * 12 * 3, 2 * 16 * 12 * 3);
    expect(Array.from(row1)).toEqual(Array.from(await alone.xs.data()));
    expect(p.stats).toMatchObject({ samples: 5, corrupt: 2, skipped: 2 });
    tf.dispose([out.xs, out.ys!, alone.xs, alone.ys!]);
  });

  it("'replace' keeps the batch size, copying the nearest good row with its label", async () => {
    const out = await pipeline({ onCorrupt: 'replace' }).run(await batchWithCorruptRow());
    expect(out.xs.shape[0]).toBe(5);
    expect(Array.from(out.sourceRows)).toEqual([0, 0, 2, 2, 4]);
    expect(Array.from(await out.ys!.data())).toEqual([10, 10, 12, 12, 14]);
    const xs = await out.xs.data();
    const n = 16 * 12 * 3;
    expect(Array.from(xs.subarray(n, 2 * n))).toEqual(Array.from(xs.subarray(0, n)));
    expect(out.stats).toMatchObject({ corrupt: 2, replaced: 2, skipped: 0 });
    tf.dispose([out.xs, out.ys!]);
  });

  it('refuses a batch of mixed sizes without a geometry step, naming the sample', async () => {
    const batch = makeBatch([
      await encodePng(patternImage(8, 8, 3)),
      await encodePng(patternImage(9, 8, 3)),
    ]);
    await expect(pipeline().run(batch)).rejects.toThrow(
      /is \d+x8 but the batch is \d+x8; add resize\(\)/,
    );
  });
});

describe('reproducible augmentation', () => {
  beforeAll(() => useBackend('cpu'));

  async function augmented(seed: number, index: number) {
    const pngs = await Promise.all([0, 1, 2].map((s) => encodePng(patternImage(40, 32, 3, s))));
    const out = await pipeline({ seed })
      .randomResizedCrop({ size: 16 })
      .flip({ horizontal: 0.5 })
      .run(makeBatch(pngs, { kind: 'none' }, { index }));
    const values = Array.from(await out.xs.data());
    out.xs.dispose();
    return values;
  }

  it('runs of one pipeline in flight together give what they give alone', async () => {
    const pngs = await Promise.all([0, 1, 2].map((s) => encodePng(patternImage(40, 32, 3, s))));
    const p = pipeline({ seed: 4 }).randomResizedCrop({ size: 16 }).flip({ horizontal: 0.5 });
    const batches = [0, 1, 2, 3].map((index) => makeBatch(pngs, { kind: 'none' }, { index }));
    const together = await Promise.all(batches.map((b) => p.run(b)));
    for (const [i, out] of together.entries()) {
      const alone = await p.run(batches[i]!);
      expect(Array.from(await out.xs.data())).toEqual(Array.from(await alone.xs.data()));
      tf.dispose([out.xs, alone.xs]);
    }
  });

  it('same seed and batch give the same tensor; another seed or batch index does not', async () => {
    const a = await augmented(7, 0);
    expect(await augmented(7, 0)).toEqual(a);
    expect(await augmented(8, 0)).not.toEqual(a);
    expect(await augmented(7, 1)).not.toEqual(a);
  });
});

describe('options', () => {
  it('lists every problem with its path, expectation and value', () => {
    const error = (() => {
      try {
        pipeline().normalize({ mean: [1, 2], std: [0], layout: 'CHW' as 'NCHW' });
      } catch (e) {
        return e as CassdlValidationError;
      }
    })();
    expect(error).toBeInstanceOf(CassdlValidationError);
    expect(error!.issues.map((i) => i.path)).toEqual(['normalize.std[0]', 'normalize.layout']);
    expect(error!.message).toMatch(/normalize\.std\[0\]: expected .*received 0 \(number\)/);
    expect(error!.message).toMatch(/normalize\.layout: .*received "CHW" \(string\)/);
  });

  it('names unknown options (suggesting the intended one) and missing required ones', () => {
    expect(() => pipeline().flip({ horizontl: 0.5 } as never)).toThrow(/did you mean "horizontal"/);
    expect(() => pipeline().flip({ horizontal: 0.5, diagonal: 1 } as never)).toThrow(
      /flip\.diagonal: unknown option "diagonal"/,
    );
    expect(() => pipeline().resize({} as never)).toThrow(
      /resize\.size: expected number or tuple, received nothing/,
    );
  });

  it('checks per-channel values against the decoded channels', () => {
    expect(() =>
      pipeline()
        .decode({ channels: 1 })
        .normalize({ mean: [1, 2, 3] }),
    ).toThrow(/normalize\.mean: expected 1 or 1 values \(decode channels: 1\), received 3 values/);
  });

  it('rejects float16, unknown keys, a second geometry step', () => {
    expect(() => pipeline().normalize({ dtype: 'float16' })).toThrow(/no float16 tensor dtype/);
    expect(() => pipeline({ sed: 1 } as never)).toThrow(CassdlValidationError);
    expect(() => pipeline().resize({ size: 8 }).centerCrop({ size: 4 })).toThrow(
      /one geometry step/,
    );
    expect(() => pipeline().randomResizedCrop({ size: 8, scale: [0.9, 0.1] })).toThrow(
      /low <= high/,
    );
  });

  it('refuses blob labels without labels({ npy }) or mask(), before decoding', async () => {
    const batch = makeBatch([new Uint8Array(1)], { kind: 'blob', blobs: [new Uint8Array(1)] });
    await expect(pipeline().run(batch)).rejects.toThrow(
      /has 'blob' labels: .*\.labels\(\{ npy: \{\} \}\) or \.mask\(\)/,
    );
    const ints = makeBatch([new Uint8Array(1)], { kind: 'int', values: [0] });
    await expect(pipeline().mask().run(ints)).rejects.toThrow(
      /has 'int' labels: \.mask\(\) reads blob labels/,
    );
  });
});
