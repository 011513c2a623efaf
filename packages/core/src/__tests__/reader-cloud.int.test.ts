import type { RawBatch } from '@cassdl/schema';
import { type LocalAstra, runNativeTests, startLocalAstra } from '@cassdl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeNative } from '../engines/native.js';
import { CassandraReader } from '../reader/reader.js';
import { ensureDataset, KEYSPACE, packKeys, testRows } from './helpers/dataset.js';

const rows = testRows(600);
const native = await probeNative();
/** More than the control plane opens, so the proxy's count shows the native plane went through it. */
const NATIVE_CONNECTIONS = 6;

/**
 * `cloudConfig` as on Astra: the test Cassandra behind a metadata service
 * and a TLS-terminating SNI proxy (mutual TLS, a CA made for the run), found
 * through a secure connect bundle written for the run. The driver engine
 * (cassandra-driver's own cloud support) is the oracle.
 */
describe.skipIf(!runNativeTests(native))(
  `reader with cloudConfig${native.available ? '' : ' (skipped: native-io does not load here)'}`,
  () => {
    let astra: LocalAstra;
    beforeAll(async () => {
      await ensureDataset(rows);
      astra = await startLocalAstra();
    }, 120_000);
    afterAll(() => astra?.close());

    async function readEpoch(engine: 'driver' | 'native', connectionsPerHost = 2) {
      const reader = await CassandraReader.open({
        connection: { cloudConfig: { secureConnectBundle: astra.bundlePath } },
        table: `${KEYSPACE}.data_int`,
        sourceUuids: packKeys(rows),
        batchSize: 64,
        seed: 5,
        engine,
        connectionsPerHost,
      });
      try {
        const batches: RawBatch[] = [];
        for await (const batch of reader.epoch()) batches.push(batch.retain());
        return { batches, engineKind: reader.engineKind, options: reader.options };
      } finally {
        await reader.close();
      }
    }

    it('reads through the SNI proxy with the native engine the rows the driver engine reads', async () => {
      const fromDriver = await readEpoch('driver');
      const before = astra.proxy.connections.length;
      const fromNative = await readEpoch('native', NATIVE_CONNECTIONS);
      expect(fromNative.engineKind).toBe('native');
      expect(fromNative.options.connection.localDataCenter).toBe(astra.localDataCenter);
      expect(fromNative.batches.length).toBe(fromDriver.batches.length);
      expect(fromNative.batches.reduce((n, b) => n + b.size - b.padding, 0)).toBe(rows.length);
      fromDriver.batches.forEach((d, i) => {
        const n = fromNative.batches[i] as RawBatch;
        expect([n.index, n.size, n.padding]).toEqual([d.index, d.size, d.padding]);
        expect(Buffer.from(n.ids).equals(Buffer.from(d.ids))).toBe(true);
        expect(Buffer.from(n.data).equals(Buffer.from(d.data))).toBe(true);
        expect(Array.from(n.dataOffsets)).toEqual(Array.from(d.dataOffsets));
        if (n.labels.kind === 'int' && d.labels.kind === 'int')
          expect(Array.from(n.labels.values)).toEqual(Array.from(d.labels.values));
        else throw new Error('int labels expected');
      });
      // The control plane's driver (a connection or two) and the native plane
      // (NATIVE_CONNECTIONS) all went through the proxy, every connection
      // naming the node by its host id, with the bundle's client certificate.
      const opened = astra.proxy.connections.slice(before);
      expect(opened.length).toBeGreaterThan(NATIVE_CONNECTIONS);
      for (const c of opened) {
        expect(c).toEqual({
          serverName: astra.hostIds[0],
          clientCn: 'cassdl-astra-client',
          routed: true,
        });
      }
    }, 120_000);

    it('says which entry a broken bundle lacks before connecting', async () => {
      const requests = astra.metadata.requests();
      const error = await CassandraReader.open({
        connection: { cloudConfig: { secureConnectBundle: `${astra.bundlePath}.missing` } },
        table: `${KEYSPACE}.data_int`,
        sourceUuids: packKeys(rows.slice(0, 4)),
        engine: 'native',
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'ERR_CASSDL_CONNECT',
        message: expect.stringContaining('.missing cannot be read'),
      });
      expect(astra.metadata.requests()).toBe(requests);
    });
  },
);
