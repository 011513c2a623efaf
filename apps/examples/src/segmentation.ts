// The segmentation example (cassandra-dali-plugin's ADE20k training):
// images with 8-bit class masks, masks stored as blob labels, a tiny U-Net,
// mean IoU on the val split. See docs/segmentation.md.
import { exampleConnection } from './common/connection.js';
import { consoleLogger } from './common/log.js';
import { runCommand } from './common/main.js';
import { useBestBackend } from './common/tf-backend.js';
import { SEGMENTATION_FLAGS, segmentationOptions } from './segmentation/options.js';
import { runSegmentation } from './segmentation/run.js';

runCommand({
  name: 'segmentation',
  summary:
    'Train a tiny U-Net on generated images with masks read from Cassandra; print val mean IoU.',
  flags: SEGMENTATION_FLAGS,
  async run(flags) {
    const log = consoleLogger('segmentation');
    log(`TensorFlow.js backend: ${await useBestBackend()}`);
    const r = await runSegmentation(await exampleConnection(log), segmentationOptions(flags), log);
    const ok = r.meanIou > r.baseline;
    log(
      `mean IoU ${r.meanIou.toFixed(3)} vs baseline ${r.baseline.toFixed(3)}: ${ok ? 'above' : 'NOT above'} baseline`,
    );
    return flags.bool('check') && !ok ? 1 : 0;
  },
});
