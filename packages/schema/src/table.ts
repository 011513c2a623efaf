import { z } from 'zod';
import { integer } from './validation/numbers.js';
import { addIssue } from './validation/refine.js';
import { validate } from './validation/validate.js';
import { whenValid } from './validation/when-valid.js';

/** How a row's label is stored: `int` column, `blob` column, or no label column. */
export type LabelType = 'int' | 'blob' | 'none';

export const labelTypeSchema = z.enum(['int', 'blob', 'none']);

/** Longest keyspace or table name Cassandra accepts (SchemaConstants.NAME_LENGTH). */
export const MAX_NAME_LENGTH = 48;

/**
 * A CQL column name. Any non-empty text is allowed: cassdl always quotes
 * identifiers in the CQL it writes, so names are case-sensitive as given and
 * may hold spaces or reserved words.
 */
export const identifierSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((s) => !s.includes('\0'), { error: 'identifier without NUL characters' });

const NAME = `\\w{1,${MAX_NAME_LENGTH}}`;

/** A keyspace or table name: Cassandra allows only letters, digits and `_`, up to 48 of them. */
export const schemaNameSchema = z.string().regex(new RegExp(`^${NAME}$`), {
  error: `name of 1-${MAX_NAME_LENGTH} letters, digits or underscores`,
});

/** A table as the text `keyspace.table` (kept as text, as reader options hold it). */
export const qualifiedTableNameSchema = z.string().regex(new RegExp(`^${NAME}\\.${NAME}$`), {
  error: `table as "keyspace.table" (letters, digits, underscores; up to ${MAX_NAME_LENGTH} each)`,
});

/** A table as `keyspace.table`, parsed into its two names. */
export const qualifiedTableSchema = qualifiedTableNameSchema.transform((text) => {
  const [keyspace = '', table = ''] = text.split('.');
  return { keyspace, table };
});

export type QualifiedTable = z.output<typeof qualifiedTableSchema>;

/** Splits `'ks.table'` into `{ keyspace, table }`; throws CassdlValidationError when malformed. */
export function parseQualifiedTable(text: string): QualifiedTable {
  return validate(qualifiedTableSchema, text, 'table', 'table name');
}

const columnNames = {
  /** Partition key column, type `uuid`. Default `'id'`. */
  idCol: identifierSchema.default('id'),
  /** Label column (absent when `labelType` is `'none'`). Default `'label'`. */
  labelCol: identifierSchema.default('label'),
  /** How labels are stored. Default `'int'`. */
  labelType: labelTypeSchema.default('int'),
};

/** The table read during training: `id uuid PRIMARY KEY, label int|blob, data blob`. */
export const dataTableSchema = z
  .strictObject({
    keyspace: schemaNameSchema,
    table: schemaNameSchema,
    ...columnNames,
    /** Sample bytes column, type `blob`. Default `'data'`. */
    dataCol: identifierSchema.default('data'),
  })
  .superRefine(
    (t, ctx) => checkDistinctColumns(t, ['idCol', 'dataCol', 'labelCol'], ctx),
    whenValid(['idCol', 'dataCol', 'labelCol', 'labelType']),
  );

export type DataTable = z.output<typeof dataTableSchema>;
export type DataTableInput = z.input<typeof dataTableSchema>;

/** CQL types a metadata column may have: a simple type or a collection, tuple, frozen or vector of them. */
export const cqlTypeSchema = z.string().refine(isCqlType, {
  error: 'CQL type such as text, int, list<text>, map<text, int>',
});

export const DEFAULT_EXTRA_COLUMNS: Readonly<Record<string, string>> = {
  filename: 'text',
  original_label: 'text',
  original_split: 'text',
};

/** The table used to pick samples and make splits: id, label and free extra columns. */
export const metadataTableSchema = z
  .strictObject({
    keyspace: schemaNameSchema,
    table: schemaNameSchema,
    ...columnNames,
    /** Extra columns as name -> CQL type. Default `{ filename: 'text', original_label: 'text', original_split: 'text' }`. */
    extraColumns: z.record(identifierSchema, cqlTypeSchema).default({ ...DEFAULT_EXTRA_COLUMNS }),
  })
  .superRefine(
    (t, ctx) => {
      checkDistinctColumns(t, ['idCol', 'labelCol'], ctx);
      for (const name of Object.keys(t.extraColumns)) {
        if (name === t.idCol || (t.labelType !== 'none' && name === t.labelCol)) {
          addIssue(ctx, ['extraColumns', name], 'a name other than the id and label columns', name);
        }
      }
    },
    whenValid(['idCol', 'labelCol', 'labelType', 'extraColumns']),
  );

export type MetadataTable = z.output<typeof metadataTableSchema>;
export type MetadataTableInput = z.input<typeof metadataTableSchema>;

const replicationSchema = z.discriminatedUnion('class', [
  z.strictObject({
    class: z.literal('SimpleStrategy'),
    /** Copies of each row. Default 1 (a development cluster). */
    replicationFactor: integer(1).default(1),
  }),
  z.strictObject({
    class: z.literal('NetworkTopologyStrategy'),
    /** Replication factor per data center name. */
    dataCenters: z
      .record(z.string().min(1), integer(0))
      .refine((dcs) => Object.keys(dcs).length > 0, { error: 'at least one data center' }),
  }),
]);

/** A keyspace and how it replicates. */
export const keyspaceSchema = z.strictObject({
  name: schemaNameSchema,
  /** Default `{ class: 'SimpleStrategy', replicationFactor: 1 }`. */
  replication: replicationSchema.prefault({ class: 'SimpleStrategy' }),
  /** Default true; false loses recent writes on a crash. */
  durableWrites: z.boolean().default(true),
});

export type Keyspace = z.output<typeof keyspaceSchema>;
export type KeyspaceInput = z.input<typeof keyspaceSchema>;
export type Replication = Keyspace['replication'];

function checkDistinctColumns<K extends string>(
  t: Record<K, string> & { labelType: LabelType },
  keys: readonly K[],
  ctx: z.core.$RefinementCtx,
): void {
  const seen = new Map<string, K>();
  for (const key of keys) {
    if (key === 'labelCol' && t.labelType === 'none') continue;
    const first = seen.get(t[key]);
    if (first !== undefined) addIssue(ctx, [key], `a column name other than ${first}`, t[key]);
    else seen.set(t[key], key);
  }
}

const SIMPLE_TYPES = new Set([
  'ascii',
  'bigint',
  'blob',
  'boolean',
  'counter',
  'date',
  'decimal',
  'double',
  'duration',
  'float',
  'inet',
  'int',
  'smallint',
  'text',
  'time',
  'timestamp',
  'timeuuid',
  'tinyint',
  'uuid',
  'varchar',
  'varint',
]);

/** Checks a CQL type expression by recursive descent over `name<arg, ...>`. */
function isCqlType(text: string): boolean {
  const tokens = text.toLowerCase().match(/[a-z_][a-z0-9_]*|\d+|[<>,]|\S/g) ?? [];
  let i = 0;
  const parseType = (): boolean => {
    const name = tokens[i++];
    if (name === undefined) return false;
    if (SIMPLE_TYPES.has(name)) return true;
    const arity: Record<string, number> = {
      list: 1,
      set: 1,
      frozen: 1,
      map: 2,
      tuple: -1,
      vector: 2,
    };
    const expectedArgs = arity[name];
    if (expectedArgs === undefined || tokens[i++] !== '<') return false;
    let args = 0;
    do {
      if (name === 'vector' && args === 1) {
        if (!/^\d+$/.test(tokens[i++] ?? '')) return false;
      } else if (!parseType()) return false;
      args++;
    } while (tokens[i] === ',' && ++i);
    return tokens[i++] === '>' && (expectedArgs === -1 ? args >= 1 : args === expectedArgs);
  };
  return parseType() && i === tokens.length;
}
