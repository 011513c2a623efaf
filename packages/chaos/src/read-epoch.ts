import { CassandraReader, CassdlError } from '@cassdl/core';
import type { ReaderOptionsInput } from '@cassdl/schema';
import { countWrongRows } from './dataset.js';
import { ExactlyOnceLedger, type LedgerSummary } from './ledger.js';

/** What one epoch under a fault came to. */
export interface EpochOutcome {
  readonly ledger: LedgerSummary;
  readonly wrongRows: number;
  /** Growth of `reader.metrics().retries` during the epoch. */
  readonly retries: number;
  readonly batches: number;
  /** The error the epoch (or open, or close) ended with; null when it completed. */
  readonly error: unknown;
  /** How long the reader's `close()` took. */
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
  const { afterBatch } = options;
  const run = await readEpochs({
    reader: options.reader,
    keys: options.keys,
    epochs: 1,
    ...(afterBatch === undefined
      ? {}
      : { afterBatch: (_epoch, delivered) => afterBatch(delivered) }),
  });
  return run.epochs[0] as EpochOutcome;
}

export interface ReadEpochsOptions {
  readonly reader: ReaderOptionsInput;
  /** Ids every epoch must deliver, packed. */
  readonly keys: Uint8Array;
  /** Epochs to read with the one reader (at least 1). */
  readonly epochs: number;
  /** Called after each delivered batch with the epoch (0-based) and the batches delivered in it. */
  readonly afterBatch?: (epoch: number, delivered: number) => void | Promise<void>;
  /**
   * Called when an epoch has completed and before the next one starts (with
   * the next one's index), the reader open and idle: fault the cluster here.
   * A throw ends the run with that error, in the next epoch's outcome.
   */
  readonly betweenEpochs?: (next: number) => void | Promise<void>;
}

/** What one reader made of several epochs. */
export interface EpochsOutcome {
  /**
   * One outcome per epoch started, each with its own ledger, batches and
   * retries (the metric's growth during that epoch); an epoch that failed is
   * the last. `closeMs` is the reader's one close, on every outcome.
   */
  readonly epochs: readonly EpochOutcome[];
  /** The error the run ended with (open, an epoch, a fault between epochs, or close); null when none. */
  readonly error: unknown;
  readonly closeMs: number;
}

/**
 * Opens one reader and reads `epochs` epochs with it, each into its own
 * exactly-once ledger, with `betweenEpochs` in between; then closes it. Never
 * throws for a read failure: the error is part of the outcome.
 */
export async function readEpochs(options: ReadEpochsOptions): Promise<EpochsOutcome> {
  const session = await EpochSession.open(options.reader, options.keys);
  const partial: Omit<EpochOutcome, 'closeMs'>[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    if (epoch > 0) {
      const started = performance.now();
      try {
        await options.betweenEpochs?.(epoch);
      } catch (e) {
        partial.push(session.failed(e, performance.now() - started));
        break;
      }
    }
    const outcome = await session.next(
      options.afterBatch === undefined
        ? undefined
        : (delivered) => options.afterBatch?.(epoch, delivered),
    );
    partial.push(outcome);
    if (outcome.error !== null) break;
  }
  return session.close(partial);
}

/**
 * One reader kept open across epochs, for scenarios that fault the cluster
 * between epochs (or share one fault among several readers). Never throws
 * for a read failure: an open that failed makes every `next()` an epoch that
 * read nothing, with that error.
 */
export class EpochSession {
  readonly #reader: CassandraReader | null;
  readonly #openError: unknown;
  readonly #keys: Uint8Array;
  readonly #openMs: number;
  #epochs = 0;

  private constructor(
    reader: CassandraReader | null,
    openError: unknown,
    keys: Uint8Array,
    openMs: number,
  ) {
    this.#reader = reader;
    this.#openError = openError;
    this.#keys = keys;
    this.#openMs = openMs;
  }

  static async open(reader: ReaderOptionsInput, keys: Uint8Array): Promise<EpochSession> {
    const started = performance.now();
    try {
      const opened = await CassandraReader.open({ ...reader, sourceUuids: keys });
      return new EpochSession(opened, null, keys, performance.now() - started);
    } catch (e) {
      return new EpochSession(null, e, keys, performance.now() - started);
    }
  }

  /** Reads the next epoch into its own ledger; `afterBatch` gets the batches delivered so far. */
  async next(
    afterBatch?: (delivered: number) => void | Promise<void>,
  ): Promise<Omit<EpochOutcome, 'closeMs'>> {
    const reader = this.#reader;
    if (reader === null)
      return this.failed(this.#openError, this.#epochs++ === 0 ? this.#openMs : 0);
    this.#epochs++;
    const started = performance.now();
    const ledger = new ExactlyOnceLedger(this.#keys);
    const retriesBefore = reader.metrics().retries;
    let error: unknown = null;
    let wrongRows = 0;
    let batches = 0;
    try {
      for await (const batch of reader.epoch()) {
        ledger.record(batch);
        wrongRows += countWrongRows(batch);
        batches++;
        await afterBatch?.(batches);
      }
    } catch (e) {
      error = e;
    }
    return {
      ledger: ledger.summary(),
      wrongRows,
      retries: reader.metrics().retries - retriesBefore,
      batches,
      error,
      elapsedMs: performance.now() - started,
    };
  }

  /** An epoch that never read: every id lost, with the error that stopped it. */
  failed(error: unknown, elapsedMs: number): Omit<EpochOutcome, 'closeMs'> {
    return {
      ledger: new ExactlyOnceLedger(this.#keys).summary(),
      wrongRows: 0,
      retries: 0,
      batches: 0,
      error,
      elapsedMs,
    };
  }

  /**
   * Closes the reader, timing it, and completes the outcomes of the epochs
   * read: each gets `closeMs`; a close that fails after a clean last epoch
   * becomes that epoch's error.
   */
  async close(partial: readonly Omit<EpochOutcome, 'closeMs'>[]): Promise<EpochsOutcome> {
    let closeError: unknown = null;
    const started = performance.now();
    await this.#reader?.close().catch((e: unknown) => {
      closeError = e;
    });
    const closeMs = performance.now() - started;
    const epochs = partial.map((p) => ({ ...p, closeMs }));
    const last = epochs.at(-1);
    if (last !== undefined && last.error === null && closeError !== null) {
      epochs[epochs.length - 1] = { ...last, error: closeError };
    }
    return { epochs, error: epochs.at(-1)?.error ?? closeError, closeMs };
  }
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
