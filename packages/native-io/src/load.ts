import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NativeAvailability } from '@cassdl/schema';
import type { RawPlaneStats } from './plane-stats.js';
import { describePlatform, fixFor, ownManifest, platformTag, prebuiltPackage } from './prebuilt.js';

/** What the compiled addon exports (internal; wrapped by NativeDataPlane). */
export interface NativeBinding {
  readonly version: string;
  readonly protocolVersion: number;
  /** Cassandra's Murmur3Partitioner token of a partition key. */
  murmur3Token(key: Uint8Array): bigint;
  readonly NativeDataPlaneBinding: new (config: object) => NativeBindingPlane;
}

/** The native class, one per NativeDataPlane. */
export interface NativeBindingPlane {
  open(): Promise<void>;
  /** `group`: the fetch's `oooGroup` (an integer), absent for none. */
  fetch(keys: Uint8Array, leased: boolean, group?: number): Promise<RawFetchedRows>;
  /** Gives a leased slot back; false when it is not lent at that generation. */
  recycle(slot: number, generation: number): boolean;
  setBatchSlots(slots: number): void;
  /** The run-time admission limit (see NativeDataPlane.setLimits). */
  setLimits(inflight: number): void;
  stats(): RawPlaneStats;
  close(): Promise<void>;
}

/**
 * A finished fetch as the addon hands it over: the buffers of one batch
 * arena and where each array lies in them (byte offsets, multiples of 8).
 */
export interface RawFetchedRows {
  size: number;
  leased: boolean;
  slot: number;
  generation: number;
  /** Shared by the ring's slots: the batch's rows are `dataBytes` bytes from `dataAt`. */
  data: ArrayBuffer;
  dataAt: number;
  dataBytes: number;
  /** ids, then size + 1 data offsets, then int labels or size + 1 label offsets, then missing ids. */
  meta: ArrayBuffer;
  idsAt: number;
  offsetsAt: number;
  labelKind: 0 | 1 | 2;
  labelsAt: number;
  labelData?: ArrayBuffer;
  labelBytes?: number;
  missingAt: number;
  missingCount: number;
}

/** What `loadNative()` answers: the engine contract's type, defined once in @cassdl/schema. */
export type { NativeAvailability };

const require = createRequire(import.meta.url);

/** A checkout's own build (`pnpm --filter @cassdl/native-io build`); absent from the published package. */
const LOCAL_BUILD = fileURLToPath(new URL('../build/Release/cassdl_native.node', import.meta.url));

let loaded: { binding: NativeBinding } | { causes: string[] } | undefined;

/** Tries the local build, then the prebuilt package for this platform; remembers the outcome. */
function load(): { binding: NativeBinding } | { causes: string[] } {
  if (loaded) return loaded;
  const causes: string[] = [];
  if (existsSync(LOCAL_BUILD)) {
    try {
      loaded = { binding: require(LOCAL_BUILD) as NativeBinding };
      return loaded;
    } catch (error) {
      causes.push(`the local build ${LOCAL_BUILD} does not load: ${firstLine(error)}`);
    }
  }
  const pkg = prebuiltPackage(platformTag());
  try {
    const binding = require(pkg) as NativeBinding;
    const wanted = ownManifest().version;
    if (binding.version === wanted) {
      loaded = { binding };
      return loaded;
    }
    causes.push(`${pkg} is version ${binding.version}, @cassdl/native-io is ${wanted}`);
  } catch (error) {
    causes.push(
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && firstLine(error).includes(pkg)
        ? `${pkg} is not installed`
        : `${pkg} does not load: ${firstLine(error)}`,
    );
  }
  loaded = { causes };
  return loaded;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Whether the native data plane can run here. Never throws: when no binary
 * loads it names the platform and why (one cause per place tried) and how an
 * npm user fixes it, and @cassdl/core falls back to its driver engine.
 */
export function loadNative(): NativeAvailability {
  const result = load();
  if ('binding' in result) return { available: true, version: result.binding.version };
  const tag = platformTag();
  return {
    available: false,
    causes: [`on ${describePlatform()}: ${result.causes.join('; ')}`],
    fix: fixFor(tag, result.causes),
  };
}

/** The binding when it loads, else undefined (no causes: loadNative() gives them). */
export function loadedBinding(): NativeBinding | undefined {
  const result = load();
  return 'binding' in result ? result.binding : undefined;
}

/** The binding, or the reason it is missing as a thrown Error. */
export function requireBinding(): NativeBinding {
  const result = load();
  if ('binding' in result) return result.binding;
  const availability = loadNative();
  const detail = availability.available
    ? ''
    : `${availability.causes.join('; ')}. Fix: ${availability.fix}`;
  throw new Error(`the @cassdl/native-io addon is not available: ${detail}`);
}
