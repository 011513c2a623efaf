import { parseArgs } from 'node:util';

/** One command-line flag: its default (as text) and a line for `--help`. */
export interface FlagSpec {
  default?: string;
  boolean?: boolean;
  help: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** What `parseFlags` returns: text values, booleans, and whether help was asked for. */
export interface ParsedFlags {
  help: boolean;
  text(name: string): string;
  optional(name: string): string | undefined;
  int(name: string, min?: number): number;
  number(name: string): number;
  bool(name: string): boolean;
}

/** Thrown for a bad flag; the command prints it with the usage and exits 2. */
export class FlagError extends Error {
  override name = 'FlagError';
}

/**
 * Parses `argv` against `specs` with node:util's strict parser, so an unknown
 * or misspelt flag is an error rather than silently ignored.
 */
export function parseFlags(argv: readonly string[], specs: FlagSpecs): ParsedFlags {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.boolean === true ? 'boolean' : 'string' };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true }).values;
  } catch (error) {
    throw new FlagError((error as Error).message);
  }
  const textOf = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : specs[name]?.default;
  };
  return {
    help: values.help === true,
    optional: textOf,
    text(name) {
      const v = textOf(name);
      if (v === undefined) throw new FlagError(`--${name} is required`);
      return v;
    },
    int(name, min = 1) {
      const raw = this.text(name);
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min) {
        throw new FlagError(`--${name}: expected an integer >= ${min}, received "${raw}"`);
      }
      return n;
    },
    number(name) {
      const raw = this.text(name);
      const n = Number(raw);
      if (!Number.isFinite(n))
        throw new FlagError(`--${name}: expected a number, received "${raw}"`);
      return n;
    },
    bool: (name) => values[name] === true,
  };
}

/** The `--help` text: a summary line, then one line per flag with its default. */
export function usage(command: string, summary: string, specs: FlagSpecs): string {
  const lines = [`usage: node apps/examples/dist/${command}.js [flags]`, '', summary, '', 'flags:'];
  const width = Math.max(...Object.keys(specs).map((n) => n.length)) + 2;
  for (const [name, spec] of Object.entries(specs)) {
    const flag = `--${name}`.padEnd(width + 2);
    const def = spec.default !== undefined ? ` (default ${spec.default})` : '';
    lines.push(`  ${flag} ${spec.help}${def}`);
  }
  lines.push(`  ${'--help'.padEnd(width + 2)} print this text`);
  return `${lines.join('\n')}\n`;
}
