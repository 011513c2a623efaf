import type { PlanColumn } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { CassdlInternalError } from '../errors.js';

/** What PREPARE returned for the row read. */
export interface PreparedRowRead {
  readonly id: Uint8Array;
  readonly resultMetadataId: Uint8Array | null;
  readonly columns: readonly PlanColumn[];
}

/** The slice of cassandra-driver's (internal) prepared-statement cache cassdl reads. */
interface PreparedInfo {
  queryId?: Buffer;
  /** Metadata of the bind markers (the driver does not keep PREPARE's result metadata). */
  meta?: { resultId?: Buffer; newResultId?: Buffer };
}

const NIL_UUID = cassandra.types.Uuid.fromString('00000000-0000-0000-0000-000000000000');

/**
 * PREPAREs the row read through the driver and returns the statement id and
 * result columns the data plane needs. The driver has no public prepare
 * call, so the read is executed once with the nil UUID (any result is fine):
 * the id comes from the driver's prepared-statement cache, the result
 * columns from that execution's metadata.
 */
export async function prepareRowRead(
  client: cassandra.Client,
  query: string,
): Promise<PreparedRowRead> {
  const result = await client.execute(query, [NIL_UUID], { prepare: true });
  const metadata = client.metadata as unknown as {
    getPreparedInfo(ks: string | undefined, q: string): PreparedInfo;
  };
  const info = metadata.getPreparedInfo(client.keyspace, query);
  if (info.queryId === undefined || result.columns === undefined || result.columns === null) {
    throw new CassdlInternalError(`cassandra-driver kept no prepared id for ${query}`);
  }
  const resultId = info.meta?.newResultId ?? info.meta?.resultId ?? null;
  return {
    id: new Uint8Array(info.queryId),
    resultMetadataId: resultId === null ? null : new Uint8Array(resultId),
    columns: result.columns.map((c) => ({ name: c.name, type: typeName(c.type.code) })),
  };
}

/**
 * Prepares the row read again after a server answered UNPREPARED (it
 * restarted or evicted the statement): drops the driver's cached id first so
 * the PREPARE really goes to the wire.
 */
export async function reprepareRowRead(
  client: cassandra.Client,
  query: string,
): Promise<PreparedRowRead> {
  client.metadata.clearPrepared();
  return prepareRowRead(client, query);
}

/** CQL type name of a native type code (`0x03` → `blob`), from the driver's `dataTypes` table. */
function typeName(code: number): string {
  const entry = Object.entries(cassandra.types.dataTypes).find(([, value]) => value === code);
  return entry?.[0] ?? `type 0x${code.toString(16)}`;
}
