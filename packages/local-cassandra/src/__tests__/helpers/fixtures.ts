import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';

/** Real servers take tens of seconds to start on two shared cores. */
export const SERVER_TIMEOUT_MS = 300_000;

export async function tempDir(label: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `cassdl-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Connects, runs `use`, always shuts the client down. */
export async function withClient<T>(
  options: cassandra.ClientOptions,
  use: (client: cassandra.Client) => Promise<T>,
): Promise<T> {
  const client = new cassandra.Client({ localDataCenter: 'datacenter1', ...options });
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.shutdown().catch(() => {});
  }
}

/** The server's own words: the driver wraps them in NoHostAvailableError.innerErrors. */
export function innerMessages(error: unknown): string {
  const inner = (error as { innerErrors?: Record<string, Error> }).innerErrors ?? {};
  return [String((error as Error).message), ...Object.values(inner).map((e) => e.message)].join(
    ' | ',
  );
}

export async function releaseVersion(client: cassandra.Client): Promise<string> {
  const rs = await client.execute('SELECT release_version FROM system.local');
  return String(rs.first()?.get('release_version'));
}
