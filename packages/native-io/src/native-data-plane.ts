import type { DataPlanePlan, RawLabels } from '@cassdl/schema';
import { captureCallSite, toNativeIoError } from './errors.js';
import { type NativeBindingPlane, type RawFetchedRows, requireBinding } from './load.js';
import { toNativeConfig } from './native-config.js';
import { toEngineStats } from './plane-stats.js';
import type { EngineStats, FetchedRows, FetchOptions, NativeDataPlaneOptions } from './types.js';

/**
 * The native data plane: row reads by id over a `DataPlanePlan`, run on the
 * addon's own I/O thread. Many `fetch` calls may be outstanding; each
 * resolves once, with every row in key order.
 */
export class NativeDataPlane {
  readonly #native: NativeBindingPlane;
  readonly #maxInflight: number;
  /** `address:port` of each plan host, in the order the addon counts them. */
  readonly #hosts: readonly string[];
  #closed: Promise<void> | null = null;

  private constructor(native: NativeBindingPlane, maxInflight: number, hosts: readonly string[]) {
    this.#native = native;
    this.#maxInflight = maxInflight;
    this.#hosts = hosts;
  }

  /**
   * Connects (TLS when the plan has it, STARTUP, SASL PLAIN when it has
   * credentials) to every up host, and PREPAREs the plan's row read on each
   * connection: a statement the server refuses (syntax, unknown table, no
   * permission) rejects with ERR_CASSDL_SERVER naming the query. A node
   * that later answers UNPREPARED gets the read prepared again on that
   * connection, and the rows waiting for it are sent again.
   */
  static async open(
    plan: DataPlanePlan,
    options: NativeDataPlaneOptions,
  ): Promise<NativeDataPlane> {
    const callSite = captureCallSite(NativeDataPlane.open);
    const config = toNativeConfig(plan, options);
    const binding = requireBinding();
    const native = new binding.NativeDataPlaneBinding(config);
    try {
      await native.open();
    } catch (error) {
      await native.close();
      throw toNativeIoError(error, callSite);
    }
    return new NativeDataPlane(
      native,
      options.inflight,
      plan.hosts.map((h) => `${h.address}:${h.port}`),
    );
  }

  /**
   * Reads the rows of `keys` (`n * 16` bytes of UUIDs); rows come back in
   * key order. With `{ leased: true }` they live in a reused batch arena
   * until `rows.release()`. With `{ oooGroup }` the I/O thread fills the
   * group's oldest open fetch with the group's rows as they arrive (the
   * contract in @cassdl/schema).
   */
  async fetch(keys: Uint8Array, options: FetchOptions = {}): Promise<FetchedRows> {
    if (!(keys instanceof Uint8Array) || keys.length % 16 !== 0) {
      throw new TypeError(
        `keys: expected a Uint8Array of n * 16 bytes, received ${describe(keys)}`,
      );
    }
    try {
      const leased = options.leased === true;
      const rows =
        options.oooGroup === undefined
          ? await this.#native.fetch(keys, leased)
          : await this.#native.fetch(keys, leased, options.oooGroup);
      return toFetchedRows(rows, this.#native);
    } catch (error) {
      // Made here, after the await: V8's async stack trace names the callers awaiting this fetch.
      throw toNativeIoError(error);
    }
  }

  /**
   * Limits taken at run time, from a pipeline controller: at most `inflight`
   * requests on the wire from the next I/O tick on (already sent ones
   * finish). `options.inflight` given at open stays the ceiling (the
   * connections' stream tables were sized for it); larger values are clamped to it.
   */
  setLimits(limits: { readonly inflight: number }): void {
    const { inflight } = limits;
    if (typeof inflight !== 'number' || !Number.isInteger(inflight) || inflight < 1) {
      throw new TypeError(
        `limits.inflight: expected an integer >= 1, received ${String(inflight)} (${typeof inflight})`,
      );
    }
    this.#native.setLimits(Math.min(inflight, this.#maxInflight));
  }

  /** How many batch arenas keep their memory (e.g. from a memory budget); takes effect as batches come back. */
  setBatchSlots(slots: number): void {
    if (!Number.isInteger(slots) || slots < 1 || slots > 4096) {
      throw new TypeError(
        `setBatchSlots: expected an integer in 1..4096, received ${String(slots)}`,
      );
    }
    this.#native.setBatchSlots(slots);
  }

  stats(): EngineStats {
    return toEngineStats(this.#native.stats(), this.#hosts);
  }

  /** Rejects outstanding fetches with ERR_CASSDL_CLOSED, joins the I/O thread, closes sockets. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#native.close();
    return this.#closed;
  }
}

/** Views over the arena's buffers: a few small objects per batch, none per row. */
function toFetchedRows(raw: RawFetchedRows, native: NativeBindingPlane): FetchedRows {
  const rows = {
    size: raw.size,
    ids: new Uint8Array(raw.meta, raw.idsAt, raw.size * 16),
    data: new Uint8Array(raw.data, raw.dataAt, raw.dataBytes),
    dataOffsets: new Uint32Array(raw.meta, raw.offsetsAt, raw.size + 1),
    labels: toLabels(raw),
    missing: new Uint8Array(raw.meta, raw.missingAt, raw.missingCount * 16),
  };
  if (!raw.leased) return rows;
  let lent = true;
  const release = () => {
    if (!lent) return;
    lent = false;
    native.recycle(raw.slot, raw.generation);
  };
  return { ...rows, release };
}

function toLabels(raw: RawFetchedRows): RawLabels {
  if (raw.labelKind === 1)
    return { kind: 'int', values: new Int32Array(raw.meta, raw.labelsAt, raw.size) };
  if (raw.labelKind === 2 && raw.labelData) {
    return {
      kind: 'blob',
      data: new Uint8Array(raw.labelData, 0, raw.labelBytes ?? 0),
      offsets: new Uint32Array(raw.meta, raw.labelsAt, raw.size + 1),
    };
  }
  return { kind: 'none' };
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
  return value === null ? 'null' : typeof value;
}
