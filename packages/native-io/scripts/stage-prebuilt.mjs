#!/usr/bin/env node
// Copies a built addon into its platform package folder (npm/<tag>/), the
// layout a release publishes from: one package per platform, each an
// optionalDependency of @cassdl/native-io, as sharp ships @img/sharp-linux-x64.
// Publishes nothing itself.
//
//   node scripts/stage-prebuilt.mjs                      this machine's build
//   node scripts/stage-prebuilt.mjs --tag linux-arm64-gnu --binary build/linux-arm64-gnu.node
//   node scripts/stage-prebuilt.mjs --verify             every platform package holds its addon
//                                                        (a release publishes none otherwise)
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { platformTag, prebuiltPlatforms } from '../dist/prebuilt.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { tag: { type: 'string' }, binary: { type: 'string' }, verify: { type: 'boolean' } },
});
const version = readJson(join(root, 'package.json')).version;

if (values.verify) {
  const missing = prebuiltPlatforms().filter(
    (tag) => !existsSync(join(root, 'npm', tag, 'cassdl_native.node')),
  );
  if (missing.length > 0) fail(`no staged addon for: ${missing.join(', ')}`);
  for (const tag of prebuiltPlatforms()) checkVersion(tag);
  console.log(`every platform package holds its addon: ${prebuiltPlatforms().join(', ')}`);
} else {
  const tag = values.tag ?? platformTag();
  const binary = resolve(values.binary ?? join(root, 'build', 'Release', 'cassdl_native.node'));
  if (!existsSync(join(root, 'npm', tag, 'package.json'))) {
    fail(
      `no platform package for ${tag}: add npm/${tag}/package.json (copy npm/linux-x64-gnu, edit name, os, cpu, libc) and list it in optionalDependencies`,
    );
  }
  if (!existsSync(binary))
    fail(`${binary} is missing: run pnpm --filter @cassdl/native-io build first`);
  checkVersion(tag);
  copyFileSync(binary, join(root, 'npm', tag, 'cassdl_native.node'));
  console.log(`staged ${tag}`);
}

function checkVersion(tag) {
  const platformVersion = readJson(join(root, 'npm', tag, 'package.json')).version;
  if (platformVersion !== version) {
    fail(
      `npm/${tag}/package.json has version ${platformVersion}, @cassdl/native-io has ${version}: the changeset fixed group keeps them equal`,
    );
  }
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function fail(message) {
  console.error(`stage-prebuilt: ${message}`);
  process.exit(1);
}
