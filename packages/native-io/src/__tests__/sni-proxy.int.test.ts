import type { DataPlanePlan, PlanTls } from '@cassdl/schema';
import { type LocalAstra, startLocalAstra } from '@cassdl/test-utils';
import type cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeDataPlane } from '../index.js';
import {
  buildPlan,
  concat,
  DEFAULT_OPTIONS,
  openClient,
  readWithDriver,
  type SeededTable,
  seedTable,
} from './helpers/cassandra.js';

/**
 * The test Cassandra behind a TLS-terminating SNI proxy that routes by host
 * id and demands a client certificate, as Astra's front does: the plane
 * must connect to the proxy, name the host by SNI, present the bundle's
 * client certificate and check the proxy's against the bundle's CA.
 */
describe('NativeDataPlane through an SNI proxy (Astra)', () => {
  let astra: LocalAstra;
  let client: cassandra.Client;
  let seeded: SeededTable;
  let tls: PlanTls;

  beforeAll(async () => {
    astra = await startLocalAstra();
    client = await openClient();
    seeded = await seedTable(client, 'sni_proxy', 'int', 300);
    tls = {
      ca: astra.certificates.ca,
      cert: astra.certificates.clientCert,
      key: astra.certificates.clientKey,
      passphrase: null,
      serverName: astra.proxy.address,
      rejectUnauthorized: true,
    };
  }, 120_000);
  afterAll(async () => {
    await client?.shutdown();
    await astra?.close();
  });

  /** The direct plan, rerouted: every host behind the proxy, named by `sniName`. */
  async function proxiedPlan(
    sniName: (i: number) => string,
    overrides: Partial<PlanTls> = {},
  ): Promise<DataPlanePlan> {
    const plan = await buildPlan(client, seeded);
    return {
      ...plan,
      hosts: plan.hosts.map((h, i) => ({ ...h, sniName: sniName(i) })),
      tls: { ...tls, ...overrides },
      proxy: { address: astra.proxy.address, port: astra.proxy.port },
    };
  }

  it('reads every row byte for byte, each connection naming its host by SNI with the client certificate', async () => {
    const before = astra.proxy.connections.length;
    const plane = await NativeDataPlane.open(
      await proxiedPlan((i) => astra.hostIds[i] as string),
      DEFAULT_OPTIONS,
    );
    try {
      const rows = await plane.fetch(concat(seeded.ids));
      expect(rows.size).toBe(seeded.ids.length);
      for (let i = 0; i < seeded.ids.length; i += 1) {
        const expected = await readWithDriver(client, seeded, seeded.ids[i] as Uint8Array);
        const data = rows.data.subarray(rows.dataOffsets[i], rows.dataOffsets[i + 1]);
        expect(Buffer.from(data).equals(expected?.data as Buffer)).toBe(true);
        expect(rows.labels.kind === 'int' && rows.labels.values[i]).toBe(expected?.label);
      }
    } finally {
      await plane.close();
    }
    const opened = astra.proxy.connections.slice(before);
    expect(opened).toHaveLength(DEFAULT_OPTIONS.connectionsPerHost * astra.hostIds.length);
    for (const c of opened) {
      expect(c).toEqual({
        serverName: astra.hostIds[0],
        clientCn: 'cassdl-astra-client',
        routed: true,
      });
    }
  });

  it('fails to connect when the proxy knows no host by that SNI name', async () => {
    const error = await NativeDataPlane.open(
      await proxiedPlan(() => '00000000-0000-4000-8000-000000000000'),
      { ...DEFAULT_OPTIONS, connectionsPerHost: 1 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/ERR_CASSDL_(CONNECT|TLS)/) });
    expect((error as Error).message).toContain('through the proxy');
    expect(astra.proxy.connections.at(-1)).toMatchObject({
      serverName: '00000000-0000-4000-8000-000000000000',
      routed: false,
    });
  });

  it('checks the proxy certificate against tls.serverName, not the SNI name', async () => {
    const error = await NativeDataPlane.open(
      await proxiedPlan((i) => astra.hostIds[i] as string, { serverName: 'proxy.example.com' }),
      { ...DEFAULT_OPTIONS, connectionsPerHost: 1 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_CASSDL_TLS',
      message: expect.stringMatching(/hostname mismatch|verification failed/),
    });
  });

  it('is refused by the proxy without the client certificate', async () => {
    const error = await NativeDataPlane.open(
      await proxiedPlan((i) => astra.hostIds[i] as string, { cert: null, key: null }),
      { ...DEFAULT_OPTIONS, connectionsPerHost: 1 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/ERR_CASSDL_(TLS|CONNECT)/) });
  });
});
