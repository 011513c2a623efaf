import type { DataPlanePlan, ReaderOptions } from '@cassdl/schema';
import { AUTO_MAX_INFLIGHT } from '../controller/pipeline-controller.js';
import { CassdlEngineUnavailableError } from '../errors.js';
import { DriverEngine } from './driver/driver-engine.js';
import type { Engine, EngineKind } from './engine.js';
import { NativeEngine, probeNative } from './native.js';

export interface EngineContext {
  readonly plan: DataPlanePlan;
  readonly options: ReaderOptions;
  /** Driver-engine worker threads (default 2). */
  readonly driverWorkers?: number | undefined;
}

let warned = false;

/**
 * Opens the engine the options ask for. `'auto'` prefers native and, when it
 * does not load, falls back to the driver engine with one process warning
 * (per process, not per reader) giving the causes and the fix.
 */
export async function openEngine(context: EngineContext): Promise<Engine> {
  const { options } = context;
  if (options.engine === 'driver') return openDriver(context);
  const native = await probeNative();
  if (native.available) {
    return NativeEngine.open(native.module, context.plan, {
      connectionsPerHost: connectionsPerHost('native', options),
      inflight: maxInflight(options),
      onMissing: options.onMissing,
      retry: options.retry,
      batchSlots: batchSlots(options),
      checkRecycled: developmentChecks(),
    });
  }
  if (options.engine === 'native')
    throw new CassdlEngineUnavailableError(native.causes, native.fix);
  if (!warned) {
    warned = true;
    process.emitWarning(
      `cassdl: the native engine is not available, using the driver engine (slower).\n${native.causes
        .map((c) => `  ${c}`)
        .join('\n')}\nFix: ${native.fix}; or pass engine: 'driver' to silence this warning.`,
      { code: 'CASSDL_NATIVE_UNAVAILABLE' },
    );
  }
  return openDriver(context);
}

function openDriver(context: EngineContext): Promise<Engine> {
  const { options } = context;
  return DriverEngine.open(context.plan, {
    inflight: maxInflight(options),
    connectionsPerHost: connectionsPerHost('driver', options),
    onMissing: options.onMissing,
    retry: options.retry,
    workers: context.driverWorkers,
    cloudBundle: options.connection.cloudConfig?.secureConnectBundle,
  });
}

/**
 * The ceiling an engine opens with (its connections are sized for it); the
 * pipeline controller sets the limit under it at run time.
 */
export function maxInflight(options: ReaderOptions): number {
  return options.inflight === 'auto' ? AUTO_MAX_INFLIGHT : options.inflight;
}

/**
 * Connections per host the engine opens: the user's number, or for
 * `'auto'` the engine's own default. The native plane reads straight from
 * its sockets, so more connections are more socket windows on a long link
 * and more of the server's event loops; the driver engine's workers each
 * open their own pool, and its decoding, not its sockets, is its limit.
 */
export function connectionsPerHost(
  engine: EngineKind,
  options: Pick<ReaderOptions, 'connectionsPerHost'>,
): number {
  if (options.connectionsPerHost !== 'auto') return options.connectionsPerHost;
  return engine === 'native' ? AUTO_NATIVE_CONNECTIONS : AUTO_DRIVER_CONNECTIONS;
}

/** `connectionsPerHost: 'auto'` for each engine (see `ReaderOptions.connectionsPerHost` for the measurements). */
export const AUTO_NATIVE_CONNECTIONS = 8;
export const AUTO_DRIVER_CONNECTIONS = 2;

/**
 * The engine's cap on the queue the pipeline controller keeps at the server
 * (`PipelineBounds.maxQueueRows`; none: the controller's own). The driver
 * engine's worker decodes every row on one core, and rows on the wire beyond
 * what keeps it busy only cost it CPU. 2 KB rows, direct, batch 128
 * (alternating runs): 27,100 rows/s at the default's 1,859 in flight, 31,700
 * with 1,024, 33,300 with 512.
 */
export function maxQueueRows(engine: EngineKind): { maxQueueRows?: number } {
  return engine === 'driver' ? { maxQueueRows: DRIVER_QUEUE_ROWS } : {};
}

const DRIVER_QUEUE_ROWS = 256;

/**
 * Batches in flight (`prefetchBuffers`), one with the consumer, one spare
 * for `retain()`. With `'auto'` the pipeline controller resizes the ring as
 * it sizes the window; it starts from a few.
 */
export function batchSlots(options: Pick<ReaderOptions, 'prefetchBuffers'>): number {
  return ringSlots(
    options.prefetchBuffers === 'auto' ? INITIAL_AUTO_WINDOW : options.prefetchBuffers,
  );
}

/** Native batch arenas for a window of `window` batches: one more with the consumer, one spare for `retain()`. */
export function ringSlots(window: number): number {
  return window + 2;
}

const INITIAL_AUTO_WINDOW = 8;

/** Development and test runs (NODE_ENV) check that no batch is read after it was recycled. */
function developmentChecks(): boolean {
  const env = process.env.NODE_ENV;
  return env === 'development' || env === 'test';
}
