import { formatUuid, type RawBatch } from '@cassdl/schema';

/** What an epoch delivered, measured against the ids it should have delivered once each. */
export interface LedgerSummary {
  /** Distinct ids the epoch should deliver. */
  readonly expected: number;
  /** Distinct expected ids delivered at least once. */
  readonly delivered: number;
  /** Expected ids delivered more than once. */
  readonly duplicated: number;
  /** Expected ids never delivered. */
  readonly lost: number;
  /** Ids delivered that were never asked for (a wrong row is worse than a lost one). */
  readonly unexpected: number;
  /** True when every expected id came exactly once and nothing else came. */
  readonly exactlyOnce: boolean;
}

/** At most this many ids are listed per category, so a report stays readable after a bad run. */
const SAMPLE_LIMIT = 10;

/**
 * An exactly-once ledger for one epoch: counts every id a reader hands over
 * (declared padding excluded) against the id list, so a fault that silently
 * drops or repeats a row shows up as a number, not as a slightly worse model.
 */
export class ExactlyOnceLedger {
  readonly #counts = new Map<string, number>();
  readonly #unexpected = new Map<string, number>();

  /** `ids`: packed 16-byte keys, or UUID strings (any case). */
  constructor(ids: Uint8Array | readonly string[]) {
    const list = ids instanceof Uint8Array ? unpack(ids) : ids.map((id) => id.toLowerCase());
    for (const id of list) this.#counts.set(id, 0);
  }

  /** Records the real rows of a batch; its trailing `padding` rows repeat a sample on purpose. */
  record(batch: RawBatch): void {
    const real = batch.size - batch.padding;
    for (let i = 0; i < real; i++) this.recordId(formatUuid(batch.ids, i * 16));
  }

  recordId(id: string): void {
    const key = id.toLowerCase();
    const seen = this.#counts.get(key);
    if (seen === undefined) this.#unexpected.set(key, (this.#unexpected.get(key) ?? 0) + 1);
    else this.#counts.set(key, seen + 1);
  }

  summary(): LedgerSummary {
    let delivered = 0;
    let duplicated = 0;
    for (const n of this.#counts.values()) {
      if (n > 0) delivered++;
      if (n > 1) duplicated++;
    }
    const expected = this.#counts.size;
    const lost = expected - delivered;
    const unexpected = this.#unexpected.size;
    return {
      expected,
      delivered,
      duplicated,
      lost,
      unexpected,
      exactlyOnce: lost === 0 && duplicated === 0 && unexpected === 0,
    };
  }

  /** A few ids of each kind of mistake, for a report a human can follow up on. */
  samples(): { lost: string[]; duplicated: string[]; unexpected: string[] } {
    const lost: string[] = [];
    const duplicated: string[] = [];
    for (const [id, n] of this.#counts) {
      if (n === 0 && lost.length < SAMPLE_LIMIT) lost.push(id);
      if (n > 1 && duplicated.length < SAMPLE_LIMIT) duplicated.push(id);
    }
    return { lost, duplicated, unexpected: [...this.#unexpected.keys()].slice(0, SAMPLE_LIMIT) };
  }
}

function unpack(keys: Uint8Array): string[] {
  if (keys.length % 16 !== 0) {
    throw new RangeError(`packed ids must be a multiple of 16 bytes, got ${keys.length}`);
  }
  return Array.from({ length: keys.length / 16 }, (_, i) => formatUuid(keys, i * 16));
}
