/** What the load client measured. */
export interface LoadReport {
  requests: number;
  failed: number;
  seconds: number;
  requestsPerSec: number;
  samplesPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

export interface LoadOptions {
  url: string;
  model: string;
  ids: readonly string[];
  /** Ids per request. */
  batch: number;
  requests: number;
  /** Requests open at once. */
  concurrency: number;
}

/** The body of an infer request for some ids. */
export function inferBody(ids: readonly string[], requestId?: string): string {
  return JSON.stringify({
    ...(requestId !== undefined ? { id: requestId } : {}),
    inputs: [{ name: 'ids', datatype: 'BYTES', shape: [ids.length], data: ids }],
  });
}

/**
 * Sends `requests` infer requests, `concurrency` at a time, each for `batch`
 * ids taken round-robin from `ids`, and reports throughput and latency
 * percentiles (perf_analyzer's figures, in miniature).
 */
export async function measureLoad(o: LoadOptions): Promise<LoadReport> {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const endpoint = `${o.url}/v2/models/${o.model}/infer`;
  const worker = async () => {
    while (next < o.requests) {
      const n = next++;
      const ids = Array.from(
        { length: o.batch },
        (_, k) => o.ids[(n * o.batch + k) % o.ids.length] ?? '',
      );
      const started = performance.now();
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: inferBody(ids),
      });
      await res.arrayBuffer();
      if (res.ok) latencies.push(performance.now() - started);
      else failed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: o.requests,
    failed,
    seconds,
    requestsPerSec: latencies.length / seconds,
    samplesPerSec: (latencies.length * o.batch) / seconds,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies.at(-1) ?? 0 },
  };
}

/** Reads an `infer_stream` NDJSON answer line by line as the chunks arrive. */
export async function* streamInfer(
  url: string,
  model: string,
  ids: readonly string[],
): AsyncGenerator<Record<string, unknown>> {
  const res = await fetch(`${url}/v2/models/${model}/infer_stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: inferBody(ids),
  });
  if (!res.ok || res.body === null)
    throw new Error(`infer_stream: HTTP ${res.status}: ${await res.text()}`);
  const decoder = new TextDecoder();
  let pending = '';
  for await (const bytes of res.body) {
    pending += decoder.decode(bytes, { stream: true });
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      yield JSON.parse(pending.slice(0, nl)) as Record<string, unknown>;
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  }
}
