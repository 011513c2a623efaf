// A user's empty project outside the workspace: its own folder, the local
// registry, and a PATH without compilers or Python, so that anything that
// tries to build from source fails instead of quietly succeeding.
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { sh } from './shell.mjs';

const NO_BUILD_TOOLS =
  /^(cc|c\+\+|gcc|g\+\+|cpp|clang|clang\+\+|make|gmake|cmake|python|python[0-9.]+|node-gyp)(-[0-9.]+)?$|^[a-z0-9_]+-linux-gnu-(gcc|g\+\+|c\+\+|cpp)(-[0-9.]+)?$/;

/** The package managers a user may install with, each fetched by npx. */
export const INSTALLERS = {
  'npm@10': (pkgs, registry) => [
    'npx',
    ['-y', 'npm@10', 'install', '--no-audit', '--no-fund', `--registry=${registry}`, ...pkgs],
  ],
  'npm@11': (pkgs, registry) => [
    'npx',
    ['-y', 'npm@11', 'install', '--no-audit', '--no-fund', `--registry=${registry}`, ...pkgs],
  ],
  'pnpm@9': (pkgs, registry) => ['npx', ['-y', 'pnpm@9', 'add', `--registry=${registry}`, ...pkgs]],
  'pnpm@10': (pkgs, registry) => [
    'npx',
    ['-y', 'pnpm@10', 'add', `--registry=${registry}`, ...pkgs],
  ],
  'yarn@1': (pkgs, registry) => [
    'npx',
    ['-y', 'yarn@1', 'add', '--non-interactive', `--registry=${registry}`, ...pkgs],
  ],
};

/**
 * A folder of symlinks to every program on PATH except compilers, make and
 * Python; returns the PATH to use. Checked: none of them resolves.
 */
export function pathWithoutBuildTools(dir) {
  mkdirSync(dir, { recursive: true });
  for (const entry of (process.env.PATH ?? '').split(delimiter)) {
    if (!entry || !existsSync(entry)) continue;
    for (const name of readdirSync(entry)) {
      if (NO_BUILD_TOOLS.test(name) || existsSync(join(dir, name))) continue;
      try {
        if (statSync(join(entry, name)).isFile()) symlinkSync(join(entry, name), join(dir, name));
      } catch {}
    }
  }
  return dir;
}

/** Makes an empty ESM project in `dir` that installs from `registry`. */
export function emptyProject(dir, registry, token) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'release-check-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const host = registry.replace(/^https?:/, '');
  writeFileSync(join(dir, '.npmrc'), `registry=${registry}\n${host}:_authToken=${token}\n`);
  writeFileSync(join(dir, '.yarnrc'), `registry "${registry}"\n`);
}

/** Installs `pkgs` with `installer` in `dir`; returns the installer's output. */
export function install(installer, pkgs, { dir, registry, env }) {
  const [command, args] = INSTALLERS[installer](pkgs, registry);
  return sh(command, args, { cwd: dir, env, timeoutMs: 240_000 });
}

/** Lines of installer output that speak of install scripts or of building native code. */
export function installScriptWarnings(output) {
  return output
    .split('\n')
    .filter((line) =>
      /install script|allowScripts|allow-scripts|Ignored build scripts|node-gyp|gyp (info|ERR)|prebuild/i.test(
        line,
      ),
    );
}
