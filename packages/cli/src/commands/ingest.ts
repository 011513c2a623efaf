import { resolve } from 'node:path';
import { resolveLocalDataCenter } from '@cassdl/core';
import {
  DEFAULT_INGEST_COLUMNS,
  type ImageOutputFormat,
  type IngestCommonOptions,
  type IngestProgress,
  type IngestSummary,
  ingestClassification,
  ingestMultilabel,
  ingestSegmentation,
} from '@cassdl/datasets';
import type { ConnectionOptionsInput, KeyspaceInput } from '@cassdl/schema';
import { type Command, Option } from 'commander';
import {
  addConnectionFlags,
  type ConnectionFlags,
  connectionFromFlags,
} from '../ui/connection-flags.js';
import { formatDuration } from '../ui/format.js';
import { withInterrupt } from '../ui/interrupt.js';
import { type CliIo, processIo } from '../ui/io.js';
import { intFlag, keyspaceFromPath } from '../ui/parse.js';
import { createProgressBar, type ProgressBar } from '../ui/progress.js';
import { runAction } from '../ui/run-action.js';

interface IngestFlags extends ConnectionFlags {
  keyspace?: string;
  dataTable: string;
  metadataTable: string;
  replicationClass: 'SimpleStrategy' | 'NetworkTopologyStrategy';
  replicationFactor: string;
  concurrency: string;
  strict?: boolean;
  overwrite?: boolean;
  json?: boolean;
  labels?: string;
  npyDtype?: 'u1' | 'f4';
  resize?: string;
  crop?: boolean;
  format?: ImageOutputFormat;
  quality?: string;
  idCol?: string;
  dataCol?: string;
  labelCol?: string;
  filenameCol?: string;
  originalLabelCol?: string;
  originalSplitCol?: string;
}

/** Files listed in the human summary; `--json` lists all. */
const SHOWN_SKIPPED = 20;

/** `cassdl ingest classification|segmentation|multilabel`. */
export function registerIngestCommand(program: Command, io: CliIo = processIo()): void {
  const ingest = program
    .command('ingest')
    .description('write a folder of images into Cassandra (data + metadata tables), resumable');

  withIngestFlags(
    ingest
      .command('classification')
      .argument('<dir>', 'DIR/CLASS/*.jpg or DIR/{train,val}/CLASS/*.jpg'),
  )
    .description('images in one folder per class; labels are class indices in sorted name order')
    .action((dir: string, flags: IngestFlags) =>
      runAction(io, 'ingest classification', () =>
        runWithUi(io, flags, async (common) =>
          ingestClassification({ ...common, ...(await commonOptions(flags, dir, io)), dir }),
        ),
      ),
    );

  withIngestFlags(
    ingest
      .command('segmentation')
      .argument('<images>', 'folder of images')
      .argument('<masks>', 'folder of masks, paired with images by relative path minus extension'),
  )
    .description('images with masks; the mask bytes are stored as the label blob')
    .action((imagesDir: string, masksDir: string, flags: IngestFlags) =>
      runAction(io, 'ingest segmentation', () =>
        runWithUi(io, flags, async (common) =>
          ingestSegmentation({
            ...common,
            ...(await commonOptions(flags, imagesDir, io)),
            imagesDir,
            masksDir,
          }),
        ),
      ),
    );

  withIngestFlags(ingest.command('multilabel').argument('<dir>', 'folder of images'))
    .requiredOption(
      '--labels <file.csv>',
      'CSV of file,tag1|tag2|... (file relative to DIR, or its base name)',
    )
    .addOption(
      new Option('--npy-dtype <type>', 'element type of the multi-hot .npy label')
        .choices(['u1', 'f4'])
        .default('u1'),
    )
    .description(
      'images with tag lists; labels are multi-hot .npy vectors over the sorted vocabulary',
    )
    .action((dir: string, flags: IngestFlags) =>
      runAction(io, 'ingest multilabel', () =>
        runWithUi(io, flags, async (common) =>
          ingestMultilabel({
            ...common,
            ...(await commonOptions(flags, dir, io)),
            dir,
            labels: flags.labels ?? '',
            npyDtype: flags.npyDtype ?? 'u1',
          }),
        ),
      ),
    );
}

function withIngestFlags(command: Command): Command {
  return addConnectionFlags(command)
    .option(
      '--keyspace <name>',
      'keyspace (default: the folder name, lowercased, other characters as _)',
    )
    .option('--data-table <name>', 'data table', 'data')
    .option('--metadata-table <name>', 'metadata table', 'metadata')
    .addOption(
      new Option('--replication-class <class>', 'replication of a keyspace created here')
        .choices(['SimpleStrategy', 'NetworkTopologyStrategy'])
        .default('SimpleStrategy'),
    )
    .option(
      '--replication-factor <n>',
      'copies per row; with NetworkTopologyStrategy N (local data center) or dc1:3,dc2:2',
      '1',
    )
    .option(
      '--resize <n>',
      'resize images so the shorter side is N pixels (masks: nearest-neighbour)',
    )
    .option('--crop', 'with --resize, keep the centre N x N square')
    .addOption(
      new Option('--format <format>', 're-encode images (default: keep their format)').choices([
        'jpeg',
        'png',
        'webp',
      ]),
    )
    .option('--quality <n>', 'JPEG/WebP quality 1-100 (default 90)')
    .option('--id-col <name>', 'id column of both tables', DEFAULT_INGEST_COLUMNS.id)
    .option('--data-col <name>', 'bytes column of the data table', DEFAULT_INGEST_COLUMNS.data)
    .option('--label-col <name>', 'label column of both tables', DEFAULT_INGEST_COLUMNS.label)
    .option('--filename-col <name>', 'metadata: relative path', DEFAULT_INGEST_COLUMNS.filename)
    .option(
      '--original-label-col <name>',
      'metadata: class name / mask / tags (cassandra-dali-plugin: or_label)',
      DEFAULT_INGEST_COLUMNS.originalLabel,
    )
    .option(
      '--original-split-col <name>',
      'metadata: split folder (cassandra-dali-plugin: or_split)',
      DEFAULT_INGEST_COLUMNS.originalSplit,
    )
    .option('--concurrency <n>', 'samples read and written at once', '64')
    .option('--strict', 'stop at the first unusable file instead of skipping it')
    .option('--overwrite', 'rewrite rows already present (changed files) instead of skipping them')
    .option('--json', 'print the summary as JSON on stdout');
}

type Hooks = Pick<IngestCommonOptions, 'onProgress' | 'signal'>;

async function commonOptions(
  flags: IngestFlags,
  source: string,
  io: CliIo,
): Promise<Omit<IngestCommonOptions, keyof Hooks>> {
  const connection = connectionFromFlags(flags, io.env);
  return {
    connection,
    keyspace: flags.keyspace ?? keyspaceFromPath(resolve(source)),
    dataTable: flags.dataTable,
    metadataTable: flags.metadataTable,
    replication: await replicationFromFlags(flags, connection),
    columns: {
      id: flags.idCol ?? DEFAULT_INGEST_COLUMNS.id,
      data: flags.dataCol ?? DEFAULT_INGEST_COLUMNS.data,
      label: flags.labelCol ?? DEFAULT_INGEST_COLUMNS.label,
      filename: flags.filenameCol ?? DEFAULT_INGEST_COLUMNS.filename,
      originalLabel: flags.originalLabelCol ?? DEFAULT_INGEST_COLUMNS.originalLabel,
      originalSplit: flags.originalSplitCol ?? DEFAULT_INGEST_COLUMNS.originalSplit,
    },
    image: {
      ...(flags.resize !== undefined ? { resize: intFlag('resize', flags.resize, 1) } : {}),
      ...(flags.crop === true ? { crop: true } : {}),
      ...(flags.format !== undefined ? { format: flags.format } : {}),
      ...(flags.quality !== undefined ? { quality: intFlag('quality', flags.quality, 1) } : {}),
    },
    concurrency: intFlag('concurrency', flags.concurrency, 1),
    strict: flags.strict === true,
    overwrite: flags.overwrite === true,
  };
}

/** A bare replication factor applies to the local data center, detected when not given. */
async function replicationFromFlags(
  flags: IngestFlags,
  connection: ConnectionOptionsInput,
): Promise<KeyspaceInput['replication']> {
  if (flags.replicationClass === 'SimpleStrategy') {
    return {
      class: 'SimpleStrategy',
      replicationFactor: intFlag('replication-factor', flags.replicationFactor, 1),
    };
  }
  const text = flags.replicationFactor;
  const dataCenters: Record<string, number> = {};
  if (/^\d+$/.test(text)) dataCenters[await resolveLocalDataCenter(connection)] = Number(text);
  else {
    for (const part of text.split(',')) {
      const [dc = '', rf = ''] = part.split(':');
      dataCenters[dc.trim()] = intFlag('replication-factor', rf, 0);
    }
  }
  return { class: 'NetworkTopologyStrategy', dataCenters };
}

async function runWithUi(
  io: CliIo,
  flags: IngestFlags,
  run: (hooks: Hooks) => Promise<IngestSummary>,
): Promise<void> {
  let bar: ProgressBar | null = null;
  const onProgress = (e: IngestProgress) => {
    bar ??= createProgressBar(io, 'ingest', e.total);
    bar.update(e.done, e.total);
  };
  const summary = await withInterrupt((signal) => run({ onProgress, signal })).finally(() =>
    bar?.finish(),
  );
  io.out(flags.json === true ? `${JSON.stringify(summary, null, 2)}\n` : describeSummary(summary));
}

/** The human summary: where rows went, counts, labels, and what was skipped. */
export function describeSummary(s: IngestSummary): string {
  const lines = [
    `${s.kind}: ${s.rowCount} samples in ${s.keyspace}.${s.dataTable} (metadata ${s.keyspace}.${s.metadataTable}), ` +
      `${s.written} written, ${s.alreadyPresent} already present, ${s.skipped.length} skipped, ${formatDuration(s.wallSec)}`,
  ];
  if (s.classNames !== undefined) {
    lines.push(
      `classes (label: name): ${s.classNames.map((name, i) => `${i}: ${name}`).join(', ')}`,
    );
  }
  if (s.vocabulary !== undefined)
    lines.push(`vocabulary: ${s.vocabulary.length} tags, written to ${s.vocabularyFile}`);
  lines.push(`manifest stored in ${s.keyspace}.cassdl_manifest`);
  for (const file of s.skipped.slice(0, SHOWN_SKIPPED))
    lines.push(`skipped ${file.path}: ${file.reason}`);
  if (s.skipped.length > SHOWN_SKIPPED)
    lines.push(`… and ${s.skipped.length - SHOWN_SKIPPED} more skipped (see --json)`);
  return `${lines.join('\n')}\n`;
}
