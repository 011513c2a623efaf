import type { ConnectionOptions, PlanTls } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { connectionErrorFrom } from './connect-errors.js';
import { RethrowRetryPolicy, readerReconnectionPolicy, sslOptionsFrom } from './driver-options.js';
import { contactPointIps, DetectedDataCenterPolicy } from './local-data-center.js';

/**
 * Opens the control-plane client: the one cassandra-driver connection that
 * learns the topology, checks the schema and prepares the row read. TLS
 * material arrives already loaded as PEM (`loadTlsMaterial`). Without a
 * `localDataCenter` the client detects it from the cluster
 * (`localDataCenterOf` reads what it chose).
 */
export function connectControlPlane(
  connection: ConnectionOptions,
  tls: PlanTls | null,
): Promise<cassandra.Client> {
  return connectClient(connection, tls, 'control');
}

/**
 * Who a client is for. The control plane keeps one connection per host and
 * never retries inside the driver (the reader's own retry policy decides);
 * tools that write and scan (ingest, split, examples) let the driver retry
 * their idempotent prepared statements.
 */
export type ClientRole = 'control' | 'tool';

export async function connectClient(
  connection: ConnectionOptions,
  tls: PlanTls | null,
  role: ClientRole,
): Promise<cassandra.Client> {
  const options = clientOptions(connection, tls, role);
  if (connection.localDataCenter === undefined && connection.cloudConfig === undefined) {
    const ips = await contactPointIps(connection.contactPoints);
    options.policies = { ...options.policies, loadBalancing: new DetectedDataCenterPolicy(ips) };
  }
  const client = new cassandra.Client(options);
  try {
    await client.connect();
  } catch (error) {
    await client.shutdown().catch(() => undefined);
    throw connectionErrorFrom(error, describeTarget(connection), { useSsl: tls !== null });
  }
  return client;
}

function clientOptions(
  c: ConnectionOptions,
  tls: PlanTls | null,
  role: ClientRole,
): cassandra.ClientOptions {
  const options: cassandra.ClientOptions = {
    ...(c.localDataCenter !== undefined ? { localDataCenter: c.localDataCenter } : {}),
    protocolOptions: { port: c.port },
    socketOptions: { connectTimeout: c.connectTimeoutMs, readTimeout: c.requestTimeoutMs },
    ...(role === 'control'
      ? controlTuning()
      : { queryOptions: { prepare: true, isIdempotent: true } }),
  };
  if (c.cloudConfig !== undefined)
    options.cloud = { secureConnectBundle: c.cloudConfig.secureConnectBundle };
  else options.contactPoints = c.contactPoints;
  if (c.username !== undefined && c.password !== undefined) {
    options.authProvider = new cassandra.auth.PlainTextAuthProvider(c.username, c.password);
  }
  if (tls !== null && c.cloudConfig === undefined) options.sslOptions = sslOptionsFrom(tls);
  return options;
}

function controlTuning(): Pick<cassandra.ClientOptions, 'pooling' | 'policies'> {
  return {
    pooling: {
      coreConnectionsPerHost: {
        [cassandra.types.distance.local]: 1,
        [cassandra.types.distance.remote]: 1,
      },
    },
    policies: { retry: new RethrowRetryPolicy(), reconnection: readerReconnectionPolicy() },
  };
}

/** `host:port, ...` or the cloud bundle, for error messages (never credentials). */
export function describeTarget(c: ConnectionOptions): string {
  if (c.cloudConfig !== undefined)
    return `the cloud cluster of ${c.cloudConfig.secureConnectBundle}`;
  return c.contactPoints.map((p) => (p.includes(':') ? p : `${p}:${c.port}`)).join(', ');
}
