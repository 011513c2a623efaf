import { formatUuid, parseReaderOptions, type ReaderOptionsInput } from '@cassdl/schema';
import { EpochPlan } from '../plan/epoch-plan.js';
import { sourcesFingerprint } from '../plan/fingerprint.js';
import { shardSlice, slicePositions } from '../plan/shard-slice.js';
import { resolveSources } from './id-source.js';
import { readSplitFile } from './split-file.js';
import { type ReaderState, resumePoint } from './state.js';

/** The planning fields of reader options: no connection, nothing is read from a database. */
export type PlanOptionsInput = Omit<ReaderOptionsInput, 'connection' | 'table'> & {
  /** Default: the split file's table, or the first source's. */
  readonly table?: string;
};

export interface DescribePlanOptions {
  /** Epoch to show. Default 0 (or the resumed epoch). */
  readonly epoch?: number;
  /** Ids listed per shard. Default 5. */
  readonly first?: number;
  /** Show the layout a resume from these states would read (all old shards' states, or one merged). */
  readonly resume?: ReaderState | readonly ReaderState[];
}

/** What `cassdl plan show` prints: an epoch's plan, computed without reading data. */
export interface EpochPlanSummary {
  readonly epoch: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly epochSize: number;
  /** Samples of the epoch left to the shown layout (less than `epochSize` after a resume). */
  readonly remaining: number;
  readonly numShards: number;
  readonly batchSize: number;
  readonly batchesPerShard: number;
  readonly sources: readonly {
    readonly name: string;
    readonly table: string;
    readonly ids: number;
    /** Samples it gives this epoch (weights, repeat, epochSize applied). */
    readonly samples: number;
  }[];
  readonly shards: readonly {
    readonly shardId: number;
    readonly samples: number;
    readonly padding: number;
    /** The first ids the shard reads, in order, with their source's name. */
    readonly first: readonly { readonly id: string; readonly source: string }[];
  }[];
}

/**
 * The plan of one epoch for every shard of a layout, as the reader would
 * read it: per-source counts, per-shard sizes and the first ids. Pure
 * planning over the id lists (split files are read; no connection is made).
 */
export async function describeEpochPlan(
  input: PlanOptionsInput,
  options: DescribePlanOptions = {},
): Promise<EpochPlanSummary> {
  const parsed = parseReaderOptions({
    ...input,
    table: input.table ?? (await defaultTable(input)),
    // Validation wants a cluster; planning never contacts it.
    connection: { contactPoints: ['127.0.0.1'] },
  });
  const sources = (await resolveSources(parsed)) ?? [];
  const base = {
    ...(parsed.sources === undefined ? { ids: sources[0]?.ids } : { sources }),
    epochSize: parsed.epochSize,
    seed: parsed.seed,
    shuffle: parsed.shuffleEveryEpoch,
    numShards: parsed.numShards,
    batchSize: parsed.batchSize,
    padLastBatch: parsed.padLastBatch,
  };
  let epoch = options.epoch ?? 0;
  let remaining: EpochPlan['layout']['remaining'] | undefined;
  if (options.resume !== undefined) {
    const probe = new EpochPlan({ ...base, epoch, shardId: 0 });
    const point = resumePoint(options.resume, {
      seed: parsed.seed,
      shardId: -1, // never one of the old layout's shards: always a new layout
      numShards: parsed.numShards,
      batchSize: parsed.batchSize,
      shuffleEveryEpoch: parsed.shuffleEveryEpoch,
      padLastBatch: parsed.padLastBatch,
      epochSize: probe.global.length,
      datasetSize: sources.reduce((t, s) => t + s.ids.length / 16, 0),
      datasetFingerprint: sourcesFingerprint(sources, parsed.epochSize),
    });
    epoch = point.epoch;
    remaining = point.remaining;
  }
  const plan = new EpochPlan({ ...base, epoch, shardId: 0, remaining });
  const first = options.first ?? 5;
  return {
    epoch,
    seed: parsed.seed,
    shuffle: parsed.shuffleEveryEpoch,
    epochSize: plan.global.length,
    remaining: plan.layout.remaining.reduce((t, [s, e]) => t + e - s, 0),
    numShards: parsed.numShards,
    batchSize: parsed.batchSize,
    batchesPerShard: plan.batchCount,
    sources: sources.map((s, i) => ({
      name: s.name,
      table: s.table,
      ids: s.ids.length / 16,
      samples: plan.sourceCounts[i] as number,
    })),
    shards: Array.from({ length: parsed.numShards }, (_, k) => {
      const slice = shardSlice(plan.layout, k);
      const positions = slicePositions(slice).subarray(0, first);
      return {
        shardId: k,
        samples: slice.length,
        padding: Math.max(0, slice.batchCount * parsed.batchSize - slice.length),
        first: [...positions].map((p) => {
          const { source, index } = plan.sampleAt(p);
          const s = sources[source];
          return {
            id: formatUuid(s?.ids ?? new Uint8Array(16), index * 16),
            source: s?.name ?? '',
          };
        }),
      };
    }),
  };
}

/** The table the id list names: the split file's, or the first source's. */
async function defaultTable(input: PlanOptionsInput): Promise<string> {
  const [first] = input.sources ?? [];
  if (first?.table !== undefined) return first.table;
  const file = first?.splitFile ?? input.splitFile;
  if (file === undefined) return 'cassdl.unknown';
  const parsed = typeof file === 'string' ? await readSplitFile(file) : file;
  return `${String(parsed.keyspace)}.${String(parsed.dataTable)}`;
}
