import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import { type LocalCluster, startLocalCassandra } from '@cassdl/local-cassandra';
import { CassdlValidationError } from '@cassdl/schema';
import { createDataTable, runNativeTests } from '@cassdl/test-utils';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { probeNative } from '../engines/native.js';
import { CassdlConnectionError } from '../errors.js';
import { CassandraReader } from '../reader/reader.js';
import { checkBatch } from './helpers/batches.js';
import { testRows } from './helpers/dataset.js';

// One Cassandra with password auth and mandatory mutual TLS on 127.0.0.83; a
// plain TCP forwarder on 127.0.0.84 reaches it by an address its certificate
// does not list. Every secret is distinctive, so a leak cannot hide.
const ADDRESS = '127.0.0.83';
const PROXY_ADDRESS = '127.0.0.84';
const USERNAME = 'cassdl_security_reader';
const PASSWORD = 'pw-Zq7Rk3Vx9Lm2-do-not-print';
const WRONG_PASSWORD = 'pw-Wr0ngHx4Tb8-do-not-print';
const PASSPHRASE = 'pp-Nc5Yw8Jd1Fs6-do-not-print';
const WRONG_PASSPHRASE = 'pp-Wr0ngQe3Gu7-do-not-print';
const KEYSPACE = 'cassdl_core_security';
const TABLE = `${KEYSPACE}.data`;

const rows = testRows(60);
const byId = new Map(rows.map((r) => [r.id, r]));
const native = await probeNative();
const ENGINES = [
  { engine: 'driver', skip: false, tag: '[driver engine]' },
  {
    engine: 'native',
    skip: !runNativeTests(native),
    tag: native.available
      ? '[native engine]'
      : '[native engine; skipped: @cassdl/native-io does not load here]',
  },
] as const;

interface Material {
  caPem: string;
  certPem: string;
  /** The client key, PKCS#8 encrypted with PASSPHRASE. */
  keyPem: string;
  /** The same key unencrypted (never handed to cassdl; its body must not appear either). */
  plainKeyPem: string;
  otherCaPem: string;
}

let dir: string;
let cluster: LocalCluster;
let proxy: net.Server;
let m: Material;

/** Everything printed while this file runs: process warnings, console calls, stdout/stderr writes. */
const printed: string[] = [];
const onWarning = (w: Error) => printed.push(`${w.name}: ${w.message}\n${w.stack ?? ''}`);
const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) =>
  vi.spyOn(console, name),
);
const writes = { stdout: process.stdout.write, stderr: process.stderr.write };

function capture(stream: NodeJS.WriteStream, original: typeof process.stdout.write): void {
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
  }) as typeof process.stdout.write;
}

const run = promisify(execFile);

beforeAll(async () => {
  process.on('warning', onWarning);
  capture(process.stdout, writes.stdout);
  capture(process.stderr, writes.stderr);
  dir = await mkdtemp(join(tmpdir(), 'cassdl-security-'));
  cluster = await startLocalCassandra({
    address: ADDRESS,
    dir: join(dir, 'cluster'),
    auth: true,
    tls: true,
    requireClientAuth: true,
    heap: '512M',
  });
  const tls = cluster.tls as NonNullable<LocalCluster['tls']>;
  // Re-encrypt the generated client key under our own, distinctive passphrase.
  const key = createPrivateKey({
    key: await readFile(tls.clientKeyFile, 'utf8'),
    passphrase: tls.clientKeyPassphrase,
  });
  // A CA that signed nothing the server has.
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'other-ca.key'),
      '-out',
      join(dir, 'other-ca.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=cassdl unrelated CA',
    ],
    { cwd: dir },
  );
  m = {
    caPem: tls.caPem,
    certPem: await readFile(tls.clientCertFile, 'utf8'),
    keyPem: key.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: PASSPHRASE,
    }) as string,
    plainKeyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    otherCaPem: await readFile(join(dir, 'other-ca.pem'), 'utf8'),
  };
  await seed(cluster, tls);
  proxy = net.createServer((socket) => {
    const upstream = net.connect(cluster.port, ADDRESS);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(cluster.port, PROXY_ADDRESS, resolve);
  });
}, 240_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await cluster?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  process.off('warning', onWarning);
  process.stdout.write = writes.stdout;
  process.stderr.write = writes.stderr;
  for (const spy of consoleSpies) spy.mockRestore();
}, 60_000);

/** The table and a least-privilege role whose password is PASSWORD, as the superuser. */
async function seed(c: LocalCluster, tls: NonNullable<LocalCluster['tls']>): Promise<void> {
  const auth = c.auth as { username: string; password: string };
  const client = new cassandra.Client({
    contactPoints: c.contactPoints,
    localDataCenter: c.localDataCenter,
    protocolOptions: { port: c.port },
    authProvider: new cassandra.auth.PlainTextAuthProvider(auth.username, auth.password),
    sslOptions: {
      ca: [tls.caPem],
      cert: await readFile(tls.clientCertFile, 'utf8'),
      key: await readFile(tls.clientKeyFile, 'utf8'),
      passphrase: tls.clientKeyPassphrase,
      rejectUnauthorized: true,
    },
  });
  await client.connect();
  try {
    await createDataTable(client, KEYSPACE);
    await cassandra.concurrent.executeConcurrent(
      client,
      rows.map((r) => ({
        query: `INSERT INTO ${TABLE} (id, label, data) VALUES (?, ?, ?)`,
        params: [r.id, r.label, Buffer.from(r.data)],
      })),
      { concurrencyLevel: 16 },
    );
    await client.execute(
      `CREATE ROLE IF NOT EXISTS ${USERNAME} WITH PASSWORD = '${PASSWORD}' AND LOGIN = true`,
    );
    await client.execute(`GRANT SELECT ON KEYSPACE ${KEYSPACE} TO ${USERNAME}`);
  } finally {
    await client.shutdown();
  }
}

type Engine = (typeof ENGINES)[number]['engine'];
type Connection = Record<string, unknown>;

/** Reader options with auth and mutual TLS, all material inline; `connection` overrides fields. */
function secureOptions(engine: Engine, connection: Connection = {}) {
  return {
    connection: {
      contactPoints: cluster.contactPoints,
      port: cluster.port,
      localDataCenter: cluster.localDataCenter,
      connectTimeoutMs: 10_000,
      username: USERNAME,
      password: PASSWORD,
      sslCertificate: m.caPem,
      sslOwnCertificate: m.certPem,
      sslOwnKey: m.keyPem,
      sslOwnKeyPass: PASSPHRASE,
      ...connection,
    },
    table: TABLE,
    sourceUuids: rows.map((r) => r.id),
    batchSize: 16,
    engine,
  };
}

function openFails(options: Parameters<typeof CassandraReader.open>[0]): Promise<unknown> {
  return CassandraReader.open(options).then(
    async (reader) => {
      await reader.close();
      throw new Error('expected CassandraReader.open to fail, but it opened');
    },
    (error: unknown) => error,
  );
}

/** Every way a user can look at an error: message, stack, console rendering with causes, JSON. */
function renderings(error: unknown): string[] {
  const e = error as Error & { issues?: unknown; hosts?: unknown };
  return [
    String(e),
    e.message,
    e.stack ?? '',
    inspect(e, { depth: 10 }),
    inspect(e, { depth: 10, showHidden: true }),
    JSON.stringify(e),
    JSON.stringify(e.issues ?? null),
    JSON.stringify(e.hosts ?? null),
  ];
}

/** The secrets in play, by name: passwords, passphrases, and each base64 line of the key. */
function secrets(): Map<string, string> {
  const found = new Map<string, string>([
    ['password', PASSWORD],
    ['wrong password', WRONG_PASSWORD],
    ['passphrase', PASSPHRASE],
    ['wrong passphrase', WRONG_PASSPHRASE],
  ]);
  for (const [name, pem] of [
    ['encrypted key', m.keyPem],
    ['plain key', m.plainKeyPem],
  ] as const) {
    for (const [i, line] of keyLines(pem).entries()) found.set(`${name} line ${i + 1}`, line);
  }
  return found;
}

/** The base64 lines of a PEM block, without its BEGIN/END lines. */
function keyLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
}

/** `where: secret` for each secret that appears in a text; [] when none does. */
function leaks(texts: Readonly<Record<string, readonly string[]>>): string[] {
  const out: string[] = [];
  for (const [where, list] of Object.entries(texts)) {
    for (const [name, secret] of secrets()) {
      if (list.some((text) => text.includes(secret))) out.push(`${where}: ${name}`);
    }
  }
  return out;
}

async function readAll(reader: CassandraReader): Promise<number> {
  let n = 0;
  for await (const batch of reader.epoch()) n += checkBatch(batch, byId).length - batch.padding;
  return n;
}

describe('TLS verification, credentials and secrets (auth + mutual TLS on 127.0.0.83)', () => {
  for (const { engine, skip, tag } of ENGINES) {
    it.skipIf(skip)(
      `reads with password auth and mutual TLS, key encrypted and given inline as PEM ${tag}`,
      async () => {
        const reader = await CassandraReader.open(secureOptions(engine), {
          metricsIntervalMs: 20,
        });
        try {
          expect(reader.engineKind).toBe(engine);
          expect(await readAll(reader)).toBe(rows.length);
          const event = await new Promise((resolve) => reader.on('metrics', resolve));
          const connection = reader.options.connection;
          expect(connection.password).toBe('<redacted>');
          expect(connection.sslOwnKeyPass).toBe('<redacted>');
          expect(connection.sslOwnKey).toBe('<redacted>');
          expect(
            leaks({
              'metrics()': [JSON.stringify(reader.metrics())],
              "'metrics' event": [JSON.stringify(event)],
              'state()': [JSON.stringify(reader.state())],
              options: [JSON.stringify(reader.options), inspect(reader.options, { depth: 10 })],
              'the reader object': [inspect(reader, { depth: 10, showHidden: true })],
            }),
          ).toEqual([]);
        } finally {
          await reader.close();
        }
      },
      90_000,
    );

    // The control plane connects (and verifies the server) before any engine
    // opens; both engines are run so that stays true.
    it.skipIf(skip)(
      `verifies the server's host name by default: an address not in its certificate fails with a TLS error naming it ${tag}`,
      async () => {
        const error = await openFails(secureOptions(engine, { contactPoints: [PROXY_ADDRESS] }));
        expect(error).toBeInstanceOf(CassdlConnectionError);
        const e = error as CassdlConnectionError;
        expect(e.failure).toBe('tls');
        expect(e.code).toBe('ERR_CASSDL_TLS');
        expect(e.message).toContain(`${PROXY_ADDRESS}:${cluster.port}`);
        expect(e.message).toMatch(/does not match certificate's altnames/);
        expect(e.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
        expect(e.message).toMatch(/certificate does not name the host[\s\S]*sslServerName/);
        expect(e.message).not.toMatch(/\bat .*\(node:/); // no stack trace pasted into the message
        expect(leaks({ 'host name error': renderings(error) })).toEqual([]);
      },
      60_000,
    );

    it.skipIf(skip)(
      `reads through the same forwarder when sslServerName is a name the certificate lists ${tag}`,
      async () => {
        const reader = await CassandraReader.open(
          secureOptions(engine, { contactPoints: [PROXY_ADDRESS], sslServerName: 'localhost' }),
        );
        try {
          expect(reader.engineKind).toBe(engine);
          expect(await readAll(reader)).toBe(rows.length);
        } finally {
          await reader.close();
        }
      },
      90_000,
    );

    it.skipIf(skip)(
      `refuses a server certificate that the given CA did not sign ${tag}`,
      async () => {
        const error = await openFails(secureOptions(engine, { sslCertificate: m.otherCaPem }));
        expect(error).toBeInstanceOf(CassdlConnectionError);
        const e = error as CassdlConnectionError;
        expect(e.failure).toBe('tls');
        expect(e.message).toMatch(/self-signed certificate in certificate chain|unable to verify/);
        expect(e.message).toMatch(/not signed by a trusted CA[\s\S]*sslCertificate/);
        expect(leaks({ 'wrong CA error': renderings(error) })).toEqual([]);
      },
      60_000,
    );

    it.skipIf(skip)(
      `a plaintext client to the TLS-only server fails at once, saying the server may require TLS ${tag}`,
      async () => {
        // Timeouts far beyond the test's own: only a prompt failure passes.
        const error = await openFails({
          ...secureOptions(engine),
          connection: {
            contactPoints: cluster.contactPoints,
            port: cluster.port,
            localDataCenter: cluster.localDataCenter,
            username: USERNAME,
            password: PASSWORD,
            connectTimeoutMs: 3_600_000,
            requestTimeoutMs: 3_600_000,
          },
        });
        expect(error).toBeInstanceOf(CassdlConnectionError);
        const e = error as CassdlConnectionError;
        expect(e.failure).toBe('connect');
        expect(e.hosts.map((h) => h.host)).toEqual([`${ADDRESS}:${cluster.port}`]);
        expect(e.message).toMatch(/may require TLS \(set useSsl: true/);
        expect(e.message).not.toMatch(/time(d)? ?out/i);
        expect(leaks({ 'plaintext error': renderings(error) })).toEqual([]);
      },
      30_000,
    );
  }

  it('says a wrong or missing key passphrase is the problem, without echoing it', async () => {
    for (const sslOwnKeyPass of [WRONG_PASSPHRASE, undefined]) {
      const options = secureOptions('driver', { sslOwnKeyPass });
      const error = await openFails(options);
      expect(error).toBeInstanceOf(CassdlConnectionError);
      const e = error as CassdlConnectionError;
      expect(e.failure).toBe('tls');
      expect(e.message).toMatch(/client key \(sslOwnKey\) cannot be decrypted/);
      expect(e.message).toContain('sslOwnKeyPass is wrong or missing');
      expect(leaks({ [`passphrase ${sslOwnKeyPass ?? 'missing'}`]: renderings(error) })).toEqual(
        [],
      );
    }
  }, 60_000);

  it('never shows the password, the passphrase or the private key in the errors of failed opens', async () => {
    const failures: Record<string, unknown> = {};
    failures['wrong password'] = await openFails(
      secureOptions('driver', { password: WRONG_PASSWORD }),
    );
    expect(failures['wrong password']).toMatchObject({ failure: 'auth' });
    expect((failures['wrong password'] as Error).message).toMatch(/password are incorrect/);

    // DALI-style top-level secrets beside a bad option, and secrets under misspelled names.
    const { connection, ...rest } = secureOptions('driver');
    const { password: _p, sslOwnKey: _k, sslOwnKeyPass: _pp, ...plain } = connection;
    failures['bad option beside top-level secrets'] = await openFails({
      ...rest,
      connection: plain,
      password: PASSWORD,
      sslOwnKey: m.keyPem,
      sslOwnKeyPass: PASSPHRASE,
      batchSize: 0,
    } as never);
    failures['misspelled secret options'] = await openFails(
      secureOptions('driver', {
        password: undefined,
        pasword: PASSWORD,
        sslOwnKeyPass: undefined,
        sslOwnKeyPassword: PASSPHRASE,
      }),
    );
    const cut = m.keyPem.slice(0, m.keyPem.indexOf('-----END'));
    failures['truncated key PEM'] = await openFails(secureOptions('driver', { sslOwnKey: cut }));
    failures['key PEM pasted as the CA, truncated'] = await openFails(
      secureOptions('driver', { sslCertificate: cut }),
    );
    failures['password without username'] = await openFails(
      secureOptions('driver', { username: undefined }),
    );
    for (const name of [
      'bad option beside top-level secrets',
      'misspelled secret options',
      'truncated key PEM',
      'key PEM pasted as the CA, truncated',
      'password without username',
    ]) {
      expect(failures[name], name).toBeInstanceOf(CassdlValidationError);
    }
    expect((failures['misspelled secret options'] as Error).message).toContain(
      'unknown option "pasword" (did you mean "password"?)',
    );

    // A key body without its PEM lines is taken for a file path, and cannot be read.
    const body = keyLines(m.keyPem).join('');
    failures['bare base64 key body'] = await openFails(
      secureOptions('driver', { sslOwnKey: body }),
    );
    expect(failures['bare base64 key body']).toBeInstanceOf(CassdlConnectionError);
    expect((failures['bare base64 key body'] as Error).message).toMatch(
      /sslOwnKey: cannot read the key file \((ENOENT|ENAMETOOLONG)\)/,
    );

    const seen = Object.fromEntries(
      Object.entries(failures).map(([name, error]) => [name, renderings(error)]),
    );
    expect(leaks(seen)).toEqual([]);
  }, 60_000);

  it('printed nothing secret while this file ran (warnings, console, stdout, stderr)', () => {
    const logged = consoleSpies.flatMap((spy) =>
      spy.mock.calls.map((args) => args.map((a) => inspect(a, { depth: 10 })).join(' ')),
    );
    expect(leaks({ printed, console: logged })).toEqual([]);
  });
});
