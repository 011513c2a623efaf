import { describe, expect, it } from 'vitest';
import {
  cqlTypeSchema,
  dataTableSchema,
  identifierSchema,
  keyspaceSchema,
  labelTypeSchema,
  metadataTableSchema,
  parseQualifiedTable,
  validate,
} from '../index.js';
import { issuesOf, linesOf } from './helpers.js';

describe('labelTypeSchema', () => {
  it('accepts int, blob and none only', () => {
    expect(['int', 'blob', 'none'].map((t) => labelTypeSchema.parse(t))).toEqual([
      'int',
      'blob',
      'none',
    ]);
    expect(linesOf(() => validate(labelTypeSchema, 'float', 'labelType'))).toEqual([
      'labelType: expected one of "int", "blob", "none", received "float" (string)',
    ]);
  });
});

describe('identifiers and names', () => {
  it('allows any non-empty column name (they are quoted)', () => {
    for (const name of ['id', 'Label', 'my col', 'select', 'a"b'])
      expect(identifierSchema.parse(name)).toBe(name);
    expect(issuesOf(() => validate(identifierSchema, '', 'col'))[0]?.expected).toBe(
      'non-empty string',
    );
  });

  it('parses keyspace.table and rejects what Cassandra would', () => {
    expect(parseQualifiedTable('imagenette.data_224')).toEqual({
      keyspace: 'imagenette',
      table: 'data_224',
    });
    for (const bad of ['nodot', 'a.b.c', '.t', 'ks.', 'my-ks.t', `${'k'.repeat(49)}.t`]) {
      expect(issuesOf(() => parseQualifiedTable(bad))[0], bad).toMatchObject({
        path: 'table',
        expected: 'table as "keyspace.table" (letters, digits, underscores; up to 48 each)',
      });
    }
  });
});

describe('dataTableSchema', () => {
  it('defaults the column names and label type', () => {
    expect(dataTableSchema.parse({ keyspace: 'ks', table: 'data' })).toEqual({
      keyspace: 'ks',
      table: 'data',
      idCol: 'id',
      dataCol: 'data',
      labelCol: 'label',
      labelType: 'int',
    });
  });

  it('rejects two roles sharing a column, unless the label column is unused', () => {
    expect(
      linesOf(() =>
        validate(dataTableSchema, { keyspace: 'ks', table: 't', dataCol: 'id' }, 'table'),
      ),
    ).toEqual(['table.dataCol: expected a column name other than idCol, received "id" (string)']);
    expect(
      dataTableSchema.parse({ keyspace: 'ks', table: 't', labelCol: 'data', labelType: 'none' })
        .labelCol,
    ).toBe('data');
  });

  it('rejects bad names and unknown keys together', () => {
    expect(
      linesOf(() =>
        validate(dataTableSchema, { keyspace: 'my-ks', table: 't', label_col: 'x' }, 'table'),
      ),
    ).toEqual([
      'table.keyspace: expected name of 1-48 letters, digits or underscores, received "my-ks" (string)',
      'table.label_col: unknown option "label_col" (did you mean "labelCol"?)',
    ]);
  });
});

describe('metadataTableSchema', () => {
  it('defaults the extra columns to filename and the original label and split', () => {
    expect(metadataTableSchema.parse({ keyspace: 'ks', table: 'meta' }).extraColumns).toEqual({
      filename: 'text',
      original_label: 'text',
      original_split: 'text',
    });
  });

  it('checks CQL types of extra columns', () => {
    for (const type of [
      'text',
      'INT',
      'list<text>',
      'map<text, int>',
      'frozen<set<uuid>>',
      'tuple<int, text>',
      'vector<float, 512>',
    ]) {
      expect(cqlTypeSchema.safeParse(type).success, type).toBe(true);
    }
    for (const type of [
      '',
      'string',
      'list<>',
      'map<text>',
      'list<text',
      'vector<float>',
      'list<text>>',
    ]) {
      expect(cqlTypeSchema.safeParse(type).success, type).toBe(false);
    }
  });

  it('rejects extra columns that shadow the id or label', () => {
    expect(
      linesOf(() =>
        validate(
          metadataTableSchema,
          { keyspace: 'ks', table: 'm', extraColumns: { id: 'text' } },
          'meta',
        ),
      ),
    ).toEqual([
      'meta.extraColumns.id: expected a name other than the id and label columns, received "id" (string)',
    ]);
  });
});

describe('keyspaceSchema', () => {
  it('defaults to SimpleStrategy with one replica and durable writes', () => {
    expect(keyspaceSchema.parse({ name: 'ks' })).toEqual({
      name: 'ks',
      replication: { class: 'SimpleStrategy', replicationFactor: 1 },
      durableWrites: true,
    });
  });

  it('takes NetworkTopologyStrategy with a factor per data center', () => {
    const ks = keyspaceSchema.parse({
      name: 'ks',
      replication: { class: 'NetworkTopologyStrategy', dataCenters: { dc1: 3 } },
    });
    expect(ks.replication).toEqual({ class: 'NetworkTopologyStrategy', dataCenters: { dc1: 3 } });
  });

  it('reports an unknown class, a bad factor and an empty data center list', () => {
    const check = (replication: unknown) =>
      linesOf(() => validate(keyspaceSchema, { name: 'ks', replication }, 'keyspace'));
    expect(check({ class: 'LocalStrategy' })).toEqual([
      'keyspace.replication.class: expected one of "SimpleStrategy", "NetworkTopologyStrategy", received "LocalStrategy" (string)',
    ]);
    expect(check({ class: 'SimpleStrategy', replicationFactor: 0 })).toEqual([
      'keyspace.replication.replicationFactor: expected integer >= 1, received 0 (number)',
    ]);
    expect(check({ class: 'NetworkTopologyStrategy', dataCenters: {} })).toEqual([
      'keyspace.replication.dataCenters: expected at least one data center, received object',
    ]);
  });
});
