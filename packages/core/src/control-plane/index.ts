export { connectControlPlane, describeTarget } from './connect.js';
export { connectionErrorFrom } from './connect-errors.js';
export { ControlPlane } from './control-plane.js';
export { type ClientTuning, clientOptionsFromPlan, RethrowRetryPolicy } from './driver-options.js';
export { checkDataTable } from './schema-check.js';
export { loadTlsMaterial } from './tls-material.js';
