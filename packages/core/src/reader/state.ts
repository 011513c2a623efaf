import { CassdlStateError } from '../errors.js';
import { remainingAfter, type ShardProgress } from '../plan/elastic.js';
import { isRangeList, normalizeRanges, type Range } from '../plan/ranges.js';

/** The facts of a reader a state is checked against. */
export interface StateIdentity {
  readonly seed: number;
  readonly shardId: number;
  readonly numShards: number;
  readonly batchSize: number;
  readonly shuffleEveryEpoch: boolean;
  readonly padLastBatch: boolean;
  /** Samples in the epoch's global order (all sources, after weights). */
  readonly epochSize: number;
  /** Ids in the sources and their fingerprint (FNV-1a over ids and shares): resuming over other data is refused. */
  readonly datasetSize: number;
  readonly datasetFingerprint: string;
}

/**
 * Where a reader stands, as a small JSON-safe object: save it with a
 * checkpoint, pass it to `resume()` in a new process, and the reader
 * continues without repeating or skipping a sample, under the same or (with
 * the states of every shard) another number of shards. The plan is a pure
 * function of these fields and the id lists, so nothing else is needed, and
 * nothing here grows with the epoch: ranges of the global order, not ids.
 */
export interface ReaderState extends StateIdentity {
  readonly version: 2;
  /** The epoch in progress (or next to start). */
  readonly epoch: number;
  /**
   * Positions `[start, end)` of the epoch's global order that were left to
   * deliver when this shard layout started: the whole epoch, or what an
   * elastic resume left. Every shard of a layout has the same `remaining`.
   */
  readonly remaining: readonly Range[];
  /** Rows `[0, delivered)` of this shard's epoch (padding rows included) are delivered. */
  readonly delivered: number;
  /** Row ranges past `delivered` already delivered out of order (the open `ooo` window), ascending. */
  readonly window: readonly Range[];
  /** Rows this shard delivered in this layout, padding included (for progress display). */
  readonly sampleInEpoch: number;
}

/** Fields that make the global order: they must match for any resume. */
const ORDER_KEYS = [
  'seed',
  'shuffleEveryEpoch',
  'epochSize',
  'datasetSize',
  'datasetFingerprint',
] as const;
/** Fields that make the layout: equal ones let a shard continue its own slice. */
const LAYOUT_KEYS = ['shardId', 'numShards', 'batchSize', 'padLastBatch'] as const;

/** How a reader continues from saved state(s). */
export type ResumePoint =
  /** The same layout: this shard's own state; its batches already delivered are skipped. */
  | {
      readonly kind: 'continue';
      readonly epoch: number;
      readonly remaining: readonly Range[];
      readonly delivered: number;
      readonly window: readonly Range[];
    }
  /** A new layout over what the old one left (under this reader's shard count). */
  | { readonly kind: 'relayout'; readonly epoch: number; readonly remaining: readonly Range[] };

/**
 * Decides how a reader with `reader`'s identity continues from `input`: one
 * state of the same shard layout continues it; otherwise the states must be
 * those of every shard of one layout (or one `mergeStates` result), and the
 * reader lays out what none of them delivered under its own shard count.
 */
export function resumePoint(input: unknown, reader: StateIdentity): ResumePoint {
  const states = (Array.isArray(input) ? input : [input]).map((s, i) =>
    checkState(s, reader, Array.isArray(input) ? i : null),
  );
  const [only] = states;
  if (only !== undefined && states.length === 1 && LAYOUT_KEYS.every((k) => only[k] === reader[k]))
    return {
      kind: 'continue',
      epoch: only.epoch,
      remaining: only.remaining,
      delivered: only.delivered,
      window: only.window,
    };
  const merged = merge(states);
  return { kind: 'relayout', epoch: merged.epoch, remaining: merged.remaining };
}

/**
 * One state from the states of every shard of a layout: a one-shard state
 * over what none of them delivered. Save it instead of N states, pass it to
 * `resume()` on any number of shards.
 */
export function mergeStates(states: readonly ReaderState[]): ReaderState {
  const [first] = states;
  if (first === undefined) throw new CassdlStateError('mergeStates(states): no states given.');
  const checked = states.map((s, i) => checkState(s, first, i));
  const merged = merge(checked);
  return {
    ...first,
    epoch: merged.epoch,
    shardId: 0,
    numShards: 1,
    remaining: merged.remaining,
    delivered: 0,
    window: [],
    sampleInEpoch: 0,
  };
}

/** What a whole layout left of its epoch; a layout that finished it gives the next epoch, whole. */
function merge(states: readonly ReaderState[]): { epoch: number; remaining: readonly Range[] } {
  const epoch = Math.min(...states.map((s) => s.epoch));
  const current = states.filter((s) => s.epoch === epoch);
  const finished = states.filter((s) => s.epoch !== epoch);
  for (const s of finished) {
    if (s.epoch !== epoch + 1 || s.delivered > 0 || s.window.length > 0)
      throw new CassdlStateError(
        `resume(states): shard ${s.shardId} is in epoch ${s.epoch} with progress while another shard is still in epoch ${epoch}; take all states at one step.`,
      );
  }
  const [head] = current as [ReaderState];
  for (const s of current) {
    const differs = (['numShards', 'batchSize', 'padLastBatch'] as const).filter(
      (k) => s[k] !== head[k],
    );
    if (JSON.stringify(s.remaining) !== JSON.stringify(head.remaining))
      differs.push('remaining' as never);
    if (differs.length > 0)
      throw new CassdlStateError(
        `resume(states): the states come from different shard layouts (${differs.join(', ')} differ); pass the states of every shard of one layout.`,
      );
  }
  checkCoverage(states, head.numShards);
  const layout = {
    remaining: head.remaining,
    numShards: head.numShards,
    batchSize: head.batchSize,
    padLastBatch: head.padLastBatch,
  };
  const progress: ShardProgress[] = states.map((s) =>
    s.epoch === epoch
      ? { shardId: s.shardId, delivered: s.delivered, window: s.window }
      : { shardId: s.shardId, delivered: Number.MAX_SAFE_INTEGER, window: [] },
  );
  const remaining = remainingAfter(layout, progress);
  if (remaining.length > 0) return { epoch, remaining };
  return { epoch: epoch + 1, remaining: [[0, head.epochSize]] };
}

function checkCoverage(states: readonly ReaderState[], numShards: number): void {
  const ids = states.map((s) => s.shardId);
  const missing = Array.from({ length: numShards }, (_, k) => k).filter((k) => !ids.includes(k));
  const twice = ids.filter((k, i) => ids.indexOf(k) !== i);
  if (missing.length === 0 && twice.length === 0 && states.every((s) => s.numShards === numShards))
    return;
  const parts = [
    ...(missing.length > 0 ? [`missing shard(s) ${missing.join(', ')}`] : []),
    ...(twice.length > 0 ? [`shard(s) ${[...new Set(twice)].join(', ')} given twice`] : []),
  ];
  throw new CassdlStateError(
    `resume(states): changing the shard layout needs the state of every one of the ${numShards} old shards (${parts.join('; ')}); pass them all as an array or as mergeStates(states).`,
  );
}

/**
 * Checks one state (possibly parsed from JSON): version, shape, and that it
 * belongs to the same global order as `reader` (seed, shuffle, data).
 * Names each field that differs. Version-1 states (cassdl before elastic
 * resume) are read as what they meant: batches delivered from a whole epoch.
 */
function checkState(input: unknown, reader: StateIdentity, position: number | null): ReaderState {
  const where = position === null ? 'resume(state)' : `resume(states[${position}])`;
  if (typeof input !== 'object' || input === null)
    throw new CassdlStateError(`${where}: expected the object returned by reader.state().`);
  const state = upgrade(input as Record<string, unknown>, reader);
  if (state.version !== 2)
    throw new CassdlStateError(
      `${where}: unsupported state version ${String(state.version)}, expected 2 (or 1).`,
    );
  const differences = ORDER_KEYS.filter((key) => state[key] !== reader[key]).map(
    (key) =>
      `${key}: state has ${JSON.stringify(state[key])}, reader has ${JSON.stringify(reader[key])}`,
  );
  if (differences.length > 0) {
    throw new CassdlStateError(
      [
        `${where}: the state belongs to another reader configuration or id list:`,
        ...differences.map((d) => `  ${d}`),
      ].join('\n'),
    );
  }
  const valid =
    isCount(state.epoch) &&
    isCount(state.shardId) &&
    isCount(state.numShards) &&
    state.numShards >= 1 &&
    state.shardId < state.numShards &&
    isCount(state.batchSize) &&
    state.batchSize >= 1 &&
    typeof state.padLastBatch === 'boolean' &&
    isCount(state.delivered) &&
    isRangeList(state.remaining, state.epochSize) &&
    isRangeList(state.window, Number.MAX_SAFE_INTEGER) &&
    state.window.every(([s]) => s >= state.delivered);
  if (!valid)
    throw new CassdlStateError(
      `${where}: epoch, shard, delivered, remaining or window out of range (epochSize ${reader.epochSize}).`,
    );
  return {
    ...state,
    remaining: normalizeRanges(state.remaining),
    window: normalizeRanges(state.window),
  };
}

/** A version-1 state: `nextBatch` and `ahead` batches of a whole epoch. */
function upgrade(raw: Record<string, unknown>, reader: StateIdentity): ReaderState {
  if (raw.version !== 1) return raw as unknown as ReaderState;
  const batchSize = raw.batchSize as number;
  const ahead = Array.isArray(raw.ahead) ? (raw.ahead as number[]) : [];
  return {
    ...(raw as unknown as ReaderState),
    version: 2,
    epochSize: reader.epochSize,
    remaining: [[0, reader.epochSize]],
    delivered: (raw.nextBatch as number) * batchSize,
    window: ahead.map((b): Range => [b * batchSize, (b + 1) * batchSize]),
  };
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}
