import { describe, expect, it } from 'vitest';
import { type IngestManifestInput, ingestManifestSchema, validate } from '../index.js';
import { linesOf } from './helpers.js';

const manifest: IngestManifestInput = {
  version: 1,
  kind: 'classification',
  source: './imagenette2-160',
  keyspace: { name: 'imagenette' },
  dataTable: { keyspace: 'imagenette', table: 'data' },
  metadataTable: { keyspace: 'imagenette', table: 'metadata' },
  rowCount: 13394,
  classNames: ['tench', 'English springer'],
  tool: 'cassdl 0.1.0',
  startedAt: '2026-01-31T12:00:00Z',
  finishedAt: '2026-01-31T12:03:10Z',
};

const check = (input: unknown) => validate(ingestManifestSchema, input, 'manifest');

describe('ingestManifestSchema', () => {
  it('accepts a classification run and fills table defaults', () => {
    const parsed = check(manifest);
    expect(parsed.keyspace.replication).toEqual({ class: 'SimpleStrategy', replicationFactor: 1 });
    expect(parsed.dataTable.labelType).toBe('int');
  });

  it('needs blob labels for segmentation and multilabel', () => {
    const { classNames: _, ...rest } = manifest;
    for (const kind of ['segmentation', 'multilabel']) {
      expect(linesOf(() => check({ ...rest, kind }))).toEqual([
        `manifest.dataTable.labelType: expected "blob" for ${kind}, received "int" (string)`,
      ]);
      expect(
        check({ ...rest, kind, dataTable: { ...manifest.dataTable, labelType: 'blob' } }).kind,
      ).toBe(kind);
    }
  });

  it('keeps tables in the manifest keyspace and class names to classification', () => {
    expect(
      linesOf(() =>
        check({
          ...manifest,
          kind: 'segmentation',
          dataTable: { keyspace: 'other', table: 'd', labelType: 'blob' },
        }),
      ),
    ).toEqual([
      'manifest.dataTable.keyspace: expected "imagenette" (the manifest\'s keyspace), received "other" (string)',
      'manifest.classNames: expected no classNames unless kind is "classification", received array of 2 items',
    ]);
  });

  it('reports bad fields together', () => {
    expect(
      linesOf(() => check({ ...manifest, kind: 'detection', rowCount: -1, source: '' })),
    ).toEqual([
      'manifest.kind: expected one of "classification", "segmentation", "multilabel", received "detection" (string)',
      'manifest.source: expected non-empty string, received "" (string)',
      'manifest.rowCount: expected integer >= 0, received -1 (number)',
    ]);
  });
});
