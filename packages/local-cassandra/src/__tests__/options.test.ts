import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRequestThreads, resolveStartOptions } from '../cluster/options.js';
import { defaultCacheDir, defaultClusterDir } from '../env/cache-dir.js';
import { testConnectionFromEnv } from '../env/test-connection-env.js';
import { parseJavaMajor } from '../prerequisites/java.js';

describe('resolveStartOptions', () => {
  it('fills defaults for one node', () => {
    const o = resolveStartOptions({ cacheDir: '/c' });
    expect(o).toMatchObject({
      nodes: 1,
      heap: '1G',
      address: '127.0.0.1',
      port: 9042,
      version: '5.0.8',
      readyTimeoutMs: 90_000,
      auth: false,
      tls: false,
      dir: '/c/clusters/127.0.0.1-9042',
    });
  });

  it('uses a smaller heap and a longer wait for three nodes', () => {
    const o = resolveStartOptions({ nodes: 3, address: '127.0.0.31', cacheDir: '/c' });
    expect(o.heap).toBe('512M');
    expect(o.readyTimeoutMs).toBe(270_000);
    expect(o.dir).toBe('/c/clusters/127.0.0.31-9042');
  });

  it('names the option and the value it rejects', () => {
    expect(() => resolveStartOptions({ nodes: 2 as 1 })).toThrow(
      'nodes: expected 1 or 3, received 2 (number)',
    );
    expect(() => resolveStartOptions({ heap: '1GB' })).toThrow(/^heap: expected a JVM size/);
    expect(() => resolveStartOptions({ port: 7000 })).toThrow(/^port: expected an integer port/);
    expect(() => resolveStartOptions({ readyTimeoutMs: 0 })).toThrow(/^readyTimeoutMs/);
    expect(() => resolveStartOptions({ requestThreads: 0 })).toThrow(
      'requestThreads: expected an integer from 1 to 1024, received 0 (number)',
    );
    expect(() => resolveStartOptions({ requestThreads: 8.5 })).toThrow(/^requestThreads/);
  });

  it('takes request threads as given, else from the cores the nodes share', () => {
    expect(resolveStartOptions({ requestThreads: 32, cacheDir: '/c' }).requestThreads).toBe(32);
    expect(resolveStartOptions({ cacheDir: '/c' }).requestThreads).toBe(defaultRequestThreads(1));
  });
});

describe('defaultRequestThreads', () => {
  it("gives 4 per core shared by the nodes, at least 8 and at most Cassandra's 128", () => {
    expect(defaultRequestThreads(1, 2)).toBe(8);
    expect(defaultRequestThreads(1, 6)).toBe(24);
    expect(defaultRequestThreads(3, 12)).toBe(16);
    expect(defaultRequestThreads(3, 2)).toBe(8);
    expect(defaultRequestThreads(1, 64)).toBe(128);
  });
});

describe('cache folders', () => {
  it('prefers CASSDL_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ CASSDL_CACHE_DIR: '/a', XDG_CACHE_HOME: '/b' })).toBe('/a');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/b' })).toBe('/b/cassdl');
    expect(defaultCacheDir({})).toMatch(/\.cache\/cassdl$/);
    expect(defaultClusterDir('127.0.0.21', 9042, '/a')).toBe(
      join('/a', 'clusters', '127.0.0.21-9042'),
    );
  });
});

describe('testConnectionFromEnv', () => {
  it('returns null without contact points, meaning "start a local server"', () => {
    expect(testConnectionFromEnv({})).toBeNull();
    expect(testConnectionFromEnv({ CASSDL_CONTACT_POINTS: '  ' })).toBeNull();
  });

  it('reads contact points, port and data center', () => {
    expect(
      testConnectionFromEnv({
        CASSDL_CONTACT_POINTS: '10.0.0.1, 10.0.0.2',
        CASSDL_PORT: '9142',
        CASSDL_LOCAL_DC: 'dc2',
      }),
    ).toEqual({ contactPoints: ['10.0.0.1', '10.0.0.2'], port: 9142, localDataCenter: 'dc2' });
    expect(testConnectionFromEnv({ CASSDL_CONTACT_POINTS: '127.0.0.1' })).toEqual({
      contactPoints: ['127.0.0.1'],
      port: 9042,
      localDataCenter: 'datacenter1',
    });
  });

  it('rejects a bad port, naming the variable', () => {
    expect(() => testConnectionFromEnv({ CASSDL_CONTACT_POINTS: 'h', CASSDL_PORT: 'x' })).toThrow(
      /^CASSDL_PORT:/,
    );
  });
});

describe('parseJavaMajor', () => {
  it('reads modern and legacy version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_412"')).toBe(8);
    expect(parseJavaMajor('bash: java: command not found')).toBeNull();
  });
});
