import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type cassandra from 'cassandra-driver';

export { withClient } from '../../ready/with-client.js';

/** Real servers take tens of seconds to start on two shared cores. */
export const SERVER_TIMEOUT_MS = 300_000;

export async function tempDir(label: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `cassdl-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
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
