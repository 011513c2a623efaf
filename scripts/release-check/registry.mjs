// A throwaway Verdaccio on loopback: @cassdl/* is published to it and served
// only from it; everything else is proxied from the npm registry. Verdaccio
// is installed into a cache folder with npm, outside the workspace and its
// lockfile; on Node 20 it needs node-fetch 2.7.0 (an override).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sh } from './shell.mjs';

const VERDACCIO = '6.8.0';
// The registry this machine's npm is configured with, so no host is written here.
const UPSTREAM = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();

/** Installs Verdaccio once per cache folder; returns its binary. */
export function installVerdaccio() {
  const cache = join(
    process.env.CASSDL_CACHE_DIR ??
      join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cassdl'),
    `verdaccio-${VERDACCIO}`,
  );
  const bin = join(cache, 'node_modules', '.bin', 'verdaccio');
  if (existsSync(bin)) {
    console.log(`    verdaccio ${VERDACCIO} cached in ${cache}`);
    return bin;
  }
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    join(cache, 'package.json'),
    `${JSON.stringify({ private: true, overrides: { 'node-fetch': '2.7.0' } }, null, 2)}\n`,
  );
  sh('npm', ['install', '--no-audit', '--no-fund', `verdaccio@${VERDACCIO}`], {
    cwd: cache,
    quiet: true,
  });
  return bin;
}

/** Starts Verdaccio with its storage in `dir`; resolves to `{ url, token, stop }`. */
export async function startRegistry(bin, dir) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  mkdirSync(join(dir, 'storage'), { recursive: true });
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      'uplinks:',
      '  npmjs:',
      `    url: ${UPSTREAM}`,
      '    timeout: 60s',
      '    maxage: 30m',
      'packages:',
      "  '@cassdl/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      '    proxy: npmjs',
      `log: { type: file, path: ${join(dir, 'verdaccio.log')}, level: warn }`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    bin,
    ['--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    {
      stdio: 'ignore',
      detached: false,
    },
  );
  const stop = () => child.kill('SIGTERM');
  try {
    await waitUntilUp(url, child);
    return { url, token: await addUser(url), stop };
  } catch (error) {
    stop();
    throw error;
  }
}

async function waitUntilUp(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {}
    await sleep(250);
  }
  throw new Error(`verdaccio did not answer on ${url} within 60 s`);
}

/** Registers a throwaway user (htpasswd) and returns its token, as `npm adduser` would. */
async function addUser(url) {
  const name = 'release-check';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'release-check-only', type: 'user', roles: [] }),
  });
  const body = await response.json();
  if (!response.ok || typeof body.token !== 'string')
    throw new Error(`verdaccio refused the user: ${JSON.stringify(body)}`);
  return body.token;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
