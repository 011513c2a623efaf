import { defineProject } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

export default defineProject({
  resolve: { conditions: ['@cassdl/source'] },
  test: {
    name: pkg.name,
    include: ['src/**/__tests__/**/*.test.ts'],
    // The whole suite runs its files in parallel on two cores next to Cassandra
    // nodes: vitest's 5 s default fails CPU-bound tests that are merely slow.
    testTimeout: 30_000,
  },
});
