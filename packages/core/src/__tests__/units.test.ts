import { RETRY_SERVER_CODES } from '@cassdl/schema';
import cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { connectionErrorFrom } from '../control-plane/connect-errors.js';
import { backoffDelayMs } from '../engines/backoff.js';
import { isRetriable } from '../engines/driver/retriable.js';
import { errorFromWire, errorToWire } from '../engines/driver/wire-error.js';
import { mapNativeError } from '../engines/native.js';
import {
  CassdlConnectionError,
  CassdlInternalError,
  CassdlMissingRowError,
  CassdlNoReplicaError,
  CassdlServerError,
} from '../errors.js';
import { LatencyHistogram } from '../metrics/histogram.js';
import { assembleBatch } from '../reader/assemble.js';
import { prefetchWindow, readerWindow } from '../reader/prefetch-window.js';
import { fakeIds } from './helpers/ids.js';

const retry = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 400 };

describe('backoffDelayMs', () => {
  it('doubles from the base up to the cap, with half of it jittered', () => {
    expect([1, 2, 3, 4, 5].map((r) => backoffDelayMs(r, retry, () => 0))).toEqual([
      25, 50, 100, 200, 200,
    ]);
    expect([1, 2, 3, 4, 5].map((r) => backoffDelayMs(r, retry, () => 1))).toEqual([
      50, 100, 200, 400, 400,
    ]);
  });
});

describe('LatencyHistogram', () => {
  it('reports percentiles within the bucket precision', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 10); // 0.1 .. 100 ms
    const { p50, p90, p99, max } = h.summary();
    expect(p50).toBeGreaterThanOrEqual(50);
    expect(p50).toBeLessThan(50 * 1.07);
    expect(p90).toBeGreaterThanOrEqual(90);
    expect(p90).toBeLessThan(90 * 1.07);
    expect(p99).toBeGreaterThanOrEqual(99);
    expect(max).toBe(100);
    h.reset();
    expect(h.summary()).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });
});

describe('prefetchWindow', () => {
  it('is constant without slow start and ramps from 1 with it', () => {
    expect(prefetchWindow(0, 4, 0)).toBe(4);
    expect([0, 1, 2, 3, 4, 5, 8, 100].map((d) => prefetchWindow(d, 4, 8))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4,
    ]);
  });
});

describe('readerWindow', () => {
  it('does not count batches that arrived and wait behind a slow one against the wire, up to the whole window', () => {
    const target = { prefetch: 10, window: 100 };
    // Nothing waiting: the wire's share.
    expect(readerWindow(target, 50, 0, 0)).toBe(10);
    // 82 finished behind a slow head (measured at +200 ms): 10 more may still go on the wire.
    expect(readerWindow(target, 50, 0, 82)).toBe(92);
    // The budget's (or a user prefetchBuffers') window bounds them all.
    expect(readerWindow(target, 50, 0, 95)).toBe(100);
    // Slow start still ramps the wire's share.
    expect(readerWindow(target, 0, 8, 3)).toBe(4);
  });
});

describe('assembleBatch', () => {
  it('keeps planned padding when every row came back, and counts only returned padding otherwise', () => {
    const ids = fakeIds(3);
    const keys = new Uint8Array(4 * 16);
    keys.set(ids, 0);
    keys.set(ids.subarray(32, 48), 48); // the last sample, repeated as padding
    const planned = { index: 2, keys, size: 4, padding: 1 };
    const full = {
      size: 4,
      ids: keys,
      data: new Uint8Array(0),
      dataOffsets: new Uint32Array(5),
      labels: { kind: 'none' as const },
      missing: new Uint8Array(0),
    };
    expect(assembleBatch(1, planned, full)).toMatchObject({
      epoch: 1,
      index: 2,
      size: 4,
      padding: 1,
    });
    const withoutLast = new Uint8Array(2 * 16);
    withoutLast.set(ids.subarray(0, 32));
    const skipped = {
      ...full,
      size: 2,
      ids: withoutLast,
      dataOffsets: new Uint32Array(3),
      missing: keys.subarray(32),
    };
    expect(assembleBatch(1, planned, skipped)).toMatchObject({ size: 2, padding: 0 });
  });
});

describe('errors across threads and from the native engine', () => {
  it('round-trip through the wire form as the same class with the same fields', () => {
    const errors = [
      new CassdlMissingRowError('a0000000-0000-4000-8000-000000000001', 'ks.t', 'null data'),
      new CassdlNoReplicaError('a0000000-0000-4000-8000-000000000002', [
        { host: '127.0.0.1:9042', cause: 'timeout' },
      ]),
      new CassdlConnectionError('auth', 'Authentication failed: bad', [
        { host: 'h:1', cause: 'bad' },
      ]),
      new CassdlServerError('Reading row x failed: Unauthorized', 0x2100),
    ];
    for (const error of errors) {
      const back = errorFromWire(structuredClone(errorToWire(error)));
      expect(back).toBeInstanceOf(error.constructor);
      expect(back.message).toBe(error.message);
      expect(back.code).toBe(error.code);
    }
    expect(errorFromWire(errorToWire(new TypeError('boom')))).toBeInstanceOf(CassdlInternalError);
  });

  it('maps native-io error codes to cassdl errors', () => {
    const missing = mapNativeError(
      { code: 'ERR_CASSDL_MISSING_ROW', id: 'x', message: 'row x: no row' },
      'ks.t',
    );
    expect(missing).toBeInstanceOf(CassdlMissingRowError);
    expect((missing as CassdlMissingRowError).id).toBe('x');
    const noReplica = mapNativeError(
      { code: 'ERR_CASSDL_NO_REPLICA', id: 'y', attempts: [{ host: 'h', cause: 'c' }] },
      'ks.t',
    );
    expect((noReplica as CassdlNoReplicaError).attempts).toEqual([{ host: 'h', cause: 'c' }]);
    expect(mapNativeError({ code: 'ERR_CASSDL_TLS', message: 'bad cert' }, 'ks.t')).toMatchObject({
      failure: 'tls',
    });
    expect(
      mapNativeError({ code: 'ERR_CASSDL_SERVER', message: 'no', serverCode: 8448 }, 'ks.t'),
    ).toMatchObject({ serverCode: 8448 });
    expect(mapNativeError(new Error('what'), 'ks.t')).toBeInstanceOf(CassdlInternalError);
  });

  it('restates driver connect failures: auth with the server reason, TLS, or per-host causes', () => {
    const auth = Object.assign(new Error('All host(s) tried for query failed.'), {
      name: 'NoHostAvailableError',
      innerErrors: {
        '127.0.0.1:9042': Object.assign(
          new Error('Provided username u and/or password are incorrect'),
          { name: 'AuthenticationError' },
        ),
      },
    });
    const a = connectionErrorFrom(auth, '127.0.0.1:9042');
    expect(a.failure).toBe('auth');
    expect(a.message).toContain('password are incorrect');
    const tls = Object.assign(new Error('x'), {
      innerErrors: {
        h: Object.assign(new Error('self-signed certificate'), {
          code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        }),
      },
    });
    expect(connectionErrorFrom(tls, 'h').failure).toBe('tls');
    // A wrong passphrase whose garbage passed the padding check: OpenSSL's decoder refuses the key.
    const undecodable = Object.assign(new Error('All host(s) tried for query failed.'), {
      innerErrors: {
        'h:9042': Object.assign(new Error('error:1E08010C:DECODER routines::unsupported'), {
          code: 'ERR_OSSL_UNSUPPORTED',
        }),
      },
    });
    const k = connectionErrorFrom(undecodable, 'h:9042');
    expect(k.failure).toBe('tls');
    expect(k.message).toMatch(
      /^TLS with h:9042 failed: error:1E08010C:DECODER routines::unsupported/,
    );
    expect(k.message).toMatch(/client key \(sslOwnKey\) cannot be decrypted/);
    expect(k.message).toContain('sslOwnKeyPass is wrong or missing');
    const refused = Object.assign(new Error('x'), {
      innerErrors: { 'h:1': new Error('connect ECONNREFUSED') },
    });
    const c = connectionErrorFrom(refused, 'h:1');
    expect(c.failure).toBe('connect');
    expect(c.hosts).toEqual([{ host: 'h:1', cause: 'connect ECONNREFUSED' }]);
  });
});

describe('isRetriable', () => {
  // The driver's typings mark DriverError abstract; the driver itself raises
  // plain DriverError instances for socket failures, so the test does too.
  const DriverError = cassandra.errors.DriverError as unknown as new (message: string) => Error;
  const table = new Set(RETRY_SERVER_CODES);

  it('retries rows whose connection closed under them (node killed or defunct)', () => {
    const closed = Object.assign(new DriverError('Socket was closed'), {
      isSocketError: true,
    });
    expect(isRetriable(closed, table)).toBe(true);
  });

  it('fails at once on errors another attempt cannot fix', () => {
    const invalid = new cassandra.errors.ResponseError(
      cassandra.types.responseErrorCodes.invalid,
      'unconfigured table',
    );
    expect(isRetriable(invalid, table)).toBe(false);
    expect(isRetriable(new DriverError('bad argument'), table)).toBe(false);
  });

  it("retries exactly the server errors of the plan's table (the native engine applies the same)", () => {
    const codes = cassandra.types.responseErrorCodes;
    const answer = (code: number) => new cassandra.errors.ResponseError(code, 'from the server');
    for (const code of [
      codes.serverError,
      codes.overloaded,
      codes.truncateError,
      codes.readTimeout,
    ])
      expect(isRetriable(answer(code), table)).toBe(true);
    expect(isRetriable(answer(codes.writeTimeout), table)).toBe(false);
    // The table decides, not a list of the engine's own.
    expect(isRetriable(answer(codes.overloaded), new Set([codes.readTimeout]))).toBe(false);
    expect(isRetriable(answer(codes.invalid), new Set([codes.invalid]))).toBe(true);
  });
});
