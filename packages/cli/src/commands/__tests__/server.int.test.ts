import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalCluster } from '@cassdl/local-cassandra';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../../program.js';
import type { CliIo } from '../../ui/io.js';
import {
  clusterJson,
  describeCluster,
  NOT_RUNNING_EXIT_CODE,
  parseNodes,
  parseThreads,
  startOptionsFromFlags,
} from '../server.js';

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    errIsTty: false,
    env: {},
  };
}

const cluster: LocalCluster = {
  contactPoints: ['127.0.0.21'],
  port: 9042,
  localDataCenter: 'datacenter1',
  nodes: [{ address: '127.0.0.21', pid: 42, dir: '/c/node1', logFile: '/c/node1/logs/system.log' }],
  dir: '/c',
  clusterName: 'cassdl-x',
  version: '5.0.8',
  auth: { username: 'cassandra', password: 'cassandra' },
  tls: {
    caPem: 'PEM',
    caFile: '/c/tls/ca.pem',
    serverCertFile: '/c/tls/server.pem',
    clientCertFile: '/c/tls/client.pem',
    clientKeyFile: '/c/tls/client.key',
    clientKeyPassphrase: 'pp',
    requireClientAuth: false,
    keystoreFile: '/c/tls/keystore.p12',
    keystorePassword: 'secret-k',
    truststoreFile: '/c/tls/truststore.p12',
    truststorePassword: 'secret-t',
  },
  reused: false,
  stop: async () => {},
};

describe('cassdl server flags', () => {
  it('accepts 1 or 3 nodes only', () => {
    expect(parseNodes('3')).toBe(3);
    expect(() => parseNodes('2')).toThrow('expected 1 or 3.');
  });

  it('accepts a whole number of request threads from 1 to 1024', () => {
    expect(parseThreads('16')).toBe(16);
    expect(() => parseThreads('0')).toThrow('expected an integer from 1 to 1024.');
    expect(() => parseThreads('2.5')).toThrow('expected an integer from 1 to 1024.');
  });

  it('maps flags to library options, --mtls implying --tls', () => {
    const options = startOptionsFromFlags(
      { mtls: true, heap: '512M', requestThreads: 16, timeout: 30, port: 19042 },
      captureIo(),
    );
    expect(options).toMatchObject({
      tls: true,
      requireClientAuth: true,
      auth: false,
      heap: '512M',
      requestThreads: 16,
      readyTimeoutMs: 30_000,
      port: 19042,
    });
    expect('dir' in options).toBe(false);
  });
});

describe('cassdl server output', () => {
  it('prints contact points, credentials and PEM paths', () => {
    const text = describeCluster(cluster);
    expect(text).toContain('127.0.0.21:9042');
    expect(text).toContain('cassandra / cassandra');
    expect(text).toContain('/c/tls/ca.pem');
    expect(text).toContain('/c/tls/client.key (passphrase pp)');
    expect(text).toContain('CASSDL_CONTACT_POINTS=127.0.0.21');
  });

  it('leaves server-side store passwords out of --json', () => {
    const json = JSON.stringify(clusterJson(cluster));
    expect(json).toContain('"caFile":"/c/tls/ca.pem"');
    expect(json).not.toContain('secret-k');
    expect(json).not.toContain('secret-t');
  });
});

describe('cassdl server status', () => {
  let dir: string | null = null;

  afterEach(async () => {
    process.exitCode = undefined;
    if (dir !== null) await rm(dir, { recursive: true, force: true });
  });

  it(`says nothing runs and exits ${NOT_RUNNING_EXIT_CODE} for an empty folder`, async () => {
    dir = await mkdtemp(join(tmpdir(), 'cassdl-cli-status-'));
    const io = captureIo();
    await buildProgram(io).parseAsync([
      'node',
      'cassdl',
      'server',
      'status',
      '--dir',
      dir,
      '--json',
    ]);
    expect(JSON.parse(io.stdout.join(''))).toMatchObject({ dir, exists: false, running: false });
    expect(process.exitCode).toBe(NOT_RUNNING_EXIT_CODE);
  });

  it('turns a library error into one line and exit status 1', async () => {
    const io = captureIo();
    await buildProgram(io).parseAsync(['node', 'cassdl', 'server', 'start', '--heap', '1GB']);
    expect(io.stderr.join('')).toBe(
      'cassdl server start: heap: expected a JVM size such as 1G or 512M, received "1GB" (string)\n',
    );
    expect(process.exitCode).toBe(1);
  });
});
