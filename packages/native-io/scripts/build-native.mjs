#!/usr/bin/env node
// Compiles the addon with node-gyp, offline when it can: the headers of the
// running Node (under its install prefix: include/node) are used unless a
// nodedir is configured, so no header tarball is downloaded.
//
// binding.gyp lives in src/ (see its header), so node-gyp builds in
// src/build; the result is copied to build/Release/cassdl_native.node, where
// the loader, the tests and stage-prebuilt look. Cross builds pass node-gyp's
// own flags through and name another output, e.g.
//   CXX=aarch64-linux-gnu-g++ node scripts/build-native.mjs --arch=arm64 --out=build/linux-arm64-gnu.node
//
// The JPEG region decoder needs a static libjpeg-turbo
// (scripts/build-libjpeg-turbo.sh, cached per machine). When it cannot be
// built (no cargo, cmake or network), or for a cross build, the addon is
// built without the decoder and a warning says why: @cassdl/gpu-ops then
// decodes with sharp. CASSDL_NO_JPEG=1 leaves it out on purpose.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');

const outFlag = process.argv.find((a) => a.startsWith('--out='));
const out = resolve(
  root,
  outFlag ? outFlag.slice('--out='.length) : 'build/Release/cassdl_native.node',
);
const passThrough = process.argv.slice(2).filter((a) => a !== outFlag);

const args = [nodeGyp, 'rebuild', '--directory=src', '--jobs', 'max', ...passThrough];
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
args.push(...jpegFlags());
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
mkdirSync(dirname(out), { recursive: true });
copyFileSync(join(root, 'src', 'build', 'Release', 'cassdl_native.node'), out);

/** gyp variables naming libjpeg-turbo, or none (with the reason on stderr) when it is not to be had. */
function jpegFlags() {
  const cross = passThrough.some((a) => a.startsWith('--arch=') && a !== `--arch=${process.arch}`);
  if (process.env.CASSDL_NO_JPEG === '1' || cross) return [];
  const built = spawnSync(join(root, 'scripts', 'build-libjpeg-turbo.sh'), [], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const dir = built.status === 0 ? built.stdout.trim().split('\n').pop() : '';
  if (!dir) {
    console.warn(
      'native-io: libjpeg-turbo could not be built; the addon has no JPEG decoder (gpu-ops uses sharp)',
    );
    return [];
  }
  return [`--jpeg_dir=${dir}`, `--jpeg_simd=${dir.endsWith('simd1') ? 1 : 0}`];
}
