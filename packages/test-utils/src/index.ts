// Fixtures shared by cassdl's tests and benchmarks (private: never a dependency of a published package).

export { type BundleContents, secureConnectBundle } from './astra/bundle.js';
export { type AstraCertificates, generateAstraCertificates } from './astra/certificates.js';
export { type LocalAstra, startLocalAstra } from './astra/local-astra.js';
export { type ContactInfo, startMetadataService } from './astra/metadata-service.js';
export { type SniConnection, type SniProxy, startSniProxy } from './astra/sni-proxy.js';
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
export { buildPlan, DEFAULT_OPTIONS, rowReadQuery } from './plan.js';
