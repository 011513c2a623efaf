#!/usr/bin/env node
// Copies the freshly built addon into its platform package folder
// (npm/<platform>-<arch>[-libc]/), the layout CI publishes from: one package
// per platform, each an optionalDependency of @cassdl/native-io, as sharp
// ships @img/sharp-linux-x64. Publishes nothing itself.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = process.report?.getReport();
const libc =
  process.platform === 'linux' ? (report?.header?.glibcVersionRuntime ? '-gnu' : '-musl') : '';
const tag = `${process.platform}-${process.arch}${libc}`;
const target = join(root, 'npm', tag);
const binary = join(root, 'build', 'Release', 'cassdl_native.node');

if (!existsSync(join(target, 'package.json'))) {
  console.error(
    `no platform package for ${tag}: add npm/${tag}/package.json (copy npm/linux-x64-gnu and edit os/cpu/libc)`,
  );
  process.exit(1);
}
if (!existsSync(binary)) {
  console.error(
    'build/Release/cassdl_native.node is missing: run pnpm --filter @cassdl/native-io build first',
  );
  process.exit(1);
}
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const platformVersion = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')).version;
if (version !== platformVersion) {
  console.error(
    `npm/${tag}/package.json has version ${platformVersion}, @cassdl/native-io has ${version}: keep them equal`,
  );
  process.exit(1);
}
copyFileSync(binary, join(target, 'cassdl_native.node'));
console.log(`staged ${tag}`);
