import type { FlagSpecs, ParsedFlags } from '../common/flags.js';

export interface SegmentationOptions {
  keyspace: string;
  images: number;
  size: number;
  maxShapes: number;
  epochs: number;
  batchSize: number;
  seed: number;
  learningRate: number;
  workDir?: string;
}

export const SEGMENTATION_FLAGS: FlagSpecs = {
  keyspace: { default: 'cassdl_ex_segmentation', help: 'keyspace to create (dropped first)' },
  images: { default: '96', help: 'images (with masks) to generate' },
  size: { default: '24', help: 'image side in pixels (even), also the crop size' },
  'max-shapes': { default: '3', help: 'shapes per image: 1..N' },
  epochs: { default: '3', help: 'training epochs' },
  'batch-size': { default: '16', help: 'batch size' },
  seed: { default: '42', help: 'seed of data, split, shuffles and augmentation' },
  'learning-rate': { default: '0.01', help: 'Adam learning rate' },
  'work-dir': { help: 'folder for images, masks and split file (default: OS temp dir)' },
  check: { boolean: true, help: 'exit 1 unless mean IoU beats the all-background baseline' },
};

export function segmentationOptions(f: ParsedFlags): SegmentationOptions {
  return {
    keyspace: f.text('keyspace'),
    images: f.int('images', 4),
    size: f.int('size', 8),
    maxShapes: f.int('max-shapes'),
    epochs: f.int('epochs'),
    batchSize: f.int('batch-size'),
    seed: f.int('seed', 0),
    learningRate: f.number('learning-rate'),
    workDir: f.optional('work-dir'),
  };
}
