import { dataPlanePlanSchema, parseReaderOptions } from '@cassdl/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocalDataCenter } from '../control-plane/connect-cassandra.js';
import { ControlPlane } from '../control-plane/control-plane.js';
import { connection, ensureDataset, KEYSPACE, testRows } from './helpers/dataset.js';

beforeAll(() => ensureDataset(testRows()), 120_000);

describe('ControlPlane', () => {
  let control: ControlPlane;
  beforeAll(async () => {
    const options = parseReaderOptions({
      connection: await connection(),
      table: `${KEYSPACE}.data_blob`,
      labelType: 'blob',
    });
    control = await ControlPlane.open(options);
  }, 60_000);
  afterAll(() => control?.close());

  it('builds a data-plane plan the schema accepts, with the row read (no prepared id: engines prepare it)', () => {
    const plan = control.plan;
    expect(dataPlanePlanSchema.safeParse(plan).success).toBe(true);
    expect(plan.query).toBe(`SELECT "data", "label" FROM "${KEYSPACE}"."data_blob" WHERE "id" = ?`);
    expect([plan.dataCol, plan.labelCol, plan.labelType]).toEqual(['data', 'label', 'blob']);
    expect(Object.keys(plan)).not.toContain('preparedId');
    expect(plan.consistency).toBe(0x000a);
    expect(plan.credentials).toBeNull();
    expect(plan.tls).toBeNull();
  });

  it('describes the hosts and a sorted token ring whose replicas index the hosts', () => {
    const { hosts, ring } = control.plan;
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.every((h) => h.up && h.local && h.port > 0)).toBe(true);
    expect(ring.length).toBeGreaterThan(0);
    const tokens = ring.map((r) => BigInt(r.token));
    expect(tokens).toEqual([...tokens].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const range of ring) {
      expect(range.replicas.length).toBeGreaterThan(0);
      for (const r of range.replicas) expect(hosts[r]).toBeDefined();
    }
  });
});

describe('local data center detection', () => {
  it('detects the data center when none is given and shows it in the options and the plan', async () => {
    const { localDataCenter, ...rest } = await connection();
    const options = parseReaderOptions({
      connection: rest,
      table: `${KEYSPACE}.data_blob`,
      labelType: 'blob',
    });
    expect(options.connection.localDataCenter).toBeUndefined();
    const control = await ControlPlane.open(options);
    try {
      expect(control.options.connection.localDataCenter).toBe(localDataCenter);
      expect(control.plan.hosts.every((h) => h.local && h.datacenter === localDataCenter)).toBe(
        true,
      );
    } finally {
      await control.close();
    }
    await expect(resolveLocalDataCenter(rest)).resolves.toBe(localDataCenter);
  }, 60_000);
});
