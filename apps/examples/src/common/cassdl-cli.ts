import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import { connectionEnv } from './connection.js';

/**
 * The `cassdl` binary of the installed `@cassdl/cli`, run as a child process,
 * exactly as a user would type `cassdl ingest ...` in a shell. Its path comes
 * from the package's `bin` field, so it works in the workspace and from npm.
 */
export function cassdlBinPath(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@cassdl/cli/package.json');
  const pkg = require(pkgPath) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.cassdl ?? 'dist/bin.js');
  return join(dirname(pkgPath), bin);
}

/** Thrown when a `cassdl` command exits non-zero; carries its stderr. */
export class CassdlCommandError extends Error {
  override name = 'CassdlCommandError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(
      `\`cassdl ${args.join(' ')}\` exited with ${exitCode}: ${stderr.trim() || '(no output)'}`,
    );
  }
}

/** Runs `cassdl <args>` against `connection` and resolves to its stdout. */
export function runCassdl(
  args: readonly string[],
  connection: ConnectionOptionsInput,
): Promise<string> {
  const env = { ...process.env, ...connectionEnv(connection), NO_COLOR: '1' };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cassdlBinPath(), ...args],
      { env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(new CassdlCommandError(args, code, stderr || error.message));
        } else resolve(stdout);
      },
    );
  });
}

/** `cassdl ingest <kind> ... --json` and the parts of its summary the examples use. */
export interface IngestSummaryJson {
  rowCount: number;
  written: number;
  classNames?: string[];
  vocabulary?: string[];
  skipped: { path: string; reason: string }[];
}

export async function ingest(
  kind: 'classification' | 'segmentation' | 'multilabel',
  positional: readonly string[],
  flags: readonly string[],
  connection: ConnectionOptionsInput,
): Promise<IngestSummaryJson> {
  const out = await runCassdl(['ingest', kind, ...positional, ...flags, '--json'], connection);
  return JSON.parse(out) as IngestSummaryJson;
}

/** `cassdl split create`: a seeded split file of the keyspace's metadata table. */
export async function createSplitFile(
  keyspace: string,
  output: string,
  options: { ratios: string; seed: number; stratify: boolean },
  connection: ConnectionOptionsInput,
): Promise<void> {
  const args = ['split', 'create', '--keyspace', keyspace, '--ratios', options.ratios];
  args.push('--seed', String(options.seed), '-o', output, '--json');
  if (options.stratify) args.push('--stratify');
  await runCassdl(args, connection);
}
