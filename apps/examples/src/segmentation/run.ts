import { join } from 'node:path';
import { pipeline } from '@cassdl/gpu-ops';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import * as tf from '@tensorflow/tfjs';
import { realRows } from '../common/batch-rows.js';
import { createSplitFile, ingest } from '../common/cassdl-cli.js';
import { fitFromCassandra, forEachValBatch } from '../common/fit.js';
import { dropKeyspace } from '../common/keyspace.js';
import type { Logger } from '../common/log.js';
import { freshWorkDir } from '../common/workdir.js';
import { generateSegmentation, SEGMENTATION_CLASSES } from '../data/segmentation-data.js';
import { PixelConfusion } from '../metrics/mean-iou.js';
import { tinySegmenter } from '../models/segmenter.js';
import type { SegmentationOptions } from './options.js';

export interface SegmentationResult {
  meanIou: number;
  /** Mean IoU of predicting background everywhere. */
  baseline: number;
  perClassIou: (number | null)[];
  valImages: number;
  samplesPerSec: number;
}

/** Generate → ingest (masks as blob labels) → split → train a tiny U-Net → mean IoU on val. */
export async function runSegmentation(
  connection: ConnectionOptionsInput,
  o: SegmentationOptions,
  log: Logger,
): Promise<SegmentationResult> {
  if (o.size % 2 !== 0)
    throw new RangeError(`size: expected an even number (the model halves it), received ${o.size}`);
  const workDir = await freshWorkDir(o.workDir, o.keyspace);
  const splitFile = join(workDir, 'split.json');
  const classes = SEGMENTATION_CLASSES.length;
  const gen = await generateSegmentation(join(workDir, 'dataset'), {
    images: o.images,
    size: o.size,
    maxShapes: o.maxShapes,
    seed: o.seed,
  });
  log(
    `1. generated ${o.images} PNG images and 8-bit masks (${classes} classes, 0 = background) in ${join(workDir, 'dataset')}`,
  );
  await dropKeyspace(connection, o.keyspace);
  const summary = await ingest(
    'segmentation',
    [gen.imagesDir, gen.masksDir],
    ['--keyspace', o.keyspace],
    connection,
  );
  log(
    `2. cassdl ingest segmentation: ${summary.rowCount} rows in ${o.keyspace}.data, the mask PNG as the blob label`,
  );
  await createSplitFile(
    o.keyspace,
    splitFile,
    { ratios: 'train=0.8,val=0.2', seed: o.seed, stratify: false },
    connection,
  );
  log(`3. cassdl split create: ${splitFile}`);

  const table = `${o.keyspace}.data`;
  const model = tinySegmenter(o.size, classes, o.learningRate, o.seed);
  // The same random crop and flip are applied to the image and its mask.
  const augment = pipeline({ seed: o.seed })
    .decode({ channels: 3 })
    .randomResizedCrop({ size: o.size, scale: [0.5, 1] })
    .flip({ horizontal: 0.5, vertical: 0.5 })
    .normalize({ mean: [127.5], std: [127.5] })
    .mask({ oneHot: classes });
  const common = {
    connection,
    table,
    labelType: 'blob' as const,
    splitFile,
    batchSize: o.batchSize,
  };
  const samplesPerSec = await fitFromCassandra(
    model,
    { ...common, epochs: o.epochs, seed: o.seed },
    (b) => augment.run(b),
    log,
  );

  const evalTransform = pipeline()
    .decode({ channels: 3 })
    .resize({ size: o.size })
    .normalize({ mean: [127.5], std: [127.5] })
    .mask({});
  const confusion = new PixelConfusion(classes);
  let valImages = 0;
  await forEachValBatch(common, async (batch) => {
    const { xs, ys } = await evalTransform.run(batch);
    const predicted = tf.tidy(() => (model.predict(xs) as tf.Tensor).argMax(-1));
    const [p, t] = await Promise.all([predicted.data(), ys.data()]);
    tf.dispose([xs, ys, predicted]);
    const pixels = realRows(batch) * o.size * o.size;
    confusion.add(p.subarray(0, pixels), t.subarray(0, pixels));
    valImages += realRows(batch);
  });
  model.dispose();
  const result = {
    meanIou: confusion.meanIou(),
    baseline: confusion.constantBaseline(0),
    perClassIou: confusion.perClassIou(),
    valImages,
    samplesPerSec,
  };
  const per = result.perClassIou
    .map((v, c) => `${c}: ${v === null ? '-' : v.toFixed(2)}`)
    .join(', ');
  log(
    `val mean IoU ${result.meanIou.toFixed(3)} over ${valImages} images (per class ${per}); all-background baseline ${result.baseline.toFixed(3)}`,
  );
  return result;
}
