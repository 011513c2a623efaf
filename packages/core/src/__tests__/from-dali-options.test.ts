import { parseReaderOptions } from '@cassdl/schema';
import { describe, expect, it } from 'vitest';
import { fromDaliOptions } from '../compat/from-dali-options.js';

const quiet = { onNotice: () => {} };

describe('fromDaliOptions', () => {
  it("keeps the plugin's defaults where cassdl's differ, and says so", () => {
    const { options, notices } = fromDaliOptions(
      {
        cassandra_ips: ['10.0.0.1'],
        table: 'ks.data',
        source_uuids: ['00000000-0000-4000-8000-000000000001'],
      },
      quiet,
    );
    expect(options).toMatchObject({ shuffleEveryEpoch: false, loopForever: true });
    expect(notices).toContain(
      "shuffle_every_epoch not given: false, the plugin's default (cassdl's own default is true)",
    );
    const parsed = parseReaderOptions(options);
    expect(parsed.connection.contactPoints).toEqual(['10.0.0.1']);
    expect(parsed.loopForever).toBe(true);
  });

  it('treats "" and None as unset, maps image labels, bundles and prefetch 0', () => {
    const { options, notices } = fromDaliOptions(
      {
        cloud_config: 'bundle.zip',
        username: 'u',
        password: 'p',
        ssl_certificate: '',
        ssl_own_key: null,
        table: 'ks.data',
        label_type: 'image',
        prefetch_buffers: 0,
        shuffle_every_epoch: true,
        loop_forever: false,
      },
      quiet,
    );
    expect(options).toMatchObject({
      connection: { cloudConfig: { secureConnectBundle: 'bundle.zip' }, username: 'u' },
      labelType: 'blob',
      prefetchBuffers: 1,
      shuffleEveryEpoch: true,
      loopForever: false,
    });
    expect(options.connection).not.toHaveProperty('sslCertificate');
    expect(notices.some((n) => n.startsWith('prefetch_buffers: 0 becomes 1'))).toBe(true);
  });

  it('maps the four thread knobs in one notice and keeps TLS verification on', () => {
    const { options, notices } = fromDaliOptions(
      {
        cassandra_ips: ['h'],
        table: 'ks.data',
        use_ssl: true,
        io_threads: 300,
        comm_threads: 1,
        copy_threads: 4,
        wait_threads: 2,
      },
      quiet,
    );
    expect(options.connectionsPerHost).toBe(256);
    expect(notices.filter((n) => n.includes('threads'))).toHaveLength(1);
    expect(notices.find((n) => n.startsWith('use_ssl without ssl_certificate'))).toContain(
      'pin it with ssl_certificate',
    );
    expect(parseReaderOptions(options).connection.sslRejectUnauthorized).toBe(true);
  });

  it("leaves unknown names for the reader's validation, which suggests the cassdl name", () => {
    const { options } = fromDaliOptions(
      { cassandra_ips: ['h'], table: 'ks.data', shufle: true },
      quiet,
    );
    expect(() => parseReaderOptions(options)).toThrow(/shufle/);
  });
});
