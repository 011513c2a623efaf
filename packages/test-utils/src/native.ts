/**
 * Whether tests of the native engine run: when the addon loads here, and
 * always under CI (`CI=true`), where an addon that fails to load must fail
 * the run with its load error rather than skip quietly.
 */
export function runNativeTests(native: { readonly available: boolean }): boolean {
  return native.available || process.env.CI === 'true';
}
