#!/usr/bin/env node
// `pnpm release:check`: a release, up to the registry, done here and then
// used as a new user would. Versions with changesets (a dry run on a copy),
// builds, stages the prebuilt addon, lints every package as packed (publint,
// attw), publishes every @cassdl package to a throwaway Verdaccio on loopback,
// then in empty folders outside the workspace, with no compiler, make or
// Python on PATH: installs the CLI alone and has it start a Cassandra (its own
// address and folder, never the shared test server), ingest and split a
// dataset; installs core + native-io with each package manager and runs
// core's README example on that table (native engine, no warning); runs
// gpu-ops' README example; runs the CLI's bench. The transcript is stdout.
//
// Environment: CASSDL_RELEASE_CHECK_INSTALLERS (default: every one),
// CASSDL_RELEASE_CHECK_ADDRESS (the check's Cassandra, default 127.0.0.114),
// CASSDL_RELEASE_CHECK_KEEP=1 keeps the work folder.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  emptyProject,
  INSTALLERS,
  install,
  installScriptWarnings,
  pathWithoutBuildTools,
} from './consumer.mjs';
import { hasTypes, publishedPackages } from './packages.mjs';
import { installVerdaccio, startRegistry } from './registry.mjs';
import { assert, sh, shAll, step } from './shell.mjs';
import { versionDryRun } from './version-dry-run.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const installers = (
  process.env.CASSDL_RELEASE_CHECK_INSTALLERS ?? Object.keys(INSTALLERS).join(',')
)
  .split(',')
  .filter(Boolean);
const address = process.env.CASSDL_RELEASE_CHECK_ADDRESS ?? '127.0.0.114';
const work = mkdtempSync(join(tmpdir(), 'cassdl-release-check-'));
const cleanups = [];

try {
  await main();
  step('release check passed');
} catch (error) {
  console.log(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch (error) {
      console.log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (process.env.CASSDL_RELEASE_CHECK_KEEP === '1') console.log(`work folder kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

async function main() {
  step('packages the release publishes (every non-private workspace package)');
  const packages = publishedPackages(root);
  for (const p of packages)
    console.log(`    ${p.name}@${p.version}  ${p.dir.slice(root.length + 1)}`);

  step('changeset version, on a throwaway copy');
  versionDryRun(root, work);

  step('build, and stage the prebuilt addon for this platform');
  sh('pnpm', ['build'], { cwd: root, quiet: true });
  sh('node', ['packages/native-io/scripts/stage-prebuilt.mjs'], { cwd: root });
  const notBuilt = packages.filter(
    (p) =>
      p.manifest.main === 'cassdl_native.node' && !existsSync(join(p.dir, 'cassdl_native.node')),
  );
  for (const p of notBuilt) {
    // The release workflow builds each platform's addon in its matrix, lints the staged package
    // and refuses to publish without it (stage-prebuilt --verify); here the package only gives
    // the local registry the metadata installers read before they skip it on this platform.
    console.log(
      `    ${p.name}: not built on this machine; published here without its addon, not linted`,
    );
  }

  step('pack, publint and attw (what is published is what is linted)');
  const packs = join(work, 'packs');
  mkdirSync(packs);
  const tarballs = packages.map((p) => pack(p, packs));
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  for (const [i, p] of packages.entries()) {
    if (!notBuilt.includes(p)) sh(bin('publint'), ['run', '--strict', tarballs[i]], { cwd: root });
  }
  // ESM only: the esm-only profile leaves out the CommonJS resolutions (each README says so).
  await shAll(
    packages
      .map((p, i) => [p, tarballs[i]])
      .filter(([p]) => hasTypes(p))
      .map(([, tarball]) => [bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii']]),
    { cwd: root },
  );
  for (const p of packages.filter((p) => !hasTypes(p)))
    console.log(`    attw: ${p.name} has no JavaScript API (a prebuilt addon only)`);

  step('local registry (Verdaccio on loopback; @cassdl/* only from it)');
  const registry = await startRegistry(installVerdaccio(), join(work, 'registry'));
  cleanups.push(registry.stop);
  console.log(`    ${registry.url}`);
  const npmrc = join(work, 'publish.npmrc');
  writeFileSync(npmrc, `${registry.url.replace(/^https?:/, '')}:_authToken=${registry.token}\n`);

  step('publish every package');
  for (const tarball of tarballs) {
    sh(
      'npm',
      [
        'publish',
        tarball,
        `--registry=${registry.url}`,
        `--userconfig=${npmrc}`,
        '--access=public',
      ],
      {
        quiet: true,
      },
    );
  }

  step('a PATH without compilers, make or Python');
  const env = { ...process.env, PATH: pathWithoutBuildTools(join(work, 'bin')) };
  delete env.npm_config_registry;
  sh(
    'bash',
    ['-c', 'for t in g++ gcc cc make python3; do ! command -v $t || exit 1; done; echo none found'],
    {
      env,
    },
  );

  const cli = await cliAlone(registry, env);
  for (const installer of installers) coreWithNative(installer, registry, env, cli);
  withoutPrebuilt(registry, env, cli);
  gpuOps(registry, env);
  cliBench(cli);
}

/** `pnpm pack` (workspace: ranges become versions, publishConfig applies); returns the tarball. */
function pack(pkg, packs) {
  const out = sh('pnpm', ['pack', '--pack-destination', packs], { cwd: pkg.dir, quiet: true });
  return out.trim().split('\n').pop().trim();
}

/** `npm i @cassdl/cli` alone, then its own Cassandra, an ingest and a split. */
async function cliAlone(registry, env) {
  step('npm i @cassdl/cli (alone), then npx @cassdl/cli server start / ingest / split create');
  const dir = join(work, 'cli');
  emptyProject(dir, registry.url, registry.token);
  const output = install('npm@11', ['@cassdl/cli'], { dir, registry: registry.url, env });
  assertNoInstallScripts(output, '@cassdl');
  const cassdl = (...args) =>
    sh('npx', ['--no-install', '@cassdl/cli', ...args], { cwd: dir, env });
  cassdl('--version');
  const cluster = join(work, 'cluster');
  cassdl('server', 'start', '--address', address, '--dir', cluster, '--heap', '512M');
  cleanups.push(() => cassdl('server', 'stop', '--dir', cluster));
  copyFileSync(join(here, 'consumers', 'make-images.mjs'), join(dir, 'make-images.mjs'));
  sh('node', ['make-images.mjs', 'images', '12'], { cwd: dir, env });
  const connection = ['--contact-points', address];
  const keyspace = 'cassdl_release_check';
  cassdl('ingest', 'classification', 'images', '--keyspace', keyspace, ...connection);
  const split = join(dir, 'split.json');
  cassdl(
    'split',
    'create',
    '--keyspace',
    keyspace,
    '--ratios',
    'train=0.75,val=0.25',
    '--seed',
    '1',
    '-o',
    split,
    ...connection,
  );
  return { dir, cassdl, connection, keyspace, split };
}

/** `<installer> add @cassdl/core @cassdl/native-io` in an empty folder; the README example must run native. */
function coreWithNative(installer, registry, env, cli) {
  step(`${installer}: install @cassdl/core @cassdl/native-io, run core's README example`);
  const dir = join(work, `core-${installer.replace('@', '')}`);
  emptyProject(dir, registry.url, registry.token);
  const output = install(installer, ['@cassdl/core', '@cassdl/native-io'], {
    dir,
    registry: registry.url,
    env,
  });
  assertNoInstallScripts(output);
  copyFileSync(join(here, 'consumers', 'core-example.mjs'), join(dir, 'example.mjs'));
  const result = sh('node', ['example.mjs'], {
    cwd: dir,
    env: { ...env, RC_CONTACT: address, RC_KEYSPACE: cli.keyspace, RC_SPLIT: cli.split },
  });
  const report = lastJson(result);
  assert(report.engineKind === 'native', `${installer}: reader.engineKind === 'native'`);
  assert(report.warnings.length === 0, `${installer}: no warning from the reader`);
}

/** `npm i --omit=optional`: the prebuilt is left out; one warning must name the platform, the cause and the npm fix. */
function withoutPrebuilt(registry, env, cli) {
  step('npm i --omit=optional @cassdl/core @cassdl/native-io: the fallback warning');
  const dir = join(work, 'core-omit-optional');
  emptyProject(dir, registry.url, registry.token);
  sh(
    'npm',
    [
      'install',
      '--omit=optional',
      '--no-audit',
      '--no-fund',
      `--registry=${registry.url}`,
      '@cassdl/core',
      '@cassdl/native-io',
    ],
    { cwd: dir, env },
  );
  copyFileSync(join(here, 'consumers', 'core-example.mjs'), join(dir, 'example.mjs'));
  const result = sh('node', ['example.mjs'], {
    cwd: dir,
    env: {
      ...env,
      RC_CONTACT: address,
      RC_KEYSPACE: cli.keyspace,
      RC_SPLIT: cli.split,
      RC_EXPECT_ENGINE: 'driver',
    },
  });
  const [warning] = lastJson(result).warnings;
  assert(
    /^CASSDL_NATIVE_UNAVAILABLE: /.test(warning),
    'one warning, CASSDL_NATIVE_UNAVAILABLE, and the driver engine',
  );
  assert(/on Linux x64 \(glibc [\d.]+\)/.test(warning), 'the warning names the platform');
  assert(
    warning.includes('@cassdl/native-io-linux-x64-gnu is not installed'),
    'the warning names the cause',
  );
  assert(
    warning.includes('npm install @cassdl/native-io without --omit=optional'),
    'the warning gives the npm fix',
  );
}

/** `npm i @cassdl/gpu-ops @tensorflow/tfjs`; its README example must run. */
function gpuOps(registry, env) {
  step("npm i @cassdl/gpu-ops @tensorflow/tfjs, run gpu-ops' README example");
  const dir = join(work, 'gpu-ops');
  emptyProject(dir, registry.url, registry.token);
  const output = install('npm@11', ['@cassdl/gpu-ops', '@tensorflow/tfjs'], {
    dir,
    registry: registry.url,
    env,
  });
  assertNoInstallScripts(output, '@cassdl');
  copyFileSync(join(here, 'consumers', 'gpu-ops-example.mjs'), join(dir, 'example.mjs'));
  sh('node', ['example.mjs'], { cwd: dir, env });
}

function cliBench(cli) {
  step('npx @cassdl/cli bench (native and driver engines)');
  const json = join(cli.dir, 'bench.json');
  cli.cassdl(
    'bench',
    '--samples',
    '1024',
    '--blob-size',
    '8192',
    '--engine',
    'native,driver',
    '--json',
    json,
    ...cli.connection,
  );
  assert(existsSync(json), 'bench wrote its JSON report');
}

/** Fails on any installer line about install scripts or native builds (only those naming `scope`, if given). */
function assertNoInstallScripts(output, scope) {
  const lines = installScriptWarnings(output).filter(
    (l) => scope === undefined || l.includes(scope),
  );
  assert(
    lines.length === 0,
    `no install-script warning${scope ? ` about ${scope}` : ''}${lines.length ? `: ${lines.join(' | ')}` : ''}`,
  );
}

/** The example's report: its last stdout line that is JSON (stderr, such as node's warning, is mixed in). */
function lastJson(output) {
  const line = output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (line === undefined) throw new Error(`release check failed: no JSON report in: ${output}`);
  return JSON.parse(line);
}
