import { type DataPlanePlan, RETRY_SERVER_CODES } from '@cassdl/schema';

/** A valid plan that needs no server (for checks that fail before connecting). */
export function samplePlan(overrides: Partial<DataPlanePlan> = {}): DataPlanePlan {
  return {
    protocolVersion: 4,
    keyspace: 'ks',
    table: 't',
    idCol: 'id',
    dataCol: 'data',
    labelCol: null,
    labelType: 'none',
    query: 'SELECT "data" FROM "ks"."t" WHERE "id" = ?',
    consistency: 0x000a,
    hosts: [
      {
        address: '127.0.0.1',
        port: 9042,
        datacenter: 'datacenter1',
        rack: 'rack1',
        up: true,
        local: true,
        sniName: null,
      },
    ],
    ring: [{ token: '0', replicas: [0] }],
    credentials: null,
    tls: null,
    proxy: null,
    connectTimeoutMs: 5000,
    requestTimeoutMs: 12000,
    retryServerCodes: RETRY_SERVER_CODES,
    ...overrides,
  };
}

/** A plan whose one host is a fake server on loopback, with short timeouts (2 s) for fault tests. */
export function fakeServerPlan(
  port: number,
  overrides: Partial<DataPlanePlan> = {},
): DataPlanePlan {
  return samplePlan({
    hosts: [
      {
        address: '127.0.0.1',
        port,
        datacenter: 'dc',
        rack: 'r',
        up: true,
        local: true,
        sniName: null,
      },
    ],
    requestTimeoutMs: 2000,
    connectTimeoutMs: 2000,
    ...overrides,
  });
}
