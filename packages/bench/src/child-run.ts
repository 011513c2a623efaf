/**
 * One bench run in a Node process of its own (`cassdl bench` runs every
 * reader and plain run this way): a run then neither pays for the garbage,
 * nor counts in its peak RSS the heap and malloc arenas, that the runs
 * before it left behind (a plain loop at 110 KB rows leaves 1-2 GB that
 * glibc keeps mapped after V8 frees it), and each engine starts as a
 * training process would. The parent sends the run on stdin as JSON; the
 * child answers with JSON lines on stdout: soak ticks, then the result.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRun } from './report.js';
import { type RunSettings, runPlain, runReader } from './runs.js';
import { runSoak, type SoakFigures, type SoakTick } from './soak.js';

/** A run to make in a child process. */
export interface ChildRun {
  readonly engine: 'native' | 'driver' | 'plain';
  readonly settings: RunSettings;
  /** The plain loop's row read. */
  readonly query: string;
  /** Soak for this many seconds (reader engines only). */
  readonly durationSec?: number;
}

/** What a child run returns: the run, and a soak's figures when it soaked. */
export interface ChildResult {
  readonly run: BenchRun;
  readonly soak?: SoakFigures;
}

type WireRun = Omit<ChildRun, 'settings'> & {
  readonly settings: Omit<RunSettings, 'ids'> & { readonly ids: string };
};

type Line =
  | { readonly tick: SoakTick }
  | { readonly result: ChildResult }
  | { readonly error: { readonly name: string; readonly message: string } };

/** Makes `run` in a new Node process and returns its figures; soak ticks go to `onTick`. */
export function runInChild(run: ChildRun, onTick?: (tick: SoakTick) => void): Promise<ChildResult> {
  const wire: WireRun = {
    ...run,
    settings: { ...run.settings, ids: Buffer.from(run.settings.ids).toString('base64') },
  };
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify(wire));
  return new Promise((resolve, reject) => {
    let result: ChildResult | null = null;
    let failure: Error | null = null;
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const line = JSON.parse(pending.slice(0, end)) as Line;
        pending = pending.slice(end + 1);
        if ('tick' in line) onTick?.(line.tick);
        else if ('result' in line) result = line.result;
        else failure = Object.assign(new Error(line.error.message), { name: line.error.name });
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (result !== null) resolve(result);
      else
        reject(
          failure ?? new Error(`the ${run.engine} bench run's process exited with code ${code}`),
        );
    });
  });
}

async function childMain(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const wire = JSON.parse(input) as WireRun;
  const settings: RunSettings = {
    ...wire.settings,
    ids: new Uint8Array(Buffer.from(wire.settings.ids, 'base64')),
  };
  const write = (line: Line) => process.stdout.write(`${JSON.stringify(line)}\n`);
  try {
    let result: ChildResult;
    if (wire.engine === 'plain') result = { run: await runPlain(settings, wire.query) };
    else if (wire.durationSec !== undefined) {
      const soaked = await runSoak(wire.engine, {
        ...settings,
        durationSec: wire.durationSec,
        onTick: (tick) => write({ tick }),
      });
      result = { run: soaked.run, soak: soaked.soak };
    } else result = { run: await runReader(wire.engine, settings) };
    write({ result });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    write({ error: { name: e.name, message: e.message } });
    process.exitCode = 1;
  }
  // The reader is closed: nothing is left to wait for (a lingering timer would only delay the next run).
  process.stdout.write('', () => process.exit());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await childMain();
