// `@cassdl/core/tf`: the TensorFlow.js adapter, a separate entry so that the
// main entry never loads TensorFlow.js (an optional peer dependency).
export { type BatchTransform, type EpochSource, toTfDataset } from './to-tf-dataset.js';
