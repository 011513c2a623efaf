import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReaderState } from '../../reader/state.js';

/** The built reader: a child process runs plain Node, without vitest's TypeScript transform. */
const CORE = new URL('../../../dist/index.js', import.meta.url).href;

/**
 * A shard as a training job runs it: its own process with its own reader.
 * Reads stdin `{ options, resume, take }`, opens the reader, resumes from
 * `resume` (one state or all old shards' states) if given, reads `take`
 * batches of the current epoch (all when null) and prints the non-padding
 * ids it got (with their epoch), its `state()` and the batches its epoch
 * had when it started, as one JSON line.
 */
const SCRIPT = `
import { CassandraReader } from ${JSON.stringify(CORE)};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { options, resume, take } = JSON.parse(input);
const reader = await CassandraReader.open(options);
const ids = [];
try {
  if (resume !== null) reader.resume(resume);
  const batches = reader.batchesPerEpoch;
  let n = 0;
  for await (const batch of reader.epoch()) {
    for (let i = 0; i < batch.size - batch.padding; i++)
      ids.push(batch.epoch + ':' + Buffer.from(batch.ids.subarray(i * 16, i * 16 + 16)).toString('hex'));
    if (++n === take) break;
  }
  process.stdout.write(JSON.stringify({ ids, state: reader.state(), batches }) + '\\n');
} finally {
  await reader.close();
}
`;

let scriptPath: string | null = null;

/** The script as a file: \`node -e\` is refused when vitest's loader options are inherited. */
function script(): string {
  if (scriptPath === null) {
    scriptPath = join(mkdtempSync(join(tmpdir(), 'cassdl-shard-')), 'shard.mjs');
    writeFileSync(scriptPath, SCRIPT);
  }
  return scriptPath;
}

export interface ShardRun {
  readonly ids: string[];
  readonly state: ReaderState;
  readonly batches: number;
}

export function runShardProcess(
  options: Record<string, unknown>,
  resume: ReaderState | readonly ReaderState[] | null,
  take: number | null,
): Promise<ShardRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script()], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`shard process exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim()) as ShardRun);
    });
    child.stdin.end(JSON.stringify({ options, resume, take }));
  });
}
