import { readFile } from 'node:fs/promises';
import type { ConnectionOptionsInput } from '@cassdl/schema';
import type { FastifyInstance } from 'fastify';
import { loadModel } from '../models/save-load.js';
import { Predictor } from './predictor.js';
import { inferenceService } from './service.js';

export interface ServeOptions {
  /** Folder the classification example saved its model to (`--save-model`). */
  modelDir: string;
  /** Data table to fetch ids from, e.g. `cassdl_ex_classification.data`. */
  table: string;
  modelName: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  streamChunk?: number;
}

export interface RunningService {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Loads the model, opens an interactive reader, listens. */
export async function serveModel(
  connection: ConnectionOptionsInput,
  o: ServeOptions,
): Promise<RunningService> {
  const model = await loadModel(o.modelDir);
  const predictor = await Predictor.open(connection, o.table, model);
  const app = inferenceService(predictor, {
    modelName: o.modelName,
    ...(o.streamChunk ? { streamChunk: o.streamChunk } : {}),
  });
  const address = await app.listen({ host: o.host, port: o.port });
  return {
    url: address,
    app,
    async close() {
      await app.close();
      await predictor.close();
      model.dispose();
    },
  };
}

/** The val ids of a split file, to send as requests. */
export async function splitIds(splitFile: string, split = 'val'): Promise<string[]> {
  const file = JSON.parse(await readFile(splitFile, 'utf8')) as {
    splits: Record<string, string[]>;
  };
  const ids = file.splits[split];
  if (ids === undefined)
    throw new Error(
      `${splitFile} has no split "${split}" (has ${Object.keys(file.splits).join(', ')})`,
    );
  return ids;
}
