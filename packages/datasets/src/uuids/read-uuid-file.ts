import { readFile } from 'node:fs/promises';
import {
  CassdlValidationError,
  describeReceived,
  parseUuid,
  type ValidationIssue,
  validationIssue,
} from '@cassdl/schema';

/** Bad lines listed one by one before the rest are counted. */
const MAX_LISTED = 100;

/**
 * Reads an id file written by `cassdl uuids export` (one UUID per line, or a
 * JSON array of UUID strings) into 16 bytes per id, the form the reader's
 * `sourceUuids` takes without copying. Blank lines and `#` comments are
 * ignored; every bad entry is reported with its line (or index) at once.
 */
export async function readUuidFile(path: string): Promise<Uint8Array> {
  const text = await readFile(path, 'utf8');
  const entries = text.trimStart().startsWith('[')
    ? jsonEntries(path, text)
    : lineEntries(path, text);
  const packed = new Uint8Array(entries.length * 16);
  const issues: ValidationIssue[] = [];
  let bad = 0;
  entries.forEach(({ where, value }, i) => {
    try {
      packed.set(parseUuid(String(value)), i * 16);
    } catch {
      bad++;
      if (issues.length < MAX_LISTED)
        issues.push(
          validationIssue(
            where,
            'UUID such as 123e4567-e89b-12d3-a456-426614174000',
            describeReceived(value),
          ),
        );
    }
  });
  if (bad > issues.length)
    issues.push(
      validationIssue(
        path,
        'UUIDs',
        `${bad - issues.length} more bad entries`,
        `… and ${bad - issues.length} more bad entries`,
      ),
    );
  if (issues.length > 0) throw new CassdlValidationError(issues, 'uuid file');
  return packed;
}

function lineEntries(path: string, text: string): { where: string; value: unknown }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ where: `${path}:${i + 1}`, value: line.trim() }))
    .filter((e) => e.value !== '' && !e.value.startsWith('#'));
}

function jsonEntries(path: string, text: string): { where: string; value: unknown }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CassdlValidationError(
      [
        validationIssue(
          path,
          'a JSON array of UUID strings',
          'text that does not parse',
          `${path}: not valid JSON: ${(error as Error).message}`,
        ),
      ],
      'uuid file',
    );
  }
  if (!Array.isArray(parsed)) {
    throw new CassdlValidationError(
      [validationIssue(path, 'a JSON array of UUID strings', describeReceived(parsed))],
      'uuid file',
    );
  }
  return parsed.map((value, i) => ({ where: `${path}[${i}]`, value }));
}
