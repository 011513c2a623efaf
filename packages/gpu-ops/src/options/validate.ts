import { validate } from '@cassdl/schema';
import type { z } from 'zod';

/**
 * Parses one step's options with the project's shared validator, so a bad
 * option reads the same here as anywhere in cassdl: a
 * `CassdlValidationError` listing every problem as
 * `step.path: expected ..., received ...`, with "did you mean" for typos.
 */
export function validateOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  step: string,
): z.output<S> {
  return validate(schema, input, step, `${step} options`);
}
