import { afterEach, describe, expect, it } from 'vitest';
import { ServerNotInTierError, testConnection } from '../index.js';

const KEYS = [
  'CASSDL_CONTACT_POINTS',
  'CASSDL_PORT',
  'CASSDL_LOCAL_DC',
  'CASSDL_TEST_TIER',
] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

describe('testConnection', () => {
  afterEach(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('refuses in the unit tier, naming where a test that needs a server belongs', async () => {
    process.env.CASSDL_TEST_TIER = 'unit';
    const error = await testConnection().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerNotInTierError);
    expect((error as ServerNotInTierError).code).toBe('SERVER_NOT_IN_TIER');
    expect((error as Error).message).toMatch(/\*\.int\.test\.ts/);
  });

  it('uses the cluster named in the environment without starting one, once per process', async () => {
    delete process.env.CASSDL_TEST_TIER;
    process.env.CASSDL_CONTACT_POINTS = '127.0.0.21,127.0.0.22';
    process.env.CASSDL_PORT = '19042';
    process.env.CASSDL_LOCAL_DC = 'dc-test';
    const first = await testConnection();
    expect(first).toEqual({
      contactPoints: ['127.0.0.21', '127.0.0.22'],
      port: 19042,
      localDataCenter: 'dc-test',
    });
    process.env.CASSDL_PORT = '9042';
    expect(await testConnection()).toBe(first);
  });
});
