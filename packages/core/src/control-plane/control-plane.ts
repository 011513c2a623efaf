import {
  type DataPlanePlan,
  type DataTable,
  dataTableOf,
  type ReaderOptions,
  rowReadCql,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { connectControlPlane } from './connect.js';
import { consistencyCode } from './consistency.js';
import { type PreparedRowRead, prepareRowRead, reprepareRowRead } from './prepare.js';
import { checkDataTable } from './schema-check.js';
import { loadTlsMaterial } from './tls-material.js';
import { planHosts, planRing } from './topology.js';

/**
 * The control plane: one cassandra-driver client that connects, checks the
 * table, prepares the row read and describes the cluster as a
 * `DataPlanePlan`. Engines read rows with that plan; the control plane
 * stays open to re-prepare on demand and is closed with the reader.
 */
export class ControlPlane {
  readonly client: cassandra.Client;
  readonly table: DataTable;
  #plan: DataPlanePlan;

  private constructor(client: cassandra.Client, table: DataTable, plan: DataPlanePlan) {
    this.client = client;
    this.table = table;
    this.#plan = plan;
  }

  /** Connects and builds the plan; rejects with a connection or schema-mismatch error before any row is read. */
  static async open(options: ReaderOptions): Promise<ControlPlane> {
    const tls = await loadTlsMaterial(options.connection);
    const client = await connectControlPlane(options.connection, tls);
    try {
      const table = dataTableOf(options);
      await checkDataTable(client, table);
      const query = rowReadCql(table);
      const prepared = await prepareRowRead(client, query);
      const hosts = planHosts(client, options.connection.localDataCenter);
      const plan: DataPlanePlan = {
        protocolVersion: negotiatedProtocolVersion(client),
        keyspace: table.keyspace,
        table: table.table,
        idCol: table.idCol,
        dataCol: table.dataCol,
        labelCol: table.labelType === 'none' ? null : table.labelCol,
        labelType: table.labelType,
        query,
        ...preparedFields(prepared),
        consistency: consistencyCode(options.consistency),
        hosts,
        ring: await planRing(client, table.keyspace, hosts),
        credentials:
          options.connection.username !== undefined && options.connection.password !== undefined
            ? { username: options.connection.username, password: options.connection.password }
            : null,
        tls,
        connectTimeoutMs: options.connection.connectTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
      };
      return new ControlPlane(client, table, plan);
    } catch (error) {
      await client.shutdown().catch(() => undefined);
      throw error;
    }
  }

  get plan(): DataPlanePlan {
    return this.#plan;
  }

  /** PREPAREs the row read again (a server answered UNPREPARED) and returns the new statement id. */
  async reprepare(): Promise<Uint8Array> {
    const prepared = await reprepareRowRead(this.client, this.#plan.query);
    this.#plan = { ...this.#plan, ...preparedFields(prepared) };
    return prepared.id;
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }
}

function preparedFields(
  p: PreparedRowRead,
): Pick<DataPlanePlan, 'preparedId' | 'resultMetadataId' | 'resultColumns'> {
  return { preparedId: p.id, resultMetadataId: p.resultMetadataId, resultColumns: p.columns };
}

/** The driver keeps the negotiated version on its (internal) control connection. */
function negotiatedProtocolVersion(client: cassandra.Client): number {
  const version = (client as unknown as { controlConnection?: { protocolVersion?: number } })
    .controlConnection?.protocolVersion;
  return typeof version === 'number' ? version : 4;
}
