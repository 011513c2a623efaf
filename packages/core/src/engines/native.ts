import {
  type DataPlanePlan,
  type EngineStats,
  isMissingReason,
  type NativeEngineOptions,
  type NativeAvailability as NativeLoad,
} from '@cassdl/schema';
import {
  CassdlClosedError,
  CassdlConnectionError,
  CassdlError,
  CassdlInternalError,
  CassdlMissingRowError,
  CassdlNoReplicaError,
  CassdlServerError,
} from '../errors.js';
import type { Engine, EngineLimits, FetchedRows, FetchOptions } from './engine.js';

/** The part of @cassdl/native-io this adapter uses; typed here so core builds without it. */
interface NativeIoModule {
  loadNative(): NativeLoad;
  NativeDataPlane: {
    open(
      plan: DataPlanePlan,
      options: NativeEngineOptions,
    ): NativeDataPlane | Promise<NativeDataPlane>;
  };
}

interface NativeDataPlane {
  fetch(keys: Uint8Array, options?: FetchOptions): Promise<FetchedRows>;
  /** Absent in @cassdl/native-io before run-time limits: the open-time `inflight` then holds. */
  setLimits?(limits: { readonly inflight: number }): void;
  setBatchSlots?(slots: number): void;
  stats(): EngineStats;
  close(): Promise<void> | void;
}

/** Whether the native data plane loads here, and if not why and what to do. */
export type NativeAvailability =
  | (Extract<NativeLoad, { available: true }> & { readonly module: NativeIoModule })
  | Extract<NativeLoad, { available: false }>;

/** native-io's ring takes at most this many slots; a window beyond it lends overflow arenas. */
const MAX_BATCH_SLOTS = 4096;

const INSTALL_FIX =
  'install @cassdl/native-io (and its prebuilt package for this platform) beside @cassdl/core';

/**
 * Loads @cassdl/native-io lazily: it is an optional dependency, so its
 * absence (or a missing prebuilt binary) is an answer, not a crash.
 */
export async function probeNative(): Promise<NativeAvailability> {
  let module: Partial<NativeIoModule>;
  try {
    const specifier = '@cassdl/native-io';
    module = (await import(specifier)) as Partial<NativeIoModule>;
  } catch (error) {
    return {
      available: false,
      causes: [`@cassdl/native-io does not import: ${messageOf(error)}`],
      fix: INSTALL_FIX,
    };
  }
  if (typeof module.loadNative !== 'function' || module.NativeDataPlane === undefined) {
    return {
      available: false,
      causes: ['@cassdl/native-io exports no loadNative/NativeDataPlane (version mismatch?)'],
      fix: INSTALL_FIX,
    };
  }
  try {
    const loaded = module.loadNative();
    if (!loaded.available) return { available: false, causes: loaded.causes, fix: loaded.fix };
    return { available: true, version: loaded.version, module: module as NativeIoModule };
  } catch (error) {
    return {
      available: false,
      causes: [`loadNative() threw: ${messageOf(error)}`],
      fix: INSTALL_FIX,
    };
  }
}

/** The `native` engine: the C++ data plane of @cassdl/native-io over the same plan, its errors mapped to cassdl's. */
export class NativeEngine implements Engine {
  readonly kind = 'native' as const;
  readonly #plane: NativeDataPlane;
  readonly #table: string;
  #batchSlots = 0;

  private constructor(plane: NativeDataPlane, plan: DataPlanePlan) {
    this.#plane = plane;
    this.#table = `${plan.keyspace}.${plan.table}`;
  }

  static async open(
    module: NativeIoModule,
    plan: DataPlanePlan,
    options: NativeEngineOptions,
  ): Promise<NativeEngine> {
    try {
      const plane = await module.NativeDataPlane.open(plan, options);
      return new NativeEngine(plane, plan);
    } catch (error) {
      throw mapNativeError(error, `${plan.keyspace}.${plan.table}`);
    }
  }

  async fetch(keys: Uint8Array, options?: FetchOptions): Promise<FetchedRows> {
    try {
      return await this.#plane.fetch(keys, options);
    } catch (error) {
      throw mapNativeError(error, this.#table);
    }
  }

  setLimits(limits: EngineLimits): void {
    this.#plane.setLimits?.({ inflight: limits.inflight });
    if (limits.batchSlots !== undefined && limits.batchSlots !== this.#batchSlots) {
      this.#batchSlots = limits.batchSlots;
      this.#plane.setBatchSlots?.(Math.min(MAX_BATCH_SLOTS, limits.batchSlots));
    }
  }

  stats(): EngineStats {
    return this.#plane.stats();
  }

  async close(): Promise<void> {
    await this.#plane.close();
  }
}

interface NativeErrorShape {
  code?: string;
  message?: string;
  id?: string;
  reason?: unknown;
  attempts?: { host: string; cause?: string; error?: string }[];
  serverCode?: number;
}

/** Restates a `NativeIoError` as the matching cassdl error class. */
export function mapNativeError(error: unknown, table: string): CassdlError {
  // A NativeIoError is a CassdlError too (one base), but not one of core's classes yet.
  if (error instanceof CassdlError && error.name !== 'NativeIoError') return error;
  const e = (error ?? {}) as NativeErrorShape;
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'ERR_CASSDL_MISSING_ROW':
      return new CassdlMissingRowError(
        e.id ?? 'unknown',
        table,
        isMissingReason(e.reason) ? e.reason : 'no row',
      );
    case 'ERR_CASSDL_NO_REPLICA':
      return new CassdlNoReplicaError(
        e.id ?? 'unknown',
        (e.attempts ?? []).map((a) => ({ host: a.host, cause: a.cause ?? a.error ?? '' })),
      );
    case 'ERR_CASSDL_AUTH':
      return new CassdlConnectionError('auth', message);
    case 'ERR_CASSDL_TLS':
      return new CassdlConnectionError('tls', message);
    case 'ERR_CASSDL_CONNECT':
      return new CassdlConnectionError('connect', message);
    case 'ERR_CASSDL_SERVER':
      return new CassdlServerError(message, e.serverCode ?? null);
    case 'ERR_CASSDL_CLOSED':
      return new CassdlClosedError('engine');
    default:
      return new CassdlInternalError(`native-io: ${message}`, error);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
