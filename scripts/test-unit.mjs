#!/usr/bin/env node
// A package's unit tier: `vitest run` with CASSDL_TEST_TIER=unit, so
// vitest.project.ts leaves out `*.int.test.ts` and the test connection helper
// refuses to start a server. Turbo runs it per package (`pnpm test:unit`) and
// caches each package's result until its inputs change.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, CASSDL_TEST_TIER: 'unit' };
// An inherited cluster address would let a misfiled test pass here and fail on a machine without one.
for (const key of ['CASSDL_CONTACT_POINTS', 'CASSDL_PORT', 'CASSDL_LOCAL_DC']) delete env[key];
const result = spawnSync('vitest', ['run', '--passWithNoTests', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
