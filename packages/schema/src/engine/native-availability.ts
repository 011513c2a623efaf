/**
 * Whether the native data plane loads here: its version, or why not and what
 * to install. `@cassdl/native-io`'s `loadNative()` answers it; `@cassdl/core`
 * adds the loaded module when it probes for the engine.
 */
export type NativeAvailability =
  | { readonly available: true; readonly version: string }
  | { readonly available: false; readonly causes: readonly string[]; readonly fix: string };
