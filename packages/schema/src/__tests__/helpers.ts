import { expect } from 'vitest';
import { CassdlValidationError, type ValidationIssue } from '../index.js';

/** Runs `fn`, expects a CassdlValidationError, and returns its issues. */
export function issuesOf(fn: () => unknown): readonly ValidationIssue[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CassdlValidationError);
    return (error as CassdlValidationError).issues;
  }
  throw new Error('expected a CassdlValidationError, but nothing was thrown');
}

/** The printed lines of the error `fn` throws. */
export function linesOf(fn: () => unknown): string[] {
  return issuesOf(fn).map((issue) => issue.message);
}

export const UUID_A = '123e4567-e89b-12d3-a456-426614174000';
export const UUID_B = '00000000-0000-0000-0000-000000000001';
export const UUID_C = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
