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
import { generateMultilabel } from '../data/multilabel-data.js';
import { f1Counts, microF1, trivialMicroF1 } from '../metrics/micro-f1.js';
import { multilabelClassifier } from '../models/multilabel.js';
import type { MultilabelOptions } from './options.js';

export interface MultilabelResult {
  microF1: number;
  /** The better of "every tag" and "each tag's majority value". */
  baseline: number;
  vocabulary: string[];
  valImages: number;
  samplesPerSec: number;
}

/** Generate → ingest (multi-hot .npy labels) → split → train with sigmoid outputs → micro-F1 on val. */
export async function runMultilabel(
  connection: ConnectionOptionsInput,
  o: MultilabelOptions,
  log: Logger,
): Promise<MultilabelResult> {
  const workDir = await freshWorkDir(o.workDir, o.keyspace);
  const splitFile = join(workDir, 'split.json');
  const gen = await generateMultilabel(join(workDir, 'dataset'), {
    images: o.images,
    size: o.size,
    tags: o.tags,
    presence: o.presence,
    seed: o.seed,
  });
  log(`1. generated ${o.images} JPEGs with 1..${o.tags} shapes each and ${gen.labelsCsv}`);
  await dropKeyspace(connection, o.keyspace);
  const summary = await ingest(
    'multilabel',
    [gen.imagesDir],
    ['--labels', gen.labelsCsv, '--keyspace', o.keyspace],
    connection,
  );
  const vocabulary = summary.vocabulary ?? [];
  log(
    `2. cassdl ingest multilabel: ${summary.rowCount} rows, labels are multi-hot .npy over [${vocabulary.join(', ')}]`,
  );
  await createSplitFile(
    o.keyspace,
    splitFile,
    { ratios: 'train=0.8,val=0.2', seed: o.seed, stratify: false },
    connection,
  );
  log(`3. cassdl split create: ${splitFile}`);

  const tags = vocabulary.length;
  const table = `${o.keyspace}.data`;
  const model = multilabelClassifier(o.size, tags, o.learningRate, o.seed);
  // No random crop here: cutting a shape out would make its tag a lie.
  const augment = pipeline({ seed: o.seed })
    .decode({ channels: 3 })
    .resize({ size: o.size })
    .flip({ horizontal: 0.5, vertical: 0.5 })
    .normalize({ mean: [127.5], std: [127.5] })
    .labels({ npy: { dtype: 'float32' } });
  const trainTruth: number[] = [];
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
    async (batch, ys) => {
      if (batch.epoch === 0)
        trainTruth.push(...(await ys.data()).subarray(0, realRows(batch) * tags));
    },
  );

  const evalTransform = pipeline()
    .decode({ channels: 3 })
    .resize({ size: o.size })
    .normalize({ mean: [127.5], std: [127.5] })
    .labels({ npy: { dtype: 'float32' } });
  const predicted: number[] = [];
  const truth: number[] = [];
  await forEachValBatch(common, async (batch) => {
    const { xs, ys } = await evalTransform.run(batch);
    const probs = tf.tidy(() => model.predict(xs) as tf.Tensor);
    const [p, t] = await Promise.all([probs.data(), ys.data()]);
    tf.dispose([xs, ys, probs]);
    predicted.push(...p.subarray(0, realRows(batch) * tags));
    truth.push(...t.subarray(0, realRows(batch) * tags));
  });
  model.dispose();
  const result = {
    microF1: microF1(f1Counts(predicted, truth)),
    baseline: trivialMicroF1(trainTruth, truth, tags),
    vocabulary,
    valImages: truth.length / tags,
    samplesPerSec,
  };
  log(
    `val micro-F1 ${result.microF1.toFixed(3)} over ${result.valImages} images; best trivial baseline ${result.baseline.toFixed(3)}`,
  );
  return result;
}
