import { createRequire } from 'node:module';

/** What the compiled addon exports (internal; wrapped by NativeDataPlane). */
export interface NativeBinding {
  readonly version: string;
  readonly protocolVersion: number;
  /** Cassandra's Murmur3Partitioner token of a partition key. */
  murmur3Token(key: Uint8Array): bigint;
  readonly NativeDataPlaneBinding: new (
    config: object,
    onReprepare: () => void,
  ) => NativeBindingPlane;
}

/** The native class, one per NativeDataPlane. */
export interface NativeBindingPlane {
  open(): Promise<void>;
  fetch(keys: Uint8Array, leased: boolean): Promise<RawFetchedRows>;
  /** Gives a leased slot back; false when it is not lent at that generation. */
  recycle(slot: number, generation: number): boolean;
  setBatchSlots(slots: number): void;
  setPreparedId(id: Uint8Array): void;
  reprepareFailed(message: string): void;
  stats(): Record<string, unknown>;
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
  data: ArrayBuffer;
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

export type NativeAvailability =
  | { available: true; version: string }
  | { available: false; causes: string[]; fix: string };

const require = createRequire(import.meta.url);

/** Where a binary may live: a local build first, then the prebuilt package for this platform. */
function candidates(): string[] {
  return ['../build/Release/cassdl_native.node', `@cassdl/native-io-${platformTag()}`];
}

/** `linux-x64-gnu`, `linux-arm64-musl`, `darwin-arm64`, ... as prebuilt packages are named. */
export function platformTag(): string {
  if (process.platform !== 'linux') return `${process.platform}-${process.arch}`;
  const report = process.report?.getReport() as
    | { header?: { glibcVersionRuntime?: string } }
    | undefined;
  const libc = report?.header?.glibcVersionRuntime ? 'gnu' : 'musl';
  return `${process.platform}-${process.arch}-${libc}`;
}

let loaded: { binding: NativeBinding } | { causes: string[] } | undefined;

function load(): { binding: NativeBinding } | { causes: string[] } {
  if (loaded) return loaded;
  const causes: string[] = [];
  for (const candidate of candidates()) {
    try {
      loaded = { binding: require(candidate) as NativeBinding };
      return loaded;
    } catch (error) {
      causes.push(
        `${candidate}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
  }
  loaded = { causes };
  return loaded;
}

/**
 * Whether the native data plane can run here. Never throws: when no binary
 * loads it says why (one cause per place tried) and how to fix it, and
 * @cassdl/core falls back to its driver engine.
 */
export function loadNative(): NativeAvailability {
  const result = load();
  if ('binding' in result) return { available: true, version: result.binding.version };
  return {
    available: false,
    causes: result.causes,
    fix:
      `install the prebuilt package @cassdl/native-io-${platformTag()} (an optional dependency), ` +
      'or build from source: pnpm --filter @cassdl/native-io build (needs python3, make, g++ and Node headers)',
  };
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
