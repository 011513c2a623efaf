import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCassandraError, resolveCassandraJars } from '../index.js';
import { throwawayPom } from '../resolve/pom.js';
import { tempDir } from './helpers/fixtures.js';

describe('throwawayPom', () => {
  it('depends on cassandra-all at the requested version', () => {
    const pom = throwawayPom('5.0.8');
    expect(pom).toContain('<artifactId>cassandra-all</artifactId>');
    expect(pom).toContain('<version>5.0.8</version>');
  });
});

describe('resolveCassandraJars', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('resolve');
  });

  afterAll(async () => {
    await dir.remove();
  });

  it('rejects a version that is not a release number', async () => {
    await expect(resolveCassandraJars('latest', { cacheDir: dir.path })).rejects.toThrow(
      /^version: expected a Cassandra release/,
    );
  });

  it(
    'finds cassandra-all and the jamm agent in the shared cache (downloading once)',
    { timeout: 300_000 },
    async () => {
      const jars = await resolveCassandraJars('5.0.8');
      expect(existsSync(join(jars.libDir, 'cassandra-all-5.0.8.jar'))).toBe(true);
      expect(basename(jars.jammJar)).toMatch(/^jamm-.*\.jar$/);
      expect((await resolveCassandraJars('5.0.8')).cached).toBe(true);
    },
  );

  it('refuses a cache marked complete that lacks the jars, and clears the marker', async () => {
    const root = join(dir.path, 'cassandra-5.0.8');
    await mkdir(join(root, 'lib'), { recursive: true });
    await writeFile(join(root, '.complete'), 'x');
    const error = await resolveCassandraJars('5.0.8', { cacheDir: dir.path }).catch(
      (e: unknown) => e,
    );
    expect((error as LocalCassandraError).code).toBe('RESOLVE_FAILED');
    expect(existsSync(join(root, '.complete'))).toBe(false);
  });
});
