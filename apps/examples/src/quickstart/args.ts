import { parseArgs } from 'node:util';

export interface QuickstartArgs {
  keyspace: string;
  rows: number;
  blobBytes: number;
  batchSize: number;
}

const USAGE =
  'usage: node apps/examples/dist/quickstart.js [--rows 2000] [--blob-kb 32] [--batch-size 64] [--keyspace cassdl_demo]';

/** Small flags so the quickstart can be scaled up without editing code. */
export function parseQuickstartArgs(argv: string[]): QuickstartArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '2000' },
      'blob-kb': { type: 'string', default: '32' },
      'batch-size': { type: 'string', default: '64' },
      keyspace: { type: 'string', default: 'cassdl_demo' },
    },
  });
  return {
    keyspace: values.keyspace,
    rows: positiveInt('--rows', values.rows),
    blobBytes: positiveInt('--blob-kb', values['blob-kb']) * 1024,
    batchSize: positiveInt('--batch-size', values['batch-size']),
  };
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${flag}: expected a positive integer, received "${text}"\n${USAGE}`);
  return n;
}
