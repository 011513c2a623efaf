import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import { connectionEnv } from '../common/connection.js';
import type { Logger } from '../common/log.js';
import type { ClassificationResult } from './run.js';

/** What the `--shards N` check found. */
export interface ShardCheck {
  ok: boolean;
  /** One line per epoch: ids seen in total, distinct, expected. */
  lines: string[];
}

/**
 * Every training id exactly once per epoch across the shards, as DALI's
 * sharded readers promise: each shard reports the ids it saw (padding
 * excluded); together they must be the train split, with no repeats.
 */
export async function checkShardsExactlyOnce(
  splitFile: string,
  shards: readonly ClassificationResult[],
  epochs: number,
): Promise<ShardCheck> {
  const split = JSON.parse(await readFile(splitFile, 'utf8')) as {
    splits: Record<string, string[]>;
  };
  const expected = new Set(split.splits.train ?? []);
  const lines: string[] = [];
  let ok = true;
  for (let e = 0; e < epochs; e++) {
    const all = shards.flatMap((s) => s.idsPerEpoch[e] ?? []);
    const distinct = new Set(all);
    const good =
      all.length === expected.size &&
      distinct.size === expected.size &&
      [...distinct].every((id) => expected.has(id));
    ok &&= good;
    const per = shards.map((s) => s.idsPerEpoch[e]?.length ?? 0).join(' + ');
    lines.push(
      `epoch ${e}: ${per} = ${all.length} ids, ${distinct.size} distinct, train split has ${expected.size}: ${good ? 'exactly once' : 'MISMATCH'}`,
    );
  }
  return { ok, lines };
}

/**
 * Runs this example as `numShards` processes, one per `--shard-id`, as a
 * data-parallel job would (one process per GPU). Each prints its result as
 * the last line of stdout in JSON.
 */
export async function runShardProcesses(
  script: string,
  baseArgs: readonly string[],
  numShards: number,
  workDir: string,
  connection: ConnectionOptionsInput,
  log: Logger,
): Promise<ClassificationResult[]> {
  const env = { ...process.env, ...connectionEnv(connection) };
  const run = (shardId: number) =>
    new Promise<ClassificationResult>((resolve, reject) => {
      const args = [
        script,
        ...baseArgs,
        '--work-dir',
        workDir,
        '--shard-id',
        String(shardId),
        '--num-shards',
        String(numShards),
      ];
      execFile(
        process.execPath,
        args,
        { env, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error !== null)
            return reject(new Error(`shard ${shardId} failed: ${stderr || error.message}`));
          const lines = stdout.trim().split('\n');
          for (const line of lines.slice(0, -1)) log(`  shard ${shardId} ${line}`);
          resolve(JSON.parse(lines.at(-1) ?? '{}') as ClassificationResult);
        },
      );
    });
  return Promise.all(Array.from({ length: numShards }, (_, k) => run(k)));
}
