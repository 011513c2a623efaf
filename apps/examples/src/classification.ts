// The classification example (cassandra-dali-plugin's Imagenette training):
// generate images of 10 shape/colour classes, `cassdl ingest classification`,
// `cassdl split create`, train a small CNN with model.fitDataset from the
// cassdl reader and gpu-ops, evaluate on the val split. See docs/classification.md.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLASSIFICATION_FLAGS, classificationOptions } from './classification/options.js';
import { runClassification } from './classification/run.js';
import { checkShardsExactlyOnce, runShardProcesses } from './classification/shards.js';
import { exampleConnection } from './common/connection.js';
import { consoleLogger } from './common/log.js';
import { runCommand } from './common/main.js';
import { useBestBackend } from './common/tf-backend.js';

runCommand({
  name: 'classification',
  summary: 'Train a small CNN on generated shape images read from Cassandra; print val accuracy.',
  flags: CLASSIFICATION_FLAGS,
  async run(flags) {
    const o = classificationOptions(flags);
    const shards = flags.int('shards');
    if (!o.setup) {
      // A shard worker of a --shards run: quiet, result as the last stdout line.
      await useBestBackend();
      const result = await runClassification(await exampleConnection(() => {}), o, console.log);
      console.log(JSON.stringify(result));
      return 0;
    }
    const log = consoleLogger('classification');
    log(`TensorFlow.js backend: ${await useBestBackend()}`);
    const connection = await exampleConnection(log);
    const result = await runClassification(connection, o, log);
    let ok = result.accuracy > result.baseline;
    log(
      `accuracy ${result.accuracy.toFixed(3)} vs baseline ${result.baseline.toFixed(3)}: ${ok ? 'above' : 'NOT above'} baseline`,
    );
    if (shards > 1) {
      log(`6. training again as ${shards} processes (shardId 0..${shards - 1}) on the same split`);
      const passthrough = withoutFlags(
        process.argv.slice(2),
        ['--check'],
        ['--shards', '--save-model', '--work-dir'],
      );
      const workDir = dirname(result.splitFile);
      const results = await runShardProcesses(
        fileURLToPath(import.meta.url),
        passthrough,
        shards,
        workDir,
        connection,
        log,
      );
      const check = await checkShardsExactlyOnce(result.splitFile, results, o.epochs);
      for (const line of check.lines) log(`   ${line}`);
      ok &&= check.ok;
    }
    return flags.bool('check') && !ok ? 1 : 0;
  },
});

/** argv minus some boolean flags and some flags with a value (the shard workers get their own). */
function withoutFlags(argv: string[], booleans: string[], valued: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (valued.includes(a)) i++;
    else if (!booleans.includes(a) && !valued.some((v) => a.startsWith(`${v}=`))) out.push(a);
  }
  return out;
}
