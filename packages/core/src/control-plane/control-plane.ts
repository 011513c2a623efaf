import {
  type DataPlanePlan,
  type DataTable,
  dataTableOf,
  RETRY_SERVER_CODES,
  type ReaderOptions,
  rowReadCql,
} from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { readCloudBundle } from './cloud-bundle.js';
import { cloudRoute, type PlanRoute, sniEndpointOf } from './cloud-route.js';
import { connectControlPlane } from './connect.js';
import { consistencyCode } from './consistency.js';
import { localDataCenterOf } from './local-data-center.js';
import { planProtocolVersion } from './protocol-version.js';
import { checkDataTable } from './schema-check.js';
import { loadTlsMaterial } from './tls-material.js';
import { planHosts, planRing } from './topology.js';

/**
 * The control plane: one cassandra-driver client that connects, checks the
 * table and describes the cluster as a `DataPlanePlan` with the row read's
 * text. Engines prepare that read on their own connections (the driver
 * engine through cassandra-driver, the native engine with its own PREPARE,
 * again after UNPREPARED); the control plane is closed with the reader.
 */
export class ControlPlane {
  readonly client: cassandra.Client;
  readonly table: DataTable;
  readonly #plan: DataPlanePlan;
  /** Plans of the other tables a weighted mix reads, by `keyspace.table`. */
  readonly #others = new Map<string, DataPlanePlan>();
  readonly #options: ReaderOptions;
  readonly #route: PlanRoute;

  private constructor(
    client: cassandra.Client,
    table: DataTable,
    plan: DataPlanePlan,
    options: ReaderOptions,
    route: PlanRoute,
  ) {
    this.client = client;
    this.table = table;
    this.#plan = plan;
    this.#options = options;
    this.#route = route;
  }

  /**
   * The plan of another table with the reader's columns (a source of a
   * weighted mix): checked like the reader's own table.
   */
  async planFor(qualified: string): Promise<DataPlanePlan> {
    if (qualified === this.#options.table) return this.#plan;
    const known = this.#others.get(qualified);
    if (known !== undefined) return known;
    const table = dataTableOf({ ...this.#options, table: qualified });
    const plan = await buildPlan(this.client, this.#options, table, this.#route);
    this.#others.set(qualified, plan);
    return plan;
  }

  /**
   * Connects and builds the plan; rejects with a connection or schema-mismatch
   * error before any row is read. `options` then hold the local data center
   * the client detected when none was given. A cloud bundle is read and
   * checked before connecting; the data plane then goes through its SNI proxy.
   */
  static async open(given: ReaderOptions): Promise<ControlPlane> {
    const cloud = given.connection.cloudConfig;
    const bundle = cloud === undefined ? null : await readCloudBundle(cloud.secureConnectBundle);
    const tls = await loadTlsMaterial(given.connection);
    const client = await connectControlPlane(given.connection, tls);
    const options = withCredentials(
      withLocalDataCenter(given, localDataCenterOf(client)),
      bundle?.credentials ?? null,
    );
    try {
      const route =
        bundle === null ? { tls, proxy: null } : cloudRoute(bundle, sniEndpointOf(client));
      const table = dataTableOf(options);
      const plan = await buildPlan(client, options, table, route);
      return new ControlPlane(client, table, plan, options, route);
    } catch (error) {
      await client.shutdown().catch(() => undefined);
      throw error;
    }
  }

  /** The reader options this control plane was opened with, the local data center filled in. */
  get options(): ReaderOptions {
    return this.#options;
  }

  get plan(): DataPlanePlan {
    return this.#plan;
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }
}

function withLocalDataCenter(options: ReaderOptions, dc: string | undefined): ReaderOptions {
  if (dc === undefined || options.connection.localDataCenter === dc) return options;
  return { ...options, connection: { ...options.connection, localDataCenter: dc } };
}

/**
 * A cloud bundle's credentials when the user gave none, as cassandra-driver
 * uses them: the data plane authenticates like the control plane did.
 */
function withCredentials(
  options: ReaderOptions,
  bundled: { readonly username: string; readonly password: string } | null,
): ReaderOptions {
  const c = options.connection;
  if (bundled === null || (c.username !== undefined && c.password !== undefined)) return options;
  return { ...options, connection: { ...c, ...bundled } };
}

/**
 * Checks `table` (its columns and their types, so a mismatch fails before
 * any data moves) and describes the cluster for reading it.
 */
async function buildPlan(
  client: cassandra.Client,
  options: ReaderOptions,
  table: DataTable,
  route: PlanRoute,
): Promise<DataPlanePlan> {
  await checkDataTable(client, table);
  const hosts = planHosts(client, options.connection.localDataCenter, route.proxy !== null);
  return {
    protocolVersion: planProtocolVersion(client.hosts.values()),
    keyspace: table.keyspace,
    table: table.table,
    idCol: table.idCol,
    dataCol: table.dataCol,
    labelCol: table.labelType === 'none' ? null : table.labelCol,
    labelType: table.labelType,
    query: rowReadCql(table),
    consistency: consistencyCode(options.consistency),
    hosts,
    ring: await planRing(client, table.keyspace, hosts),
    credentials:
      options.connection.username !== undefined && options.connection.password !== undefined
        ? { username: options.connection.username, password: options.connection.password }
        : null,
    tls: route.tls,
    proxy: route.proxy,
    connectTimeoutMs: options.connection.connectTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    retryServerCodes: RETRY_SERVER_CODES,
  };
}
