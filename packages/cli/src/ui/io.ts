/**
 * Where a command writes. Commands take one so tests can capture output and
 * pretend to be (or not be) a terminal; `processIo()` is the real thing.
 */
export interface CliIo {
  /** Results: tables, JSON, paths written. */
  readonly out: (text: string) => void;
  /** Progress and diagnostics. */
  readonly err: (text: string) => void;
  /** True when `err` is a terminal (a redrawn bar); false gives plain periodic lines. */
  readonly errIsTty: boolean;
  /** Environment for `CASSDL_*` connection defaults. */
  readonly env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errIsTty: process.stderr.isTTY === true,
    env: process.env,
  };
}
