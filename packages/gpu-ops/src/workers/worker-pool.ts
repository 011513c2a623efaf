import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
// sharp's docs: the main thread must load sharp before workers do, or glibc
// Linux may unload libvips when a worker exits while others still use it.
import 'sharp';
import { GpuOpsError } from '../errors/index.js';
import type { DecodeJob, WireFailure, WorkerReply } from './protocol.js';

/** Workers could not start, or one died; the pipeline falls back to the JS thread. */
export class WorkerUnavailableError extends GpuOpsError {
  constructor(message: string, cause?: unknown) {
    super('ERR_GPU_OPS_WORKERS', message, { cause });
  }
}

/** How to start a worker: its compiled module, or bootstrap code to run (from sources). */
export type WorkerScript = { readonly url: URL } | { readonly eval: string };

/**
 * The compiled `decode-worker.js` next to this module. From sources (tests,
 * `tsx` scripts) the `.ts` file through tsx's require hook: Node 20 does not
 * hand `--import` loaders to worker threads, but a require hook installed
 * inside the worker works. Without tsx installed the pool fails to start and
 * pipelines run in-thread.
 */
export function defaultWorkerScript(): WorkerScript {
  if (!import.meta.url.endsWith('.ts'))
    return { url: new URL('./decode-worker.js', import.meta.url) };
  const require = createRequire(import.meta.url);
  const worker = fileURLToPath(new URL('./decode-worker.ts', import.meta.url));
  let tsx: string;
  try {
    tsx = require.resolve('tsx/cjs');
  } catch {
    return {
      eval: `throw new Error('running gpu-ops from TypeScript sources needs tsx installed for its worker threads');`,
    };
  }
  return { eval: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(worker)});` };
}

export type DecodeShare = Omit<DecodeJob, 'type' | 'job'>;

interface Pending {
  readonly resolve: (failures: (WireFailure | null)[]) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/**
 * A fixed set of decode workers. Idle workers are `unref`ed so a forgotten
 * pool never keeps the process alive; a worker is `ref`ed only while it owes
 * a reply, so an awaited batch is never cut short by the process exiting.
 */
export class WorkerPool {
  readonly #slots: Slot[];
  #nextJob = 0;
  #exited = 0;
  readonly #inFlight = new Set<Promise<unknown>>();
  #broken: string | undefined;
  #closed = false;

  private constructor(workers: Worker[]) {
    this.#slots = workers.map((worker) => ({ worker, pending: new Map() }));
    for (const slot of this.#slots) this.#watch(slot);
  }

  /** Starts `threads` workers and waits until each has loaded; throws `WorkerUnavailableError` otherwise. */
  static async start(
    threads: number,
    script: WorkerScript = defaultWorkerScript(),
    timeoutMs = 60_000,
  ): Promise<WorkerPool> {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < threads; i++) {
        workers.push(
          'url' in script
            ? new Worker(script.url, { name: 'cassdl-decode' })
            : new Worker(script.eval, { eval: true, name: 'cassdl-decode' }),
        );
      }
      await Promise.all(workers.map((worker) => ready(worker, timeoutMs)));
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      const why = error instanceof Error ? error.message : String(error);
      throw new WorkerUnavailableError(`decode workers did not start: ${why}`, error);
    }
    const pool = new WorkerPool(workers);
    // Only after its listeners are attached: in Node 20, adding a 'message'
    // listener again after one was removed (as ready() does) re-refs the port.
    for (const worker of workers) worker.unref();
    return pool;
  }

  get threads(): number {
    return this.#slots.length;
  }

  /** Workers whose thread is still running (0 once `close` resolved). */
  get liveThreads(): number {
    return this.#slots.length - this.#exited;
  }

  /** Why the pool stopped working (a worker died), or undefined while it works. */
  get broken(): string | undefined {
    return this.#closed ? 'the pipeline was closed' : this.#broken;
  }

  /** Posts `shares[i]` to worker `i` and resolves to each share's failures, in order. */
  run(shares: readonly DecodeShare[]): Promise<(WireFailure | null)[][]> {
    if (shares.length > this.#slots.length) throw new Error('more shares than workers');
    return Promise.all(shares.map((share, i) => this.#post(this.#slots[i]!, share)));
  }

  /**
   * Refuses new jobs, lets the jobs in flight finish, then terminates every
   * worker. Waiting matters: terminating a worker inside a libvips call can
   * take the whole process down (sharp issue #2263).
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #post(slot: Slot, share: DecodeShare): Promise<(WireFailure | null)[]> {
    const unusable = this.broken;
    if (unusable) return Promise.reject(new WorkerUnavailableError(unusable));
    const job = this.#nextJob++;
    const reply = new Promise<(WireFailure | null)[]>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(job, { resolve, reject });
      slot.worker.postMessage({ type: 'decode', job, ...share } satisfies DecodeJob);
    });
    this.#inFlight.add(reply);
    const forget = () => this.#inFlight.delete(reply);
    reply.then(forget, forget);
    return reply;
  }

  #watch(slot: Slot): void {
    slot.worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') return;
      const pending = slot.pending.get(reply.job);
      if (!pending) return;
      slot.pending.delete(reply.job);
      if (slot.pending.size === 0) slot.worker.unref();
      if (reply.type === 'done') pending.resolve(reply.failures);
      else pending.reject(new WorkerUnavailableError(`decode worker failed: ${reply.message}`));
    });
    const fail = (why: string) => {
      if (!this.#closed) this.#broken ??= why;
      const error = new WorkerUnavailableError(this.broken ?? why);
      for (const pending of slot.pending.values()) pending.reject(error);
      slot.pending.clear();
    };
    slot.worker.on('error', (error) => fail(`a decode worker died: ${error.message}`));
    slot.worker.on('exit', (code) => {
      this.#exited++;
      fail(`a decode worker exited with code ${code}`);
    });
  }
}

function ready(worker: Worker, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ready message within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
    const settle = (error?: Error) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', settle);
      worker.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (reply: WorkerReply) => {
      if (reply.type === 'ready') settle();
    };
    const onExit = (code: number) => settle(new Error(`worker exited with code ${code}`));
    worker.on('message', onMessage);
    worker.on('error', settle);
    worker.on('exit', onExit);
  });
}
