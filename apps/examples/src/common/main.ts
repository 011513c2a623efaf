import { FlagError, type FlagSpecs, type ParsedFlags, parseFlags, usage } from './flags.js';

/** The shape every example command shares: flags in, an exit code out. */
export interface CommandSpec {
  name: string;
  summary: string;
  flags: FlagSpecs;
  run(flags: ParsedFlags): Promise<number>;
}

/**
 * Runs a command as a process: `--help` prints usage, bad flags exit 2, a
 * failed `--check` exits 1, any other error prints its message and exits 1.
 */
export function runCommand(spec: CommandSpec): void {
  const exit = (code: number) => {
    process.exitCode = code;
  };
  let flags: ParsedFlags;
  try {
    flags = parseFlags(process.argv.slice(2), spec.flags);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage(spec.name, spec.summary, spec.flags)}`);
    exit(2);
    return;
  }
  if (flags.help) {
    process.stdout.write(usage(spec.name, spec.summary, spec.flags));
    return;
  }
  spec.run(flags).then(exit, (error: unknown) => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`[${spec.name}] failed: ${message}\n`);
    exit(1);
  });
}
