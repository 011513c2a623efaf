/** Counts for one batch, or summed over a pipeline's life. */
export interface DecodeStats {
  /** Samples seen. */
  samples: number;
  /** Samples decoded successfully. */
  decoded: number;
  /** Samples that failed to decode. */
  corrupt: number;
  /** Corrupt samples left out (`onCorrupt: 'skip'`). */
  skipped: number;
  /** Corrupt samples whose row was filled from another sample (`onCorrupt: 'replace'`). */
  replaced: number;
  /** Ids of the corrupt samples (per batch only; empty in lifetime totals). */
  corruptIds: string[];
}

export function emptyStats(): DecodeStats {
  return { samples: 0, decoded: 0, corrupt: 0, skipped: 0, replaced: 0, corruptIds: [] };
}

export function addStats(total: DecodeStats, batch: DecodeStats): void {
  total.samples += batch.samples;
  total.decoded += batch.decoded;
  total.corrupt += batch.corrupt;
  total.skipped += batch.skipped;
  total.replaced += batch.replaced;
}
