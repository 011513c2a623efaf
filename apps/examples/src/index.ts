// The examples as library functions, for tests and for readers who want to
// call a step from their own code. Each command in this folder (e.g.
// `classification.ts`) is a thin flag parser over one of these.
export type { ClassificationOptions } from './classification/options.js';
export { type ClassificationResult, runClassification } from './classification/run.js';
export {
  checkShardsExactlyOnce,
  runShardProcesses,
  type ShardCheck,
} from './classification/shards.js';
export { CassdlCommandError, cassdlBinPath, runCassdl } from './common/cassdl-cli.js';
export { exampleConnection } from './common/connection.js';
export { useBestBackend } from './common/tf-backend.js';
export { classNames, generateClassification } from './data/classification-data.js';
export { generateMultilabel, tagNames } from './data/multilabel-data.js';
export { generateSegmentation, SEGMENTATION_CLASSES } from './data/segmentation-data.js';
export { inferBody, type LoadReport, measureLoad, streamInfer } from './inference/client.js';
export { InferError, parseIdsRequest } from './inference/kserve.js';
export { Predictor } from './inference/predictor.js';
export { type RunningService, serveModel, splitIds } from './inference/run.js';
export { inferenceService, type ServiceOptions } from './inference/service.js';
export { accuracy, majorityClassAccuracy } from './metrics/accuracy.js';
export { PixelConfusion } from './metrics/mean-iou.js';
export { f1Counts, microF1, trivialMicroF1 } from './metrics/micro-f1.js';
export { loadModel, saveModel } from './models/save-load.js';
export type { MultilabelOptions } from './multilabel/options.js';
export { type MultilabelResult, runMultilabel } from './multilabel/run.js';
export type { SegmentationOptions } from './segmentation/options.js';
export { runSegmentation, type SegmentationResult } from './segmentation/run.js';
