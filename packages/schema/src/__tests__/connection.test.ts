import { describe, expect, it } from 'vitest';
import {
  CONNECTION_DEFAULTS,
  connectionFromEnv,
  connectionOptionsSchema,
  isPem,
  parseContactPoint,
  validate,
} from '../index.js';
import { issuesOf, linesOf } from './helpers.js';

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n';

const parse = (input: unknown) => validate(connectionOptionsSchema, input, 'connection');

describe('connection defaults', () => {
  it('fills every default and leaves the local data center to be detected', () => {
    expect(parse({ contactPoints: ['127.0.0.1'] })).toEqual({
      contactPoints: ['127.0.0.1'],
      port: 9042,
      useSsl: false,
      sslRejectUnauthorized: true,
      connectTimeoutMs: 5000,
      requestTimeoutMs: 12000,
    });
    expect(CONNECTION_DEFAULTS.port).toBe(9042);
  });

  it('keeps what the user gave', () => {
    const out = parse({
      contactPoints: ['db1:9142', 'db2'],
      port: 9142,
      localDataCenter: 'dc2',
      username: 'u',
      password: 'p',
      useSsl: true,
      sslCertificate: '/etc/ca.pem',
      sslServerName: 'db.example.com',
      sslRejectUnauthorized: false,
      connectTimeoutMs: 1000,
      requestTimeoutMs: 2000,
    });
    expect(out).toMatchObject({
      port: 9142,
      localDataCenter: 'dc2',
      username: 'u',
      useSsl: true,
      sslRejectUnauthorized: false,
    });
  });

  it('turns TLS on when a TLS file is given and useSsl is unset', () => {
    expect(parse({ contactPoints: ['h'], sslCertificate: PEM_CERT }).useSsl).toBe(true);
  });

  it('lets cloudConfig stand in for contact points', () => {
    const out = parse({ cloudConfig: { secureConnectBundle: './secure-connect-db.zip' } });
    expect(out.contactPoints).toEqual([]);
    expect(out.cloudConfig).toEqual({ secureConnectBundle: './secure-connect-db.zip' });
  });
});

describe('connection rules', () => {
  it('needs contact points unless cloudConfig', () => {
    expect(linesOf(() => parse({}))).toEqual([
      'connection.contactPoints: expected non-empty list of "host" or "host:port" (or a cloudConfig), received nothing',
    ]);
    expect(issuesOf(() => parse({ contactPoints: [] }))[0]?.received).toBe('array of 0 items');
  });

  it('rejects contactPoints together with cloudConfig', () => {
    expect(
      issuesOf(() =>
        parse({ contactPoints: ['h'], cloudConfig: { secureConnectBundle: 'b.zip' } }),
      )[0],
    ).toMatchObject({
      path: 'connection.contactPoints',
      expected: 'no contactPoints with cloudConfig (the bundle names the hosts)',
    });
  });

  it('needs username and password together, never echoing the password', () => {
    expect(issuesOf(() => parse({ contactPoints: ['h'], username: 'u' }))[0]).toMatchObject({
      path: 'connection.password',
      received: 'nothing',
    });
    const [issue] = issuesOf(() => parse({ contactPoints: ['h'], password: 'hunter2' }));
    expect(issue?.path).toBe('connection.username');
    expect(JSON.stringify(issue)).not.toContain('hunter2');
  });

  it('needs the own certificate with the own key, and the key with its passphrase', () => {
    expect(
      issuesOf(() => parse({ contactPoints: ['h'], sslOwnKey: PEM_KEY })).map((i) => i.path),
    ).toEqual(['connection.sslOwnCertificate']);
    expect(
      issuesOf(() => parse({ contactPoints: ['h'], sslOwnCertificate: PEM_CERT })).map(
        (i) => i.path,
      ),
    ).toEqual(['connection.sslOwnKey']);
    expect(
      issuesOf(() => parse({ contactPoints: ['h'], sslOwnKeyPass: 'pw' })).map((i) => i.path),
    ).toEqual(['connection.sslOwnKey']);
  });

  it('rejects TLS files with useSsl: false', () => {
    expect(
      linesOf(() => parse({ contactPoints: ['h'], useSsl: false, sslCertificate: 'ca.pem' })),
    ).toEqual([
      'connection.useSsl: expected true or unset (sslCertificate is given), received false (boolean)',
    ]);
  });

  it('is strict about unknown keys, pointing DALI names at ours', () => {
    expect(
      linesOf(() => parse({ contactPoints: ['h'], use_ssl: true, cassandra_port: 1 })),
    ).toEqual([
      'connection.use_ssl: unknown option "use_ssl" (did you mean "useSsl"?)',
      'connection.cassandra_port: unknown option "cassandra_port" (did you mean "port"?)',
    ]);
  });

  it('checks ranges and types field by field, all at once', () => {
    expect(
      linesOf(() =>
        parse({ contactPoints: ['h'], port: 70000, connectTimeoutMs: 0, localDataCenter: '' }),
      ),
    ).toEqual([
      'connection.port: expected integer from 1 to 65535, received 70000 (number)',
      'connection.localDataCenter: expected non-empty string, received "" (string)',
      'connection.connectTimeoutMs: expected integer from 1 to 3600000, received 0 (number)',
    ]);
  });

  it('never prints key material, even malformed', () => {
    const [issue] = issuesOf(() =>
      parse({
        contactPoints: ['h'],
        sslOwnCertificate: PEM_CERT,
        sslOwnKey: '-----BEGIN PRIVATE KEY-----\nSECRET',
      }),
    );
    expect(issue).toMatchObject({ path: 'connection.sslOwnKey', received: '<redacted>' });
    expect(issue?.expected).toMatch(/file path or complete PEM text/);
  });
});

describe('contact points', () => {
  it('parses hosts, ports, IPv4 and IPv6', () => {
    expect(parseContactPoint('db1')).toEqual({ host: 'db1', port: null });
    expect(parseContactPoint('db1.example.com:9142')).toEqual({
      host: 'db1.example.com',
      port: 9142,
    });
    expect(parseContactPoint('10.0.0.1:9042')).toEqual({ host: '10.0.0.1', port: 9042 });
    expect(parseContactPoint('::1')).toEqual({ host: '::1', port: null });
    expect(parseContactPoint('[fe80::1]:9042')).toEqual({ host: 'fe80::1', port: 9042 });
  });

  it('rejects malformed ones, reporting each by index', () => {
    for (const bad of [
      '',
      'host:',
      'host:0',
      'host:70000',
      'a b',
      '-host',
      'h:1:2',
      '[db1]:9042',
      'http://db1',
    ]) {
      expect(parseContactPoint(bad), bad).toBeNull();
    }
    expect(linesOf(() => parse({ contactPoints: ['ok', 'bad host'] }))).toEqual([
      'connection.contactPoints[1]: expected host, host:port, IPv6 address or [IPv6]:port, received "bad host" (string)',
    ]);
  });
});

describe('isPem', () => {
  it('tells PEM text from a path without touching the file system', () => {
    expect(isPem(PEM_CERT)).toBe(true);
    expect(isPem(PEM_KEY)).toBe(true);
    expect(isPem('/etc/ssl/ca.pem')).toBe(false);
    expect(isPem('-----BEGIN CERTIFICATE-----\nabc\n-----END PRIVATE KEY-----')).toBe(false);
  });

  it('accepts a path or a whole PEM block and rejects a truncated block', () => {
    expect(parse({ contactPoints: ['h'], sslCertificate: 'certs/ca.pem' }).sslCertificate).toBe(
      'certs/ca.pem',
    );
    expect(parse({ contactPoints: ['h'], sslCertificate: PEM_CERT }).sslCertificate).toBe(PEM_CERT);
    expect(
      issuesOf(() =>
        parse({ contactPoints: ['h'], sslCertificate: '-----BEGIN CERTIFICATE-----\nabc' }),
      )[0]?.path,
    ).toBe('connection.sslCertificate');
  });
});

describe('connectionFromEnv', () => {
  it('is null without CASSDL_CONTACT_POINTS (or with it empty)', () => {
    expect(connectionFromEnv({})).toBeNull();
    expect(connectionFromEnv({ CASSDL_CONTACT_POINTS: '  ', CASSDL_PORT: '9042' })).toBeNull();
  });

  it('reads every variable', () => {
    expect(
      connectionFromEnv({
        CASSDL_CONTACT_POINTS: '127.0.0.1, 127.0.0.2:9043,',
        CASSDL_PORT: '9142',
        CASSDL_LOCAL_DC: 'dc1',
        CASSDL_USERNAME: 'cassandra',
        CASSDL_PASSWORD: ' spaced ',
        CASSDL_SSL_CA: '/tmp/ca.pem',
        CASSDL_SSL_CERT: '/tmp/client.pem',
        CASSDL_SSL_KEY: '/tmp/client.key',
        CASSDL_SSL_KEY_PASS: 'pw',
      }),
    ).toEqual({
      contactPoints: ['127.0.0.1', '127.0.0.2:9043'],
      port: 9142,
      localDataCenter: 'dc1',
      username: 'cassandra',
      password: ' spaced ',
      sslCertificate: '/tmp/ca.pem',
      sslOwnCertificate: '/tmp/client.pem',
      sslOwnKey: '/tmp/client.key',
      sslOwnKeyPass: 'pw',
    });
  });

  it('gives input the schema then checks and defaults', () => {
    const input = connectionFromEnv({
      CASSDL_CONTACT_POINTS: '127.0.0.1',
      CASSDL_SSL_CA: '/tmp/ca.pem',
    });
    expect(parse(input)).toMatchObject({ port: 9042, useSsl: true, sslCertificate: '/tmp/ca.pem' });
  });

  it('rejects a port that is not a number', () => {
    expect(
      linesOf(() => connectionFromEnv({ CASSDL_CONTACT_POINTS: 'h', CASSDL_PORT: '90x' })),
    ).toEqual(['CASSDL_PORT: expected port number 1-65535, received "90x" (string)']);
  });
});

describe('one line per missing field', () => {
  it('reports sslOwnKey once even when two fields need it', () => {
    expect(
      linesOf(() =>
        parse({ contactPoints: ['h'], sslOwnCertificate: 'c.pem', sslOwnKeyPass: 'pw' }),
      ),
    ).toEqual([
      'connection.sslOwnKey: expected a value because sslOwnCertificate is set, received nothing',
    ]);
  });
});
