import { readFile } from 'node:fs/promises';
import {
  type ConnectionOptions,
  type ConnectionOptionsInput,
  connectionOptionsSchema,
  isPem,
  validate,
} from '@cassdl/schema';
import cassandra from 'cassandra-driver';

/**
 * Runs `work` with a connected cassandra-driver client for the same
 * connection options the reader takes (validated first, so a bad flag reads
 * like every other cassdl error), and always shuts it down.
 */
export async function withClient<T>(
  input: ConnectionOptionsInput,
  work: (client: cassandra.Client, connection: ConnectionOptions) => Promise<T>,
): Promise<T> {
  const connection = validate(connectionOptionsSchema, input, 'connection');
  const client = new cassandra.Client(await clientOptions(connection));
  try {
    await client.connect();
  } catch (error) {
    await client.shutdown().catch(() => undefined);
    throw new Error(`cannot connect to ${describeTarget(connection)}: ${reason(error)}`, {
      cause: error,
    });
  }
  try {
    return await work(client, connection);
  } finally {
    await client.shutdown();
  }
}

async function clientOptions(c: ConnectionOptions): Promise<cassandra.ClientOptions> {
  const options: cassandra.ClientOptions = {
    localDataCenter: c.localDataCenter,
    protocolOptions: { port: c.port },
    socketOptions: { connectTimeout: c.connectTimeoutMs, readTimeout: c.requestTimeoutMs },
    // Writes and scans are idempotent, so the driver may retry them itself.
    queryOptions: { prepare: true, isIdempotent: true },
  };
  if (c.cloudConfig !== undefined) {
    options.cloud = { secureConnectBundle: c.cloudConfig.secureConnectBundle };
  } else {
    options.contactPoints = c.contactPoints;
  }
  if (c.username !== undefined && c.password !== undefined) {
    options.authProvider = new cassandra.auth.PlainTextAuthProvider(c.username, c.password);
  }
  if (c.useSsl && c.cloudConfig === undefined) {
    options.sslOptions = {
      ...(c.sslCertificate !== undefined ? { ca: [await pem(c.sslCertificate)] } : {}),
      ...(c.sslOwnCertificate !== undefined ? { cert: await pem(c.sslOwnCertificate) } : {}),
      ...(c.sslOwnKey !== undefined ? { key: await pem(c.sslOwnKey) } : {}),
      ...(c.sslOwnKeyPass !== undefined ? { passphrase: c.sslOwnKeyPass } : {}),
      ...(c.sslServerName !== undefined ? { servername: c.sslServerName } : {}),
      rejectUnauthorized: c.sslRejectUnauthorized,
    };
  }
  return options;
}

async function pem(value: string): Promise<string> {
  return isPem(value) ? value : readFile(value, 'utf8');
}

function describeTarget(c: ConnectionOptions): string {
  if (c.cloudConfig !== undefined)
    return `the cloud cluster of ${c.cloudConfig.secureConnectBundle}`;
  return c.contactPoints.map((p) => (p.includes(':') ? p : `${p}:${c.port}`)).join(', ');
}

function reason(error: unknown): string {
  if (error instanceof cassandra.errors.NoHostAvailableError) {
    const inner = Object.entries(error.innerErrors as Record<string, unknown>).map(
      ([host, e]) => `${host}: ${e instanceof Error ? e.message : String(e)}`,
    );
    return inner.length > 0 ? inner.join('; ') : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
