import { z } from 'zod';
import { identifierSchema, type LabelType, labelTypeSchema, schemaNameSchema } from './table.js';
import { integer } from './validation/numbers.js';
import { addIssue } from './validation/refine.js';
import { whenValid } from './validation/when-valid.js';

/**
 * What the control plane (cassandra-driver in @cassdl/core) hands to a data
 * plane (the native engine or the driver engine): everything needed to read
 * rows by id without discovering topology. It carries the row read's text,
 * not a prepared id: each engine prepares it on its own connections (the
 * driver engine through cassandra-driver, the native engine with its own
 * PREPARE). Plain data, so it crosses worker threads and the native boundary as is.
 */
export interface DataPlanePlan {
  /** CQL native protocol version the data plane speaks (the control plane states 4; 5 is reserved). */
  readonly protocolVersion: number;
  readonly keyspace: string;
  readonly table: string;
  readonly idCol: string;
  readonly dataCol: string;
  /** Absent when `labelType` is `'none'`. */
  readonly labelCol: string | null;
  readonly labelType: LabelType;
  /**
   * The row read, e.g. `SELECT "data", "label" FROM "ks"."t" WHERE "id" = ?`:
   * its columns are `dataCol` then `labelCol` (when labelled), whose types
   * the control plane checked against the table before writing the plan.
   */
  readonly query: string;
  /** Consistency level code as sent on the wire (LOCAL_ONE = 0x000a by default). */
  readonly consistency: number;
  readonly hosts: readonly PlanHost[];
  /**
   * Murmur3 token ring, sorted by `token` ascending. Entry `i` owns the range
   * `(ring[i-1].token, ring[i].token]` (wrapping for `i = 0`); its `replicas`
   * index into `hosts`, primary replica first.
   */
  readonly ring: readonly PlanTokenRange[];
  readonly credentials: { readonly username: string; readonly password: string } | null;
  readonly tls: PlanTls | null;
  /**
   * An SNI proxy every connection goes through (Astra): the data plane opens
   * TLS to this address, sends the host's `sniName` as SNI and the proxy
   * forwards to that host. Needs `tls` and a `sniName` on every host. null:
   * each host is connected to directly at its `address`.
   */
  readonly proxy: PlanProxy | null;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /**
   * Server error codes a row read retries on the next replica (after
   * backoff); any other fails the row. The control plane sends
   * `RETRY_SERVER_CODES`, the one table both engines apply.
   */
  readonly retryServerCodes: readonly number[];
}

export interface PlanHost {
  /** IP address the data plane connects to (already translated). */
  readonly address: string;
  readonly port: number;
  readonly datacenter: string;
  readonly rack: string;
  /** False when the control plane saw the host down; engines skip it first. */
  readonly up: boolean;
  /** True when the host is in the local data center. */
  readonly local: boolean;
  /**
   * Name sent as SNI on TLS connections to this host instead of
   * `tls.serverName` (Astra: the host id, by which the SNI proxy routes);
   * the certificate is still checked against `tls.serverName`. null: no
   * per-host name.
   */
  readonly sniName: string | null;
}

/** Where an SNI proxy listens; the control plane resolves its name once. */
export interface PlanProxy {
  /** IP address of the proxy. */
  readonly address: string;
  readonly port: number;
}

export interface PlanTokenRange {
  /** Murmur3 token as a decimal string (int64 does not fit a JS number). */
  readonly token: string;
  readonly replicas: readonly number[];
}

export interface PlanTls {
  /** PEM of the CA(s) to verify the server with; null uses the system store. */
  readonly ca: string | null;
  /** PEM client certificate for mutual TLS. */
  readonly cert: string | null;
  /** PEM client key for mutual TLS, possibly encrypted with `passphrase`. */
  readonly key: string | null;
  readonly passphrase: string | null;
  /**
   * Name checked against the server's certificate, and sent as SNI unless
   * the host has a `sniName`; null checks the address connected to (the
   * host's, or the proxy's).
   */
  readonly serverName: string | null;
  readonly rejectUnauthorized: boolean;
}

// ---------------------------------------------------------------------------
// Runtime check of the plan, so the native data plane only ever sees a plan
// whose indices and lengths it can trust.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An SNI host name goes into a TLS extension as is: printable ASCII, no spaces (a UUID in Astra). */
const sniNameSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: 'an SNI name (1-255 printable ASCII characters)' });

const planHostSchema = z.strictObject({
  address: z.union([z.ipv4(), z.ipv6()]),
  port: integer(1, 65535),
  datacenter: z.string(),
  rack: z.string(),
  up: z.boolean(),
  local: z.boolean(),
  sniName: sniNameSchema.nullable(),
});

const planProxySchema = z.strictObject({
  address: z.union([z.ipv4(), z.ipv6()]),
  port: integer(1, 65535),
});

const tokenSchema = z.string().refine(isInt64, { error: 'int64 as a decimal string' });

const planTokenRangeSchema = z.strictObject({
  token: tokenSchema,
  replicas: z.array(integer(0)).min(1),
});

const planTlsSchema = z.strictObject({
  ca: z.string().nullable(),
  cert: z.string().nullable(),
  key: z.string().nullable(),
  passphrase: z.string().nullable(),
  serverName: z.string().nullable(),
  rejectUnauthorized: z.boolean(),
});

/** Runtime schema of `DataPlanePlan`; its output is checked to be that interface. */
export const dataPlanePlanSchema = z
  .strictObject({
    protocolVersion: integer(4, 5),
    keyspace: schemaNameSchema,
    table: schemaNameSchema,
    idCol: identifierSchema,
    dataCol: identifierSchema,
    labelCol: identifierSchema.nullable(),
    labelType: labelTypeSchema,
    query: z.string().min(1),
    /** CQL consistency codes run from ANY (0x0000) to LOCAL_ONE (0x000a). */
    consistency: integer(0, 0x000a),
    hosts: z.array(planHostSchema).min(1),
    ring: z.array(planTokenRangeSchema).min(1),
    credentials: z.strictObject({ username: z.string().min(1), password: z.string() }).nullable(),
    tls: planTlsSchema.nullable(),
    proxy: planProxySchema.nullable(),
    connectTimeoutMs: integer(1),
    requestTimeoutMs: integer(1),
    retryServerCodes: z.array(integer(0, 0xffff)),
  })
  .superRefine(checkLabelColumn, whenValid(['labelType', 'labelCol']))
  .superRefine(
    (plan, ctx) => checkRing(plan.ring, plan.hosts.length, ctx),
    whenValid(['ring', 'hosts']),
  )
  .superRefine(checkProxy, whenValid(['proxy', 'tls', 'hosts'])) satisfies z.ZodType<DataPlanePlan>;

/** A label column exactly when the label type has labels. */
function checkLabelColumn(plan: DataPlanePlan, ctx: z.core.$RefinementCtx): void {
  const hasLabel = plan.labelType !== 'none';
  if (hasLabel !== (plan.labelCol !== null)) {
    const expected = hasLabel
      ? 'a column name (labelType has labels)'
      : "null (labelType is 'none')";
    addIssue(ctx, ['labelCol'], expected, plan.labelCol);
  }
}

/** A proxy routes by SNI, which only TLS carries, and needs every host's name. */
function checkProxy(plan: DataPlanePlan, ctx: z.core.$RefinementCtx): void {
  if (plan.proxy === null) return;
  if (plan.tls === null)
    addIssue(ctx, ['tls'], 'TLS settings (an SNI proxy is reached over TLS)', plan.tls);
  plan.hosts.forEach((host, i) => {
    if (host.sniName === null)
      addIssue(ctx, ['hosts', i, 'sniName'], 'the name the SNI proxy routes by', host.sniName);
  });
}

function checkRing(
  ring: readonly PlanTokenRange[],
  hostCount: number,
  ctx: z.core.$RefinementCtx,
): void {
  let previous: bigint | null = null;
  ring.forEach((range, i) => {
    const token = BigInt(range.token);
    if (previous !== null && token <= previous) {
      addIssue(
        ctx,
        ['ring', i, 'token'],
        `token > ${previous} (the ring is sorted ascending)`,
        range.token,
      );
    }
    previous = token;
    range.replicas.forEach((replica, j) => {
      if (replica >= hostCount)
        addIssue(ctx, ['ring', i, 'replicas', j], `host index < ${hostCount}`, replica);
    });
    if (new Set(range.replicas).size !== range.replicas.length) {
      addIssue(ctx, ['ring', i, 'replicas'], 'distinct host indices', range.replicas);
    }
  });
}

function isInt64(text: string): boolean {
  if (!/^-?\d{1,19}$/.test(text)) return false;
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX;
}
