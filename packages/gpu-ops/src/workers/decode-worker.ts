/**
 * Entry of a decode worker thread. It owns a share of each batch: reads the
 * headers, plans crops and flips, drives sharp (whose libvips work runs on
 * the process's libuv threadpool, as on the JS thread) and normalizes into
 * the batch's shared arrays. The JS thread only posts one job per worker and
 * uploads the tensor. Everything it computes is a pure function of the
 * configuration and the sample's (seed, epoch, batch, row) key, so the bytes
 * are the same as the in-thread path's.
 */
import { parentPort } from 'node:worker_threads';
import { decodeSamples } from '../decode/decode-samples.js';
import { BatchBuffers } from '../pipeline/batch-buffers.js';
import { decodeSpec } from '../pipeline/decode-spec.js';
import type { DecodeJob, WorkerReply } from './protocol.js';
import { toWire } from './protocol.js';

const port = parentPort;
if (!port)
  throw new Error('decode-worker.js runs as a worker thread (new Worker(...)), not on its own');

port.on('message', (job: DecodeJob) => {
  run(job).then(
    (reply) => port.postMessage(reply),
    (error: unknown) =>
      port.postMessage({
        type: 'crashed',
        job: job.job,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerReply),
  );
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);

async function run(job: DecodeJob): Promise<WorkerReply> {
  const buffers = new BatchBuffers(job.config, job.batch.size, {
    kind: 'attached',
    size: job.size,
    images: job.images,
    masks: job.masks,
  });
  const failures = await decodeSamples(
    job.batch,
    decodeSpec(job.config, buffers, job.parts),
    (row, image, mask) => buffers.write(row, image, mask),
    job.rows,
  );
  return {
    type: 'done',
    job: job.job,
    failures: failures.map((failure) => (failure === undefined ? null : toWire(failure))),
  };
}
