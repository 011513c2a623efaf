// The inference example's client: sends val ids to the server and measures
// requests/s and latency (Triton's perf_analyzer, in miniature), then reads
// the whole val split once through the streaming endpoint. See docs/inference.md.
import { consoleLogger } from './common/log.js';
import { runCommand } from './common/main.js';
import { measureLoad, streamInfer } from './inference/client.js';
import { splitIds } from './inference/run.js';

runCommand({
  name: 'inference-client',
  summary:
    'Load-test an inference server with ids from a split file; print requests/s and latency.',
  flags: {
    url: { default: 'http://127.0.0.1:8000', help: 'server address' },
    'model-name': { default: 'classifier', help: 'model name' },
    split: { help: 'split file (from the classification example); required' },
    'split-name': { default: 'val', help: 'which split to take ids from' },
    batch: { default: '16', help: 'ids per request' },
    requests: { default: '200', help: 'requests to send' },
    concurrency: { default: '8', help: 'requests open at once' },
    check: { boolean: true, help: 'exit 1 if any request failed' },
  },
  async run(flags) {
    const log = consoleLogger('inference-client');
    const ids = await splitIds(flags.text('split'), flags.text('split-name'));
    const url = flags.text('url');
    const model = flags.text('model-name');
    const r = await measureLoad({
      url,
      model,
      ids,
      batch: flags.int('batch'),
      requests: flags.int('requests'),
      concurrency: flags.int('concurrency'),
    });
    log(
      `${r.requests} requests x ${flags.int('batch')} ids in ${r.seconds.toFixed(2)} s: ${r.requestsPerSec.toFixed(1)} requests/s, ${r.samplesPerSec.toFixed(0)} samples/s, ${r.failed} failed`,
    );
    log(
      `latency ms: p50 ${r.latencyMs.p50.toFixed(1)}, p90 ${r.latencyMs.p90.toFixed(1)}, p99 ${r.latencyMs.p99.toFixed(1)}, max ${r.latencyMs.max.toFixed(1)}`,
    );
    const started = performance.now();
    let chunks = 0;
    let rows = 0;
    for await (const line of streamInfer(url, model, ids)) {
      if ('error' in line) throw new Error(`stream ended with an error: ${String(line.error)}`);
      chunks++;
      rows += (line.outputs as { shape: number[] }[])[0]?.shape[0] ?? 0;
    }
    log(
      `infer_stream: ${rows} ids in ${chunks} chunks, ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
    return flags.bool('check') && r.failed > 0 ? 1 : 0;
  },
});
