import {
  CassdlError,
  type EngineErrorCode,
  isEngineErrorCode,
  isMissingReason,
  type MissingReason,
} from '@cassdl/schema';

/** Error codes @cassdl/core maps onto its own error classes: the engine contract's. */
export type NativeIoErrorCode = EngineErrorCode;

/** One try of a row read on one host, for `ERR_CASSDL_NO_REPLICA`. */
export interface NativeAttempt {
  readonly host: string;
  readonly error: string;
  /** Same text as `error`, under the name @cassdl/core's NoReplica error reads. */
  readonly cause: string;
}

/** What a NativeIoError says beyond its code and message. */
export interface NativeIoErrorDetails {
  /** UUID of the row concerned. */
  id?: string;
  /** ERR_CASSDL_MISSING_ROW: why the row counts as missing. */
  reason?: MissingReason;
  attempts?: NativeAttempt[];
  /** CQL error code sent by the server (ERR_CASSDL_SERVER). */
  serverCode?: number;
}

/** Every failure of the native data plane. Never carries a password or key passphrase. */
export class NativeIoError extends CassdlError<NativeIoErrorCode> {
  /** UUID of the row concerned. */
  readonly id?: string;
  /** ERR_CASSDL_MISSING_ROW: why the row counts as missing. */
  readonly reason?: MissingReason;
  readonly attempts?: NativeAttempt[];
  /** CQL error code sent by the server (ERR_CASSDL_SERVER). */
  readonly serverCode?: number;

  constructor(code: NativeIoErrorCode, message: string, details: NativeIoErrorDetails = {}) {
    super(code, message);
    if (details.id !== undefined) this.id = details.id;
    if (details.reason !== undefined) this.reason = details.reason;
    if (details.attempts !== undefined) this.attempts = details.attempts;
    if (details.serverCode !== undefined) this.serverCode = details.serverCode;
  }
}

/** The plain object the addon rejects with. */
interface RawNativeError {
  code?: unknown;
  message?: unknown;
  id?: unknown;
  reason?: unknown;
  attempts?: unknown;
  serverCode?: unknown;
}

/**
 * Turns what the addon rejected with into a NativeIoError whose stack points
 * at user code rather than at an event-loop callback. With `callSite` (a
 * stack captured before the asynchronous call, as sharp does) the stack is
 * that one. Without it, the error is made where the rejection was awaited,
 * and V8's async stack trace names the awaiting callers (`at async ...`).
 * That is free until an error happens, where a stack captured per fetch cost
 * 1.8 µs and a dozen objects each time (8% of the JS thread's busy time at
 * 2 KB rows, batch 128).
 */
export function toNativeIoError(raw: unknown, callSite?: { stack?: string }): NativeIoError {
  if (raw instanceof NativeIoError) return raw;
  const r = (
    typeof raw === 'object' && raw !== null ? raw : { message: String(raw) }
  ) as RawNativeError;
  const code = isEngineErrorCode(r.code) ? r.code : 'ERR_CASSDL_INTERNAL';
  const message = typeof r.message === 'string' ? r.message : String(raw);
  const details: NativeIoErrorDetails = {};
  if (typeof r.id === 'string') details.id = r.id;
  if (isMissingReason(r.reason)) details.reason = r.reason;
  if (typeof r.serverCode === 'number') details.serverCode = r.serverCode;
  if (Array.isArray(r.attempts)) {
    details.attempts = r.attempts.map((a: { host?: unknown; error?: unknown }) => {
      const error = String(a.error ?? '');
      return { host: String(a.host ?? ''), error, cause: error };
    });
  }
  const error = new NativeIoError(code, message, details);
  if (callSite === undefined) {
    Error.captureStackTrace(error, toNativeIoError);
    return error;
  }
  const frames = callSite.stack?.split('\n').slice(1).join('\n');
  if (frames) error.stack = `${error.name}: ${message}\n${frames}`;
  return error;
}

/** A stack holder for `toNativeIoError`, skipping the frames of `skip` and below. */
export function captureCallSite(skip: (...args: never[]) => unknown): { stack?: string } {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, skip);
  return holder;
}
