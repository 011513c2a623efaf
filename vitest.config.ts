import { defineConfig } from 'vitest/config';

// CI sets CASSDL_TEST_REPORT to a file path to get vitest's JSON report next to
// the usual console output (scripts/test-summary.mjs reads it), so `pnpm test`
// stays the one test command for people and CI alike.
const jsonReport = process.env.CASSDL_TEST_REPORT;

// One vitest run covers every package; each package's own vitest.config.ts
// names its project after package.json and resolves workspace imports to src.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    ...(jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {}),
  },
});
