import { describe, expect, it } from 'vitest';
import { silentLogger } from '../common/log.js';
import { runMultilabel } from '../multilabel/run.js';
import { e2eSetup, tempDir } from './helpers.js';

describe('multilabel example, end to end on the dev Cassandra', () => {
  it('learns: val micro-F1 beats the best trivial baseline', async () => {
    const connection = await e2eSetup();
    const lines: string[] = [];
    const r = await runMultilabel(
      connection,
      {
        keyspace: 'cassdl_ex_multilabel_test',
        images: 80,
        size: 18,
        tags: 3,
        presence: 0.3,
        epochs: 6,
        batchSize: 8,
        seed: 9,
        learningRate: 0.02,
        workDir: await tempDir('multilabel'),
      },
      silentLogger(lines),
    );
    expect(r.vocabulary).toHaveLength(3);
    expect(r.valImages).toBe(16);
    expect(r.microF1, lines.join('\n')).toBeGreaterThan(r.baseline);
  }, 300_000);
});
