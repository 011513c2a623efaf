import type { ColumnInfo } from './columns.js';

/** Metadata roles cassdl reads, by their option names. */
export type MetadataRole = 'label' | 'originalLabel' | 'originalSplit' | 'filename';

/**
 * Other names the same columns go by. cassandra-dali-plugin's examples call
 * the original class and split `or_label` and `or_split`; other pipelines use
 * `path` or `file` for the file name.
 */
export const COLUMN_ALIASES: Readonly<Record<MetadataRole, readonly string[]>> = {
  label: ['label', 'class', 'target'],
  originalLabel: ['original_label', 'or_label'],
  originalSplit: ['original_split', 'or_split'],
  filename: ['filename', 'path', 'file'],
};

/** The command-line flag that names the column of each role. */
export const ROLE_FLAGS: Readonly<Record<MetadataRole, string>> = {
  label: '--label-col',
  originalLabel: '--original-label-col',
  originalSplit: '--original-split-col',
  filename: '--filename-col',
};

/** A column of `columns` that plays `role` under another name than `wanted`, or null. */
export function aliasColumn(
  columns: readonly ColumnInfo[],
  role: MetadataRole,
  wanted: string,
): string | null {
  const names = new Set(columns.map((c) => c.name));
  return COLUMN_ALIASES[role].find((n) => n !== wanted && names.has(n)) ?? null;
}

/** ` (it has or_split: pass --original-split-col or_split)`, or '' when no alias is there. */
export function aliasHint(
  columns: readonly ColumnInfo[],
  role: MetadataRole,
  wanted: string,
): string {
  const alias = aliasColumn(columns, role, wanted);
  return alias === null ? '' : `; it has ${alias}: pass ${ROLE_FLAGS[role]} ${alias}`;
}

/**
 * Hints for a table whose columns follow another naming (the plugin's):
 * one line per role found under an alias, naming the flag to pass.
 */
export function layoutHints(columns: readonly ColumnInfo[]): string[] {
  const hints: string[] = [];
  const names = new Set(columns.map((c) => c.name));
  for (const role of ['originalLabel', 'originalSplit', 'filename'] as const) {
    const [cassdlName] = COLUMN_ALIASES[role];
    if (cassdlName === undefined || names.has(cassdlName)) continue;
    const alias = aliasColumn(columns, role, cassdlName);
    if (alias === null) continue;
    const origin = alias.startsWith('or_') ? "cassandra-dali-plugin's name" : 'another name';
    hints.push(`${alias} (${origin} for ${cassdlName}): pass ${ROLE_FLAGS[role]} ${alias}`);
  }
  return hints;
}
