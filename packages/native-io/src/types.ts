import type { NativeEngineOptions } from '@cassdl/schema';

/** Options of the native data plane: the engine contract's, defined in @cassdl/schema. */
export type NativeDataPlaneOptions = NativeEngineOptions;

// The rows and counters of a fetch are the engine contract both engines
// implement, defined once in @cassdl/schema.
export type { EngineStats, FetchedRows, FetchOptions } from '@cassdl/schema';
