import type { z } from 'zod';
import { capIssues, MAX_ERROR_LINES, type ValidationIssue, validationIssue } from '../errors.js';
import { describeReceived } from './describe.js';
import { knownKeysAt } from './known-keys.js';
import { formatPath, isSecretPath, isSecretValue } from './path.js';
import { unknownKeyHint } from './suggest.js';

type Issue = z.core.$ZodIssue;

/**
 * Extra fields a schema's own refinement can attach to a custom issue
 * (`params`) to control the line printed for it.
 */
export interface CustomIssueParams {
  readonly expected?: string;
  readonly received?: string;
  /** Replaces the `expected X, received Y` part of the line. */
  readonly detail?: string;
}

/**
 * The one formatter: zod issues to cassdl's `path: expected X, received Y`
 * lines. `schema` lets unknown-key errors suggest the closest real option.
 * Needs issues parsed with `reportInput: true` to describe received values.
 */
export function formatZodIssues(
  issues: readonly Issue[],
  root: string,
  schema?: z.ZodType,
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) formatIssue(issue, [], root, schema, out);
  return capIssues(out, out.length, formatPath(root, []), MAX_ERROR_LINES);
}

function formatIssue(
  issue: Issue,
  prefix: readonly PropertyKey[],
  root: string,
  schema: z.ZodType | undefined,
  out: ValidationIssue[],
): void {
  const path = [...prefix, ...issue.path];
  const received = (value: unknown, at: readonly PropertyKey[] = path) =>
    value !== undefined && (isSecretPath(at) || isSecretValue(value))
      ? '<redacted>'
      : describeReceived(value);
  const push = (expected: string, receivedText: string, at = path, detail?: string) =>
    out.push(validationIssue(formatPath(root, at), expected, receivedText, detail));

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = schema === undefined ? [] : knownKeysAt(schema, path);
      for (const key of issue.keys) {
        const at = [...path, key];
        const value = (issue.input as Record<string, unknown> | undefined)?.[key];
        const detail = `unknown option "${key}"${unknownKeyHint(key, known)}`;
        // An unknown option may be a misspelled secret ("pasword"): never echo its text.
        push(
          'a known option',
          typeof value === 'string' ? '<redacted>' : received(value, at),
          at,
          detail,
        );
      }
      return;
    }
    case 'invalid_union':
      formatUnion(issue, path, root, schema, out, push, received);
      return;
    case 'invalid_key':
    case 'invalid_element':
      for (const inner of issue.issues) formatIssue(inner, path, root, schema, out);
      return;
    case 'custom': {
      const params = (issue.params ?? {}) as CustomIssueParams;
      const detail = params.detail;
      push(
        params.expected ?? issue.message,
        params.received ?? received(issue.input),
        path,
        detail,
      );
      return;
    }
    default:
      push(expectedOf(issue), received(issue.input));
  }
}

function formatUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: PropertyKey[],
  root: string,
  schema: z.ZodType | undefined,
  out: ValidationIssue[],
  push: (expected: string, received: string) => void,
  received: (value: unknown) => string,
): void {
  if (issue.discriminator !== undefined) {
    // zod points the path at the discriminator key but reports the parent object.
    const parent = issue.input as Record<string, unknown> | undefined;
    const options = (issue as { options?: readonly unknown[] }).options ?? [];
    push(`one of ${options.map(literal).join(', ')}`, received(parent?.[issue.discriminator]));
    return;
  }
  // A branch whose issues are all below this path accepted the value's shape:
  // report its inner problems (e.g. one bad element) rather than "no match".
  const deep = issue.errors.find(
    (branch) => branch.length > 0 && branch.every((i) => i.path.length > 0),
  );
  if (deep !== undefined) {
    for (const inner of deep) formatIssue(inner, path, root, schema, out);
    return;
  }
  const expected = new Set(issue.errors.flatMap((branch) => branch.map(expectedOf)));
  push([...expected].join(' or ') || 'a valid value', received(issue.input));
}

/** What the issue says a valid value looks like, in words. */
export function expectedOf(issue: Issue): string {
  // A schema that words its own message states the expectation itself.
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return typeName(issue.expected);
    case 'too_small':
      return bound(issue.origin, issue.minimum, issue.inclusive ?? true, issue.exact, 'min');
    case 'too_big':
      return bound(issue.origin, issue.maximum, issue.inclusive ?? true, issue.exact, 'max');
    case 'invalid_value':
      return issue.values.length === 1
        ? literal(issue.values[0])
        : `one of ${issue.values.map(literal).join(', ')}`;
    case 'invalid_format':
      return formatName(issue);
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'custom':
      return ((issue.params ?? {}) as CustomIssueParams).expected ?? 'a valid value';
    default:
      return 'a valid value';
  }
}

// How zod's default (English) messages start; anything else was written by us.
const DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized)/;

function typeName(expected: string): string {
  const names: Record<string, string> = { int: 'integer', record: 'object', nan: 'NaN' };
  return names[expected] ?? expected;
}

function bound(
  origin: string,
  limit: number | bigint,
  inclusive: boolean,
  exact: boolean | undefined,
  side: 'min' | 'max',
): string {
  const n = Number(limit);
  if (origin === 'string' || origin === 'array' || origin === 'set') {
    const unit = origin === 'string' ? 'character' : 'item';
    const noun = origin === 'string' ? 'string' : origin;
    if (exact) return `${noun} of exactly ${n} ${unit}${n === 1 ? '' : 's'}`;
    if (side === 'min' && n === 1 && inclusive) return `non-empty ${noun}`;
    const count = inclusive ? n : side === 'min' ? n + 1 : n - 1;
    return `${noun} of at ${side === 'min' ? 'least' : 'most'} ${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  const noun = origin === 'int' ? 'integer' : origin;
  const op = side === 'min' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `${noun} ${op} ${String(limit)}`;
}

function formatName(issue: Extract<Issue, { code: 'invalid_format' }>): string {
  const names: Record<string, string> = {
    datetime: 'ISO 8601 date-time such as 2026-01-31T12:00:00Z',
    uuid: 'UUID such as 123e4567-e89b-12d3-a456-426614174000',
    ipv4: 'IPv4 address',
    ipv6: 'IPv6 address',
  };
  return names[issue.format] ?? `string in ${issue.format} format`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
