import { describe, expect, it } from 'vitest';
import { silentLogger } from '../common/log.js';
import { runSegmentation } from '../segmentation/run.js';
import { e2eSetup, tempDir } from './helpers.js';

describe('segmentation example, end to end on the dev Cassandra', () => {
  it('learns: val mean IoU beats the all-background baseline', async () => {
    const connection = await e2eSetup();
    const lines: string[] = [];
    const r = await runSegmentation(
      connection,
      {
        keyspace: 'cassdl_ex_segmentation_test',
        images: 40,
        size: 16,
        maxShapes: 2,
        epochs: 3,
        batchSize: 8,
        seed: 5,
        learningRate: 0.02,
        workDir: await tempDir('segmentation'),
      },
      silentLogger(lines),
    );
    expect(r.valImages).toBe(8);
    expect(r.meanIou, lines.join('\n')).toBeGreaterThan(r.baseline);
  }, 300_000);
});
