import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConnection } from '@cassdl/local-cassandra';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import * as tf from '@tensorflow/tfjs';

/** The dev/test Cassandra and the cpu backend, as every end-to-end test needs. */
export async function e2eSetup(): Promise<ConnectionOptionsInput> {
  await tf.setBackend('cpu');
  const c = await testConnection();
  return { contactPoints: c.contactPoints, port: c.port, localDataCenter: c.localDataCenter };
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `cassdl-ex-${prefix}-`));
}
