import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * True once `pid` has exited: gone from /proc, or a zombie (exited, not yet
 * reaped by its parent — which may be this very process).
 */
export async function hasExited(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the command name, which is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/**
 * Waits until `pid` has exited. A SIGKILLed JVM with a large heap takes a
 * moment to die, and until then its listening socket still accepts
 * connections: a scenario that starts reading "after" the kill must wait.
 */
export async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await hasExited(pid))) {
    if (Date.now() >= deadline)
      throw new Error(`process ${pid} still runs ${timeoutMs} ms after SIGKILL`);
    await sleep(20);
  }
}
