import type { CliIo } from './io.js';

/**
 * Runs a command's body; any error becomes one `cassdl <command>: message`
 * block on stderr and exit status 1, never a stack trace (set `CASSDL_DEBUG=1`
 * for the stack). Commander's own usage errors keep their own exit path.
 */
export async function runAction(
  io: CliIo,
  command: string,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`cassdl ${command}: ${message}\n`);
    if (io.env.CASSDL_DEBUG === '1' && error instanceof Error && error.stack)
      io.err(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
