import type { LabelType } from './table.js';

/**
 * What the control plane (cassandra-driver in @cassdl/core) hands to a data
 * plane (the native engine or the driver engine): everything needed to read
 * rows by id without discovering topology or preparing statements again.
 * Plain data, so it crosses worker threads and the native boundary as is.
 */
export interface DataPlanePlan {
  /** CQL native protocol version negotiated by the control plane (4 or 5). */
  readonly protocolVersion: number;
  readonly keyspace: string;
  readonly table: string;
  readonly idCol: string;
  readonly dataCol: string;
  /** Absent when `labelType` is `'none'`. */
  readonly labelCol: string | null;
  readonly labelType: LabelType;
  /** The prepared row read, e.g. `SELECT "data", "label" FROM "ks"."t" WHERE "id" = ?`. */
  readonly query: string;
  /** Prepared statement id returned by PREPARE. */
  readonly preparedId: Uint8Array;
  /** Result metadata id (protocol v5 only), else null. */
  readonly resultMetadataId: Uint8Array | null;
  /** Columns of each result row in order; `data` first, then `label` when present. */
  readonly resultColumns: readonly PlanColumn[];
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
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export interface PlanColumn {
  readonly name: string;
  /** CQL type name as the server reports it: 'blob', 'int', ... */
  readonly type: string;
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
  /** Name sent as SNI and checked against the certificate; null uses the host address. */
  readonly serverName: string | null;
  readonly rejectUnauthorized: boolean;
}
