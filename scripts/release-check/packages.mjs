// The workspace's packages as pnpm sees them; a release publishes every one
// that is not private (never a list kept here).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `{ name, version, dir, manifest }` of every workspace package but the root. */
export function workspacePackages(root) {
  const result = spawnSync('pnpm', ['ls', '-r', '--json', '--depth', '-1'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`pnpm ls failed: ${result.stderr}`);
  return JSON.parse(result.stdout)
    .filter((p) => p.path !== root && p.name)
    .map((p) => ({
      name: p.name,
      version: p.version,
      dir: p.path,
      manifest: JSON.parse(readFileSync(join(p.path, 'package.json'), 'utf8')),
    }));
}

/** The packages a release publishes. */
export function publishedPackages(root) {
  return workspacePackages(root).filter((p) => p.manifest.private !== true);
}

/** Whether a package ships a JavaScript API (a platform package holds only a `.node` file). */
export function hasTypes(pkg) {
  return Boolean(pkg.manifest.types);
}
