import type { RawLabels } from '@cassdl/schema';
import type {
  Engine,
  EngineKind,
  EngineLimits,
  EngineStats,
  FetchedRows,
  FetchOptions,
} from './engine.js';

/**
 * Reads a weighted mix whose sources live in several tables as one stream:
 * one engine per table (each over its own `DataPlanePlan`, so neither data
 * plane needs to know about mixing), a batch's keys split by table, fetched
 * concurrently, and the rows merged back into key order in one arena. Costs
 * one extra copy of each batch and a connection pool per table; a mix from
 * one table never comes here.
 */
export class SourceRoutedEngine implements Engine {
  readonly kind: EngineKind;
  readonly #engines: readonly Engine[];
  /** Engine (table slot) of each source index. */
  readonly #tableOf: readonly number[];
  /** Each engine's share of an epoch's rows (sums to 1): its share of the in-flight limit. */
  readonly #shares: readonly number[];

  /** `engines[0]` reads keys that name no source (interactive `fetch`). */
  constructor(engines: readonly Engine[], tableOf: readonly number[], shares: readonly number[]) {
    const [first] = engines;
    if (first === undefined) throw new RangeError('SourceRoutedEngine needs an engine');
    this.kind = first.kind;
    this.#engines = engines;
    this.#tableOf = tableOf;
    this.#shares = shares;
  }

  /** Splits the in-flight limit by each table's share of the rows (at least 16 each, as at open). */
  setLimits(limits: EngineLimits): void {
    this.#engines.forEach((engine, t) => {
      const share = this.#shares[t] ?? 0;
      const inflight = Math.max(Math.min(16, limits.inflight), Math.round(limits.inflight * share));
      engine.setLimits({ ...limits, inflight });
    });
  }

  async fetch(keys: Uint8Array, options: FetchOptions = {}): Promise<FetchedRows> {
    const [first] = this.#engines as [Engine];
    const { sources } = options;
    if (sources == null) return first.fetch(keys, { leased: options.leased });
    const n = keys.length / 16;
    const slot = new Uint8Array(n);
    const counts = this.#engines.map(() => 0);
    for (let i = 0; i < n; i++) {
      const t = this.#tableOf[sources[i] as number] ?? 0;
      slot[i] = t;
      counts[t] = (counts[t] as number) + 1;
    }
    const parts = counts.map((c) => new Uint8Array(c * 16));
    const filled = counts.map(() => 0);
    for (let i = 0; i < n; i++) {
      const t = slot[i] as number;
      (parts[t] as Uint8Array).set(keys.subarray(i * 16, i * 16 + 16), (filled[t] as number) * 16);
      filled[t] = (filled[t] as number) + 1;
    }
    // The rows are copied into one arena below, so each table's arena can be lent and given back at once.
    const settled = await Promise.allSettled(
      parts.map((p, t) =>
        p.length === 0 ? null : (this.#engines[t] as Engine).fetch(p, { leased: true }),
      ),
    );
    const results = settled.map((r) => (r.status === 'fulfilled' ? r.value : null));
    try {
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      return mergeRows(keys, slot, results);
    } finally {
      for (const r of results) r?.release?.();
    }
  }

  stats(): EngineStats {
    const all = this.#engines.map((e) => e.stats());
    const sum = (f: (s: EngineStats) => number) => all.reduce((t, s) => t + f(s), 0);
    const max = (f: (s: EngineStats) => number) => Math.max(...all.map(f));
    return {
      requests: sum((s) => s.requests),
      retries: sum((s) => s.retries),
      failures: sum((s) => s.failures),
      rows: sum((s) => s.rows),
      bytes: sum((s) => s.bytes),
      inflight: sum((s) => s.inflight),
      peakInflight: sum((s) => s.peakInflight),
      missing: sum((s) => s.missing),
      // Percentiles do not add up across engines: report the slowest table's.
      latencyMs: {
        p50: max((s) => s.latencyMs.p50),
        p90: max((s) => s.latencyMs.p90),
        p99: max((s) => s.latencyMs.p99),
        max: max((s) => s.latencyMs.max),
      },
      hosts: all.flatMap((s) => s.hosts ?? []),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.#engines.map((e) => e.close()));
  }
}

/** Rows of each table's fetch (each in its own key order) woven back into the order of `keys`. */
function mergeRows(
  keys: Uint8Array,
  slot: Uint8Array,
  results: readonly (FetchedRows | null)[],
): FetchedRows {
  const present = results.filter((r): r is FetchedRows => r !== null);
  const size = present.reduce((t, r) => t + r.size, 0);
  const ids = new Uint8Array(size * 16);
  const data = new Uint8Array(present.reduce((t, r) => t + r.data.length, 0));
  const dataOffsets = new Uint32Array(size + 1);
  const kind = present[0]?.labels.kind ?? 'none';
  const ints = kind === 'int' ? new Int32Array(size) : null;
  const blobBytes = present.reduce(
    (t, r) => t + (r.labels.kind === 'blob' ? r.labels.data.length : 0),
    0,
  );
  const blob = kind === 'blob' ? new Uint8Array(blobBytes) : null;
  const blobOffsets = kind === 'blob' ? new Uint32Array(size + 1) : null;
  const next = results.map(() => 0);
  let out = 0;
  for (let i = 0; i < slot.length; i++) {
    const t = slot[i] as number;
    const r = results[t];
    const j = next[t] as number;
    // A key its table skipped (onMissing: 'skip') has no row: the next row is a later key's.
    if (r == null || j >= r.size || !sameKey(keys, i, r.ids, j)) continue;
    next[t] = j + 1;
    ids.set(r.ids.subarray(j * 16, j * 16 + 16), out * 16);
    const bytes = r.data.subarray(r.dataOffsets[j] as number, r.dataOffsets[j + 1] as number);
    data.set(bytes, dataOffsets[out] as number);
    dataOffsets[out + 1] = (dataOffsets[out] as number) + bytes.length;
    copyLabel(r.labels, j, ints, blob, blobOffsets, out);
    out++;
  }
  const missing = new Uint8Array(present.reduce((t, r) => t + r.missing.length, 0));
  let m = 0;
  for (const r of present) {
    missing.set(r.missing, m);
    m += r.missing.length;
  }
  return { size, ids, data, dataOffsets, labels: labelsOf(kind, ints, blob, blobOffsets), missing };
}

function copyLabel(
  labels: RawLabels,
  j: number,
  ints: Int32Array | null,
  blob: Uint8Array | null,
  blobOffsets: Uint32Array | null,
  out: number,
): void {
  if (labels.kind === 'int' && ints !== null) ints[out] = labels.values[j] as number;
  if (labels.kind === 'blob' && blob !== null && blobOffsets !== null) {
    const bytes = labels.data.subarray(
      labels.offsets[j] as number,
      labels.offsets[j + 1] as number,
    );
    blob.set(bytes, blobOffsets[out] as number);
    blobOffsets[out + 1] = (blobOffsets[out] as number) + bytes.length;
  }
}

function labelsOf(
  kind: RawLabels['kind'],
  ints: Int32Array | null,
  blob: Uint8Array | null,
  blobOffsets: Uint32Array | null,
): RawLabels {
  if (kind === 'int' && ints !== null) return { kind, values: ints };
  if (kind === 'blob' && blob !== null && blobOffsets !== null)
    return { kind, data: blob, offsets: blobOffsets };
  return { kind: 'none' };
}

function sameKey(a: Uint8Array, i: number, b: Uint8Array, j: number): boolean {
  for (let k = 0; k < 16; k++) if (a[i * 16 + k] !== b[j * 16 + k]) return false;
  return true;
}
