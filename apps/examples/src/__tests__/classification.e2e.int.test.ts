import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ClassificationOptions } from '../classification/options.js';
import { runClassification } from '../classification/run.js';
import { checkShardsExactlyOnce, runShardProcesses } from '../classification/shards.js';
import { silentLogger } from '../common/log.js';
import { e2eSetup, tempDir } from './helpers.js';

const tiny = (workDir: string): ClassificationOptions => ({
  keyspace: 'cassdl_ex_classification_test',
  classes: 4,
  imagesPerClass: 15,
  size: 16,
  epochs: 4,
  batchSize: 8,
  seed: 3,
  learningRate: 0.02,
  workDir,
  shardId: 0,
  numShards: 1,
  setup: true,
});

describe('classification example, end to end on the dev Cassandra', () => {
  it('learns: val accuracy beats the majority-class baseline', async () => {
    const connection = await e2eSetup();
    const workDir = await tempDir('classification');
    const lines: string[] = [];
    const r = await runClassification(connection, tiny(workDir), silentLogger(lines));
    expect(r.valSamples).toBe(12);
    expect(r.trainSamples).toBe(48);
    expect(r.accuracy, lines.join('\n')).toBeGreaterThan(r.baseline);
    // The examples take the native JPEG decoder by default (decoder: 'auto').
    expect(r.decoder, lines.join('\n')).toBe('native');
    // one shard: every training id exactly once per epoch
    const check = await checkShardsExactlyOnce(r.splitFile, [r], 4);
    expect(check.ok, check.lines.join('\n')).toBe(true);

    // --shards 2: two processes (the built command) together see each id once per epoch
    const script = fileURLToPath(new URL('../../dist/classification.js', import.meta.url));
    const args = [
      '--keyspace',
      'cassdl_ex_classification_test',
      '--classes',
      '4',
      '--images-per-class',
      '15',
    ];
    args.push('--size', '16', '--epochs', '2', '--batch-size', '8', '--seed', '3');
    const shards = await runShardProcesses(script, args, 2, workDir, connection, silentLogger());
    const sharded = await checkShardsExactlyOnce(r.splitFile, shards, 2);
    expect(sharded.ok, sharded.lines.join('\n')).toBe(true);
    expect(shards.map((s) => s.idsPerEpoch[0]?.length)).toEqual([24, 24]);
  }, 300_000);
});
