/**
 * The codes an engine rejects a fetch (or open) with, the same for both
 * engines; @cassdl/core restates each as its error class.
 */
export const ENGINE_ERROR_CODES = [
  'ERR_CASSDL_MISSING_ROW',
  'ERR_CASSDL_NO_REPLICA',
  'ERR_CASSDL_AUTH',
  'ERR_CASSDL_TLS',
  'ERR_CASSDL_CONNECT',
  'ERR_CASSDL_SERVER',
  'ERR_CASSDL_CLOSED',
  'ERR_CASSDL_INTERNAL',
] as const;

export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

/** Why a row counts as missing: it does not exist, or its data or label cell is null. */
export const MISSING_REASONS = ['no row', 'null data', 'null label'] as const;

export type MissingReason = (typeof MISSING_REASONS)[number];

/** True for one of `ENGINE_ERROR_CODES`. */
export function isEngineErrorCode(code: unknown): code is EngineErrorCode {
  return typeof code === 'string' && (ENGINE_ERROR_CODES as readonly string[]).includes(code);
}

/** True for one of `MISSING_REASONS`. */
export function isMissingReason(reason: unknown): reason is MissingReason {
  return typeof reason === 'string' && (MISSING_REASONS as readonly string[]).includes(reason);
}
