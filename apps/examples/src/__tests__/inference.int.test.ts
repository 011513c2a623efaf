import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassification } from '../classification/run.js';
import { silentLogger } from '../common/log.js';
import { inferBody, measureLoad, streamInfer } from '../inference/client.js';
import { type RunningService, serveModel, splitIds } from '../inference/run.js';
import { e2eSetup, tempDir } from './helpers.js';

const MODEL = 'classifier';
let service: RunningService;
let ids: string[];

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('inference service (KServe v2) over the dev Cassandra', () => {
  beforeAll(async () => {
    const connection = await e2eSetup();
    const workDir = await tempDir('inference');
    const modelDir = join(workDir, 'model');
    const result = await runClassification(
      connection,
      {
        keyspace: 'cassdl_ex_inference',
        classes: 3,
        imagesPerClass: 8,
        size: 16,
        epochs: 1,
        batchSize: 16,
        seed: 7,
        learningRate: 0.01,
        workDir,
        shardId: 0,
        numShards: 1,
        setup: true,
        saveModel: modelDir,
      },
      silentLogger(),
    );
    ids = await splitIds(result.splitFile, 'val');
    service = await serveModel(connection, {
      modelDir,
      table: 'cassdl_ex_inference.data',
      modelName: MODEL,
      host: '127.0.0.1',
      port: 0,
      streamChunk: 2,
    });
  }, 240_000);

  afterAll(async () => {
    await service?.close();
  });

  it('reports health and model metadata', async () => {
    expect((await fetch(`${service.url}/v2/health/ready`)).status).toBe(200);
    const meta = (await (await fetch(`${service.url}/v2/models/${MODEL}`)).json()) as {
      inputs: { name: string; datatype: string }[];
      outputs: { shape: number[] }[];
    };
    expect(meta.inputs[0]).toMatchObject({ name: 'ids', datatype: 'BYTES' });
    expect(meta.outputs[1]?.shape).toEqual([-1, 3]);
    expect((await fetch(`${service.url}/v2/models/nope`)).status).toBe(404);
  });

  it('answers an infer request with one probability row and label per id', async () => {
    const res = await post(`/v2/models/${MODEL}/infer`, inferBody(ids.slice(0, 3), 'req-1'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      id: string;
      outputs: { name: string; shape: number[]; data: number[] }[];
    };
    expect(body.id).toBe('req-1');
    const probs = body.outputs.find((o) => o.name === 'probabilities');
    expect(probs?.shape).toEqual([3, 3]);
    const rowSum = (probs?.data ?? []).slice(0, 3).reduce((a, b) => a + b, 0);
    expect(rowSum).toBeCloseTo(1, 4);
    const labels = body.outputs.find((o) => o.name === 'label');
    expect(labels?.data.every((l) => l >= 0 && l < 3)).toBe(true);
  });

  it('refuses bad requests with a 4xx and the reason, and keeps serving', async () => {
    const cases: [string, number, RegExp][] = [
      [inferBody(['not-a-uuid']), 400, /expected a UUID string/],
      [
        inferBody(['00000000-0000-4000-8000-000000000000']),
        404,
        /00000000-0000-4000-8000-000000000000/,
      ],
      [JSON.stringify({ inputs: [] }), 400, /must contain "ids"/],
      [
        JSON.stringify({ inputs: [{ name: 'ids', datatype: 'FP32', shape: [1], data: [1] }] }),
        400,
        /BYTES/,
      ],
      [
        JSON.stringify({
          inputs: [{ name: 'ids', datatype: 'BYTES', shape: [5], data: [ids[0]] }],
        }),
        400,
        /shape must be \[1\]/,
      ],
      ['{"inputs": [', 400, /JSON/i],
      [JSON.stringify([1, 2]), 400, /inputs/],
    ];
    for (const [body, status, reason] of cases) {
      const res = await post(`/v2/models/${MODEL}/infer`, body);
      expect(res.status, body).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(reason);
    }
    expect((await post(`/v2/models/${MODEL}/infer`, inferBody(ids.slice(0, 1)))).status).toBe(200);
  });

  it('streams a long id list as NDJSON chunks, ending with an error line for a missing id', async () => {
    const lines = [];
    for await (const line of streamInfer(service.url, MODEL, ids.slice(0, 5))) lines.push(line);
    expect(lines.map((l) => (l.outputs as { shape: number[] }[])[0]?.shape[0])).toEqual([2, 2, 1]);
    const missing = [ids[0] ?? '', ids[1] ?? '', '00000000-0000-4000-8000-000000000001'];
    const withError = [];
    for await (const line of streamInfer(service.url, MODEL, missing)) withError.push(line);
    expect(withError).toHaveLength(2);
    expect(withError[1]).toMatchObject({ status: 404 });
  });

  it('measures requests/s and latency with the load client', async () => {
    const r = await measureLoad({
      url: service.url,
      model: MODEL,
      ids,
      batch: 2,
      requests: 12,
      concurrency: 3,
    });
    expect(r.failed).toBe(0);
    expect(r.requestsPerSec).toBeGreaterThan(0);
    expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.max);
  });
});
