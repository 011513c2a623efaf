import type { ConnectionOptionsInput } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleId } from '../ingest/ids.js';
import { DatasetWriter } from '../writer/dataset-writer.js';
import { imageTransform } from '../writer/image-transform.js';
import { testDb, testKeyspace } from './helpers/test-db.js';

const ks = testKeyspace('writer');
let connection: ConnectionOptionsInput;
let client: cassandra.Client;

beforeAll(async () => {
  ({ connection, client } = await testDb());
}, 60_000);

afterAll(async () => {
  await client?.execute(`DROP KEYSPACE IF EXISTS ${ks}`);
  await client?.shutdown();
}, 60_000);

const image = (r: number) =>
  sharp({ create: { width: 64, height: 32, channels: 3, background: { r, g: 0, b: 0 } } })
    .png()
    .toBuffer();

describe('DatasetWriter', () => {
  it('writes any column names and extra metadata, idempotently, transforming once per new sample', async () => {
    let transformed = 0;
    const resize = imageTransform({ resize: 16, format: 'webp', quality: 70 });
    const open = () =>
      DatasetWriter.open({
        connection,
        data: { keyspace: ks, table: 'images', idCol: 'uid', dataCol: 'img', labelCol: 'cls' },
        metadata: {
          keyspace: ks,
          table: 'images_meta',
          idCol: 'uid',
          labelCol: 'cls',
          extraColumns: { or_label: 'text', or_split: 'text', width: 'int' },
        },
        transform: async (bytes, path) => {
          transformed++;
          return (await resize?.(bytes, path)) ?? bytes;
        },
      });
    const samples = [
      { name: 'a/1.png', bytes: await image(10), label: 0, metadata: { or_label: 'a', width: 64 } },
      { name: 'b/2.png', bytes: await image(200), label: 1, metadata: { or_split: 'val' } },
    ];
    const first = await open();
    try {
      expect(await first.write(samples)).toEqual({ written: 2, alreadyPresent: 0, invalid: [] });
    } finally {
      await first.close();
    }
    const second = await open();
    try {
      expect(await second.write(samples)).toEqual({ written: 0, alreadyPresent: 2, invalid: [] });
    } finally {
      await second.close();
    }
    expect(transformed).toBe(2);

    const row = (
      await client.execute(
        `SELECT cls, img FROM ${ks}.images WHERE uid = ?`,
        [sampleId('b/2.png')],
        {
          prepare: true,
        },
      )
    ).first();
    expect(row?.get('cls')).toBe(1);
    const meta = await sharp(row?.get('img') as Buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 32, 16]);
    const m = (
      await client.execute(
        `SELECT or_label, or_split, width FROM ${ks}.images_meta WHERE uid = ?`,
        [sampleId('a/1.png')],
        { prepare: true },
      )
    ).first();
    expect([m?.get('or_label'), m?.get('or_split'), m?.get('width')]).toEqual(['a', null, 64]);
  });

  it('refuses an existing table whose columns differ, before writing', async () => {
    await expect(
      DatasetWriter.open({
        connection,
        data: {
          keyspace: ks,
          table: 'images',
          idCol: 'uid',
          dataCol: 'img',
          labelCol: 'cls',
          labelType: 'blob',
        },
      }),
    ).rejects.toThrow(/needs cls blob \(table has int\)/);
  });
});
