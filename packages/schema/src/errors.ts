import { CassdlError } from './cassdl-error.js';

/**
 * One problem found in a user's input: where it is, what was expected there
 * and what was given instead. Secrets (passwords, private keys) never appear
 * in `received`.
 */
export interface ValidationIssue {
  /** Dotted path from the root the caller named, e.g. `reader.numShards` or `reader.sourceUuids[3]`. */
  readonly path: string;
  /** What a valid value looks like, e.g. `integer >= 1`. */
  readonly expected: string;
  /** What was given, with its type, e.g. `-1 (number)`; `<redacted>` for secrets. */
  readonly received: string;
  /** The whole line as printed, e.g. `reader.numShards: expected integer >= 1, received -1 (number)`. */
  readonly message: string;
}

/**
 * Thrown for any input cassdl rejects before touching the network. It lists
 * every problem at once (not only the first) so a user fixes a config in one
 * round trip; `issues` gives the same lines as data for tools.
 */
export class CassdlValidationError extends CassdlError<'ERR_CASSDL_VALIDATION'> {
  readonly issues: ValidationIssue[];

  /** `subject` names the input in the first line: `Invalid reader options (2 problems):`. */
  constructor(issues: readonly ValidationIssue[], subject = 'input') {
    super('ERR_CASSDL_VALIDATION', validationMessage(issues, subject));
    this.issues = [...issues];
  }
}

function validationMessage(issues: readonly ValidationIssue[], subject: string): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((issue) => `  ${issue.message}`);
  return [`Invalid ${subject} (${count}):`, ...lines].join('\n');
}

/** Bad entries of one list (ids, say) reported one by one; the rest are counted. */
export const MAX_REPORTED_ISSUES = 100;

/** Lines one error keeps in all, a backstop for inputs with many bad lists. */
export const MAX_ERROR_LINES = 200;

/**
 * Keeps the first `limit` issues and, when `total` is larger, adds one line
 * saying how many more there were (a million bad ids should not make a
 * million-line error).
 */
export function capIssues(
  issues: readonly ValidationIssue[],
  total: number,
  path: string,
  limit = MAX_REPORTED_ISSUES,
): ValidationIssue[] {
  const kept = issues.slice(0, limit);
  const more = total - kept.length;
  if (more <= 0) return kept;
  const noun = more === 1 ? 'problem' : 'problems';
  return [
    ...kept,
    validationIssue(path, 'valid input', `${more} more ${noun}`, `… and ${more} more ${noun}`),
  ];
}

/** Builds one issue, composing the printed line from its parts. */
export function validationIssue(
  path: string,
  expected: string,
  received: string,
  message?: string,
): ValidationIssue {
  const detail = message ?? `expected ${expected}, received ${received}`;
  return { path, expected, received, message: path === '' ? detail : `${path}: ${detail}` };
}
