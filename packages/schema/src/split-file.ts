import { z } from 'zod';
import { CassdlValidationError, validationIssue } from './errors.js';
import { identifierSchema, labelTypeSchema, schemaNameSchema } from './table.js';
import { uuidListSchema } from './uuid.js';
import { describeReceived } from './validation/describe.js';
import { integer, uint32 } from './validation/numbers.js';
import { addIssue } from './validation/refine.js';
import { validate } from './validation/validate.js';
import { whenValid } from './validation/when-valid.js';

/** The split file format version this package reads and writes. */
export const SPLIT_FILE_VERSION = 1;

const splitNameSchema = z.string().min(1).max(128);

/** How a split file was made, so it can be made again. */
export const splitCreationSchema = z.strictObject({
  /** Tool and version that wrote the file, e.g. `cassdl 0.1.0`. */
  tool: z.string().min(1),
  /** Seed of the shuffle that assigned ids to splits. */
  seed: uint32(),
  /** Relative size of each split, e.g. `{ train: 0.8, val: 0.2 }`. */
  ratios: z.record(splitNameSchema, z.number().min(0)),
  /** True when each class was split in the same ratios. */
  stratify: z.boolean(),
  /** When the file was written, ISO 8601. */
  createdAt: z.iso.datetime({ offset: true }),
});

/**
 * A split file (version 1): which table the ids live in, how its columns are
 * named, and named lists of ids (e.g. `train`, `val`). Each id appears in at
 * most one split, once.
 */
export const splitFileSchema = z
  .strictObject({
    version: z.literal(SPLIT_FILE_VERSION),
    keyspace: schemaNameSchema,
    /** Table with the sample bytes, read during training. */
    dataTable: schemaNameSchema,
    /** Table the splits were computed from. */
    metadataTable: schemaNameSchema,
    idCol: identifierSchema.default('id'),
    dataCol: identifierSchema.default('data'),
    labelCol: identifierSchema.default('label'),
    labelType: labelTypeSchema.default('int'),
    /** Split name -> ids (UUID text, stored in canonical lowercase). */
    splits: z.record(splitNameSchema, uuidListSchema),
    /** Split name -> label -> number of rows, when labels are classes. */
    classCounts: z.record(splitNameSchema, z.record(z.string(), integer(0))).optional(),
    createdWith: splitCreationSchema.optional(),
  })
  .superRefine((file, ctx) => checkDuplicateIds(file.splits, ctx), whenValid(['splits']))
  .superRefine(
    (file, ctx) => {
      for (const name of Object.keys(file.classCounts ?? {})) {
        if (!(name in file.splits)) {
          addIssue(
            ctx,
            ['classCounts', name],
            `a split name (${quoteList(Object.keys(file.splits))})`,
            name,
          );
        }
      }
    },
    whenValid(['splits', 'classCounts']),
  );

export type SplitFile = z.output<typeof splitFileSchema>;
export type SplitFileInput = z.input<typeof splitFileSchema>;

/** Reports every id that appears twice, within one split or across two. */
function checkDuplicateIds(splits: Record<string, string[]>, ctx: z.core.$RefinementCtx): void {
  const firstSeen = new Map<string, { split: string; index: number }>();
  for (const [split, ids] of Object.entries(splits)) {
    ids.forEach((id, index) => {
      const first = firstSeen.get(id);
      if (first === undefined) {
        firstSeen.set(id, { split, index });
        return;
      }
      const where =
        first.split === split
          ? `also at index ${first.index} of the same split`
          : `also in split "${first.split}" (index ${first.index})`;
      addIssue(ctx, ['splits', split, index], 'an id not used before', id, {
        detail: `duplicate id ${id} in split "${split}": ${where}`,
      });
    });
  }
}

/** Parses a split file given as an object or as JSON text; throws CassdlValidationError. */
export function parseSplitFile(json: unknown): SplitFile {
  const input = typeof json === 'string' ? parseJson(json) : json;
  return validate(splitFileSchema, input, 'splitFile', 'split file');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const issue = validationIssue(
      'splitFile',
      'JSON text',
      describeReceived(text),
      `expected JSON text, it does not parse: ${reason}`,
    );
    throw new CassdlValidationError([issue], 'split file');
  }
}

/** The file's text: keys in a fixed order, two-space indented, ending in a newline. */
export function serializeSplitFile(s: SplitFile): string {
  const ordered = {
    version: s.version,
    keyspace: s.keyspace,
    dataTable: s.dataTable,
    metadataTable: s.metadataTable,
    idCol: s.idCol,
    dataCol: s.dataCol,
    labelCol: s.labelCol,
    labelType: s.labelType,
    splits: s.splits,
    classCounts: s.classCounts,
    createdWith: s.createdWith,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Names of the splits in file order. */
export function splitNames(s: SplitFile): string[] {
  return Object.keys(s.splits);
}

export function quoteList(names: readonly string[]): string {
  return names.length === 0 ? 'none defined' : names.map((n) => JSON.stringify(n)).join(', ');
}
