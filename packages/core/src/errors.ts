import { CassdlError } from '@cassdl/schema';

/**
 * Every failure @cassdl/core reports is a `CassdlError` (the one base, from
 * @cassdl/schema) with one of these stable codes.
 */
export { CassdlError };

export type CassdlErrorCode =
  | 'ERR_CASSDL_CONNECT'
  | 'ERR_CASSDL_AUTH'
  | 'ERR_CASSDL_TLS'
  | 'ERR_CASSDL_SCHEMA_MISMATCH'
  | 'ERR_CASSDL_MISSING_ROW'
  | 'ERR_CASSDL_NO_REPLICA'
  | 'ERR_CASSDL_SERVER'
  | 'ERR_CASSDL_ENGINE_UNAVAILABLE'
  | 'ERR_CASSDL_STATE'
  | 'ERR_CASSDL_CLOSED'
  | 'ERR_CASSDL_INTERNAL';

/** Which step of connecting failed: reaching a host, authenticating, or the TLS handshake. */
export type ConnectionFailure = 'connect' | 'auth' | 'tls';

/**
 * The cluster could not be reached or refused us. For `auth` and `tls` the
 * message carries the server's (or the TLS library's) own reason.
 */
export class CassdlConnectionError extends CassdlError<CassdlErrorCode> {
  readonly failure: ConnectionFailure;
  /** `address:port` of each host tried, with what went wrong there. */
  readonly hosts: readonly HostAttempt[];

  constructor(
    failure: ConnectionFailure,
    message: string,
    hosts: readonly HostAttempt[] = [],
    cause?: unknown,
  ) {
    super(connectionCode(failure), message, { cause });
    this.failure = failure;
    this.hosts = hosts;
  }
}

function connectionCode(failure: ConnectionFailure): CassdlErrorCode {
  if (failure === 'auth') return 'ERR_CASSDL_AUTH';
  if (failure === 'tls') return 'ERR_CASSDL_TLS';
  return 'ERR_CASSDL_CONNECT';
}

/** One thing the schema check expected, and what the cluster has instead. */
export interface SchemaMismatch {
  /** What was checked, e.g. `table imagenette.data_train` or `column label`. */
  readonly subject: string;
  /** e.g. `int (labelType 'int')`. */
  readonly expected: string;
  /** e.g. `text`, or `missing`. */
  readonly actual: string;
}

/** The table or its columns do not match the reader options. Raised before any row is read. */
export class CassdlSchemaMismatchError extends CassdlError<CassdlErrorCode> {
  readonly mismatches: readonly SchemaMismatch[];

  constructor(table: string, mismatches: readonly SchemaMismatch[]) {
    const lines = mismatches.map(
      (m) => `  ${m.subject}: expected ${m.expected}, actual ${m.actual}`,
    );
    super(
      'ERR_CASSDL_SCHEMA_MISMATCH',
      [`Table ${table} does not match the reader options:`, ...lines].join('\n'),
    );
    this.mismatches = mismatches;
  }
}

/** A requested id has no row, or its data column is null (with `onMissing: 'error'`). */
export class CassdlMissingRowError extends CassdlError<CassdlErrorCode> {
  readonly id: string;

  readonly table: string;
  readonly reason: MissingReason;

  constructor(id: string, table: string, reason: MissingReason) {
    super(
      'ERR_CASSDL_MISSING_ROW',
      `Row ${id} of ${table}: ${reason}. Remove the id from the id list, or pass onMissing: 'skip' to skip and count such rows.`,
    );
    this.id = id;
    this.table = table;
    this.reason = reason;
  }
}

export type MissingReason = 'no row' | 'null data' | 'null label';

/** A host that was asked for a row (or to connect), and why it did not answer. */
export interface HostAttempt {
  readonly host: string;
  readonly cause: string;
}

/** Every attempt to read a row failed (timeouts, overload, nodes down) and the retry budget is spent. */
export class CassdlNoReplicaError extends CassdlError<CassdlErrorCode> {
  readonly id: string;
  readonly attempts: readonly HostAttempt[];

  constructor(id: string, attempts: readonly HostAttempt[]) {
    const tried = attempts.map((a) => `  ${a.host}: ${a.cause}`);
    super(
      'ERR_CASSDL_NO_REPLICA',
      [
        `Row ${id} could not be read after ${attempts.length} attempt(s); raise retry.maxAttempts or requestTimeoutMs, or check the replicas:`,
        ...tried,
      ].join('\n'),
    );
    this.id = id;
    this.attempts = attempts;
  }
}

/**
 * The server refused a row read for a reason retrying cannot fix (no read
 * permission, an invalid query); `serverCode` is the CQL error code.
 */
export class CassdlServerError extends CassdlError<CassdlErrorCode> {
  readonly serverCode: number | null;

  constructor(message: string, serverCode: number | null) {
    super('ERR_CASSDL_SERVER', message);
    this.serverCode = serverCode;
  }
}

/** `engine: 'native'` was asked for, but @cassdl/native-io does not load here. */
export class CassdlEngineUnavailableError extends CassdlError<CassdlErrorCode> {
  readonly causes: readonly string[];

  constructor(causes: readonly string[], fix: string) {
    super(
      'ERR_CASSDL_ENGINE_UNAVAILABLE',
      [
        "The native engine is not available (engine: 'native'):",
        ...causes.map((c) => `  ${c}`),
        `Fix: ${fix}, or use engine: 'auto' to fall back to the driver engine.`,
      ].join('\n'),
    );
    this.causes = causes;
  }
}

/** A saved reader state does not belong to this reader (other dataset, seed, sharding or batch size). */
export class CassdlStateError extends CassdlError<CassdlErrorCode> {
  constructor(message: string) {
    super('ERR_CASSDL_STATE', message);
  }
}

/** The reader or engine was closed; outstanding and later calls reject with this. */
export class CassdlClosedError extends CassdlError<CassdlErrorCode> {
  constructor(what = 'reader') {
    super('ERR_CASSDL_CLOSED', `The ${what} is closed.`);
  }
}

/** A broken invariant inside cassdl: a bug to report, never a user mistake. */
export class CassdlInternalError extends CassdlError<CassdlErrorCode> {
  constructor(message: string, cause?: unknown) {
    super('ERR_CASSDL_INTERNAL', `Internal error (please report): ${message}`, { cause });
  }
}
