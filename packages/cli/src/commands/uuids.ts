import { exportUuids, importUuidPickle, type UuidFileFormat } from '@cassdl/datasets';
import { type Command, Option } from 'commander';
import {
  addConnectionFlags,
  type ConnectionFlags,
  connectionFromFlags,
} from '../ui/connection-flags.js';
import { type CliIo, processIo } from '../ui/io.js';
import { intFlag } from '../ui/parse.js';
import { runAction } from '../ui/run-action.js';

interface ExportFlags extends ConnectionFlags {
  keyspace: string;
  table?: string;
  label?: string;
  originalSplit?: string;
  labelCol: string;
  originalSplitCol: string;
  output: string;
  format: UuidFileFormat;
  fetchSize: string;
  json?: boolean;
}

/** `cassdl uuids export` and `cassdl uuids import`. */
export function registerUuidsCommand(program: Command, io: CliIo = processIo()): void {
  const uuids = program.command('uuids').description('id lists for the reader (sourceUuids)');
  addConnectionFlags(uuids.command('export'))
    .description(
      'write all ids of a table (or the metadata rows matching a filter) to a file, paged',
    )
    .requiredOption('--keyspace <name>', 'keyspace of the dataset')
    .option('--table <name>', 'table to list (default: data, or metadata when a filter is given)')
    .option('--label <n>', 'only metadata rows with this class label')
    .option('--original-split <name>', 'only metadata rows with this original split (e.g. train)')
    .option('--label-col <name>', 'column --label filters on', 'label')
    .option(
      '--original-split-col <name>',
      'column --original-split filters on (cassandra-dali-plugin: or_split)',
      'original_split',
    )
    .requiredOption('-o, --output <file>', 'file to write')
    .addOption(
      new Option('--format <format>', 'one id per line, or a JSON array')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--fetch-size <n>', 'rows per page', '5000')
    .option('--json', 'print the summary as JSON')
    .action((flags: ExportFlags) =>
      runAction(io, 'uuids export', async () => {
        const summary = await exportUuids({
          connection: connectionFromFlags(flags, io.env),
          keyspace: flags.keyspace,
          ...(flags.table !== undefined ? { table: flags.table } : {}),
          ...(flags.label !== undefined ? { label: intFlag('label', flags.label) } : {}),
          ...(flags.originalSplit !== undefined ? { originalSplit: flags.originalSplit } : {}),
          labelCol: flags.labelCol,
          originalSplitCol: flags.originalSplitCol,
          output: flags.output,
          format: flags.format,
          fetchSize: intFlag('fetch-size', flags.fetchSize, 1),
        });
        io.out(
          flags.json === true
            ? `${JSON.stringify(summary, null, 2)}\n`
            : `wrote ${summary.exported} ids (of ${summary.scanned} rows in ${flags.keyspace}.${summary.table}) to ${summary.output}\n`,
        );
      }),
    );

  uuids
    .command('import')
    .argument('<file.pckl>', "cassandra-dali-plugin's id list pickle (cache_uuids.py, ListManager)")
    .description('convert a cassandra-dali-plugin id list to an id file, same ids, same order')
    .requiredOption('-o, --output <file>', 'file to write')
    .addOption(
      new Option('--format <format>', 'one id per line, or a JSON array')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action((input: string, flags: { output: string; format: UuidFileFormat }) =>
      runAction(io, 'uuids import', async () => {
        const summary = await importUuidPickle({
          input,
          output: flags.output,
          format: flags.format,
        });
        io.out(`wrote ${summary.ids} ids to ${summary.output}\n`);
      }),
    );
}
