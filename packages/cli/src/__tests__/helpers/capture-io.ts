import type { CliIo } from '../../ui/io.js';

/** An io that records what a command prints. */
export function captureIo(env: Record<string, string | undefined> = {}, errIsTty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), errIsTty, env };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}
