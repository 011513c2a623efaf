import { CassdlError } from '@cassdl/schema';

/**
 * Base class of every error gpu-ops throws on purpose, so a training loop can
 * tell "bad data or bad options" (`instanceof GpuOpsError`) from a bug.
 */
export class GpuOpsError extends CassdlError {}
