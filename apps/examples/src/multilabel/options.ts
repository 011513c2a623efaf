import type { FlagSpecs, ParsedFlags } from '../common/flags.js';

export interface MultilabelOptions {
  keyspace: string;
  images: number;
  size: number;
  tags: number;
  presence: number;
  epochs: number;
  batchSize: number;
  seed: number;
  learningRate: number;
  workDir?: string;
}

export const MULTILABEL_FLAGS: FlagSpecs = {
  keyspace: { default: 'cassdl_ex_multilabel', help: 'keyspace to create (dropped first)' },
  images: { default: '200', help: 'images to generate' },
  size: { default: '24', help: 'image side in pixels (a 3x3 grid of shapes)' },
  tags: { default: '5', help: 'tags in the vocabulary (2..9)' },
  presence: { default: '0.3', help: 'chance of each tag in an image' },
  epochs: { default: '4', help: 'training epochs' },
  'batch-size': { default: '16', help: 'batch size' },
  seed: { default: '42', help: 'seed of data, split, shuffles and augmentation' },
  'learning-rate': { default: '0.02', help: 'Adam learning rate' },
  'work-dir': { help: 'folder for images, labels.csv and split file (default: OS temp dir)' },
  check: { boolean: true, help: 'exit 1 unless micro-F1 beats the best trivial baseline' },
};

export function multilabelOptions(f: ParsedFlags): MultilabelOptions {
  const presence = f.number('presence');
  if (presence <= 0 || presence >= 1)
    throw new RangeError(`--presence: expected a number in (0, 1), received ${presence}`);
  return {
    keyspace: f.text('keyspace'),
    images: f.int('images', 4),
    size: f.int('size', 9),
    tags: f.int('tags', 2),
    presence,
    epochs: f.int('epochs'),
    batchSize: f.int('batch-size'),
    seed: f.int('seed', 0),
    learningRate: f.number('learning-rate'),
    workDir: f.optional('work-dir'),
  };
}
