import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A young generation large enough for the rows in flight. With V8's default
 * the worker scavenged about 130 times per 100,000 x 2 KB rows, each copying
 * the state of the ~1,000 requests on the wire, and spent about a quarter of
 * its busy time collecting; with 64 MiB it scavenges half as often for a
 * third of the time (measured with --trace-gc), for ~30 MB more RSS.
 */
const resourceLimits = { maxYoungGenerationSizeMb: 64 };

/**
 * Starts the driver-engine worker beside this module. Built code runs
 * `worker.js` as is. From sources (tests, `tsx`) the worker is `worker.ts`:
 * a tiny bootstrap registers the tsx loader inside the worker (execArgv
 * `--import` is not applied to workers) and resolves workspace packages by
 * the `@cassdl/source` condition, like the parent.
 */
export function spawnWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { workerData, resourceLimits });
  // `tsx/esm/api` resolves to its CJS build under require(); its ESM twin sits beside it.
  const tsxApi = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const worker = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(bootstrap, {
    eval: true,
    workerData,
    resourceLimits,
    execArgv: ['--conditions=@cassdl/source'],
  });
}
