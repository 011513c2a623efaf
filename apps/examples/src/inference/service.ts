import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { InferError, parseIdsRequest } from './kserve.js';
import type { Predictor } from './predictor.js';
import { inferResponse, modelMetadata } from './responses.js';

export interface ServiceOptions {
  /** Model name in the URLs. */
  modelName: string;
  /** Most ids in one `infer` request; longer lists go to `infer_stream`. */
  maxIdsPerRequest?: number;
  /** Ids per NDJSON chunk of `infer_stream`. */
  streamChunk?: number;
  /** Fastify's logger (off by default). */
  logger?: boolean;
}

/**
 * The KServe v2 HTTP endpoints Triton serves, over a `Predictor`:
 *
 * - `GET /v2/health/live`, `GET /v2/health/ready`, `GET /v2/models/{name}`,
 *   `GET /v2/models/{name}/ready`
 * - `POST /v2/models/{name}/infer`: ids in, probabilities and labels out
 * - `POST /v2/models/{name}/infer_stream`: the same request with a long id
 *   list; the answer is NDJSON, one v2 response per chunk of ids, sent as each
 *   chunk is done (cassandra-dali-plugin's decoupled mode).
 *
 * Bad requests get a 4xx and `{ "error": reason }`; nothing a client sends
 * can crash the process.
 */
export function inferenceService(predictor: Predictor, o: ServiceOptions): FastifyInstance {
  const maxIds = o.maxIdsPerRequest ?? 1024;
  const chunk = o.streamChunk ?? 64;
  const app = Fastify({ logger: o.logger ?? false, bodyLimit: 64 * 1024 * 1024 });
  app.setErrorHandler((error, _req, reply) => sendError(reply, error));
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: `no route ${req.method} ${req.url}` }),
  );

  const checkModel = (name: string) => {
    if (name !== o.modelName)
      throw new InferError(404, `unknown model "${name}" (this server serves "${o.modelName}")`);
  };
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async () => ({ ready: true }));
  app.get('/v2', async () => ({ name: 'cassdl-examples', version: '1', extensions: [] }));
  app.get<{ Params: { name: string } }>('/v2/models/:name', async (req) => {
    checkModel(req.params.name);
    return modelMetadata(o.modelName, predictor.size, predictor.classes);
  });
  app.get<{ Params: { name: string } }>('/v2/models/:name/ready', async (req) => {
    checkModel(req.params.name);
    return { name: o.modelName, ready: true };
  });
  app.post<{ Params: { name: string } }>('/v2/models/:name/infer', async (req) => {
    checkModel(req.params.name);
    const { id, ids } = parseIdsRequest(req.body, maxIds);
    return inferResponse(o.modelName, id, ids, await predictor.predict(ids));
  });
  app.post<{ Params: { name: string } }>('/v2/models/:name/infer_stream', async (req, reply) => {
    checkModel(req.params.name);
    // Every id is checked before the 200 goes out; only a missing row can fail mid-stream.
    const { id, ids } = parseIdsRequest(req.body, Number.MAX_SAFE_INTEGER);
    reply.type('application/x-ndjson');
    return reply.send(Readable.from(streamChunks(predictor, o.modelName, id, ids, chunk)));
  });
  return app;
}

async function* streamChunks(
  predictor: Predictor,
  model: string,
  id: string | undefined,
  ids: string[],
  chunk: number,
): AsyncGenerator<string> {
  for (let at = 0; at < ids.length; at += chunk) {
    const part = ids.slice(at, at + chunk);
    try {
      yield `${JSON.stringify(inferResponse(model, id, part, await predictor.predict(part)))}\n`;
    } catch (error) {
      // Headers are gone: the error becomes the last line, and the stream ends.
      const status = error instanceof InferError ? error.status : 500;
      yield `${JSON.stringify({ error: errorMessage(error), status })}\n`;
      return;
    }
  }
}

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof InferError) return reply.code(error.status).send({ error: error.message });
  const status = (error as { statusCode?: number }).statusCode;
  // Fastify's own 4xx: malformed JSON, wrong content type, body too large.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply.code(status).send({ error: errorMessage(error) });
  }
  reply.log.error(error);
  return reply.code(500).send({ error: `internal error: ${errorMessage(error)}` });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
