import { CassdlValidationError, describeReceived, validationIssue } from '@cassdl/schema';

/** An integer flag value, or a validation error naming the flag. */
export function intFlag(flag: string, text: string, min = 0): number {
  if (/^\d+$/.test(text.trim()) && Number(text) >= min) return Number(text);
  throw new CassdlValidationError(
    [validationIssue(`--${flag}`, `integer >= ${min}`, describeReceived(text))],
    'option',
  );
}

/** `auto`, or an integer flag value (`--inflight 4096`). */
export function autoOrIntFlag(flag: string, text: string, min = 0): number | 'auto' {
  if (text.trim() === 'auto') return 'auto';
  if (/^\d+$/.test(text.trim()) && Number(text) >= min) return Number(text);
  throw new CassdlValidationError(
    [validationIssue(`--${flag}`, `auto or an integer >= ${min}`, describeReceived(text))],
    'option',
  );
}

/** A comma list of integers (`0,50,200`). */
export function intListFlag(flag: string, text: string, min = 0): number[] {
  return text.split(',').map((part) => intFlag(flag, part, min));
}

/** A comma list of words (`native,driver`), each one of `allowed`. */
export function choiceListFlag<T extends string>(
  flag: string,
  text: string,
  allowed: readonly T[],
): T[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const bad = parts.filter((p) => !allowed.includes(p as T));
  if (bad.length > 0 || parts.length === 0) {
    throw new CassdlValidationError(
      [validationIssue(`--${flag}`, `comma list of ${allowed.join(', ')}`, describeReceived(text))],
      'option',
    );
  }
  return parts as T[];
}

/** A keyspace name from a folder name: lowercase, runs of other characters as `_`, at most 48. */
export function keyspaceFromPath(path: string): string {
  const base =
    path
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  const name = base
    .toLowerCase()
    .replace(/\W+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48);
  return name === '' ? 'cassdl' : /^\d/.test(name) ? `ds_${name}`.slice(0, 48) : name;
}
