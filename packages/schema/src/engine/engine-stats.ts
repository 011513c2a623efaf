/** An engine's counters since open; cheap enough to read per batch. */
export interface EngineStats {
  readonly requests: number;
  readonly retries: number;
  readonly failures: number;
  readonly rows: number;
  readonly bytes: number;
  /** Row requests on the wire now, and the most at any time since open. */
  readonly inflight: number;
  readonly peakInflight: number;
  readonly missing: number;
  /** Native engine only: row bytes read from the socket straight into their batch arena (large rows of one size). */
  readonly placedBytes?: number;
  /** Native engine only: bytes read from the connections (after TLS), handshakes included. */
  readonly receivedBytes?: number;
  /**
   * Native engine only: the batch arenas (slots made, ring size, lent now,
   * overflow lendings, bytes mapped) and the chunks rows that arrive early
   * wait in (`arenaBytes`, spare ones included): the native memory the
   * reader counts against `memoryBudget`.
   */
  readonly batchRing?: {
    readonly slots: number;
    readonly ringSize: number;
    readonly lent: number;
    readonly overflows: number;
    readonly mappedBytes: number;
    readonly arenaBytes?: number;
  };
  /** Latency of single row requests in milliseconds. */
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Row request latency per host (`address:port`) the engine has measured. */
  readonly hosts?: readonly HostLatency[];
}

/**
 * One host's row request latency: the time from sending one row request to
 * its answer. `answered` and `totalMs` only grow, so a reader that keeps the
 * previous values gets the mean round trip since then (what the pipeline
 * controller sizes the pipeline from).
 */
export interface HostLatency {
  readonly host: string;
  readonly p50: number;
  readonly p99: number;
  /** Row requests answered by this host since the engine opened. */
  readonly answered: number;
  /** Their latencies summed, in milliseconds. */
  readonly totalMs: number;
}
