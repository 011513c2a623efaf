import { join } from 'node:path';
import { CassandraReader } from '@cassdl/core';
import { toTfDataset } from '@cassdl/core/tf';
import type { DecoderInUse } from '@cassdl/gpu-ops';
import { pipeline } from '@cassdl/gpu-ops';
import type { ConnectionOptionsInput, RawBatch } from '@cassdl/schema';
import * as tf from '@tensorflow/tfjs';
import { idAt, realRows } from '../common/batch-rows.js';
import { createSplitFile, ingest } from '../common/cassdl-cli.js';
import { decoderLine } from '../common/decoder-line.js';
import { dropKeyspace } from '../common/keyspace.js';
import { loaderThroughput } from '../common/loader-throughput.js';
import type { Logger } from '../common/log.js';
import { freshWorkDir } from '../common/workdir.js';
import { generateClassification } from '../data/classification-data.js';
import { accuracy, majorityClassAccuracy } from '../metrics/accuracy.js';
import { smallClassifier } from '../models/classifier.js';
import { saveModel } from '../models/save-load.js';
import type { ClassificationOptions } from './options.js';

export interface ClassificationResult {
  accuracy: number;
  /** Accuracy of always answering the most common training class. */
  baseline: number;
  trainSamples: number;
  valSamples: number;
  /** Reader throughput while training (reader metrics; the model sets the pace), samples/s. */
  samplesPerSec: number;
  /** Input pipeline alone (reader + gpu-ops, no model) over one train epoch, samples/s. */
  loaderSamplesPerSec: number;
  /** Training ids this shard saw, per epoch, padding excluded. */
  idsPerEpoch: string[][];
  splitFile: string;
  /** Which decoder took the training JPEGs ('native' unless @cassdl/native-io lacks its decoder). */
  decoder: DecoderInUse['kind'] | undefined;
}

/** Generate → ingest → split → train → evaluate, as the README walks through. */
export async function runClassification(
  connection: ConnectionOptionsInput,
  o: ClassificationOptions,
  log: Logger,
): Promise<ClassificationResult> {
  const workDir = o.setup ? await freshWorkDir(o.workDir, o.keyspace) : (o.workDir ?? '');
  const splitFile = join(workDir, 'split.json');
  if (o.setup) await prepareData(connection, o, workDir, splitFile, log);

  const table = `${o.keyspace}.data`;
  const model = smallClassifier(o.size, o.classes, o.learningRate, o.seed);
  const trained = await train(connection, o, table, splitFile, model, log);
  const evaluated = await evaluate(connection, o, table, splitFile, model);
  const loader = await loaderThroughput(connection, table, 'int', splitFile, o.batchSize, (b) =>
    augmentation(o).run(b),
  );
  log(
    `5. loader alone (Cassandra → reader → gpu-ops tensors, no model): ${loader.samples} samples in ${loader.seconds.toFixed(2)} s, ${Math.round(loader.samplesPerSec)} samples/s`,
  );
  const baseline = majorityClassAccuracy(trained.labels, evaluated.labels);
  const acc = accuracy(evaluated.predicted, evaluated.labels);
  log(
    `val accuracy ${pct(acc)} over ${evaluated.labels.length} images (majority-class baseline ${pct(baseline)})`,
  );
  if (o.saveModel !== undefined) {
    await saveModel(model, o.saveModel);
    log(`model saved to ${o.saveModel}`);
  }
  model.dispose();
  return {
    accuracy: acc,
    baseline,
    trainSamples: trained.labels.length / o.epochs,
    valSamples: evaluated.labels.length,
    samplesPerSec: trained.samplesPerSec,
    loaderSamplesPerSec: loader.samplesPerSec,
    idsPerEpoch: trained.idsPerEpoch,
    splitFile,
    decoder: trained.decoder,
  };
}

async function prepareData(
  connection: ConnectionOptionsInput,
  o: ClassificationOptions,
  workDir: string,
  splitFile: string,
  log: Logger,
): Promise<void> {
  const dataset = join(workDir, 'dataset');
  const gen = await generateClassification(dataset, {
    classes: o.classes,
    imagesPerClass: o.imagesPerClass,
    size: o.size,
    seed: o.seed,
  });
  log(
    `1. generated ${gen.files} JPEGs of ${o.size}x${o.size} in ${dataset} (${o.classes} classes)`,
  );
  await dropKeyspace(connection, o.keyspace);
  const summary = await ingest('classification', [dataset], ['--keyspace', o.keyspace], connection);
  log(`2. cassdl ingest classification: ${summary.rowCount} rows in ${o.keyspace}.data`);
  await createSplitFile(
    o.keyspace,
    splitFile,
    { ratios: 'train=0.8,val=0.2', seed: o.seed, stratify: true },
    connection,
  );
  log(`3. cassdl split create: ${splitFile} (train 80%, val 20%, stratified)`);
}

/** DALI's training transform: random resized crop, mirror, normalize to [-1, 1]. */
function augmentation(o: ClassificationOptions) {
  return pipeline({ seed: o.seed })
    .decode({ channels: 3 })
    .randomResizedCrop({ size: o.size, scale: [0.6, 1] })
    .flip({ horizontal: 0.5 })
    .normalize({ mean: [127.5], std: [127.5] })
    .labels({ oneHot: o.classes });
}

interface Trained {
  labels: number[];
  idsPerEpoch: string[][];
  samplesPerSec: number;
  decoder: DecoderInUse['kind'] | undefined;
}

async function train(
  connection: ConnectionOptionsInput,
  o: ClassificationOptions,
  table: string,
  splitFile: string,
  model: tf.LayersModel,
  log: Logger,
): Promise<Trained> {
  const reader = await CassandraReader.open({
    connection,
    table,
    labelType: 'int',
    splitFile,
    splitName: 'train',
    batchSize: o.batchSize,
    shuffleEveryEpoch: true,
    seed: o.seed,
    epochs: o.epochs,
    shardId: o.shardId,
    numShards: o.numShards,
  });
  const augment = augmentation(o);
  const seen: Trained = { labels: [], idsPerEpoch: [], samplesPerSec: 0, decoder: undefined };
  const record = (batch: RawBatch) => {
    if (seen.idsPerEpoch[batch.epoch] === undefined) seen.idsPerEpoch[batch.epoch] = [];
    const ids = seen.idsPerEpoch[batch.epoch] ?? [];
    for (let i = 0; i < realRows(batch); i++) {
      ids.push(idAt(batch.ids, i));
      if (batch.labels.kind === 'int') seen.labels.push(batch.labels.values[i] ?? -1);
    }
  };
  log(
    `4. training on shard ${o.shardId}/${o.numShards}: ${reader.size} ids, ${reader.batchesPerEpoch} batches per epoch, ${reader.engineKind} engine`,
  );
  try {
    const started = performance.now();
    const dataset = toTfDataset(reader, async (batch) => {
      record(batch);
      const { xs, ys } = await augment.run(batch);
      return { xs, ys };
    });
    await model.fitDataset(dataset, {
      epochs: o.epochs,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          log(
            `   epoch ${epoch + 1}/${o.epochs}: loss ${logs?.loss?.toFixed(3)}, train accuracy ${pct(logs?.acc ?? 0)}`,
          );
        },
      },
    });
    const trainedRows = seen.idsPerEpoch.reduce((n, ids) => n + ids.length, 0);
    seen.samplesPerSec = trainedRows / ((performance.now() - started) / 1000);
  } finally {
    await reader.close();
  }
  log(
    `   training: ${Math.round(seen.samplesPerSec)} samples/s end to end (on cpu the model, not the loader, sets this pace)`,
  );
  log(`   ${decoderLine(augment.decoder)}`);
  seen.decoder = augment.decoder?.kind;
  return seen;
}

async function evaluate(
  connection: ConnectionOptionsInput,
  o: ClassificationOptions,
  table: string,
  splitFile: string,
  model: tf.LayersModel,
): Promise<{ predicted: number[]; labels: number[] }> {
  const reader = await CassandraReader.open({
    connection,
    table,
    labelType: 'int',
    splitFile,
    splitName: 'val',
    batchSize: o.batchSize,
    shuffleEveryEpoch: false,
  });
  const transform = pipeline()
    .decode({ channels: 3 })
    .resize({ size: o.size })
    .normalize({ mean: [127.5], std: [127.5] })
    .labels({});
  const out = { predicted: [] as number[], labels: [] as number[] };
  try {
    for await (const batch of reader.epoch()) {
      const { xs, ys } = await transform.run(batch);
      const predicted = tf.tidy(() => (model.predict(xs) as tf.Tensor).argMax(-1));
      const [p, l] = await Promise.all([predicted.data(), ys.data()]);
      tf.dispose([xs, ys, predicted]);
      for (let i = 0; i < realRows(batch); i++) {
        out.predicted.push(p[i] ?? -1);
        out.labels.push(l[i] ?? -1);
      }
    }
  } finally {
    await reader.close();
  }
  return out;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
