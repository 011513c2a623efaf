import { packageProject } from '../../vitest.project.js';
import pkg from './package.json' with { type: 'json' };

// Inferred types are part of the contract: `*.test-d.ts` files are checked by
// tsc within the same test run.
export default packageProject(pkg.name, {
  typecheck: {
    enabled: true,
    include: ['src/**/__tests__/**/*.test-d.ts'],
    tsconfig: './tsconfig.json',
  },
});
