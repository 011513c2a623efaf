import { createRequire } from 'node:module';

// `../package.json` is the package root from both `src` and `dist`.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

/** `cassdl 0.1.0`: what split files and manifests record as the tool that wrote them. */
export const TOOL = `cassdl ${pkg.version}`;
