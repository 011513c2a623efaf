// Fixtures shared by cassdl's tests and benchmarks (private: never a dependency of a published package).
export {
  openDriverClient,
  type TestTarget,
  testConnectionInput,
  withClient,
} from './connection.js';
export {
  createDataTable,
  createKeyspace,
  readWithDriver,
  type SeededTable,
  seedTable,
  writeRandomRows,
} from './datasets.js';
export { concat } from './keys.js';
export { runNativeTests } from './native.js';
export { buildPlan, DEFAULT_OPTIONS, prepareRowRead, rowReadQuery } from './plan.js';
