import {
  CassdlValidationError,
  CassdlError as SchemaCassdlError,
  validationIssue,
} from '@cassdl/schema';
import { describe, expect, it } from 'vitest';
import { mapNativeError } from '../engines/native.js';
import { CassdlError, CassdlMissingRowError, CassdlNoReplicaError } from '../errors.js';

// One error base: every error a cassdl package throws on purpose is a
// CassdlError with a stable code, the validation error users see most included.
describe('CassdlError, the one base', () => {
  it('is the same class in core and schema, and catches validation errors', () => {
    expect(CassdlError).toBe(SchemaCassdlError);
    const error = new CassdlValidationError(
      [validationIssue('reader.batchSize', 'integer >= 1', '0 (number)')],
      'reader options',
    );
    expect(error).toBeInstanceOf(CassdlError);
    expect(error.code).toBe('ERR_CASSDL_VALIDATION');
    expect(error.name).toBe('CassdlValidationError');
  });

  it('keeps each subclass name and code', () => {
    const error = new CassdlNoReplicaError('00000000-0000-4000-8000-000000000000', []);
    expect(error).toBeInstanceOf(CassdlError);
    expect(error).toMatchObject({ name: 'CassdlNoReplicaError', code: 'ERR_CASSDL_NO_REPLICA' });
  });

  it('still restates a native-io error (a CassdlError too) as core class', () => {
    class NativeIoError extends SchemaCassdlError<'ERR_CASSDL_MISSING_ROW'> {
      readonly id = '00000000-0000-4000-8000-000000000001';
    }
    const mapped = mapNativeError(new NativeIoError('ERR_CASSDL_MISSING_ROW', 'no row'), 'ks.t');
    expect(mapped).toBeInstanceOf(CassdlMissingRowError);
  });
});
