import { type DataPlanePlan, dataPlanePlanSchema, nativeEngineOptionsSchema } from '@cassdl/schema';
import { NativeIoError } from './errors.js';
import type { NativeDataPlaneOptions } from './types.js';

/** The flat object the addon reads (src/binding/plan_config.cc); typed arrays where it walks numbers. */
export interface NativeConfig {
  hosts: { address: string; port: number; up: boolean; sniName: string | null }[];
  ringTokens: BigInt64Array;
  ringStarts: Int32Array;
  ringReplicas: Int32Array;
  ringPreferred: Int32Array;
  /** Protocol version on the wire: always 4 (v5 needs the segment framing this plane does not speak). */
  version: 4;
  /** The row read each connection PREPAREs itself and EXECUTEs. */
  query: string;
  consistency: number;
  labelKind: 0 | 1 | 2;
  table: string;
  username?: string;
  password?: string;
  tls: {
    ca: string | null;
    cert: string | null;
    key: string | null;
    passphrase: string | null;
    serverName: string | null;
    rejectUnauthorized: boolean;
  } | null;
  /** Every connection goes to this SNI proxy, with the host's `sniName` as SNI. */
  proxy: { address: string; port: number } | null;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** The plan's retry table. */
  retryServerCodes: Int32Array;
  connectionsPerHost: number;
  inflight: number;
  skipMissing: boolean;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  batchSlots: number;
  checkRecycled: boolean;
}

/** Prefetch 4, one batch with the consumer, one spare. */
export const DEFAULT_BATCH_SLOTS = 6;

const LABEL_KINDS = { none: 0, int: 1, blob: 2 } as const;

/** Checks plan and options, then flattens them for the addon. */
export function toNativeConfig(plan: DataPlanePlan, options: NativeDataPlaneOptions): NativeConfig {
  checkPlan(plan);
  checkOptions(options);
  const ring = flattenRing(plan);
  const config: NativeConfig = {
    hosts: plan.hosts.map((h) => ({
      address: h.address,
      port: h.port,
      up: h.up,
      sniName: h.sniName,
    })),
    ...ring,
    version: 4,
    query: plan.query,
    consistency: plan.consistency,
    labelKind: LABEL_KINDS[plan.labelType],
    table: `${plan.keyspace}.${plan.table}`,
    tls: plan.tls ? { ...plan.tls } : null,
    proxy: plan.proxy ? { ...plan.proxy } : null,
    connectTimeoutMs: plan.connectTimeoutMs,
    requestTimeoutMs: plan.requestTimeoutMs,
    retryServerCodes: Int32Array.from(plan.retryServerCodes),
    connectionsPerHost: options.connectionsPerHost,
    inflight: options.inflight,
    skipMissing: options.onMissing === 'skip',
    maxAttempts: options.retry.maxAttempts,
    baseDelayMs: options.retry.baseDelayMs,
    maxDelayMs: options.retry.maxDelayMs,
    batchSlots: options.batchSlots ?? DEFAULT_BATCH_SLOTS,
    checkRecycled: options.checkRecycled === true,
  };
  if (plan.credentials) {
    config.username = plan.credentials.username;
    config.password = plan.credentials.password;
  }
  return config;
}

/**
 * Ring entries as typed arrays, each entry's replicas reordered local data
 * center first (`ringPreferred` of them): load is spread over local replicas,
 * remote ones are only retried into.
 */
function flattenRing(
  plan: DataPlanePlan,
): Pick<NativeConfig, 'ringTokens' | 'ringStarts' | 'ringReplicas' | 'ringPreferred'> {
  const ringTokens = new BigInt64Array(plan.ring.length);
  const ringStarts = new Int32Array(plan.ring.length + 1);
  const ringPreferred = new Int32Array(plan.ring.length);
  const replicas: number[] = [];
  plan.ring.forEach((range, i) => {
    ringTokens[i] = BigInt(range.token);
    const local = range.replicas.filter((r) => plan.hosts[r]?.local);
    const remote = range.replicas.filter((r) => !plan.hosts[r]?.local);
    replicas.push(...local, ...remote);
    ringStarts[i + 1] = replicas.length;
    ringPreferred[i] = local.length > 0 ? local.length : remote.length;
  });
  return { ringTokens, ringStarts, ringReplicas: Int32Array.from(replicas), ringPreferred };
}

function checkPlan(plan: DataPlanePlan): void {
  const parsed = dataPlanePlanSchema.safeParse(plan);
  if (parsed.success) return;
  // The plan comes from @cassdl/core's control plane: a bad one is our bug.
  const issues = parsed.error.issues
    .map((i) => `plan.${i.path.join('.')}: ${i.message}`)
    .join('; ');
  throw new NativeIoError('ERR_CASSDL_INTERNAL', `invalid data-plane plan: ${issues}`);
}

function checkOptions(options: NativeDataPlaneOptions): void {
  // The ranges of the reader options (@cassdl/schema): a value the reader accepts is one this plane accepts.
  const parsed = nativeEngineOptionsSchema.safeParse(options);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  const value = issue.path.reduce<unknown>(
    (at, key) =>
      typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined,
    options,
  );
  throw new TypeError(
    `options.${issue.path.join('.')}: expected ${expectation(issue.message)}, received ${String(value)} (${typeof value})`,
  );
}

/** zod's message for an enum lists the values; the integer schemas already read as an expectation. */
function expectation(message: string): string {
  return message.replace(/^Invalid option: expected one of /, 'one of ');
}
