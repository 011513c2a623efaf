import { open, readFile, rm } from 'node:fs/promises';
import { LocalCassandraError } from '../errors/errors.js';
import { isAlive } from '../process/pid.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An exclusive lock file holding our pid. Parallel test files call
 * `testConnection()` at the same moment; the lock makes one of them start the
 * server and the others find it running. A lock left by a dead process is
 * taken over.
 */
export async function withLock<T>(
  file: string,
  timeoutMs: number,
  body: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new LocalCassandraError(
          'START_FAILED',
          `${file} is held by process ${holder} (another start or stop in progress); wait for it or delete the file if that process is gone.`,
        );
      }
      await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    await rm(file, { force: true });
  }
}
