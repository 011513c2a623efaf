import {
  CassdlClosedError,
  CassdlConnectionError,
  type CassdlError,
  CassdlInternalError,
  CassdlMissingRowError,
  CassdlNoReplicaError,
  CassdlServerError,
  type ConnectionFailure,
  type HostAttempt,
  type MissingReason,
} from '../../errors.js';

/**
 * A `CassdlError` as plain data, so it crosses a worker-thread boundary
 * (structured clone keeps neither the class nor its extra fields) and is
 * rebuilt as the same class on the other side.
 */
export type WireError =
  | {
      readonly kind: 'missing';
      readonly id: string;
      readonly table: string;
      readonly reason: MissingReason;
    }
  | { readonly kind: 'no-replica'; readonly id: string; readonly attempts: readonly HostAttempt[] }
  | {
      readonly kind: 'connection';
      readonly failure: ConnectionFailure;
      readonly message: string;
      readonly hosts: readonly HostAttempt[];
    }
  | { readonly kind: 'server'; readonly message: string; readonly serverCode: number | null }
  | { readonly kind: 'closed' }
  | { readonly kind: 'internal'; readonly message: string };

export function errorToWire(error: unknown): WireError {
  if (error instanceof CassdlMissingRowError)
    return { kind: 'missing', id: error.id, table: error.table, reason: error.reason };
  if (error instanceof CassdlNoReplicaError)
    return { kind: 'no-replica', id: error.id, attempts: error.attempts };
  if (error instanceof CassdlConnectionError) {
    return {
      kind: 'connection',
      failure: error.failure,
      message: error.message,
      hosts: error.hosts,
    };
  }
  if (error instanceof CassdlServerError)
    return { kind: 'server', message: error.message, serverCode: error.serverCode };
  if (error instanceof CassdlClosedError) return { kind: 'closed' };
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { kind: 'internal', message };
}

export function errorFromWire(wire: WireError): CassdlError {
  switch (wire.kind) {
    case 'missing':
      return new CassdlMissingRowError(wire.id, wire.table, wire.reason);
    case 'no-replica':
      return new CassdlNoReplicaError(wire.id, wire.attempts);
    case 'connection':
      return new CassdlConnectionError(wire.failure, wire.message, wire.hosts);
    case 'server':
      return new CassdlServerError(wire.message, wire.serverCode);
    case 'closed':
      return new CassdlClosedError('engine');
    case 'internal':
      return new CassdlInternalError(wire.message);
  }
}
