#!/usr/bin/env node
// Every workspace package's README has a "## Layout" table whose first
// column names the package's source paths (in backticks). This check keeps
// those tables true to the tree, so a maintainer can trust them: every path
// a table names exists, and every entry directly under `src/` (tests and
// build output aside) is named by some row, itself, through its folder or
// through a glob such as `src/*.ts`. `pnpm lint` runs it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IGNORED_IN_SRC = new Set(['__tests__', 'build']);

/** Backticked paths of the first cell of each row of the "## Layout" table; null without one. */
export function layoutPaths(readme) {
  const section = readme.split(/^## /m).find((s) => /^Layout\b/.test(s));
  if (section === undefined) return null;
  const rows = section.split('\n').filter((line) => /^\|\s*`/.test(line));
  return rows.flatMap((row) => {
    const firstCell = row.split('|')[1] ?? '';
    return [...firstCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  });
}

/** `src/*.ts` → a RegExp over package-relative paths; `npm/<tag>/` → `npm/[^/]+/`. */
function pattern(entry) {
  const escaped = entry
    .replace(/\/$/, '')
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/<[^>]+>/g, '[^/]+')
    .replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}(/.*)?$`);
}

function existing(dir, entry) {
  if (!/[*<]/.test(entry)) return existsSync(path.join(dir, entry));
  const base = entry.slice(0, entry.search(/[*<]/)).replace(/[^/]*$/, '');
  const re = pattern(entry);
  const names = existsSync(path.join(dir, base)) ? readdirSync(path.join(dir, base)) : [];
  return names.some((name) => re.test(`${base}${name}`));
}

/** Problems of one package: a missing table, paths it names that do not exist, src entries it leaves out. */
export function checkPackage(dir) {
  const name = path.relative(root, dir);
  const readmePath = path.join(dir, 'README.md');
  if (!existsSync(readmePath)) return [`${name}: no README.md`];
  const paths = layoutPaths(readFileSync(readmePath, 'utf8'));
  if (paths === null) return [`${name}/README.md: no "## Layout" table`];
  const problems = paths
    .filter((entry) => !existing(dir, entry))
    .map((entry) => `${name}/README.md: the layout names \`${entry}\`, which does not exist`);
  const patterns = paths.map(pattern);
  const src = path.join(dir, 'src');
  const entries = existsSync(src) ? readdirSync(src).filter((e) => !IGNORED_IN_SRC.has(e)) : [];
  for (const entry of entries) {
    if (!patterns.some((re) => re.test(`src/${entry}`)))
      problems.push(`${name}/README.md: the layout does not name \`src/${entry}\``);
  }
  return problems;
}

function workspacePackages() {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(path.join(root, group), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(root, group, d.name, 'package.json')))
      .map((d) => path.join(root, group, d.name)),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = workspacePackages().flatMap(checkPackage);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`${problems.length} layout problem(s): update the README's "## Layout" table`);
    process.exit(1);
  }
  console.log('layout tables match the tree');
}
