import type { z } from 'zod';
import type { CustomIssueParams } from './format-issues.js';

/**
 * Adds a cross-field issue from a refinement, worded for the formatter:
 * `path: expected <expected>, received <value>` (or `path: <detail>`).
 */
export function addIssue(
  ctx: z.core.$RefinementCtx,
  path: readonly PropertyKey[],
  expected: string,
  input: unknown,
  extra: Omit<CustomIssueParams, 'expected'> = {},
): void {
  const params: CustomIssueParams = { expected, ...extra };
  ctx.addIssue({ code: 'custom', path: [...path], message: expected, input, params });
}
