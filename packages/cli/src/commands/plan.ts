import { readFile } from 'node:fs/promises';
import {
  describeEpochPlan,
  type EpochPlanSummary,
  type PlanOptionsInput,
  type ReaderState,
} from '@cassdl/core';
import { readUuidFile } from '@cassdl/datasets';
import { CassdlValidationError, describeReceived, validationIssue } from '@cassdl/schema';
import type { Command } from 'commander';
import { type CliIo, processIo } from '../ui/io.js';
import { intFlag } from '../ui/parse.js';
import { runAction } from '../ui/run-action.js';

interface ShowFlags {
  split?: string;
  splitName?: string;
  uuids?: string;
  table?: string;
  sources?: string;
  epochSize?: string;
  seed: string;
  epoch?: string;
  numShards: string;
  batchSize: string;
  shuffle: boolean;
  padLastBatch: boolean;
  first: string;
  resume?: string[];
  json?: boolean;
}

/** `cassdl plan show`: an epoch's plan (per-source counts, per-shard sizes, first ids) without reading data. */
export function registerPlanCommand(program: Command, io: CliIo = processIo()): void {
  const plan = program.command('plan').description('epoch plans, computed without reading data');
  plan
    .command('show')
    .description('print an epoch plan: per-source counts, per-shard sizes, the first ids')
    .option('--split <file>', 'split file (cassdl split create), with --split-name')
    .option('--split-name <name>', 'which split of --split, e.g. train')
    .option('--uuids <file>', 'id file (cassdl uuids export), with --table')
    .option(
      '--table <keyspace.table>',
      'table of --uuids (default: the split file or first source)',
    )
    .option(
      '--sources <file.json>',
      'weighted mix: a JSON array of reader sources ({ table, splitFile + splitName | sourceUuids, weight | proportion | repeat })',
    )
    .option('--epoch-size <n>', 'samples per epoch of a weighted mix')
    .option('--seed <n>', 'shuffle seed', '0')
    .option('--epoch <n>', 'epoch to show (default 0, or the resumed one)')
    .option('--num-shards <n>', 'shards', '1')
    .option('--batch-size <n>', 'rows per batch', '128')
    .option('--no-shuffle', 'keep the id-list order (shuffleEveryEpoch: false)')
    .option('--no-pad-last-batch', 'drop the last partial batch instead of padding it')
    .option('--first <n>', 'ids listed per shard', '5')
    .option(
      '--resume <state.json...>',
      'show the layout a resume from these saved states (every old shard, or one merged) reads',
    )
    .option('--json', 'print the plan as JSON')
    .action((flags: ShowFlags) =>
      runAction(io, 'plan show', async () => {
        const summary = await describeEpochPlan(await planOptions(flags), {
          ...(flags.epoch !== undefined ? { epoch: intFlag('epoch', flags.epoch) } : {}),
          first: intFlag('first', flags.first),
          ...(flags.resume !== undefined ? { resume: await readStates(flags.resume) } : {}),
        });
        io.out(flags.json === true ? `${JSON.stringify(summary, null, 2)}\n` : formatPlan(summary));
      }),
    );
}

async function planOptions(flags: ShowFlags): Promise<PlanOptionsInput> {
  return {
    ...(flags.table !== undefined ? { table: flags.table } : {}),
    ...(flags.split !== undefined ? { splitFile: flags.split } : {}),
    ...(flags.splitName !== undefined ? { splitName: flags.splitName } : {}),
    ...(flags.uuids !== undefined ? { sourceUuids: await readUuidFile(flags.uuids) } : {}),
    ...(flags.sources !== undefined
      ? { sources: (await readJson(flags.sources, 'sources')) as PlanOptionsInput['sources'] }
      : {}),
    ...(flags.epochSize !== undefined
      ? { epochSize: intFlag('epoch-size', flags.epochSize, 1) }
      : {}),
    seed: intFlag('seed', flags.seed),
    numShards: intFlag('num-shards', flags.numShards, 1),
    batchSize: intFlag('batch-size', flags.batchSize, 1),
    shuffleEveryEpoch: flags.shuffle,
    padLastBatch: flags.padLastBatch,
  };
}

async function readStates(paths: readonly string[]): Promise<ReaderState[]> {
  const all = await Promise.all(paths.map((p) => readJson(p, 'resume')));
  return all.flat() as ReaderState[];
}

async function readJson(path: string, flag: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CassdlValidationError(
      [
        validationIssue(
          `--${flag}`,
          'a readable JSON file',
          describeReceived(`${path} (${reason})`),
        ),
      ],
      'option',
    );
  }
}

/** The plan as a few aligned tables. */
export function formatPlan(s: EpochPlanSummary): string {
  const lines = [
    `epoch ${s.epoch} (seed ${s.seed}, ${s.shuffle ? 'shuffled' : 'in id-list order'}): ${s.epochSize} samples` +
      (s.remaining < s.epochSize ? `, ${s.remaining} left after the resumed states` : ''),
    '',
    table(
      ['source', 'table', 'ids', 'samples', 'share'],
      s.sources.map((x) => [
        x.name,
        x.table,
        String(x.ids),
        String(x.samples),
        `${((100 * x.samples) / Math.max(1, s.epochSize)).toFixed(1)}%`,
      ]),
    ),
    '',
    `${s.numShards} shard(s) x ${s.batchesPerShard} batch(es) of ${s.batchSize}`,
    '',
    table(
      ['shard', 'samples', 'padding', 'first ids'],
      s.shards.map((x) => [
        String(x.shardId),
        String(x.samples),
        String(x.padding),
        x.first.map((f) => (s.sources.length > 1 ? `${f.id} (${f.source})` : f.id)).join(' '),
      ]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
