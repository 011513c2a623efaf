import type { z } from 'zod';

/**
 * Runs a cross-field rule only when the fields it reads parsed cleanly, so
 * it sees typed values while problems elsewhere in the object are still
 * reported alongside it (zod's default would skip the rule entirely).
 */
export function whenValid(fields: readonly string[]): z.core.$ZodSuperRefineParams {
  const watched = new Set(fields);
  return {
    when: (payload) =>
      typeof payload.value === 'object' &&
      payload.value !== null &&
      payload.issues.every((issue) => {
        const field = issue.path?.[0];
        return field === undefined || !watched.has(String(field));
      }),
  };
}
