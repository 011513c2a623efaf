import { describe, expect, it } from 'vitest';
import { type DataPlanePlan, dataPlanePlanSchema, validate } from '../index.js';
import { issuesOf, linesOf } from './helpers.js';

const plan: DataPlanePlan = {
  protocolVersion: 5,
  keyspace: 'imagenette',
  table: 'data',
  idCol: 'id',
  dataCol: 'data',
  labelCol: 'label',
  labelType: 'int',
  query: 'SELECT "data", "label" FROM "imagenette"."data" WHERE "id" = ?',
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
    {
      address: '::1',
      port: 9042,
      datacenter: 'datacenter1',
      rack: 'rack1',
      up: false,
      local: true,
      sniName: null,
    },
  ],
  ring: [
    { token: '-9223372036854775808', replicas: [0, 1] },
    { token: '0', replicas: [1, 0] },
    { token: '9223372036854775807', replicas: [0] },
  ],
  credentials: { username: 'cassandra', password: 'cassandra' },
  tls: null,
  proxy: null,
  connectTimeoutMs: 5000,
  requestTimeoutMs: 12000,
  retryServerCodes: [0x1000, 0x1001],
};

const check = (input: unknown) => validate(dataPlanePlanSchema, input, 'plan');

describe('dataPlanePlanSchema', () => {
  it('accepts a well-formed plan unchanged', () => {
    expect(check(plan)).toEqual(plan);
  });

  it('rejects ring tokens out of order or outside int64, and replicas that are not hosts', () => {
    const ring = [
      { token: '5', replicas: [0] },
      { token: '5', replicas: [2] },
      { token: '9223372036854775808', replicas: [0] },
    ];
    expect(linesOf(() => check({ ...plan, ring }))).toEqual([
      'plan.ring[2].token: expected int64 as a decimal string, received "9223372036854775808" (string)',
    ]);
    expect(linesOf(() => check({ ...plan, ring: ring.slice(0, 2) }))).toEqual([
      'plan.ring[1].token: expected token > 5 (the ring is sorted ascending), received "5" (string)',
      'plan.ring[1].replicas[0]: expected host index < 2, received 2 (number)',
    ]);
  });

  it('ties the label column to the label type', () => {
    expect(linesOf(() => check({ ...plan, labelType: 'none' }))).toEqual([
      'plan.labelCol: expected null (labelType is \'none\'), received "label" (string)',
    ]);
    expect(linesOf(() => check({ ...plan, labelCol: null }))).toEqual([
      'plan.labelCol: expected a column name (labelType has labels), received null',
    ]);
  });

  it('carries the row read, not a prepared id (each engine prepares it on its own connections)', () => {
    expect(linesOf(() => check({ ...plan, preparedId: new Uint8Array([1]) }))).toEqual([
      expect.stringContaining('preparedId'),
    ]);
  });

  it('never echoes credentials or key material', () => {
    const tls = {
      ca: null,
      cert: null,
      key: 7,
      passphrase: 8,
      serverName: null,
      rejectUnauthorized: true,
    };
    const issues = issuesOf(() =>
      check({ ...plan, credentials: { username: 'u', password: 9 }, tls }),
    );
    expect(issues.map((i) => [i.path, i.received])).toEqual([
      ['plan.credentials.password', '<redacted>'],
      ['plan.tls.key', '<redacted>'],
      ['plan.tls.passphrase', '<redacted>'],
    ]);
  });

  it('rejects bad host addresses', () => {
    const hosts = [{ ...plan.hosts[0], address: 'localhost' }];
    expect(linesOf(() => check({ ...plan, hosts, ring: [{ token: '0', replicas: [0] }] }))).toEqual(
      [
        'plan.hosts[0].address: expected IPv4 address or IPv6 address, received "localhost" (string)',
      ],
    );
  });

  it('accepts an SNI proxy only over TLS and with every host named for it', () => {
    const tls = {
      ca: 'PEM',
      cert: null,
      key: null,
      passphrase: null,
      serverName: 'proxy.example.com',
      rejectUnauthorized: true,
    };
    const proxy = { address: '10.0.0.9', port: 29042 };
    const named = plan.hosts.map((h, i) => ({ ...h, sniName: `host-${i}` }));
    expect(check({ ...plan, tls, proxy, hosts: named })).toEqual({
      ...plan,
      tls,
      proxy,
      hosts: named,
    });
    expect(linesOf(() => check({ ...plan, proxy }))).toEqual([
      'plan.tls: expected TLS settings (an SNI proxy is reached over TLS), received null',
      'plan.hosts[0].sniName: expected the name the SNI proxy routes by, received null',
      'plan.hosts[1].sniName: expected the name the SNI proxy routes by, received null',
    ]);
    const spaced = [{ ...named[0], sniName: 'a b' }, named[1]];
    expect(
      linesOf(() => check({ ...plan, tls, proxy: { ...proxy, address: 'proxy' }, hosts: spaced })),
    ).toEqual([
      'plan.hosts[0].sniName: expected an SNI name (1-255 printable ASCII characters), received "a b" (string)',
      'plan.proxy.address: expected IPv4 address or IPv6 address, received "proxy" (string)',
    ]);
  });
});
