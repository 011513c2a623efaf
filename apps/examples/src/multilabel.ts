// The multilabel example (cassandra-dali-plugin's Corel-5k training): images
// with several shapes, multi-hot .npy blob labels, one sigmoid per tag,
// micro-F1 on the val split. See docs/multilabel.md.
import { exampleConnection } from './common/connection.js';
import { consoleLogger } from './common/log.js';
import { runCommand } from './common/main.js';
import { useBestBackend } from './common/tf-backend.js';
import { MULTILABEL_FLAGS, multilabelOptions } from './multilabel/options.js';
import { runMultilabel } from './multilabel/run.js';

runCommand({
  name: 'multilabel',
  summary:
    'Train a sigmoid CNN on generated multi-shape images read from Cassandra; print val micro-F1.',
  flags: MULTILABEL_FLAGS,
  async run(flags) {
    const log = consoleLogger('multilabel');
    log(`TensorFlow.js backend: ${await useBestBackend()}`);
    const r = await runMultilabel(await exampleConnection(log), multilabelOptions(flags), log);
    const ok = r.microF1 > r.baseline;
    log(
      `micro-F1 ${r.microF1.toFixed(3)} vs baseline ${r.baseline.toFixed(3)}: ${ok ? 'above' : 'NOT above'} baseline`,
    );
    return flags.bool('check') && !ok ? 1 : 0;
  },
});
