import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeInfo } from '@cassdl/local-cassandra';

/** How a node's JVM was started, read back from /proc so it can be started again on the same data. */
export interface LaunchSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
}

/**
 * Reads a running node's command line and working folder. Taken before any
 * fault: a SIGKILLed process leaves nothing in /proc to read.
 */
export async function captureLaunchSpec(pid: number): Promise<LaunchSpec> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
  const argv = raw.split('\0').filter((a) => a.length > 0);
  if (argv.length === 0) throw new Error(`process ${pid} has an empty command line`);
  return { argv, cwd: await readlink(`/proc/${pid}/cwd`) };
}

/**
 * Starts the node's JVM again with the same arguments, so it comes back with
 * its data (startLocalCassandra would wipe it), detached like the original,
 * and records the new pid where @cassdl/local-cassandra's stop looks for it
 * (`<node dir>/cassandra.pid`), so stopping the cluster still stops it.
 */
export async function relaunchNode(node: NodeInfo, spec: LaunchSpec): Promise<number> {
  const [command, ...args] = spec.argv;
  if (command === undefined) throw new Error(`no command to relaunch ${node.address}`);
  const fd = openSync(join(node.dir, 'output.log'), 'a');
  try {
    const child = spawn(command, args, {
      cwd: spec.cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid ?? -1));
    });
    if (pid <= 0) throw new Error(`relaunching ${node.address} gave no pid`);
    child.unref();
    await writeFile(join(node.dir, 'cassandra.pid'), `${pid}\n`);
    return pid;
  } finally {
    closeSync(fd);
  }
}
