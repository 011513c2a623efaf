import { z } from 'zod';
import { splitFileSchema } from './split-file.js';
import { type SplitSelection, splitMismatches } from './split-selection.js';
import { qualifiedTableNameSchema } from './table.js';
import { addIssue } from './validation/refine.js';

/** A positive finite number with one message for every failure. */
const positive = (what: string) =>
  z
    .number({ error: `${what} > 0` })
    .positive({ error: `${what} > 0` })
    .finite({ error: `${what} > 0` });

/**
 * One source of a weighted mix: its ids (like the reader's own `sourceUuids`
 * or `splitFile` + `splitName`), the table they live in (same columns as the
 * reader's `table`, which is the default), and its share of each epoch.
 */
export const readerSourceFieldsSchema = <I extends z.ZodType>(sourceUuids: I) =>
  z.strictObject({
    /** Shown in metrics and `cassdl plan show`. Default: the table, with `#i` when a table repeats. */
    name: z.string().min(1).optional(),
    /** Table of this source's ids, as `keyspace.table`. Default: the reader's `table`. */
    table: qualifiedTableNameSchema.optional(),
    /** Ids as UUID strings or packed bytes. Excludes `splitFile`. */
    sourceUuids: sourceUuids.optional(),
    /** Split file (path or parsed) with `splitName`. */
    splitFile: z.union([z.string().min(1), splitFileSchema]).optional(),
    splitName: z.string().min(1).optional(),
    /** Relative share of the epoch (normalized over the weighted sources). */
    weight: positive('number').optional(),
    /** Fraction of the epoch; proportions of all sources must add up to 1. */
    proportion: positive('number <= 1').max(1, { error: 'number > 0 and <= 1' }).optional(),
    /** Samples per epoch as a multiple of the source's size (2 = every id twice). */
    repeat: positive('number').optional(),
  });

interface SourceFields {
  readonly table?: string | undefined;
  readonly sourceUuids?: unknown;
  readonly splitFile?: string | z.output<typeof splitFileSchema> | undefined;
  readonly splitName?: string | undefined;
  readonly weight?: number | undefined;
  readonly proportion?: number | undefined;
  readonly repeat?: number | undefined;
}

interface MixFields extends Omit<SplitSelection, 'splitName'> {
  readonly sourceUuids?: unknown;
  readonly splitFile?: unknown;
  readonly sources?: readonly SourceFields[] | undefined;
  readonly epochSize?: number | undefined;
}

/** The rules of `sources`: one id list per source, one kind of share, proportions adding up to 1. */
export function checkSources(v: MixFields, ctx: z.core.$RefinementCtx): void {
  if (v.sources === undefined) {
    if (v.epochSize !== undefined)
      addIssue(
        ctx,
        ['epochSize'],
        'no epochSize without sources (it sizes a weighted mix)',
        v.epochSize,
      );
    return;
  }
  if (v.sourceUuids !== undefined || v.splitFile !== undefined) {
    const key = v.sourceUuids !== undefined ? 'sourceUuids' : 'splitFile';
    addIssue(
      ctx,
      [key],
      'no top-level id list when sources is given (give each source its ids)',
      key,
    );
  }
  for (const [i, s] of v.sources.entries()) checkSource(v, s, i, ctx);
  const proportions = v.sources.filter((s) => s.proportion !== undefined);
  if (proportions.length > 0 && v.sources.some((s) => s.weight !== undefined))
    addIssue(ctx, ['sources'], 'weight or proportion on the sources, not both', 'both');
  const sum = proportions.reduce((t, s) => t + (s.proportion as number), 0);
  if (proportions.length > 0 && Math.abs(sum - 1) > 1e-6)
    addIssue(ctx, ['sources'], 'proportions that add up to 1', sum);
}

function checkSource(v: MixFields, s: SourceFields, i: number, ctx: z.core.$RefinementCtx): void {
  const path = ['sources', i];
  const idLists = [s.sourceUuids, s.splitFile].filter((x) => x !== undefined).length;
  if (idLists !== 1)
    addIssue(
      ctx,
      path,
      'exactly one of sourceUuids or splitFile + splitName',
      idLists === 0 ? 'neither' : 'both',
    );
  if ((s.splitFile === undefined) !== (s.splitName === undefined))
    addIssue(
      ctx,
      [...path, s.splitFile === undefined ? 'splitFile' : 'splitName'],
      'splitFile and splitName together',
      undefined,
    );
  const shares = (['weight', 'proportion', 'repeat'] as const).filter((k) => s[k] !== undefined);
  if (shares.length > 1)
    addIssue(ctx, path, 'at most one of weight, proportion, repeat', shares.join(' and '));
  if (typeof s.splitFile === 'object') {
    const selection = { ...v, table: s.table ?? v.table, splitName: s.splitName };
    for (const m of splitMismatches(selection, s.splitFile)) {
      const key =
        m.key === 'table'
          ? [...path, 'table']
          : m.key === 'splitName'
            ? [...path, 'splitName']
            : [m.key];
      addIssue(ctx, key, m.expected, m.received);
    }
  }
}
