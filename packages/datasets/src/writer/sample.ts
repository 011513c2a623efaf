/** One sample for `DatasetWriter`: its bytes (or file), label and metadata values. */
export interface WriterSample {
  /**
   * The name its id is made from (UUIDv5 in `CASSDL_INGEST_NAMESPACE`), unless
   * `id` is given: the same name always gets the same id, so writing again
   * upserts instead of duplicating. Also the `path` the transform sees.
   */
  readonly name: string;
  /** An id of your own (UUID text) instead of the one made from `name`. */
  readonly id?: string;
  /** The sample's bytes, or `file` to read them from. */
  readonly bytes?: Uint8Array;
  readonly file?: string;
  /** An int label, the label's bytes, or a file holding them (a mask); null or absent: none. */
  readonly label?: number | Uint8Array | { readonly file: string } | null;
  /** Values of the metadata table's extra columns, by column name; missing ones are null. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A sample left out, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

/** Progress of a write, sent after each sample. */
export interface WriteProgress {
  /** Samples handled so far: written + already present + invalid. */
  readonly done: number;
  readonly total: number;
  readonly written: number;
  readonly alreadyPresent: number;
  readonly invalid: number;
}

export interface WriteResult {
  readonly written: number;
  readonly alreadyPresent: number;
  readonly invalid: SkippedFile[];
}
