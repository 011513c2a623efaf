/**
 * Base class of every error gpu-ops throws on purpose, so a training loop can
 * tell "bad data or bad options" (`instanceof GpuOpsError`) from a bug.
 */
export class GpuOpsError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
