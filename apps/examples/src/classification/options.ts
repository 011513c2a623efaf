import type { FlagSpecs, ParsedFlags } from '../common/flags.js';

/** Everything the classification example can be told; the CLI flags map onto it. */
export interface ClassificationOptions {
  keyspace: string;
  classes: number;
  imagesPerClass: number;
  size: number;
  epochs: number;
  batchSize: number;
  seed: number;
  learningRate: number;
  /** Folder for the generated images and the split file. */
  workDir?: string;
  /** This process's shard of the training split (data-parallel ranks). */
  shardId: number;
  numShards: number;
  /** false: reuse the dataset and split already in `workDir` (shard workers). */
  setup: boolean;
  /** Save the trained model here (the inference example serves it). */
  saveModel?: string;
}

export const CLASSIFICATION_FLAGS: FlagSpecs = {
  keyspace: { default: 'cassdl_ex_classification', help: 'keyspace to create (dropped first)' },
  classes: { default: '10', help: 'number of classes (2..10)' },
  'images-per-class': { default: '30', help: 'images generated per class' },
  size: { default: '32', help: 'image side in pixels, also the crop size' },
  epochs: { default: '3', help: 'training epochs' },
  'batch-size': { default: '32', help: 'batch size' },
  seed: { default: '42', help: 'seed of data, split, shuffles and augmentation' },
  'learning-rate': { default: '0.01', help: 'Adam learning rate' },
  'work-dir': { help: 'folder for images and split file (default: OS temp dir)' },
  shards: {
    default: '1',
    help: 'train as this many processes (shardId 0..N-1) and check exactly-once',
  },
  'save-model': { help: 'folder to save the trained model to (for the inference example)' },
  check: { boolean: true, help: 'exit 1 unless accuracy beats the majority-class baseline' },
  'shard-id': { help: 'internal: run as this shard of a --shards run' },
  'num-shards': { help: 'internal: shard count of a --shards run' },
};

export function classificationOptions(f: ParsedFlags): ClassificationOptions {
  const shardId = f.optional('shard-id');
  return {
    keyspace: f.text('keyspace'),
    classes: f.int('classes', 2),
    imagesPerClass: f.int('images-per-class', 2),
    size: f.int('size', 8),
    epochs: f.int('epochs'),
    batchSize: f.int('batch-size'),
    seed: f.int('seed', 0),
    learningRate: f.number('learning-rate'),
    workDir: f.optional('work-dir'),
    shardId: shardId === undefined ? 0 : f.int('shard-id', 0),
    numShards: shardId === undefined ? 1 : f.int('num-shards'),
    setup: shardId === undefined,
    saveModel: f.optional('save-model'),
  };
}
