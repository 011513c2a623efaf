// `changeset version` on a throwaway copy of what it reads (the workspace
// manifests and .changeset/), to show the versions the next release gets and
// that every `fixed` group moves as one; the workspace itself is untouched.
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { workspacePackages } from './packages.mjs';
import { assert, sh } from './shell.mjs';

/** Returns `{ name: [before, after] }` for every workspace package. */
export function versionDryRun(root, work) {
  const copy = join(work, 'version-dry-run');
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset']) {
    cpSync(join(root, file), join(copy, file), { recursive: true });
  }
  const all = workspacePackages(root).map((p) => p.dir);
  for (const dir of all) {
    const target = join(copy, relative(root, dir), 'package.json');
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(dir, 'package.json'), target);
  }
  const bin = createRequire(join(root, 'package.json')).resolve('@changesets/cli/bin.js');
  sh(process.execPath, [bin, 'version'], { cwd: copy });
  const versions = {};
  for (const dir of all) {
    const before = readJson(join(dir, 'package.json'));
    const after = readJson(join(copy, relative(root, dir), 'package.json'));
    versions[before.name] = [before.version, after.version];
  }
  for (const [name, [before, after]] of Object.entries(versions)) {
    if (before !== after) console.log(`    ${name}: ${before} -> ${after}`);
  }
  checkFixedGroups(readJson(join(root, '.changeset', 'config.json')).fixed ?? [], versions);
  return versions;
}

function checkFixedGroups(groups, versions) {
  for (const group of groups) {
    const patterns = group.map(
      (g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
    );
    const members = Object.keys(versions).filter((n) => patterns.some((p) => p.test(n)));
    const after = new Set(members.map((n) => versions[n][1]));
    assert(
      members.length > 1 && after.size === 1,
      `fixed group ${group.join(' + ')} (${members.join(', ')}) is versioned as one: ${[...after].join(', ')}`,
    );
  }
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
