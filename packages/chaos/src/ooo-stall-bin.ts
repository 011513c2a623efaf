#!/usr/bin/env node
// `pnpm --filter @cassdl/chaos bench:ooo-stall`: issue 12's ooo benchmark
// (in-order vs `ooo: true` epochs while one replica of a 3-node RF 3 cluster
// stalls 2 s mid-epoch). Flags: --address (first of three, default
// 127.0.0.71), --dir, --rows, --blob-bytes, --batch-size, --stall-ms,
// --stall-after, --rounds, --engine, --inflight, --prefetch-buffers (the
// same for both modes; default: the reader's), --keep-cluster. Prints a table and the JSON report.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runOooStall } from './ooo-stall.js';

const { values } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.71' },
    dir: { type: 'string', default: join(tmpdir(), 'cassdl-ooo-stall') },
    rows: { type: 'string', default: '30000' },
    'blob-bytes': { type: 'string', default: '2048' },
    'batch-size': { type: 'string', default: '128' },
    'stall-ms': { type: 'string', default: '2000' },
    'stall-after': { type: 'string', default: '40' },
    rounds: { type: 'string', default: '2' },
    engine: { type: 'string', default: 'native' },
    'keep-cluster': { type: 'boolean', default: false },
    inflight: { type: 'string' },
    'prefetch-buffers': { type: 'string' },
  },
});
const started = Date.now();
const log = (m: string) =>
  console.error(`[ooo-stall ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}`);
const report = await runOooStall({
  address: values.address,
  dir: values.dir,
  rows: Number(values.rows),
  blobBytes: Number(values['blob-bytes']),
  batchSize: Number(values['batch-size']),
  stallMs: Number(values['stall-ms']),
  stallAfterBatches: Number(values['stall-after']),
  rounds: Number(values.rounds),
  engine: values.engine === 'driver' ? 'driver' : 'native',
  keepCluster: values['keep-cluster'],
  reader: {
    ...(values.inflight === undefined ? {} : { inflight: Number(values.inflight) }),
    ...(values['prefetch-buffers'] === undefined
      ? {}
      : { prefetchBuffers: Number(values['prefetch-buffers']) }),
  },
  log,
});
console.log(
  '| mode | samples | wall s | samples/s | exactly once | wrong rows | retries | batches during stall |',
);
console.log('| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |');
for (const r of report.runs)
  console.log(
    `| ${r.mode} | ${r.samples} | ${r.wallSec.toFixed(2)} | ${r.samplesPerSec.toFixed(0)} | ${r.exactlyOnce} | ${r.wrongRows} | ${r.retries} | ${r.batchesDuringStall} |`,
  );
console.log(
  `\nooo / in-order samples/s per round: ${report.ratios.map((x) => x.toFixed(2)).join(', ')}`,
);
console.log(
  `state saved mid-stall (ooo) resumed exactly once: ${report.resumeExact} ${JSON.stringify(report.resumeState)}`,
);
console.log(JSON.stringify(report));
process.exit(
  report.runs.every((r) => r.exactlyOnce && r.wrongRows === 0) && report.resumeExact !== false
    ? 0
    : 1,
);
