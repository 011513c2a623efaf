import { defineProject } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

export default defineProject({
  resolve: { conditions: ['@cassdl/source'] },
  test: {
    name: pkg.name,
    include: ['src/**/__tests__/**/*.test.ts'],
    testTimeout: 30_000, // the suite shares two cores with Cassandra nodes
    // Inferred types are part of the contract: `*.test-d.ts` files are
    // checked by tsc within the same test run.
    typecheck: {
      enabled: true,
      include: ['src/**/__tests__/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
