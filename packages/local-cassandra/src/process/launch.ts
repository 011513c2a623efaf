import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { LocalCassandraError } from '../errors/errors.js';

/**
 * Starts `java` detached in its own process group with stdout/stderr going to
 * `outputFile`, and lets it outlive this Node process (a test file or the CLI
 * exits; the server stays for the next one).
 */
export async function launchDetached(
  java: string,
  args: string[],
  outputFile: string,
  cwd: string,
): Promise<number> {
  const fd = openSync(outputFile, 'a');
  try {
    const child = spawn(java, args, { cwd, detached: true, stdio: ['ignore', fd, fd] });
    const pid = await new Promise<number>((resolvePromise, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolvePromise(child.pid ?? -1));
    });
    if (pid <= 0) throw new Error('no pid');
    child.unref();
    return pid;
  } catch (error) {
    throw new LocalCassandraError(
      'START_FAILED',
      `could not run ${java}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    closeSync(fd);
  }
}
