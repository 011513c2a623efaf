import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCassandraError, PortInUseError, startLocalCassandra } from '../index.js';
import { portState } from '../process/ports.js';
import { tempDir } from './helpers/fixtures.js';

// A listener we own on 127.0.0.21:19042 stands in for "someone else's server";
// these checks run before anything is downloaded or launched.
const ADDRESS = '127.0.0.21';
const PORT = 19042;

describe('start refuses what is not ours', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: Server;

  beforeAll(async () => {
    dir = await tempDir('guards');
    server = createServer();
    await new Promise<void>((r) => server.listen(PORT, ADDRESS, r));
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await dir.remove();
  });

  it('sees a bound port', async () => {
    expect(await portState(ADDRESS, PORT)).toBe('bound');
    expect(await portState(ADDRESS, PORT + 1)).toBe('free');
    // TEST-NET-1 (RFC 5737) is never configured on a local interface.
    expect(await portState('192.0.2.1', PORT)).toBe('address-unavailable');
  });

  it('refuses a port held by another process and says how to use it instead', async () => {
    const error = await startLocalCassandra({
      address: ADDRESS,
      port: PORT,
      dir: join(dir.path, 'c1'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as PortInUseError).message).toMatch(
      /127\.0\.0\.21:19042 is already in use.*CASSDL_CONTACT_POINTS/,
    );
  });

  it('refuses a non-empty folder that it did not create', async () => {
    const foreign = join(dir.path, 'foreign');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'keep me');
    const error = await startLocalCassandra({ address: ADDRESS, port: PORT, dir: foreign }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LocalCassandraError);
    expect((error as LocalCassandraError).code).toBe('DIR_NOT_OURS');
  });
});
