// Runs commands for the release check and writes them, with their output,
// to the transcript (stdout): the transcript is the check's evidence.
import { spawn, spawnSync } from 'node:child_process';

const started = Date.now();

/** Prints a step heading with the seconds since the check began. */
export function step(title) {
  console.log(`\n=== ${title} (${Math.round((Date.now() - started) / 1000)}s)`);
}

/**
 * Runs `command args` in `cwd`, prints the command line and its output
 * (indented), and returns the output. Throws, after printing, when it fails.
 */
export function sh(command, args, { cwd, env, timeoutMs = 300_000, quiet = false } = {}) {
  console.log(`$ ${[command, ...args].join(' ')}${cwd ? `   (in ${cwd})` : ''}`);
  const t0 = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    env: env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (!quiet || result.status !== 0) {
    for (const line of output.trimEnd().split('\n')) if (line) console.log(`    ${line}`);
  }
  console.log(
    `    -> exit ${result.status ?? result.signal} in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  return output;
}

/**
 * Runs several `[command, args]` at once (each is slow to start and light
 * on CPU), then prints them in order as `sh` does. Throws if any failed.
 */
export async function shAll(commands, { cwd } = {}) {
  const runs = await Promise.all(
    commands.map(
      ([command, args]) =>
        new Promise((resolve) => {
          const t0 = Date.now();
          const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
          let output = '';
          const collect = (d) => {
            output += d;
          };
          child.stdout.on('data', collect);
          child.stderr.on('data', collect);
          child.on('error', (error) =>
            resolve({ command, args, output: error.message, status: -1, t0 }),
          );
          child.on('close', (status) => resolve({ command, args, output, status, t0 }));
        }),
    ),
  );
  for (const { command, args, output, status, t0 } of runs) {
    console.log(`$ ${[command, ...args].join(' ')}`);
    for (const line of output.trimEnd().split('\n')) if (line) console.log(`    ${line}`);
    console.log(`    -> exit ${status} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  const failed = runs.filter((r) => r.status !== 0);
  if (failed.length > 0) throw new Error(`failed: ${failed.map((r) => r.args[0]).join(', ')}`);
}

/** Fails the check with a reason. */
export function assert(condition, message) {
  if (!condition) throw new Error(`release check failed: ${message}`);
  console.log(`    ok: ${message}`);
}
