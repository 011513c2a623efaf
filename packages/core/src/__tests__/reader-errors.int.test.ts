import { CassdlValidationError } from '@cassdl/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { CassdlConnectionError, CassdlSchemaMismatchError } from '../errors.js';
import { CassandraReader } from '../reader/reader.js';
import { connection, ensureDataset, KEYSPACE, testRows } from './helpers/dataset.js';

const rows = testRows();
const ids = rows.slice(0, 10).map((r) => r.id);

beforeAll(() => ensureDataset(rows), 120_000);

async function openError(overrides: Record<string, unknown>): Promise<unknown> {
  return CassandraReader.open({
    connection: await connection(),
    table: `${KEYSPACE}.data_int`,
    sourceUuids: ids,
    engine: 'driver',
    ...overrides,
  }).then(
    async (reader) => {
      await reader.close();
      return null;
    },
    (error: unknown) => error,
  );
}

describe('errors before any row is read', () => {
  it('a label column of the wrong type lists expected and actual', async () => {
    const error = await openError({ table: `${KEYSPACE}.label_text`, labelType: 'int' });
    expect(error).toBeInstanceOf(CassdlSchemaMismatchError);
    expect((error as CassdlSchemaMismatchError).mismatches).toEqual([
      { subject: "column label (labelCol, labelType 'int')", expected: 'int', actual: 'text' },
    ]);
    expect((error as Error).message).toContain('cassdl_core_test.label_text');
  });

  it('labelType blob on an int column, and a missing data column', async () => {
    const error = (await openError({
      labelType: 'blob',
      dataCol: 'pixels',
    })) as CassdlSchemaMismatchError;
    expect(error).toBeInstanceOf(CassdlSchemaMismatchError);
    expect(error.mismatches.map((m) => [m.subject, m.actual])).toEqual([
      ['column pixels (dataCol)', 'missing (columns: data, id, label)'],
      ["column label (labelCol, labelType 'blob')", 'int'],
    ]);
  });

  it('a missing table, and a missing keyspace', async () => {
    const table = (await openError({
      table: `${KEYSPACE}.no_such_table`,
    })) as CassdlSchemaMismatchError;
    expect(table.mismatches).toEqual([
      { subject: `table ${KEYSPACE}.no_such_table`, expected: 'a table', actual: 'missing' },
    ]);
    const keyspace = (await openError({
      table: 'no_such_keyspace.data',
    })) as CassdlSchemaMismatchError;
    expect(keyspace.message).toMatch(
      /keyspace no_such_keyspace: expected a keyspace, actual missing/,
    );
  });

  it('bad options are rejected by schema, naming the field', async () => {
    const error = await openError({ numShards: 2, shardId: 2, batchSize: 0 });
    expect(error).toBeInstanceOf(CassdlValidationError);
    expect((error as Error).message).toMatch(/reader\.batchSize/);
  });

  it('no server at the contact point: a connection error naming the host', async () => {
    const error = await openError({
      connection: { contactPoints: ['127.0.0.1'], port: 1, connectTimeoutMs: 2000 },
    });
    expect(error).toBeInstanceOf(CassdlConnectionError);
    expect((error as CassdlConnectionError).failure).toBe('connect');
    expect((error as Error).message).toContain('127.0.0.1:1');
  });
});

describe('checks on the id list', () => {
  it('more shards than ids is an option error naming numShards', async () => {
    const error = await openError({ sourceUuids: ids.slice(0, 2), numShards: 3, shardId: 0 });
    expect(error).toBeInstanceOf(CassdlValidationError);
    expect((error as Error).message).toMatch(/reader\.numShards: expected at most 2/);
  });
});
