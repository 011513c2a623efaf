import { describe, expect, it } from 'vitest';
import {
  dataTableOf,
  formatUuid,
  parseReaderOptions,
  type SplitFileInput,
  splitFileSchema,
} from '../index.js';
import { issuesOf, linesOf, UUID_A, UUID_B } from './helpers.js';

const base = { table: 'imagenette.data', connection: { contactPoints: ['127.0.0.1'] } };
const lines = (extra: object) => linesOf(() => parseReaderOptions({ ...base, ...extra }));

const splitInput: SplitFileInput = {
  version: 1,
  keyspace: 'imagenette',
  dataTable: 'data',
  metadataTable: 'metadata',
  splits: { train: [UUID_A], val: [UUID_B] },
};

describe('reader option defaults', () => {
  it('documents every default in one parse', () => {
    const { connection, ...rest } = parseReaderOptions(base);
    expect(rest).toEqual({
      table: 'imagenette.data',
      idCol: 'id',
      dataCol: 'data',
      labelCol: 'label',
      labelType: 'int',
      batchSize: 128,
      prefetchBuffers: 'auto',
      inflight: 'auto',
      memoryBudget: 'auto',
      connectionsPerHost: 'auto',
      shardId: 0,
      numShards: 1,
      shuffleEveryEpoch: true,
      seed: 0,
      epochs: 1,
      loopForever: false,
      ooo: false,
      slowStart: 0,
      padLastBatch: true,
      onMissing: 'error',
      engine: 'auto',
      retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 2000 },
      requestTimeoutMs: 12000,
      consistency: 'LOCAL_ONE',
    });
    expect(connection).toMatchObject({
      contactPoints: ['127.0.0.1'],
      port: 9042,
    });
    expect(connection.localDataCenter).toBeUndefined();
  });

  it('keeps given values and fills the rest of retry', () => {
    const options = parseReaderOptions({
      ...base,
      batchSize: 64,
      seed: 0xffff_ffff,
      retry: { maxAttempts: 2 },
      engine: 'driver',
    });
    expect(options).toMatchObject({ batchSize: 64, seed: 4294967295, engine: 'driver' });
    expect(options.retry).toEqual({ maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 2000 });
  });
});

describe('reader field errors', () => {
  it('reports every bad field, with its path, expectation and value', () => {
    expect(
      lines({
        numShards: -1,
        batchSize: 0,
        prefetchBuffers: 1.5,
        inflight: 0,
        labelType: 'float',
        seed: -1,
        epochs: 0,
        slowStart: -2,
        onMissing: 'warn',
        consistency: 'TWO',
      }),
    ).toEqual([
      'reader.labelType: expected one of "int", "blob", "none", received "float" (string)',
      'reader.batchSize: expected integer from 1 to 1048576, received 0 (number)',
      'reader.prefetchBuffers: expected "auto" or integer from 1 to 65536, received 1.5 (number)',
      'reader.inflight: expected integer from 1 to 1048576, received 0 (number)',
      'reader.numShards: expected integer >= 1, received -1 (number)',
      'reader.seed: expected integer from 0 to 4294967295, received -1 (number)',
      'reader.epochs: expected integer >= 1, received 0 (number)',
      'reader.slowStart: expected integer >= 0, received -2 (number)',
      'reader.onMissing: expected one of "error", "skip", received "warn" (string)',
      'reader.consistency: expected one of "LOCAL_ONE", "ONE", "LOCAL_QUORUM", "QUORUM", "ALL", received "TWO" (string)',
    ]);
  });

  it("takes memoryBudget as bytes or a size string, 'auto' by default", () => {
    const budget = (memoryBudget: unknown) =>
      parseReaderOptions({ ...base, memoryBudget }).memoryBudget;
    expect(budget('512MiB')).toBe(512 * 2 ** 20);
    expect(budget('1.5 GB')).toBe(1.5e9);
    expect(budget('2gib')).toBe(2 * 2 ** 30);
    expect(budget(64 * 2 ** 20)).toBe(64 * 2 ** 20);
    expect(lines({ memoryBudget: '12 parsecs' })).toEqual([
      `reader.memoryBudget: expected "auto" or bytes >= 1048576 (an integer, or a size such as '512MiB', '2GB'), received "12 parsecs" (string)`,
    ]);
    expect(lines({ memoryBudget: 1000 })[0]).toContain('bytes >= 1048576');
    expect(lines({ memoryBudget: true })[0]).toContain('received true (boolean)');
  });

  it("takes inflight and prefetchBuffers as 'auto' or a number (an upper bound)", () => {
    const o = parseReaderOptions({ ...base, inflight: 4096, prefetchBuffers: 'auto' });
    expect([o.inflight, o.prefetchBuffers]).toEqual([4096, 'auto']);
    expect(lines({ inflight: 'lots' })).toEqual([
      'reader.inflight: expected "auto" or integer from 1 to 1048576, received "lots" (string)',
    ]);
  });

  it("takes connectionsPerHost as 'auto' (each engine's own) or 1 to 256", () => {
    expect(parseReaderOptions({ ...base, connectionsPerHost: 16 }).connectionsPerHost).toBe(16);
    expect(lines({ connectionsPerHost: 0 })).toEqual([
      'reader.connectionsPerHost: expected integer from 1 to 256, received 0 (number)',
    ]);
  });

  it('requires the table as keyspace.table', () => {
    expect(linesOf(() => parseReaderOptions({ connection: base.connection }))).toEqual([
      'reader.table: expected string, received nothing',
    ]);
    expect(lines({ table: 'data' })[0]).toBe(
      'reader.table: expected table as "keyspace.table" (letters, digits, underscores; up to 48 each), received "data" (string)',
    );
  });

  it('rejects a non-object with one line', () => {
    expect(linesOf(() => parseReaderOptions('ks.t'))).toEqual([
      'reader: expected object, received "ks.t" (string)',
    ]);
  });
});

describe('cassandra-dali-plugin names', () => {
  it('points each snake_case option at its camelCase name', () => {
    const dali = {
      prefetch_buffers: 'prefetchBuffers',
      shard_id: 'shardId',
      num_shards: 'numShards',
      source_uuids: 'sourceUuids',
      label_type: 'labelType',
      id_col: 'idCol',
      data_col: 'dataCol',
      label_col: 'labelCol',
      shuffle_every_epoch: 'shuffleEveryEpoch',
      loop_forever: 'loopForever',
      slow_start: 'slowStart',
      use_ssl: 'useSsl',
      ssl_certificate: 'sslCertificate',
      ssl_own_certificate: 'sslOwnCertificate',
      ssl_own_key_pass: 'sslOwnKeyPass',
      cloud_config: 'cloudConfig',
      pad_last_batch: 'padLastBatch',
      max_batch_size: 'batchSize',
      cassandra_ips: 'connection.contactPoints',
      cassandra_port: 'connection.port',
    };
    for (const [snake, camel] of Object.entries(dali)) {
      expect(lines({ [snake]: 1 }), snake).toEqual([
        `reader.${snake}: unknown option "${snake}" (did you mean "${camel}"?)`,
      ]);
    }
  });

  it('maps the thread-count knobs to connectionsPerHost and inflight', () => {
    expect(lines({ io_threads: 4, comm_threads: 2, copy_threads: 2 })).toEqual([
      'reader.io_threads: unknown option "io_threads" (cassandra-dali-plugin thread counts map to "connectionsPerHost" and "inflight")',
      'reader.comm_threads: unknown option "comm_threads" (cassandra-dali-plugin thread counts map to "connectionsPerHost" and "inflight")',
      'reader.copy_threads: unknown option "copy_threads" (cassandra-dali-plugin thread counts map to "connectionsPerHost" and "inflight")',
    ]);
  });

  it('accepts DALI-style top-level connection options and merges them into connection', () => {
    const options = parseReaderOptions({
      ...base,
      username: 'u',
      password: 'p',
      useSsl: true,
      sslCertificate: 'ca.pem',
    });
    expect(options.connection).toMatchObject({
      username: 'u',
      password: 'p',
      useSsl: true,
      sslCertificate: 'ca.pem',
    });
    expect(options).not.toHaveProperty('username');
    expect(options).not.toHaveProperty('password');
  });

  it('builds the connection from a top-level cloudConfig alone', () => {
    const options = parseReaderOptions({
      table: 'ks.t',
      cloudConfig: { secureConnectBundle: 'b.zip' },
    });
    expect(options.connection).toMatchObject({
      contactPoints: [],
      cloudConfig: { secureConnectBundle: 'b.zip' },
      port: 9042,
    });
  });

  it('points connection rules at where the user wrote the field', () => {
    expect(lines({ username: 'u' })).toEqual([
      'reader.password: expected a value because username is set, received nothing',
    ]);
    expect(lines({ connection: { contactPoints: ['h'], username: 'u' } })).toEqual([
      'reader.connection.password: expected a value because username is set, received nothing',
    ]);
  });

  it('rejects the same option given differently in both places, redacting secrets', () => {
    const [issue] = issuesOf(() =>
      parseReaderOptions({
        ...base,
        connection: { contactPoints: ['h'], username: 'u', password: 'a' },
        username: 'u',
        password: 'b',
      }),
    );
    expect(issue).toMatchObject({
      path: 'reader.password',
      expected: 'the same value as connection.password (given in both places)',
      received: '<redacted>',
    });
  });
});

describe('id sources', () => {
  it('packs sourceUuids strings into 16 bytes per id', () => {
    const options = parseReaderOptions({ ...base, sourceUuids: [UUID_A, UUID_B.toUpperCase()] });
    expect(options.sourceUuids).toBeInstanceOf(Uint8Array);
    expect(options.sourceUuids).toHaveLength(32);
    expect(formatUuid(options.sourceUuids ?? new Uint8Array(), 16)).toBe(UUID_B);
  });

  it('takes packed ids as they are', () => {
    const packed = new Uint8Array(48);
    expect(parseReaderOptions({ ...base, sourceUuids: packed }).sourceUuids).toBe(packed);
  });

  it('reports every bad id by index, a ragged byte array and an empty list', () => {
    expect(lines({ sourceUuids: ['nope', UUID_A, 'x'] })).toEqual([
      'reader.sourceUuids[0]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "nope" (string)',
      'reader.sourceUuids[2]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "x" (string)',
    ]);
    expect(lines({ sourceUuids: new Uint8Array(17) })).toEqual([
      'reader.sourceUuids: expected Uint8Array of 16 bytes per id, received Uint8Array of 17 bytes',
    ]);
    expect(lines({ sourceUuids: [] })).toEqual([
      'reader.sourceUuids: expected at least one id, received array of 0 items',
    ]);
  });

  it('lists a hundred bad ids and counts the rest', () => {
    const result = lines({ sourceUuids: Array.from({ length: 250 }, (_, i) => `bad-${i}`) });
    expect(result).toHaveLength(101);
    expect(result[99]).toBe(
      'reader.sourceUuids[99]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "bad-99" (string)',
    );
    expect(result[100]).toBe('reader.sourceUuids: … and 150 more ids that are not UUIDs');
  });

  it('takes a split file path or object with a split name', () => {
    expect(
      parseReaderOptions({ ...base, splitFile: 'imagenette.split.json', splitName: 'train' })
        .splitFile,
    ).toBe('imagenette.split.json');
    const options = parseReaderOptions({ ...base, splitFile: splitInput, splitName: 'val' });
    expect(options.splitFile).toEqual(splitFileSchema.parse(splitInput));
  });

  it('needs splitFile and splitName together', () => {
    expect(lines({ splitFile: 'a.json' })).toEqual([
      'reader.splitName: expected a split name because splitFile is set, received nothing',
    ]);
    expect(lines({ splitFile: splitInput })).toEqual([
      'reader.splitName: expected a split name because splitFile is set ("train", "val"), received nothing',
    ]);
    expect(lines({ splitName: 'train' })).toEqual([
      'reader.splitFile: expected a split file because splitName is set, received nothing',
    ]);
  });

  it("rejects two id sources, an unknown split and a table that is not the split file's", () => {
    expect(lines({ sourceUuids: [UUID_A], splitFile: 'a.json', splitName: 'train' })).toEqual([
      'reader.splitFile: expected no splitFile when sourceUuids is given (one id source), received "a.json" (string)',
    ]);
    expect(lines({ splitFile: splitInput, splitName: 'test' })).toEqual([
      'reader.splitName: expected one of "train", "val", received "test" (string)',
    ]);
    expect(lines({ table: 'other.data', splitFile: splitInput, splitName: 'train' })).toEqual([
      'reader.table: expected "imagenette.data" (the split file\'s data table), received "other.data" (string)',
    ]);
  });

  it('reports a bad embedded split file by its inner path', () => {
    expect(lines({ splitFile: { ...splitInput, version: 2 }, splitName: 'train' })).toEqual([
      'reader.splitFile.version: expected 1, received 2 (number)',
    ]);
  });
});

describe('cross-field rules', () => {
  it('needs shardId < numShards', () => {
    expect(lines({ shardId: 2, numShards: 2 })).toEqual([
      'reader.shardId: expected integer < numShards (2), received 2 (number)',
    ]);
    expect(parseReaderOptions({ ...base, shardId: 1, numShards: 2 }).shardId).toBe(1);
  });

  it('needs retry.baseDelayMs <= retry.maxDelayMs', () => {
    expect(lines({ retry: { baseDelayMs: 500, maxDelayMs: 100 } })).toEqual([
      'reader.retry.baseDelayMs: expected integer <= retry.maxDelayMs (100), received 500 (number)',
    ]);
  });

  it('reports cross-field problems alongside unrelated bad fields', () => {
    expect(lines({ shardId: 3, numShards: 2, batchSize: -1, splitName: 'x' })).toEqual([
      'reader.batchSize: expected integer from 1 to 1048576, received -1 (number)',
      'reader.shardId: expected integer < numShards (2), received 3 (number)',
      'reader.splitFile: expected a split file because splitName is set, received nothing',
    ]);
  });

  it('skips a rule whose own fields are already wrong rather than guess', () => {
    expect(lines({ shardId: 3, numShards: 0 })).toEqual([
      'reader.numShards: expected integer >= 1, received 0 (number)',
    ]);
  });
});

describe('dataTableOf', () => {
  it('gives the table layout the DDL and control plane use', () => {
    const options = parseReaderOptions({ ...base, labelType: 'blob', labelCol: 'mask' });
    expect(dataTableOf(options)).toEqual({
      keyspace: 'imagenette',
      table: 'data',
      idCol: 'id',
      dataCol: 'data',
      labelCol: 'mask',
      labelType: 'blob',
    });
  });
});
