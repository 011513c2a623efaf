import { readFile } from 'node:fs/promises';
import { CassdlValidationError, validationIssue } from '@cassdl/schema';

/** One CSV row: a file and its tags. */
export interface LabelRow {
  readonly file: string;
  readonly tags: string[];
  readonly line: number;
}

/**
 * Reads `file,tag1|tag2|...` lines. The file name is everything before the
 * last comma (names may hold commas, tags may not); a first line whose file
 * field is `file`, `filename` or `path` is a header. Blank lines are ignored;
 * a file listed twice is an error naming both lines.
 */
export async function readLabelsCsv(path: string): Promise<LabelRow[]> {
  const text = await readFile(path, 'utf8');
  const rows: LabelRow[] = [];
  const issues = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    const comma = line.lastIndexOf(',');
    const file = unquote(comma < 0 ? line : line.slice(0, comma));
    const tagText = comma < 0 ? '' : unquote(line.slice(comma + 1));
    if (rows.length === 0 && seen.size === 0 && /^(file|filename|path)$/i.test(file)) continue;
    const first = seen.get(file);
    if (first !== undefined) {
      issues.push(
        validationIssue(
          `${path}:${i + 1}`,
          'each file once',
          file,
          `file "${file}" is also on line ${first}`,
        ),
      );
      continue;
    }
    seen.set(file, i + 1);
    const tags = [
      ...new Set(
        tagText
          .split('|')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      ),
    ];
    rows.push({ file, tags, line: i + 1 });
  }
  if (issues.length > 0) throw new CassdlValidationError(issues, 'labels CSV');
  return rows;
}

function unquote(field: string): string {
  const t = field.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"')
    ? t.slice(1, -1).replaceAll('""', '"')
    : t;
}
