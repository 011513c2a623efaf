import { defineProject } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

export default defineProject({
  resolve: { conditions: ['@cassdl/source'] },
  test: {
    name: pkg.name,
    include: ['src/**/__tests__/**/*.test.ts'],
    // Inferred types are part of the contract: `*.test-d.ts` files are
    // checked by tsc within the same test run.
    typecheck: {
      enabled: true,
      include: ['src/**/__tests__/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
