import { readFile, writeFile } from 'node:fs/promises';
import type { LocalTls } from '../tls/certificates.js';
import { stateFile } from './layout.js';

export interface Credentials {
  username: string;
  password: string;
}

/**
 * What a later `start` (reuse), `stop` or `status` must know about a cluster
 * another process started. Lives in `<dir>/cluster.json`; its presence also
 * marks the folder as ours, so we never wipe a folder we did not create.
 */
export interface ClusterState {
  format: 1;
  clusterName: string;
  version: string;
  port: number;
  heap: string;
  addresses: string[];
  auth: Credentials | null;
  tls: LocalTls | null;
  startedAt: string;
}

export async function readState(clusterDir: string): Promise<ClusterState | null> {
  try {
    const parsed = JSON.parse(
      await readFile(stateFile(clusterDir), 'utf8'),
    ) as Partial<ClusterState>;
    return parsed.format === 1 && Array.isArray(parsed.addresses) ? (parsed as ClusterState) : null;
  } catch {
    return null;
  }
}

export async function writeState(clusterDir: string, state: ClusterState): Promise<void> {
  // 0600: it holds the superuser password and the TLS store passwords.
  await writeFile(stateFile(clusterDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
