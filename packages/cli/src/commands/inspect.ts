import { inspectTable, type TableReport } from '@cassdl/datasets';
import { type Command, InvalidArgumentError } from 'commander';
import {
  addConnectionFlags,
  type ConnectionFlags,
  connectionFromFlags,
} from '../ui/connection-flags.js';
import { readDaliOptionsFile } from '../ui/dali-options.js';
import { formatBytes } from '../ui/format.js';
import { type CliIo, processIo } from '../ui/io.js';
import { intFlag } from '../ui/parse.js';
import { runAction } from '../ui/run-action.js';
import { formatTable } from '../ui/table.js';

interface InspectFlags extends ConnectionFlags {
  keyspace?: string;
  table: string;
  daliOptions?: string;
  sample: string;
  countCap: string;
  json?: boolean;
}

/** `cassdl inspect`. */
export function registerInspectCommand(program: Command, io: CliIo = processIo()): void {
  addConnectionFlags(program.command('inspect'))
    .description("a table's columns, row count, blob sizes and one row")
    .option('--keyspace <name>', 'keyspace (required unless --dali-options names the table)')
    .option('--table <name>', 'table', 'data')
    .option(
      '--dali-options <file.json>',
      "cassandra-dali-plugin reader arguments (fn.crs4.cassandra's, snake_case): connect and inspect its table; prints the cassdl reader options they map to",
    )
    .option('--sample <n>', 'rows read for the blob size distribution', '200')
    .option(
      '--count-cap <n>',
      'without a server estimate, count rows up to this many (0: do not count)',
      '100000',
    )
    .option('--json', 'print the report as JSON')
    .action((flags: InspectFlags) =>
      runAction(io, 'inspect', async () => {
        const target = await inspectTarget(flags, io);
        const report = await inspectTable({
          ...target,
          sample: intFlag('sample', flags.sample, 1),
          countCap: intFlag('count-cap', flags.countCap),
        });
        io.out(
          flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report),
        );
      }),
    );
}

/**
 * Connection and table from the flags, or from a file of the plugin's reader
 * arguments (its notices go to stderr, the cassdl options it maps to too).
 */
async function inspectTarget(flags: InspectFlags, io: CliIo) {
  if (flags.daliOptions === undefined) {
    if (flags.keyspace === undefined)
      throw new InvalidArgumentError('--keyspace is required (or --dali-options FILE.json)');
    return {
      connection: connectionFromFlags(flags, io.env),
      keyspace: flags.keyspace,
      table: flags.table,
    };
  }
  const { options, connection } = await readDaliOptionsFile(flags.daliOptions, io);
  const [keyspace = '', table = ''] = String(options.table ?? '').split('.');
  return {
    connection,
    keyspace: flags.keyspace ?? keyspace,
    table: table === '' ? flags.table : table,
  };
}

/** The report as text: columns, count, blob sizes, one row. */
export function describeReport(r: TableReport): string {
  const parts = [`${r.keyspace}.${r.table}\n`];
  parts.push(
    formatTable(
      ['column', 'type', 'kind'],
      r.columns.map((c) => [c.name, c.type, c.kind]),
    ),
  );
  const count = r.rowCount;
  const rows =
    count.source === 'unknown'
      ? 'unknown (no server estimate yet; raise --count-cap to count)'
      : count.source === 'size_estimates'
        ? `about ${count.rows} (system.size_estimates)`
        : `${count.capped ? 'at least ' : ''}${count.rows} (counted by a scan)`;
  parts.push(`\nrows: ${rows}\n`);
  for (const hint of r.layoutHints) parts.push(`column ${hint}\n`);
  const blobs = Object.entries(r.blobSizes);
  if (blobs.length > 0) {
    parts.push('\n');
    parts.push(
      formatTable(
        ['blob column', 'sampled', 'min', 'median', 'p90', 'max'],
        blobs.map(([name, s]) =>
          s === null
            ? [name, '0', '-', '-', '-', '-']
            : [
                name,
                String(s.count),
                formatBytes(s.min),
                formatBytes(s.median),
                formatBytes(s.p90),
                formatBytes(s.max),
              ],
        ),
      ),
    );
  }
  if (r.sampleRow === null) parts.push('\nthe table is empty\n');
  else {
    parts.push('\none row:\n');
    for (const [k, v] of Object.entries(r.sampleRow)) parts.push(`  ${k}: ${v}\n`);
  }
  if (r.manifest !== null) {
    const m = r.manifest;
    parts.push(
      `\ningested by ${m.tool} (${m.kind}) from ${m.source}, ${m.rowCount} rows, ${m.finishedAt}\n`,
    );
    if (m.classNames !== undefined)
      parts.push(`classes: ${m.classNames.map((n, i) => `${i}: ${n}`).join(', ')}\n`);
  }
  return parts.join('');
}
