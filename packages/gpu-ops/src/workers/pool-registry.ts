import { availableParallelism } from 'node:os';
import type { WorkerScript } from './worker-pool.js';
import { WorkerPool } from './worker-pool.js';

/**
 * Worker threads for `workers: 'auto'`: a quarter of the cores, 1 to 8. Per
 * image a worker spends about 0.8 ms of JS for about 3-4 ms of libvips work
 * on the threadpool, so one worker keeps about four cores of decoding fed.
 */
export function resolveWorkerThreads(workers: number | 'auto'): number {
  if (workers !== 'auto') return workers;
  return Math.max(1, Math.min(8, Math.ceil(availableParallelism() / 4)));
}

/** A pipeline's claim on a shared pool; `release` it when the pipeline closes. */
export interface PoolLease {
  /** Rejects with `WorkerUnavailableError` when workers cannot start. */
  readonly pool: Promise<WorkerPool>;
  release(): Promise<void>;
}

interface Entry {
  readonly pool: Promise<WorkerPool>;
  /** The pool once started, to see synchronously whether it broke. */
  started?: WorkerPool;
  users: number;
}

const pools = new Map<number, Entry>();

/**
 * Pipelines of one process share one pool per thread count (a train and an
 * eval pipeline, every fork of a builder), so forgetting `close()` costs one
 * idle pool, not one per pipeline. The pool terminates when its last user
 * releases it. A failed start is remembered while it has users, so each
 * batch does not try again; a pool that broke (a worker died) is replaced
 * for pipelines that acquire one afterwards.
 */
export function acquirePool(threads: number, script?: WorkerScript): PoolLease {
  const key = script ? -1 : threads; // custom scripts (tests) never share
  let entry = key >= 0 ? pools.get(key) : undefined;
  if (entry?.started?.broken) {
    pools.delete(key);
    entry = undefined;
  }
  if (!entry) {
    const created: Entry = { pool: WorkerPool.start(threads, script), users: 0 };
    // Observed by each user; not an unhandled rejection meanwhile.
    created.pool.then(
      (pool) => {
        created.started = pool;
      },
      () => {},
    );
    if (key >= 0) pools.set(key, created);
    entry = created;
  }
  entry.users++;
  const claimed = entry;
  let released = false;
  return {
    pool: claimed.pool,
    async release() {
      if (released) return;
      released = true;
      if (--claimed.users > 0) return;
      if (pools.get(key) === claimed) pools.delete(key);
      const pool = await claimed.pool.catch(() => undefined);
      await pool?.close();
    },
  };
}
