#!/usr/bin/env node
// `pnpm chaos`: runs the fault scenarios against a fresh local 3-node cluster
// (127.0.0.61-63, or the three addresses from CASSDL_CHAOS_ADDRESS on), prints
// a table and writes chaos/report.json.
import { formatDetails, formatTable } from './report.js';
import { DEFAULT_CHAOS_ADDRESS, runChaos } from './run-chaos.js';

const started = Date.now();
const log = (msg: string) =>
  console.error(`[chaos ${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}`);

try {
  const address = process.env.CASSDL_CHAOS_ADDRESS ?? DEFAULT_CHAOS_ADDRESS;
  const report = await runChaos({ address, onProgress: log });
  console.log(formatTable(report.results));
  console.log(`\n${formatDetails(report.results)}\n\nwrote chaos/report.json`);
  if (!report.native.available) console.log(`note: ${report.native.note}`);
  console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = report.results.some((r) => r.outcome === 'fail') ? 1 : 0;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
// Every reader and client is closed by now, but after the cluster-restart
// scenario cassandra-driver (4.10) can keep a pool's reconnection timer armed
// past shutdown(), which would hold the process open: the report is written,
// so end here. Tracked in the chaos README's known issues.
process.exit();
