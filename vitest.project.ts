import { configDefaults, defineProject, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

/**
 * Tests that need a Cassandra (or start one, or a cluster) live in
 * `*.int.test.ts`; `pnpm test:unit` sets `CASSDL_TEST_TIER=unit` and runs the
 * rest, which must pass with no server reachable (the test connection helper
 * refuses to start one in that tier).
 */
const INTEGRATION_TESTS = '**/*.int.test.ts';
const unitTier = process.env.CASSDL_TEST_TIER === 'unit';

/**
 * The one vitest project shape every package uses: named after its
 * package.json, workspace imports resolved to sources, tests under
 * `src/**\/__tests__/`. `extra` adds to the test options (schema's typecheck).
 */
export function packageProject(name: string, extra: TestOptions = {}) {
  return defineProject({
    resolve: { conditions: ['@cassdl/source'] },
    test: {
      name,
      include: ['src/**/__tests__/**/*.test.ts'],
      exclude: unitTier ? [...configDefaults.exclude, INTEGRATION_TESTS] : configDefaults.exclude,
      // The whole suite runs its files in parallel on two cores next to Cassandra
      // nodes: vitest's 5 s default fails CPU-bound tests that are merely slow.
      testTimeout: 30_000,
      ...extra,
    },
  });
}
