import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCacheDir } from '../env/cache-dir.js';
import { LocalCassandraError, LocalCassandraOptionError } from '../errors/errors.js';
import { run } from '../process/exec.js';
import { throwawayPom } from './pom.js';

export interface CassandraJars {
  version: string;
  /** Folder holding cassandra-all and every runtime dependency. */
  libDir: string;
  /** The jamm agent Cassandra needs for memory measurement (-javaagent). */
  jammJar: string;
  /** True when a complete earlier download was reused. */
  cached: boolean;
}

export interface ResolveOptions {
  cacheDir?: string;
  mvn?: string;
  onProgress?: (msg: string) => void;
}

/** Written last, so a half-finished copy is never mistaken for a complete one. */
const COMPLETE_MARKER = '.complete';
const DEPENDENCY_PLUGIN =
  'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies';

/**
 * Resolves `org.apache.cassandra:cassandra-all:<version>` and its runtime
 * dependencies from Maven Central into `<cacheDir>/cassandra-<version>/lib`.
 */
export async function resolveCassandraJars(
  version: string,
  options: ResolveOptions = {},
): Promise<CassandraJars> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new LocalCassandraOptionError('version', 'a Cassandra release such as 5.0.8', version);
  }
  const root = join(options.cacheDir ?? defaultCacheDir(), `cassandra-${version}`);
  const libDir = join(root, 'lib');
  const marker = join(root, COMPLETE_MARKER);
  const cached = existsSync(marker);
  if (cached) {
    options.onProgress?.(`using cached Cassandra ${version} jars in ${libDir}`);
  } else {
    await download(version, root, libDir, options);
    await writeFile(marker, `${new Date().toISOString()}\n`);
  }
  return { version, libDir, jammJar: await findJamm(libDir), cached };
}

async function download(
  version: string,
  root: string,
  libDir: string,
  options: ResolveOptions,
): Promise<void> {
  options.onProgress?.(`resolving cassandra-all ${version} with mvn into ${libDir}`);
  await mkdir(root, { recursive: true });
  // No wipe of libDir: a running server may be using those jars, and
  // copy-dependencies skips files that are already there and up to date.
  await writeFile(join(root, 'pom.xml'), throwawayPom(version));
  const result = await run(
    options.mvn ?? 'mvn',
    ['-B', '-q', DEPENDENCY_PLUGIN, '-DincludeScope=runtime', `-DoutputDirectory=${libDir}`],
    { cwd: root },
  );
  await writeFile(join(root, 'mvn.log'), `${result.stdout}\n${result.stderr}`);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new LocalCassandraError(
      'RESOLVE_FAILED',
      `mvn could not resolve org.apache.cassandra:cassandra-all:${version} (exit ${result.code}). ` +
        `Check that Maven Central is reachable (or a mirror in ~/.m2/settings.xml). Log: ${join(root, 'mvn.log')}\n${tail}`,
    );
  }
}

async function findJamm(libDir: string): Promise<string> {
  const jars = await readdir(libDir);
  const jamm = jars.find((f) => /^jamm-.*\.jar$/.test(f));
  if (!jars.some((f) => f.startsWith('cassandra-all-')) || jamm === undefined) {
    // A cache someone edited by hand: drop the marker so the next call downloads again.
    await rm(join(libDir, '..', COMPLETE_MARKER), { force: true });
    throw new LocalCassandraError(
      'RESOLVE_FAILED',
      `${libDir} lacks cassandra-all or jamm jars; delete that folder and start again.`,
    );
  }
  return join(libDir, jamm);
}
