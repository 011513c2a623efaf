import type { SkippedFile } from '../writer/sample.js';

export type { SkippedFile };

/** One sample to write: where its bytes are and what its rows hold. */
export interface IngestItem {
  /** Path relative to the ingested folder, `/` separators: the name its id is made from. */
  readonly relativePath: string;
  readonly absolutePath: string;
  readonly label: ItemLabel;
  /** Metadata `original_label`: class name, mask path, or tags joined with `|`. */
  readonly originalLabel: string | null;
  /** Metadata `original_split`: `train`/`val`/... from the folder layout, or null. */
  readonly originalSplit: string | null;
}

/** A class index, a file whose bytes are the label (a mask), or bytes made here (a `.npy`). */
export type ItemLabel =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

/** What scanning a source found: the samples, the files left out, and the label vocabulary. */
export interface ScanResult {
  readonly items: IngestItem[];
  readonly skipped: SkippedFile[];
  /** Class names by index (classification). */
  readonly classNames?: string[];
  /** Tags by vector position (multilabel). */
  readonly vocabulary?: string[];
}
