import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { validate } from '@cassdl/schema';
import {
  type ClassificationIngestOptions,
  classificationIngestSchema,
  type MultilabelIngestOptions,
  multilabelIngestSchema,
  type SegmentationIngestOptions,
  segmentationIngestSchema,
} from './options.js';
import { type IngestSummary, runIngest } from './run-ingest.js';
import { scanClassification } from './scan-classification.js';
import { scanMultilabel } from './scan-multilabel.js';
import { scanSegmentation } from './scan-segmentation.js';

/** Ingests `DIR/CLASS/*.jpg` (optionally `DIR/{train,val}/CLASS/*.jpg`) with class-index labels. */
export async function ingestClassification(
  input: ClassificationIngestOptions,
): Promise<IngestSummary> {
  const o = validate(classificationIngestSchema, input, 'ingest', 'ingest options');
  const scan = await scanClassification(resolve(o.dir));
  return runIngest('classification', o.dir, o, scan);
}

/** Ingests images with their masks (paired by relative path minus extension); the mask is the label blob. */
export async function ingestSegmentation(input: SegmentationIngestOptions): Promise<IngestSummary> {
  const o = validate(segmentationIngestSchema, input, 'ingest', 'ingest options');
  const scan = await scanSegmentation(resolve(o.imagesDir), resolve(o.masksDir));
  return runIngest('segmentation', o.imagesDir, o, scan);
}

/**
 * Ingests images labelled by a `file,tag1|tag2` CSV; each label is a
 * multi-hot `.npy` vector. The vocabulary (tags by vector position) is
 * written as a JSON array to `<csv name>.vocabulary.json` beside the CSV and
 * stored with the manifest.
 */
export async function ingestMultilabel(input: MultilabelIngestOptions): Promise<IngestSummary> {
  const o = validate(multilabelIngestSchema, input, 'ingest', 'ingest options');
  const scan = await scanMultilabel(resolve(o.dir), resolve(o.labels), o.npyDtype);
  const vocabularyFile = vocabularyPath(o.labels);
  await writeFile(vocabularyFile, `${JSON.stringify(scan.vocabulary ?? [], null, 2)}\n`);
  return runIngest('multilabel', o.dir, o, scan, { vocabularyFile });
}

/** `labels.csv` -> `labels.vocabulary.json` in the same folder. */
export function vocabularyPath(csvPath: string): string {
  return join(dirname(csvPath), `${basename(csvPath, extname(csvPath))}.vocabulary.json`);
}
