import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CassandraReader } from '../reader/reader.js';
import { toTfDataset } from '../tf/index.js';
import { connection, ensureDataset, KEYSPACE, packKeys, testRows } from './helpers/dataset.js';

const rows = testRows();

beforeAll(async () => {
  await tf.setBackend('cpu');
  await ensureDataset(rows);
}, 120_000);

describe('toTfDataset', () => {
  it('feeds model.fitDataset one reader epoch per fit epoch', async () => {
    const reader = await CassandraReader.open({
      connection: await connection(),
      table: `${KEYSPACE}.data_int`,
      sourceUuids: packKeys(rows),
      engine: 'driver',
      batchSize: 250,
    });
    let batches = 0;
    try {
      const dataset = toTfDataset(reader, (batch) => {
        batches++;
        if (batch.labels.kind !== 'int') throw new Error('int labels expected');
        const xs = new Float32Array(batch.size * 4);
        for (let i = 0; i < batch.size; i++) {
          for (let k = 0; k < 4; k++)
            xs[i * 4 + k] = (batch.data[(batch.dataOffsets[i] as number) + k] as number) / 255;
        }
        const ys = Float32Array.from(batch.labels.values, (v) => v % 2);
        return { xs: tf.tensor2d(xs, [batch.size, 4]), ys: tf.tensor2d(ys, [batch.size, 1]) };
      });
      const model = tf.sequential({
        layers: [tf.layers.dense({ units: 1, inputShape: [4], activation: 'sigmoid' })],
      });
      model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
      const history = await model.fitDataset(dataset, { epochs: 2, verbose: 0 });
      const loss = history.history.loss ?? [];
      expect(loss).toHaveLength(2);
      expect(loss.every((l) => Number.isFinite(l as number))).toBe(true);
      expect(batches).toBe(2 * Math.ceil(rows.length / 250));
      expect(reader.currentEpoch).toBe(2);
      model.dispose();
    } finally {
      await reader.close();
    }
  }, 60_000);
});
