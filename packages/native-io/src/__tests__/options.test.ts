import { describe, expect, it } from 'vitest';
import { loadNative, NativeDataPlane, NativeIoError } from '../index.js';
import { toNativeConfig } from '../native-config.js';
import { DEFAULT_OPTIONS } from './helpers/cassandra.js';
import { samplePlan } from './helpers/sample-plan.js';

describe('loadNative', () => {
  it('finds the local build', () => {
    const result = loadNative();
    expect(result).toMatchObject({ available: true });
    if (result.available) expect(result.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("native engine options: the reader options' ranges", () => {
  it('accepts every value the reader options accept, and nothing beyond', () => {
    const plan = samplePlan();
    // 100 connections per host and a 60 s first retry delay are valid reader options.
    const config = toNativeConfig(plan, {
      ...DEFAULT_OPTIONS,
      connectionsPerHost: 100,
      retry: { maxAttempts: 100, baseDelayMs: 60_000, maxDelayMs: 600_000 },
    });
    expect(config).toMatchObject({ connectionsPerHost: 100, baseDelayMs: 60_000 });
    expect(() => toNativeConfig(plan, { ...DEFAULT_OPTIONS, connectionsPerHost: 257 })).toThrow(
      /options\.connectionsPerHost: expected integer from 1 to 256, received 257/,
    );
    expect(() => toNativeConfig(plan, { ...DEFAULT_OPTIONS, onMissing: 'drop' as 'skip' })).toThrow(
      /options\.onMissing: expected one of "error"\|"skip", received drop \(string\)/,
    );
  });
});

describe('NativeDataPlane.open input checks', () => {
  it('names the option that is wrong', async () => {
    await expect(
      NativeDataPlane.open(samplePlan(), { ...DEFAULT_OPTIONS, inflight: 0 }),
    ).rejects.toThrow(/options\.inflight: expected integer from 1 to \d+, received 0 \(number\)/);
    await expect(
      NativeDataPlane.open(samplePlan(), {
        ...DEFAULT_OPTIONS,
        retry: { maxAttempts: 1.5, baseDelayMs: 1, maxDelayMs: 1 },
      }),
    ).rejects.toThrow(/options\.retry\.maxAttempts/);
    await expect(
      NativeDataPlane.open(samplePlan(), {
        ...DEFAULT_OPTIONS,
        onMissing: 'ignore' as unknown as 'skip',
      }),
    ).rejects.toThrow(/options\.onMissing/);
  });

  it('refuses a plan whose ring points at a missing host, as an internal error', async () => {
    const plan = samplePlan({ ring: [{ token: '0', replicas: [3] }] });
    const error = await NativeDataPlane.open(plan, DEFAULT_OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeIoError);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_INTERNAL',
      message: expect.stringMatching(/plan\.ring\.0\.replicas\.0/),
    });
  });

  it('refuses unusable TLS material with ERR_CASSDL_TLS, never quoting the passphrase', async () => {
    const plan = samplePlan({
      tls: {
        ca: 'not a certificate',
        cert: null,
        key: null,
        passphrase: 'secret-pass',
        serverName: null,
        rejectUnauthorized: true,
      },
    });
    const error = await NativeDataPlane.open(plan, DEFAULT_OPTIONS).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_TLS',
      message: expect.stringContaining('tls.ca holds no PEM certificate'),
    });
    expect(String((error as Error).message)).not.toContain('secret-pass');
  });

  it('fails to connect to a port nobody listens on, with ERR_CASSDL_CONNECT naming the host', async () => {
    const plan = samplePlan({
      hosts: [
        {
          address: '127.0.0.1',
          port: 1,
          datacenter: 'dc',
          rack: 'r',
          up: true,
          local: true,
          sniName: null,
        },
      ],
      connectTimeoutMs: 2000,
    });
    const error = await NativeDataPlane.open(plan, DEFAULT_OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeIoError);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_CONNECT',
      message: expect.stringContaining('127.0.0.1:1'),
    });
    // The stack starts at the caller, not inside an event-loop callback.
    expect((error as Error).stack).toContain('options.test.ts');
  });
});
