import { z } from 'zod';
import { byteSizeSchema } from './byte-size.js';
import {
  applyConnectionDefaults,
  type ConnectionFields,
  type ConnectionOptions,
  checkConnectionRules,
  connectionFieldsSchema,
} from './connection.js';
import { engineFields } from './engine/engine-options.js';
import { retryFields } from './engine/retry-policy.js';
import { checkSources, readerSourceFieldsSchema } from './reader-sources.js';
import { quoteList, splitFileSchema } from './split-file.js';
import { splitMismatches } from './split-selection.js';
import {
  type DataTable,
  identifierSchema,
  labelTypeSchema,
  qualifiedTableNameSchema,
} from './table.js';
import { BadUuidReporter, decodeUuidInto } from './uuid.js';
import { uint8ArraySchema } from './validation/bytes.js';
import { integer, uint32 } from './validation/numbers.js';
import { addIssue } from './validation/refine.js';
import { validate } from './validation/validate.js';
import { whenValid } from './validation/when-valid.js';

/**
 * Connection options cassandra-dali-plugin takes at the top level of its
 * reader; cassdl accepts them there too and merges them into `connection`.
 */
export const TOP_LEVEL_CONNECTION_KEYS = [
  'username',
  'password',
  'useSsl',
  'sslCertificate',
  'sslOwnCertificate',
  'sslOwnKey',
  'sslOwnKeyPass',
  'cloudConfig',
] as const;

type TopLevelKey = (typeof TOP_LEVEL_CONNECTION_KEYS)[number];

const topLevelConnection = connectionFieldsSchema.pick({
  username: true,
  password: true,
  useSsl: true,
  sslCertificate: true,
  sslOwnCertificate: true,
  sslOwnKey: true,
  sslOwnKeyPass: true,
  cloudConfig: true,
}).shape;

/**
 * Ids as UUID strings, or already packed as `16 * n` bytes; output packed.
 * One pass decodes and checks each string, so a million ids cost one loop.
 */
const sourceUuidsSchema = z.union([z.array(z.string()), uint8ArraySchema]).transform((ids, ctx) => {
  if (ids.length === 0) return reject(ctx, 'at least one id', ids);
  if (ids instanceof Uint8Array) {
    return ids.length % 16 === 0 ? ids : reject(ctx, 'Uint8Array of 16 bytes per id', ids);
  }
  const packed = new Uint8Array(ids.length * 16);
  const bad = new BadUuidReporter(ctx);
  ids.forEach((id, i) => {
    if (!decodeUuidInto(id, packed, i * 16)) bad.add(i, id);
  });
  bad.finish();
  return bad.any ? z.NEVER : packed;
});

function reject(ctx: z.core.$RefinementCtx, expected: string, input: unknown): never {
  addIssue(ctx, [], expected, input);
  return z.NEVER;
}

/** The smallest `memoryBudget`: a few batches of small rows. */
export const MIN_MEMORY_BUDGET = 1 << 20;

/** `'auto'` or a user's value (which the pipeline controller takes as an upper bound). */
function autoOr<T extends z.ZodType>(schema: T) {
  return z.union([z.literal('auto'), schema]);
}

/** Backoff for a failed row read: delay doubles from `baseDelayMs` up to `maxDelayMs`, with jitter. */
export const retryOptionsSchema = z.strictObject({
  /** Tries per row, the first included. Default 5. */
  maxAttempts: retryFields.maxAttempts.default(5),
  /** First backoff delay. Default 50. */
  baseDelayMs: retryFields.baseDelayMs.default(50),
  /** Largest backoff delay. Default 2000. */
  maxDelayMs: retryFields.maxDelayMs.default(2000),
});

export const consistencySchema = z.enum(['LOCAL_ONE', 'ONE', 'LOCAL_QUORUM', 'QUORUM', 'ALL']);
export type Consistency = z.output<typeof consistencySchema>;

/** Every reader field as written; `readerOptionsSchema` adds the cross-field rules. */
export const readerFieldsSchema = z.strictObject({
  /** Where the cluster is. The DALI-style `username`, `password`, `useSsl`, `ssl*`, `cloudConfig` may also be given at the top level. */
  connection: connectionFieldsSchema.optional(),
  ...topLevelConnection,
  /** Data table as `keyspace.table`. */
  table: qualifiedTableNameSchema,
  /** Id column (uuid). Default `'id'`. */
  idCol: identifierSchema.default('id'),
  /** Data column (blob). Default `'data'`. */
  dataCol: identifierSchema.default('data'),
  /** Label column. Default `'label'`. */
  labelCol: identifierSchema.default('label'),
  /** `'int'`, `'blob'` or `'none'`. Default `'int'`. */
  labelType: labelTypeSchema.default('int'),
  /** Ids to read: UUID strings or packed bytes (16 per id). Excludes `splitFile`. */
  sourceUuids: sourceUuidsSchema.optional(),
  /** Split file: a path, or an already parsed split file. Needs `splitName`. */
  splitFile: z.union([z.string().min(1), splitFileSchema]).optional(),
  /** Which split of `splitFile` to read, e.g. `'train'`. */
  splitName: z.string().min(1).optional(),
  /**
   * Weighted mix of id lists, possibly from several tables with the same
   * columns as `table`: `[{ table, sourceUuids | splitFile + splitName,
   * weight | proportion | repeat }]`. Excludes the top-level id list.
   */
  sources: z.array(readerSourceFieldsSchema(sourceUuidsSchema)).min(1).max(65535).optional(),
  /** Samples per epoch of a weighted mix (up- or down-samples the weighted sources). Default: the sources' sizes added up. */
  epochSize: integer(1).optional(),
  /** Rows per batch. Default 128. */
  batchSize: integer(1, 1 << 20).default(128),
  /**
   * Batches submitted ahead of the consumer (fetching or fetched). `'auto'`
   * (default): the reader's pipeline controller sizes it from the measured
   * delivery rate and round trip; a number is an upper bound on it.
   */
  prefetchBuffers: autoOr(integer(1, 1 << 16)).default('auto'),
  /**
   * Row requests open at once across all connections (hides round-trip
   * latency). `'auto'` (default): the controller aims it at the link's
   * bandwidth-delay product with headroom; a number is an upper bound on it.
   */
  inflight: autoOr(engineFields.inflight).default('auto'),
  /**
   * Bytes the reader may hold: rows in flight, batches prefetched, batches
   * handed out and not yet released. A number or a size such as `'512MiB'`.
   * Default `'auto'`: the lesser of 1 GiB and a quarter of the machine's memory.
   */
  memoryBudget: z.union([z.literal('auto'), byteSizeSchema(MIN_MEMORY_BUDGET)]).default('auto'),
  /**
   * TCP connections to each host. `'auto'` (default): 8 for the native
   * engine, 2 for the driver engine. A long link carries at most a socket
   * window per connection per round trip, and a server spreads connections
   * over its event loops: through Toxiproxy here, 8 native connections read
   * 110 KB rows at +400 ms 44-52% faster than 2, and 2 KB rows at +0 ms 30%
   * faster, and no slower anywhere.
   */
  connectionsPerHost: autoOr(engineFields.connectionsPerHost).default('auto'),
  /** This process's shard, `0 <= shardId < numShards`. Default 0. */
  shardId: integer(0).default(0),
  /** Shards the ids are divided among (one per training process). Default 1. */
  numShards: integer(1).default(1),
  /** Reshuffle the ids each epoch from `(seed, epoch)`. Default true. */
  shuffleEveryEpoch: z.boolean().default(true),
  /** Shuffle seed, a uint32; the same seed gives the same order everywhere. Default 0. */
  seed: uint32().default(0),
  /** Epochs to read; ignored when `loopForever`. Default 1. */
  epochs: integer(1).default(1),
  /** Never end: start the next epoch after the last. Default false. */
  loopForever: z.boolean().default(false),
  /** Out-of-order: fill batches with whichever rows arrive first. Default false. */
  ooo: z.boolean().default(false),
  /** Ramp the prefetch window up over this many batches so a cold cluster is not flooded. Default 0 (off). */
  slowStart: integer(0).default(0),
  /** Pad the last batch of an epoch to `batchSize` by repeating samples. Default true. */
  padLastBatch: z.boolean().default(true),
  /** A missing row or null data: `'error'` stops with its id, `'skip'` counts it. Default `'error'`. */
  onMissing: engineFields.onMissing.default('error'),
  /** `'native'`, `'driver'`, or `'auto'` (native when it loads). Default `'auto'`. */
  engine: z.enum(['auto', 'native', 'driver']).default('auto'),
  /** Backoff of failed row reads. Default `{ maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 2000 }`. */
  retry: retryOptionsSchema.prefault({}),
  /** Time one row read may take before it is retried. Default 12000. */
  requestTimeoutMs: integer(1, 3_600_000).default(12000),
  /** Consistency of row reads. Default `'LOCAL_ONE'`. */
  consistency: consistencySchema.default('LOCAL_ONE'),
});

type ReaderFields = z.output<typeof readerFieldsSchema>;

/**
 * Reader options: fields, then the rules between them (each rule runs once
 * its own fields are valid, so one error lists them all), then the
 * connection merged and defaulted.
 */
export const readerOptionsSchema = readerFieldsSchema
  .superRefine(checkShard, whenValid(['shardId', 'numShards']))
  .superRefine(checkRetry, whenValid(['retry']))
  .superRefine(
    checkIdSource,
    whenValid([
      'sourceUuids',
      'splitFile',
      'splitName',
      'table',
      'idCol',
      'dataCol',
      'labelCol',
      'labelType',
    ]),
  )
  .superRefine(
    checkSources,
    whenValid([
      'sources',
      'epochSize',
      'sourceUuids',
      'splitFile',
      'table',
      'idCol',
      'dataCol',
      'labelCol',
      'labelType',
    ]),
  )
  .superRefine(checkConnection, whenValid(['connection', ...TOP_LEVEL_CONNECTION_KEYS]))
  .transform(toReaderOptions);

export type ReaderOptions = z.output<typeof readerOptionsSchema>;
export type ReaderOptionsInput = z.input<typeof readerOptionsSchema>;

/** Parses reader options; throws CassdlValidationError listing every bad field under `reader.`. */
export function parseReaderOptions(input: unknown): ReaderOptions {
  return validate(readerOptionsSchema, input, 'reader', 'reader options');
}

function checkShard(v: ReaderFields, ctx: z.core.$RefinementCtx): void {
  if (v.shardId >= v.numShards) {
    addIssue(ctx, ['shardId'], `integer < numShards (${v.numShards})`, v.shardId);
  }
}

function checkRetry(v: ReaderFields, ctx: z.core.$RefinementCtx): void {
  const { baseDelayMs, maxDelayMs } = v.retry;
  if (baseDelayMs > maxDelayMs) {
    addIssue(
      ctx,
      ['retry', 'baseDelayMs'],
      `integer <= retry.maxDelayMs (${maxDelayMs})`,
      baseDelayMs,
    );
  }
}

function checkConnection(v: ReaderFields, ctx: z.core.$RefinementCtx): void {
  const topLevelStyle =
    v.connection === undefined || TOP_LEVEL_CONNECTION_KEYS.some((k) => v[k] !== undefined);
  // Point each problem at where the user wrote the field, or would write it.
  const pathOf = (key: keyof ConnectionFields): PropertyKey[] => {
    const topLevel = (TOP_LEVEL_CONNECTION_KEYS as readonly string[]).includes(key);
    if (topLevel && v[key as TopLevelKey] !== undefined) return [key];
    if (v.connection?.[key] !== undefined) return ['connection', key];
    return topLevel && topLevelStyle ? [key] : ['connection', key];
  };
  checkConnectionRules(mergeConnection(v, ctx), ctx, pathOf);
}

function checkIdSource(v: ReaderFields, ctx: z.core.$RefinementCtx): void {
  if (v.sourceUuids !== undefined && v.splitFile !== undefined) {
    addIssue(
      ctx,
      ['splitFile'],
      'no splitFile when sourceUuids is given (one id source)',
      v.splitFile,
    );
  }
  if (v.splitFile !== undefined && v.splitName === undefined) {
    const names =
      typeof v.splitFile === 'string' ? '' : ` (${quoteList(Object.keys(v.splitFile.splits))})`;
    addIssue(ctx, ['splitName'], `a split name because splitFile is set${names}`, undefined);
  }
  if (v.splitName !== undefined && v.splitFile === undefined) {
    addIssue(ctx, ['splitFile'], 'a split file because splitName is set', undefined);
  }
  if (typeof v.splitFile === 'object') {
    for (const m of splitMismatches(v, v.splitFile)) addIssue(ctx, [m.key], m.expected, m.received);
  }
}

/** The connection fields with the top-level DALI-style ones folded in; conflicts are reported. */
function mergeConnection(v: ReaderFields, ctx?: z.core.$RefinementCtx): ConnectionFields {
  const merged: Record<string, unknown> = { ...v.connection };
  for (const key of TOP_LEVEL_CONNECTION_KEYS) {
    const top = v[key];
    if (top === undefined) continue;
    const inner = merged[key];
    if (inner !== undefined && JSON.stringify(inner) !== JSON.stringify(top) && ctx !== undefined) {
      addIssue(ctx, [key], `the same value as connection.${key} (given in both places)`, top);
    }
    merged[key] = top;
  }
  return merged as ConnectionFields;
}

function toReaderOptions(v: ReaderFields) {
  const connection: ConnectionOptions = applyConnectionDefaults(mergeConnection(v));
  const {
    username: _u,
    password: _p,
    useSsl: _s,
    sslCertificate: _c,
    sslOwnCertificate: _oc,
    sslOwnKey: _ok,
    sslOwnKeyPass: _okp,
    cloudConfig: _cc,
    ...rest
  } = v;
  return { ...rest, connection };
}

/** The data table a reader reads, in the shape the DDL and control plane use. */
export function dataTableOf(options: ReaderOptions): DataTable {
  const [keyspace = '', table = ''] = options.table.split('.');
  const { idCol, dataCol, labelCol, labelType } = options;
  return { keyspace, table, idCol, dataCol, labelCol, labelType };
}
