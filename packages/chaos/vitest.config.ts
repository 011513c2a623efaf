import { defineProject } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

export default defineProject({
  resolve: { conditions: ['@cassdl/source'] },
  test: { name: pkg.name, include: ['src/**/__tests__/**/*.test.ts'] },
});
