import { describe, expect, it } from 'vitest';
import {
  CassdlValidationError,
  engineOptionsSchema,
  isEngineErrorCode,
  isMissingReason,
  readerOptionsSchema,
  validate,
} from '../index.js';

const connection = { contactPoints: ['127.0.0.1'] };

describe('the engine contract', () => {
  it('gives the engines the ranges the reader accepts: connectionsPerHost 100 is valid for both', () => {
    const reader = validate(
      readerOptionsSchema,
      { table: 'ks.t', connection, connectionsPerHost: 100, inflight: 4096 },
      'reader',
    );
    const engine = validate(
      engineOptionsSchema,
      {
        connectionsPerHost: reader.connectionsPerHost,
        inflight: reader.inflight,
        onMissing: reader.onMissing,
      },
      'options',
    );
    expect(engine.connectionsPerHost).toBe(100);
    expect(() =>
      validate(
        engineOptionsSchema,
        { connectionsPerHost: 257, inflight: 1, onMissing: 'error' },
        'options',
      ),
    ).toThrow(CassdlValidationError);
  });

  it('bounds retry.baseDelayMs in the reader options as the native engine does', () => {
    expect(() =>
      validate(
        readerOptionsSchema,
        { table: 'ks.t', connection, retry: { baseDelayMs: 60_001, maxDelayMs: 600_000 } },
        'reader',
      ),
    ).toThrow(/reader\.retry\.baseDelayMs: expected integer from 0 to 60000/);
  });

  it('names the engine error codes and missing-row reasons', () => {
    expect(isEngineErrorCode('ERR_CASSDL_NO_REPLICA')).toBe(true);
    expect(isEngineErrorCode('ERR_CASSDL_VALIDATION')).toBe(false);
    expect(isMissingReason('null label')).toBe(true);
    expect(isMissingReason('null')).toBe(false);
  });
});
