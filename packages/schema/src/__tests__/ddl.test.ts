import { describe, expect, it } from 'vitest';
import {
  createDataTableCql,
  createKeyspaceCql,
  createMetadataTableCql,
  dataTableSchema,
  keyspaceSchema,
  metadataTableSchema,
  quoteIdentifier,
  quoteString,
  rowReadCql,
} from '../index.js';

const data = (input: object) =>
  dataTableSchema.parse({ keyspace: 'imagenette', table: 'data', ...input });

describe('quoting', () => {
  it('quotes identifiers and doubles inner quotes', () => {
    expect(quoteIdentifier('id')).toBe('"id"');
    expect(quoteIdentifier('My "odd" col')).toBe('"My ""odd"" col"');
    expect(quoteString("dc'1")).toBe("'dc''1'");
  });
});

describe('createKeyspaceCql', () => {
  it('writes SimpleStrategy', () => {
    expect(createKeyspaceCql(keyspaceSchema.parse({ name: 'imagenette' }))).toBe(
      `CREATE KEYSPACE IF NOT EXISTS "imagenette" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1} AND durable_writes = true`,
    );
  });

  it('writes NetworkTopologyStrategy with one entry per data center', () => {
    const ks = keyspaceSchema.parse({
      name: 'ks',
      replication: { class: 'NetworkTopologyStrategy', dataCenters: { dc1: 3, "eu'west": 2 } },
      durableWrites: false,
    });
    expect(createKeyspaceCql(ks)).toBe(
      `CREATE KEYSPACE IF NOT EXISTS "ks" WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'eu''west': 2} AND durable_writes = false`,
    );
  });
});

describe('createDataTableCql', () => {
  it('writes id, int label and data with compression off', () => {
    expect(createDataTableCql(data({}))).toBe(
      `CREATE TABLE IF NOT EXISTS "imagenette"."data" ("id" uuid PRIMARY KEY, "label" int, "data" blob) WITH compression = {'enabled': 'false'}`,
    );
  });

  it('uses blob labels and custom column names', () => {
    expect(
      createDataTableCql(
        data({ idCol: 'patch_id', dataCol: 'img', labelCol: 'mask', labelType: 'blob' }),
      ),
    ).toBe(
      `CREATE TABLE IF NOT EXISTS "imagenette"."data" ("patch_id" uuid PRIMARY KEY, "mask" blob, "img" blob) WITH compression = {'enabled': 'false'}`,
    );
  });

  it('leaves the label column out for labelType none', () => {
    expect(createDataTableCql(data({ labelType: 'none' }))).toBe(
      `CREATE TABLE IF NOT EXISTS "imagenette"."data" ("id" uuid PRIMARY KEY, "data" blob) WITH compression = {'enabled': 'false'}`,
    );
  });
});

describe('createMetadataTableCql', () => {
  it('writes id, label and the default extra columns', () => {
    const t = metadataTableSchema.parse({ keyspace: 'imagenette', table: 'metadata' });
    expect(createMetadataTableCql(t)).toBe(
      'CREATE TABLE IF NOT EXISTS "imagenette"."metadata" ("id" uuid PRIMARY KEY, "label" int, "filename" text, "original_label" text, "original_split" text)',
    );
  });

  it('writes custom extra columns and no label for none', () => {
    const t = metadataTableSchema.parse({
      keyspace: 'ks',
      table: 'meta',
      labelType: 'none',
      extraColumns: { 'Patient ID': 'text', tags: 'set<text>' },
    });
    expect(createMetadataTableCql(t)).toBe(
      'CREATE TABLE IF NOT EXISTS "ks"."meta" ("id" uuid PRIMARY KEY, "Patient ID" text, "tags" set<text>)',
    );
  });
});

describe('rowReadCql', () => {
  it('selects data then label by id', () => {
    expect(rowReadCql(data({}))).toBe(
      'SELECT "data", "label" FROM "imagenette"."data" WHERE "id" = ?',
    );
  });

  it('selects data only when there is no label, with custom names', () => {
    expect(rowReadCql(data({ labelType: 'none', idCol: 'uid', dataCol: 'Bytes' }))).toBe(
      'SELECT "Bytes" FROM "imagenette"."data" WHERE "uid" = ?',
    );
  });
});
