// The inference example's server (cassandra-dali-plugin's Triton example):
// a KServe v2 HTTP service that takes sample ids, fetches the rows from
// Cassandra through the reader's interactive mode, preprocesses them with
// gpu-ops and runs the classifier. See docs/inference.md.
import { exampleConnection } from './common/connection.js';
import { consoleLogger } from './common/log.js';
import { runCommand } from './common/main.js';
import { useBestBackend } from './common/tf-backend.js';
import { serveModel } from './inference/run.js';

runCommand({
  name: 'inference-server',
  summary: 'Serve a model saved by `classification --save-model` over the KServe v2 HTTP protocol.',
  flags: {
    'model-dir': {
      default: 'cassdl-classifier',
      help: 'folder written by classification --save-model',
    },
    table: { default: 'cassdl_ex_classification.data', help: 'data table the ids refer to' },
    'model-name': { default: 'classifier', help: 'model name in the URLs' },
    host: { default: '127.0.0.1', help: 'address to listen on' },
    port: { default: '8000', help: 'port (Triton HTTP default)' },
    'stream-chunk': { default: '64', help: 'ids per NDJSON chunk of infer_stream' },
  },
  async run(flags) {
    const log = consoleLogger('inference-server');
    log(`TensorFlow.js backend: ${await useBestBackend()}`);
    const service = await serveModel(await exampleConnection(log), {
      modelDir: flags.text('model-dir'),
      table: flags.text('table'),
      modelName: flags.text('model-name'),
      host: flags.text('host'),
      port: flags.int('port', 0),
      streamChunk: flags.int('stream-chunk'),
    });
    log(
      `listening on ${service.url}: POST ${service.url}/v2/models/${flags.text('model-name')}/infer`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await service.close();
    return 0;
  },
});
