import { CassandraReader, CassdlError } from '@cassdl/core';
import type { ReaderOptionsInput } from '@cassdl/schema';
import { countWrongRows } from './dataset.js';
import { ExactlyOnceLedger, type LedgerSummary } from './ledger.js';

/** What one epoch under a fault came to. */
export interface EpochOutcome {
  readonly ledger: LedgerSummary;
  readonly wrongRows: number;
  readonly retries: number;
  readonly batches: number;
  /** The error the epoch (or open) ended with; null when it completed. */
  readonly error: unknown;
  /** How long `close()` took. */
  readonly closeMs: number;
  readonly elapsedMs: number;
}

export interface ReadEpochOptions {
  readonly reader: ReaderOptionsInput;
  /** Ids the epoch must deliver, packed. */
  readonly keys: Uint8Array;
  /** Called after each delivered batch with how many were delivered: inject the fault here. */
  readonly afterBatch?: (delivered: number) => void | Promise<void>;
}

/**
 * Opens a reader, reads one epoch into an exactly-once ledger, closes the
 * reader and times the close. Never throws for a read failure: the error is
 * part of the outcome a scenario judges.
 */
export async function readEpoch(options: ReadEpochOptions): Promise<EpochOutcome> {
  const started = performance.now();
  const ledger = new ExactlyOnceLedger(options.keys);
  let reader: CassandraReader | null = null;
  let error: unknown = null;
  let wrongRows = 0;
  let batches = 0;
  try {
    reader = await CassandraReader.open({ ...options.reader, sourceUuids: options.keys });
    for await (const batch of reader.epoch()) {
      ledger.record(batch);
      wrongRows += countWrongRows(batch);
      batches++;
      await options.afterBatch?.(batches);
    }
  } catch (e) {
    error = e;
  }
  const retries = reader?.metrics().retries ?? 0;
  const closeStarted = performance.now();
  await reader?.close().catch((e: unknown) => {
    error ??= e;
  });
  const closeMs = performance.now() - closeStarted;
  return {
    ledger: ledger.summary(),
    wrongRows,
    retries,
    batches,
    error,
    closeMs,
    elapsedMs: performance.now() - started,
  };
}

/** The error in the report: class, stable code when cassdl's, and message. */
export function describeError(
  error: unknown,
): { name: string; code?: string; message: string } | undefined {
  if (error === null || error === undefined) return undefined;
  if (error instanceof CassdlError)
    return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}
