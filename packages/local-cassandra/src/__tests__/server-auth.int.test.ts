import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../index.js';
import { startLocalCassandra, stopLocalCassandra } from '../index.js';
import {
  innerMessages,
  releaseVersion,
  SERVER_TIMEOUT_MS,
  tempDir,
  withClient,
} from './helpers/fixtures.js';

describe('PasswordAuthenticator on 127.0.0.22', { timeout: SERVER_TIMEOUT_MS }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let cluster: LocalCluster;

  beforeAll(async () => {
    dir = await tempDir('auth');
    cluster = await startLocalCassandra({ address: '127.0.0.22', dir: dir.path, auth: true });
  }, SERVER_TIMEOUT_MS);

  afterAll(async () => {
    await stopLocalCassandra({ dir: dir.path });
    await dir.remove();
  }, SERVER_TIMEOUT_MS);

  const login = (username: string, password: string) =>
    withClient(
      {
        contactPoints: cluster.contactPoints,
        authProvider: new cassandra.auth.PlainTextAuthProvider(username, password),
      },
      releaseVersion,
    );

  it('returns the default superuser credentials', () => {
    expect(cluster.auth).toEqual({ username: 'cassandra', password: 'cassandra' });
  });

  it('lets the right password in', async () => {
    await expect(login('cassandra', 'cassandra')).resolves.toBe(cluster.version);
  });

  it("refuses a wrong password with the server's reason", async () => {
    const error = await login('cassandra', 'not-the-password').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(innerMessages(error)).toMatch(
      /Provided username cassandra and\/or password are incorrect/,
    );
  });

  it('refuses a client without credentials', async () => {
    const error = await withClient({ contactPoints: cluster.contactPoints }, releaseVersion).then(
      () => null,
      (e: unknown) => e,
    );
    expect(innerMessages(error)).toMatch(/requires authentication|PasswordAuthenticator/i);
  });
});
