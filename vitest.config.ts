import { defineConfig } from 'vitest/config';

// One vitest run covers every package; each package's own vitest.config.ts
// names its project after package.json and resolves workspace imports to src.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
