import type { z } from 'zod';
import { CassdlValidationError } from '../errors.js';
import { formatZodIssues } from './format-issues.js';

/**
 * Parses `input` with `schema`, or throws one CassdlValidationError listing
 * every problem with paths under `root` (e.g. `reader` gives `reader.numShards`).
 * `subject` names the input in the error's first line (`Invalid reader options ...`).
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  root: string,
  subject?: string,
): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issues = formatZodIssues(result.error.issues, root, schema);
  throw new CassdlValidationError(issues, subject ?? subjectOf(root));
}

function subjectOf(root: string): string {
  const name = root.endsWith('.') ? root.slice(0, -1) : root;
  return name === '' ? 'input' : name;
}
