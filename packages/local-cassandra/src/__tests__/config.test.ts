import { describe, expect, it } from 'vitest';
import { nodeAddresses } from '../config/addresses.js';
import { clusterNameFor } from '../config/cluster-name.js';
import { isHeapSize, jvmArgs } from '../config/jvm-args.js';
import { logbackXml } from '../config/logback.js';
import { evenTokens } from '../config/tokens.js';
import { type NodeYamlInput, nodeYaml } from '../config/yaml.js';

const baseYaml: NodeYamlInput = {
  clusterName: 'cassdl-abc',
  address: '127.0.0.21',
  seed: '127.0.0.21',
  port: 9042,
  storagePort: 7000,
  requestThreads: 8,
  initialToken: null,
  dataDir: '/tmp/c/node1/data',
  commitlogDir: '/tmp/c/node1/commitlog',
  savedCachesDir: '/tmp/c/node1/saved_caches',
  hintsDir: '/tmp/c/node1/hints',
  auth: false,
  tls: null,
};

/** Top-level `key: value` pairs of the generated yaml (enough for these flat checks). */
function topLevel(yaml: string): Map<string, string> {
  const entries = yaml
    .split('\n')
    .filter((l) => /^[a-z_]+:/.test(l))
    .map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
    });
  return new Map(entries);
}

describe('nodeYaml', () => {
  it('sets the unique cluster name, addresses, ports and seed', () => {
    const yaml = nodeYaml(baseYaml);
    const keys = topLevel(yaml);
    expect(keys.get('cluster_name')).toBe('"cassdl-abc"');
    expect(keys.get('listen_address')).toBe('127.0.0.21');
    expect(keys.get('rpc_address')).toBe('127.0.0.21');
    expect(keys.get('native_transport_port')).toBe('9042');
    expect(keys.get('storage_port')).toBe('7000');
    expect(keys.get('native_transport_max_threads')).toBe('8');
    expect(keys.get('endpoint_snitch')).toBe('SimpleSnitch');
    expect(yaml).toContain('- seeds: "127.0.0.21:7000"');
    expect(keys.has('initial_token')).toBe(false);
    expect(keys.has('client_encryption_options')).toBe(false);
  });

  it('writes initial_token only when given', () => {
    const keys = topLevel(nodeYaml({ ...baseYaml, initialToken: '-3074457345618258603' }));
    expect(keys.get('initial_token')).toBe('"-3074457345618258603"');
    expect(keys.get('auto_bootstrap')).toBe('false');
  });

  it('switches authenticator and authorizer with auth', () => {
    expect(topLevel(nodeYaml(baseYaml)).get('authenticator')).toBe('AllowAllAuthenticator');
    const keys = topLevel(nodeYaml({ ...baseYaml, auth: true }));
    expect(keys.get('authenticator')).toBe('PasswordAuthenticator');
    expect(keys.get('authorizer')).toBe('CassandraAuthorizer');
  });

  it('enables mandatory client encryption with a PKCS12 keystore', () => {
    const tls = {
      keystore: '/k.p12',
      keystorePassword: 'pw#1',
      truststore: '/t.p12',
      truststorePassword: 'pw2',
      requireClientAuth: false,
    };
    const yaml = nodeYaml({ ...baseYaml, tls });
    expect(yaml).toContain('client_encryption_options:\n  enabled: true\n  optional: false\n');
    expect(yaml).toContain('  keystore_password: "pw#1"');
    expect(yaml).toContain('  require_client_auth: false');
    expect(yaml).toContain('  store_type: PKCS12');
    expect(yaml).not.toContain('accepted_protocols');
    const mutual = nodeYaml({ ...baseYaml, tls: { ...tls, requireClientAuth: true } });
    expect(mutual).toContain('  require_client_auth: true');
    expect(mutual).toContain('  accepted_protocols:\n    - TLSv1.2');
  });

  it('quotes paths so YAML special characters survive', () => {
    const yaml = nodeYaml({ ...baseYaml, dataDir: '/tmp/a: b #c' });
    expect(yaml).toContain('  - "/tmp/a: b #c"');
  });
});

describe('jvmArgs', () => {
  const input = {
    libDir: '/cache/lib',
    jammJar: '/cache/lib/jamm-0.4.0.jar',
    heap: '512M',
    yamlFile: '/tmp/c d/node1/cassandra.yaml',
    logbackFile: '/tmp/c/node1/logback.xml',
    storageDir: '/tmp/c/node1',
    logDir: '/tmp/c/node1/logs',
    ringDelayMs: null,
  };

  it('gives heap, agent, config URL and main class last', () => {
    const args = jvmArgs(input);
    expect(args).toContain('-Xms512M');
    expect(args).toContain('-Xmx512M');
    expect(args).toContain('-javaagent:/cache/lib/jamm-0.4.0.jar');
    expect(args).toContain('-Dcassandra.config=file:///tmp/c%20d/node1/cassandra.yaml');
    expect(args.slice(-3)).toEqual([
      '-cp',
      '/cache/lib/*',
      'org.apache.cassandra.service.CassandraDaemon',
    ]);
    expect(args.some((a) => a.startsWith('-Dcassandra.ring_delay_ms'))).toBe(false);
  });

  it('opens the JDK 17 modules Cassandra needs', () => {
    const args = jvmArgs(input);
    expect(args).toContain('--add-opens=java.base/sun.nio.ch=ALL-UNNAMED');
    expect(args).toContain('--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED');
    expect(args.filter((a) => a.startsWith('--add-opens=')).length).toBe(15);
    expect(args.filter((a) => a.startsWith('--add-exports=')).length).toBe(10);
  });

  it('shortens the ring delay for multi-node clusters', () => {
    expect(jvmArgs({ ...input, ringDelayMs: 1000 })).toContain('-Dcassandra.ring_delay_ms=1000');
  });

  it('accepts JVM sizes only', () => {
    expect(isHeapSize('1G')).toBe(true);
    expect(isHeapSize('512m')).toBe(true);
    expect(isHeapSize('1.5G')).toBe(false);
    expect(isHeapSize('0G')).toBe(false);
    expect(isHeapSize('1024')).toBe(false);
  });
});

describe('evenTokens', () => {
  it('spaces tokens evenly over the Murmur3 ring', () => {
    const tokens = evenTokens(3).map(BigInt);
    expect(tokens[0]).toBe(-(2n ** 63n));
    const step = 2n ** 64n / 3n;
    expect(tokens).toEqual([-(2n ** 63n), -(2n ** 63n) + step, -(2n ** 63n) + 2n * step]);
    for (const t of tokens) expect(t < 2n ** 63n).toBe(true);
  });

  it('gives one token for one node', () => {
    expect(evenTokens(1)).toEqual([(-(2n ** 63n)).toString()]);
  });
});

describe('clusterNameFor', () => {
  it('is stable for the same cluster and differs across address, port or folder', () => {
    const a = clusterNameFor('127.0.0.1', 9042, '/x');
    expect(clusterNameFor('127.0.0.1', 9042, '/x')).toBe(a);
    expect(a).toMatch(/^cassdl-[0-9a-f]{12}$/);
    const others = [
      clusterNameFor('127.0.0.2', 9042, '/x'),
      clusterNameFor('127.0.0.1', 9043, '/x'),
      clusterNameFor('127.0.0.1', 9042, '/y'),
    ];
    expect(new Set([a, ...others]).size).toBe(4);
  });
});

describe('nodeAddresses', () => {
  it('counts up from the first address', () => {
    expect(nodeAddresses('127.0.0.31', 3)).toEqual(['127.0.0.31', '127.0.0.32', '127.0.0.33']);
    expect(nodeAddresses('127.0.0.1', 1)).toEqual(['127.0.0.1']);
  });

  it('rejects non-IPv4 addresses and overflowing ranges, naming the option', () => {
    expect(() => nodeAddresses('localhost', 1)).toThrow(/^address: expected an IPv4 address/);
    expect(() => nodeAddresses('127.0.0.253', 3)).toThrow(
      /address: expected an address whose last byte/,
    );
  });
});

describe('logbackXml', () => {
  it('logs to the given file with XML escaping', () => {
    const xml = logbackXml('/tmp/a&b/system.log');
    expect(xml).toContain('<file>/tmp/a&amp;b/system.log</file>');
    expect(xml).toContain('<root level="INFO">');
  });
});
