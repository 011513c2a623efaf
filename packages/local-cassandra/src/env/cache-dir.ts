import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where downloaded jars and default cluster folders live: outside any repo so
 * nothing downloaded is ever committed. `CASSDL_CACHE_DIR` wins, then
 * `$XDG_CACHE_HOME/cassdl`, then `~/.cache/cassdl`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CASSDL_CACHE_DIR;
  if (explicit) return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg) return join(resolve(xdg), 'cassdl');
  return join(homedir(), '.cache', 'cassdl');
}

/** The default folder of a cluster whose first node listens on `address:port`. */
export function defaultClusterDir(
  address: string,
  port: number,
  cacheDir = defaultCacheDir(),
): string {
  return join(cacheDir, 'clusters', `${address}-${port}`);
}
