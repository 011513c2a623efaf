import { readFile } from 'node:fs/promises';
import { fromDaliOptions } from '@cassdl/core';
import type { ConnectionOptionsInput, ReaderOptionsInput } from '@cassdl/schema';
import { InvalidArgumentError } from 'commander';
import { connectionFromFlags } from './connection-flags.js';
import type { CliIo } from './io.js';

/** The cassdl reader options a `--dali-options` file maps to, and the connection they name. */
export interface DaliOptionsFile {
  readonly options: ReaderOptionsInput;
  readonly connection: ConnectionOptionsInput;
}

/**
 * Reads a file of cassandra-dali-plugin reader arguments (`fn.crs4.cassandra`'s,
 * snake_case JSON) and maps them with `fromDaliOptions`: each notice and the
 * resulting options (secrets hidden) go to stderr, so what changed is on record.
 * The connection falls back to the local defaults where the file names none.
 */
export async function readDaliOptionsFile(file: string, io: CliIo): Promise<DaliOptionsFile> {
  let dali: unknown;
  try {
    dali = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError(
      `--dali-options ${file}: not a readable JSON file (${(error as Error).message})`,
    );
  }
  if (typeof dali !== 'object' || dali === null || Array.isArray(dali)) {
    throw new InvalidArgumentError(
      `--dali-options ${file}: expected a JSON object of reader arguments`,
    );
  }
  const { options } = fromDaliOptions(dali as Record<string, unknown>, {
    onNotice: (n) => io.err(`${n}\n`),
  });
  const { sourceUuids: _ids, ...shown } = options as Record<string, unknown>;
  io.err(`cassdl reader options: ${JSON.stringify(redacted(shown))}\n`);
  const connection = {
    ...connectionFromFlags({}, {}),
    ...(options.connection as ConnectionOptionsInput | undefined),
  };
  return { options, connection };
}

function redacted(options: Record<string, unknown>): Record<string, unknown> {
  const connection = options.connection as Record<string, unknown> | undefined;
  if (connection?.password === undefined && connection?.sslOwnKeyPass === undefined) return options;
  return { ...options, connection: { ...connection, password: '***', sslOwnKeyPass: '***' } };
}
