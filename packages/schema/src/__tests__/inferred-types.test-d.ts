// Type-level checks, run by vitest typecheck (and `typecheck`): a drifting
// inferred type fails the test run.
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  ConnectionOptions,
  ConnectionOptionsInput,
  DataPlanePlan,
  DataTable,
  dataPlanePlanSchema,
  IngestManifest,
  Keyspace,
  LabelType,
  MetadataTable,
  ReaderOptions,
  ReaderOptionsInput,
  SplitFile,
} from '../index.js';

describe('inferred types', () => {
  it('reader options output is fully defaulted', () => {
    expectTypeOf<ReaderOptions['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<ReaderOptions['labelType']>().toEqualTypeOf<LabelType>();
    expectTypeOf<ReaderOptions['connection']>().toEqualTypeOf<ConnectionOptions>();
    expectTypeOf<ReaderOptions['sourceUuids']>().toEqualTypeOf<Uint8Array | undefined>();
    expectTypeOf<ReaderOptions['splitFile']>().toEqualTypeOf<string | SplitFile | undefined>();
    expectTypeOf<ReaderOptions['onMissing']>().toEqualTypeOf<'error' | 'skip'>();
    expectTypeOf<ReaderOptions['engine']>().toEqualTypeOf<'auto' | 'native' | 'driver'>();
    expectTypeOf<ReaderOptions['retry']>().toEqualTypeOf<{
      maxAttempts: number;
      baseDelayMs: number;
      maxDelayMs: number;
    }>();
    expectTypeOf<ReaderOptions>().not.toHaveProperty('username');
  });

  it('reader options input makes defaulted fields optional and takes DALI-style connection keys', () => {
    expectTypeOf<{ table: string }>().toExtend<ReaderOptionsInput>();
    expectTypeOf<ReaderOptionsInput['batchSize']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ReaderOptionsInput['sourceUuids']>().toEqualTypeOf<
      string[] | Uint8Array | undefined
    >();
    expectTypeOf<ReaderOptionsInput['username']>().toEqualTypeOf<string | undefined>();
  });

  it('connection input vs output', () => {
    expectTypeOf<ConnectionOptionsInput['port']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ConnectionOptions['port']>().toEqualTypeOf<number>();
    expectTypeOf<ConnectionOptions['contactPoints']>().toEqualTypeOf<string[]>();
  });

  it('tables, keyspaces, split files and manifests', () => {
    expectTypeOf<DataTable>().toEqualTypeOf<{
      keyspace: string;
      table: string;
      idCol: string;
      dataCol: string;
      labelCol: string;
      labelType: LabelType;
    }>();
    expectTypeOf<MetadataTable['extraColumns']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<Keyspace['replication']>().toEqualTypeOf<
      | { class: 'SimpleStrategy'; replicationFactor: number }
      | { class: 'NetworkTopologyStrategy'; dataCenters: Record<string, number> }
    >();
    expectTypeOf<SplitFile['splits']>().toEqualTypeOf<Record<string, string[]>>();
    expectTypeOf<SplitFile['version']>().toEqualTypeOf<1>();
    expectTypeOf<IngestManifest['kind']>().toEqualTypeOf<
      'classification' | 'segmentation' | 'multilabel'
    >();
  });

  it('the plan schema produces exactly the committed DataPlanePlan interface (readonly aside)', () => {
    type Parsed = z.output<typeof dataPlanePlanSchema>;
    expectTypeOf<Parsed>().toExtend<DataPlanePlan>();
    expectTypeOf<Writable<DataPlanePlan>>().toEqualTypeOf<Parsed>();
  });
});

/** Strips `readonly` all the way down, leaving byte arrays alone. */
type Writable<T> = T extends Uint8Array
  ? T
  : T extends readonly (infer E)[]
    ? Writable<E>[]
    : T extends object
      ? { -readonly [K in keyof T]: Writable<T[K]> }
      : T;
