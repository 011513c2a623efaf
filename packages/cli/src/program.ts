import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerBenchCommand } from './commands/bench.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerPlanCommand } from './commands/plan.js';
import { registerServerCommand } from './commands/server.js';
import { registerSplitCommand } from './commands/split.js';
import { registerUuidsCommand } from './commands/uuids.js';
import { type CliIo, processIo } from './ui/io.js';

/** Read at run time: `../package.json` is the same file from `src/` and from `dist/`. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * The `cassdl` command tree. Each command lives in `commands/<name>.ts` and
 * registers itself here; `io` lets tests capture what commands print.
 */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('cassdl')
    .description('Load ML data stored as Cassandra BLOBs into TensorFlow.js')
    .version(packageVersion())
    .showHelpAfterError();
  registerServerCommand(program, io);
  registerIngestCommand(program, io);
  registerSplitCommand(program, io);
  registerUuidsCommand(program, io);
  registerInspectCommand(program, io);
  registerBenchCommand(program, io);
  registerPlanCommand(program, io);
  return program;
}
