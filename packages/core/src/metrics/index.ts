export { LatencyHistogram } from './histogram.js';
export { MetricsRecorder, type ReaderMetrics } from './reader-metrics.js';
