// The public face of @cassdl/cli: the commands, to mount on another commander
// program. The library functions they call live in @cassdl/datasets (ingest,
// split, ids, inspect) and @cassdl/core (the reader).

export { registerBenchCommand } from './commands/bench.js';
export { registerIngestCommand } from './commands/ingest.js';
export { registerInspectCommand } from './commands/inspect.js';
export { registerSplitCommand } from './commands/split.js';
export { registerUuidsCommand } from './commands/uuids.js';
export type { CliIo } from './ui/io.js';
