import { type DataPlanePlan, formatUuid } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { RECONNECT_MAX_DELAY_MS } from '../../control-plane/driver-options.js';
import {
  CassdlMissingRowError,
  CassdlNoReplicaError,
  CassdlServerError,
  type HostAttempt,
  type MissingReason,
} from '../../errors.js';
import { backoffDelayMs, type RetryOptions } from '../backoff.js';
import { Counter } from './messages.js';
import type { RowResult } from './pack-rows.js';
import { describeFailure, isRetriable } from './retriable.js';

/**
 * Reads single rows by id with cassandra-driver, the way a data plane
 * should: token-aware first attempt, then retries with backoff on another
 * replica not tried yet, within a budget; missing rows reported or skipped.
 */
export class RowReader {
  readonly #client: cassandra.Client;
  readonly #plan: DataPlanePlan;
  readonly #retry: RetryOptions;
  readonly #onMissing: 'error' | 'skip';
  readonly #counters: Int32Array;
  /** The plan's retry table. */
  readonly #retryServerCodes: ReadonlySet<number>;
  #recovery: Promise<void> | null = null;

  constructor(
    client: cassandra.Client,
    plan: DataPlanePlan,
    retry: RetryOptions,
    onMissing: 'error' | 'skip',
    counters: Int32Array,
  ) {
    this.#client = client;
    this.#plan = plan;
    this.#retry = retry;
    this.#onMissing = onMissing;
    this.#counters = counters;
    this.#retryServerCodes = new Set(plan.retryServerCodes);
  }

  /**
   * The row of `key` (16 bytes), or null when it is missing and `onMissing`
   * is `'skip'`, with the host (`address:port`) that answered.
   */
  async read(key: Uint8Array): Promise<{ row: RowResult | null; host: string }> {
    const result = await this.#execute(key);
    return { row: this.#rowOf(key, result), host: result.info.queriedHost };
  }

  #rowOf(key: Uint8Array, result: cassandra.types.ResultSet): RowResult | null {
    const row = result.first();
    const data = row?.get(this.#plan.dataCol) as Buffer | null | undefined;
    const label =
      this.#plan.labelCol === null
        ? null
        : (row?.get(this.#plan.labelCol) as number | Buffer | null);
    const reason = missingReason(row, data, label, this.#plan.labelCol !== null);
    if (reason === null) return { data: data as Buffer, label: label ?? null };
    if (this.#onMissing === 'skip') return null;
    throw new CassdlMissingRowError(
      formatUuid(key),
      `${this.#plan.keyspace}.${this.#plan.table}`,
      reason,
    );
  }

  async #execute(key: Uint8Array): Promise<cassandra.types.ResultSet> {
    const routingKey = Buffer.from(key.buffer, key.byteOffset, 16);
    const params = [new cassandra.types.Uuid(Buffer.from(routingKey))];
    const tried: HostAttempt[] = [];
    for (let attempt = 1; ; attempt++) {
      const host = attempt === 1 ? undefined : this.#untriedReplica(routingKey, tried);
      this.#begin(attempt);
      let failure: unknown;
      try {
        return await this.#client.execute(this.#plan.query, params, {
          prepare: true,
          routingKey,
          ...(host !== undefined ? { host } : {}),
        });
      } catch (error) {
        failure = error;
      } finally {
        Atomics.sub(this.#counters, Counter.inflight, 1);
      }
      tried.push(attemptOf(failure, host));
      if (!isRetriable(failure, this.#retryServerCodes))
        throw asServerError(failure, formatUuid(key));
      if (attempt >= this.#retry.maxAttempts) {
        Atomics.add(this.#counters, Counter.failures, 1);
        throw new CassdlNoReplicaError(formatUuid(key), tried);
      }
      // Backoff outside the in-flight gauge: nothing is on the wire meanwhile.
      // With every host marked down (a cluster restart) the driver fails at
      // once, so waiting for a host to come back, rather than backing off,
      // keeps the attempts for real failures: an outage costs one attempt.
      if (failure instanceof cassandra.errors.NoHostAvailableError && !this.#anyHostUp())
        await this.#hostBackUp();
      else await sleep(backoffDelayMs(attempt, this.#retry));
    }
  }

  #anyHostUp(): boolean {
    return this.#client.hosts.values().some((h) => h.isUp());
  }

  /**
   * Resolves when the driver marks any host up again, or after the longest
   * reconnection pause twice over (so a cluster that stays down still fails
   * within the retry budget). One wait is shared by every row that needs it.
   */
  #hostBackUp(): Promise<void> {
    this.#recovery ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#client.off('hostUp', done);
        this.#recovery = null;
        resolve();
      };
      const timer = setTimeout(done, 2 * RECONNECT_MAX_DELAY_MS);
      this.#client.on('hostUp', done);
    });
    return this.#recovery;
  }

  /** Counts the attempt and keeps the shared in-flight gauge and its peak up to date. */
  #begin(attempt: number): void {
    Atomics.add(this.#counters, Counter.requests, 1);
    if (attempt > 1) Atomics.add(this.#counters, Counter.retries, 1);
    const now = Atomics.add(this.#counters, Counter.inflight, 1) + 1;
    let peak = Atomics.load(this.#counters, Counter.peakInflight);
    while (now > peak) {
      const seen = Atomics.compareExchange(this.#counters, Counter.peakInflight, peak, now);
      if (seen === peak) break;
      peak = seen;
    }
  }

  /** A live replica of the row not tried yet; undefined lets the load-balancing policy choose. */
  #untriedReplica(routingKey: Buffer, tried: readonly HostAttempt[]): cassandra.Host | undefined {
    const replicas = this.#client.getReplicas(this.#plan.keyspace, routingKey) ?? [];
    return replicas.find((h) => h.isUp() && !tried.some((t) => t.host === h.address));
  }
}

/** Why a read returned nothing usable, or null when the row is complete. */
function missingReason(
  row: unknown,
  data: unknown,
  label: unknown,
  hasLabel: boolean,
): MissingReason | null {
  if (row === null || row === undefined) return 'no row';
  if (data === null || data === undefined) return 'null data';
  if (hasLabel && (label === null || label === undefined)) return 'null label';
  return null;
}

/**
 * Where an attempt went and why it failed. The driver wraps a failure on its
 * only planned host in a NoHostAvailableError; the inner error is the cause.
 */
function attemptOf(failure: unknown, host: cassandra.Host | undefined): HostAttempt {
  const inner = (failure as { innerErrors?: Record<string, unknown> } | null)?.innerErrors;
  const first = inner !== undefined && inner !== null ? Object.entries(inner)[0] : undefined;
  if (first !== undefined) return { host: first[0], cause: describeFailure(first[1]) };
  return {
    host: coordinatorOf(failure) ?? host?.address ?? 'unknown host',
    cause: describeFailure(failure),
  };
}

/** The host an attempt went to: server errors carry `coordinator`, client timeouts `host`. */
function coordinatorOf(error: unknown): string | undefined {
  const e = error as { coordinator?: unknown; host?: unknown } | null;
  if (typeof e?.coordinator === 'string') return e.coordinator;
  return typeof e?.host === 'string' ? e.host : undefined;
}

function asServerError(error: unknown, id: string): Error {
  const code = error instanceof cassandra.errors.ResponseError ? error.code : null;
  return new CassdlServerError(`Reading row ${id} failed: ${describeFailure(error)}`, code);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
