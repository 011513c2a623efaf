import { readSplitFile } from '@cassdl/core';
import { createSplit, importSplitPickle, type SplitCountRow, splitCounts } from '@cassdl/datasets';
import { serializeSplitFile } from '@cassdl/schema';
import type { Command } from 'commander';
import {
  addConnectionFlags,
  type ConnectionFlags,
  connectionFromFlags,
} from '../ui/connection-flags.js';
import { type CliIo, processIo } from '../ui/io.js';
import { intFlag } from '../ui/parse.js';
import { runAction } from '../ui/run-action.js';
import { formatTable } from '../ui/table.js';

interface CreateFlags extends ConnectionFlags {
  keyspace: string;
  dataTable: string;
  metadataTable: string;
  ratios: string;
  idCol: string;
  labelCol: string;
  stratify?: boolean;
  seed: string;
  output: string;
  json?: boolean;
}

interface ImportFlags {
  output: string;
  names?: string;
  keyspace?: string;
  json?: boolean;
}

/** `cassdl split create`, `cassdl split import` and `cassdl split show`. */
export function registerSplitCommand(program: Command, io: CliIo = processIo()): void {
  const split = program
    .command('split')
    .description('make, import and show train/val/test split files');

  addConnectionFlags(split.command('create'))
    .description('assign every id of a metadata table to named splits (seeded, deterministic)')
    .requiredOption('--keyspace <name>', 'keyspace of the dataset')
    .option('--data-table <name>', 'data table the reader will read', 'data')
    .option('--metadata-table <name>', 'table to read ids and labels from', 'metadata')
    .option('--ratios <list>', 'name=ratio list summing to 1', 'train=0.8,val=0.2')
    .option('--id-col <name>', 'id column of the metadata table', 'id')
    .option(
      '--label-col <name>',
      'int label column of the metadata table (for --stratify)',
      'label',
    )
    .option('--stratify', 'split each class (int label) in the same ratios')
    .option('--seed <n>', 'shuffle seed (uint32)', '0')
    .requiredOption('-o, --output <file>', 'split file to write (JSON)')
    .option('--json', 'print the split counts as JSON')
    .action((flags: CreateFlags) =>
      runAction(io, 'split create', async () => {
        const file = await createSplit({
          connection: connectionFromFlags(flags, io.env),
          keyspace: flags.keyspace,
          dataTable: flags.dataTable,
          metadataTable: flags.metadataTable,
          ratios: flags.ratios,
          idCol: flags.idCol,
          labelCol: flags.labelCol,
          stratify: flags.stratify === true,
          seed: intFlag('seed', flags.seed),
          output: flags.output,
        });
        const rows = splitCounts(file);
        if (flags.json === true)
          io.out(`${JSON.stringify({ output: flags.output, counts: rows }, null, 2)}\n`);
        else io.out(`${countsTable(rows)}wrote ${flags.output}\n`);
      }),
    );

  split
    .command('import')
    .argument('<file.pckl>', "cassandra-dali-plugin's split pickle (save_splits)")
    .description(
      'convert a cassandra-dali-plugin split file, keeping its exact assignment (no re-split)',
    )
    .requiredOption('-o, --output <file>', 'split file to write (JSON)')
    .option(
      '--names <list>',
      'split names in the pickle order (default train,val or train,val,test)',
    )
    .option(
      '--keyspace <name>',
      "keyspace of the tables (default: the one in the pickle's data_table)",
    )
    .option('--json', 'print the split counts as JSON')
    .action((input: string, flags: ImportFlags) =>
      runAction(io, 'split import', async () => {
        const file = await importSplitPickle({
          input,
          output: flags.output,
          ...(flags.names !== undefined
            ? { names: flags.names.split(',').map((n) => n.trim()) }
            : {}),
          ...(flags.keyspace !== undefined ? { keyspace: flags.keyspace } : {}),
        });
        const rows = splitCounts(file);
        if (flags.json === true)
          io.out(`${JSON.stringify({ output: flags.output, counts: rows }, null, 2)}\n`);
        else
          io.out(
            `${file.keyspace}.${file.dataTable} (labels ${file.labelType})\n${countsTable(rows)}wrote ${flags.output}\n`,
          );
      }),
    );

  split
    .command('show')
    .argument('<file>', 'split file')
    .description('counts per split and class')
    .option('--json', 'print the counts as JSON')
    .option('--ids', 'with --json, include the file itself (all ids)')
    .action((path: string, flags: { json?: boolean; ids?: boolean }) =>
      runAction(io, 'split show', async () => {
        const file = await readSplitFile(path, 'split show FILE');
        const rows = splitCounts(file);
        if (flags.json !== true) {
          io.out(
            `${file.keyspace}.${file.dataTable} (from ${file.metadataTable}, labels ${file.labelType})\n`,
          );
          io.out(countsTable(rows));
        } else if (flags.ids === true) {
          io.out(serializeSplitFile(file));
        } else {
          io.out(
            `${JSON.stringify({ keyspace: file.keyspace, dataTable: file.dataTable, createdWith: file.createdWith, counts: rows }, null, 2)}\n`,
          );
        }
      }),
    );
}

function countsTable(rows: readonly SplitCountRow[]): string {
  return formatTable(
    ['split', 'class', 'rows', 'share'],
    rows.map((r) => [
      r.split,
      r.label ?? 'all',
      String(r.count),
      `${(r.fraction * 100).toFixed(1)}%`,
    ]),
  );
}
