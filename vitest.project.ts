import { defineProject, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

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
      // The whole suite runs its files in parallel on two cores next to Cassandra
      // nodes: vitest's 5 s default fails CPU-bound tests that are merely slow.
      testTimeout: 30_000,
      ...extra,
    },
  });
}
