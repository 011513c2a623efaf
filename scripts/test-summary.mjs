#!/usr/bin/env node
// Runs a test command with vitest's JSON reporter switched on (through
// CASSDL_TEST_REPORT, read by the root vitest.config.ts), then prints one plain
// closing line ("tests: N passed, N failed, N skipped") that CI reads, and
// exits with the command's status.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: test-summary.mjs <command> [args...]');
  process.exit(2);
}
const report = join(mkdtempSync(join(tmpdir(), 'cassdl-tests-')), 'vitest.json');
const run = spawnSync(cmd, args, {
  stdio: 'inherit',
  env: { ...process.env, CASSDL_TEST_REPORT: report },
});
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) {
    console.error('no test ran');
    process.exit(1);
  }
} else {
  console.log('tests: 0 passed, 1 failed');
}
process.exit(run.status ?? 1);
