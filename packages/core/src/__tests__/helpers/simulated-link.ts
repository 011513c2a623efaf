import {
  type PipelineBounds,
  PipelineController,
  type PipelineTarget,
} from '../../controller/pipeline-controller.js';

/** A link and a server, as the controller sees them: a rate, a round trip, and what over-driving does. */
export interface LinkModel {
  /** Rows per second the server delivers at best. */
  readonly rowsPerSec: number;
  /** Round trip without queueing, milliseconds. */
  readonly rttMs: number;
  readonly rowBytes: number;
  /** In flight beyond which the server slows down: its rate falls linearly, to 40% at 4x this. */
  readonly overdriveAt?: number;
  /** Server queue beyond which it answers Overloaded: the excess comes back as push-back and is resent. */
  readonly overloadQueue?: number;
  /** The server alternates: twice its rate for this long, then nothing for as long (bursts and stalls, same mean). */
  readonly burstMs?: number;
  /**
   * The server is a parallel machine: it serves at its full rate only with
   * this many requests waiting (its threads busy), proportionally less with
   * fewer. Cassandra on a shared machine behaves so: the old fixed 1,024 in
   * flight kept about that many queued at +0 ms.
   */
  readonly concurrency?: number;
  /** Rows handed out to the consumer at any time (bytes held outside the window). */
  readonly handedOutRows?: number;
}

export interface SimPoint {
  readonly atMs: number;
  readonly rows: number;
  readonly target: PipelineTarget;
}

const STEP_MS = 5;
const SAMPLE_EVERY_STEPS = 4;
/** Requests sent in one step reach the server spread over this many steps (jitter), as real ones do. */
const JITTER_STEPS = 4;

/**
 * Runs `controller` against `model` for `seconds` of simulated time, in 5 ms
 * steps (a fluid model: requests travel half a round trip, with 20 ms of
 * jitter, queue at a server of the model's rate, travel back). The reader keeps as many requests on
 * the wire as the target and window allow; the consumer takes every batch at once.
 */
export function simulate(
  model: LinkModel,
  bounds: PipelineBounds,
  seconds: number,
  controller = new PipelineController(bounds),
): SimPoint[] {
  const half = Math.max(1, Math.round(model.rttMs / 2 / STEP_MS));
  const toServer = new Array<number>(half + JITTER_STEPS).fill(0);
  const toClient = new Array<number>(half).fill(0);
  // Each step's answers and the round trip they took (their wait in the server's queue included).
  const tookMs = new Array<number>(half).fill(model.rttMs);
  let answered = 0;
  let totalMs = 0;
  let queue = 0;
  let wire = 0;
  let rows = 0;
  let pushBacks = 0;
  let resend = 0;
  const points: SimPoint[] = [];
  const steps = Math.round((seconds * 1000) / STEP_MS);
  for (let step = 0; step < steps; step++) {
    const atMs = step * STEP_MS;
    const t = controller.target;
    const allowed = Math.min(t.inflight, t.prefetch * bounds.batchSize);
    const send = Math.max(0, allowed - wire) + resend;
    resend = 0;
    wire += send;
    for (let k = 0; k < JITTER_STEPS; k++)
      toServer[half + k] = (toServer[half + k] ?? 0) + send / JITTER_STEPS;
    queue += toServer.shift() ?? 0;
    toServer.push(0);
    const busy = model.concurrency === undefined ? 1 : Math.min(1, queue / model.concurrency);
    const served = Math.min(queue, (busy * serverRate(model, wire, atMs) * STEP_MS) / 1000);
    queue -= served;
    let back = served;
    if (model.overloadQueue !== undefined && queue > model.overloadQueue) {
      const rejected = queue - model.overloadQueue;
      queue = model.overloadQueue;
      pushBacks += Math.ceil(rejected);
      resend += rejected;
      wire -= rejected;
    }
    toClient.push(back);
    tookMs.push(model.rttMs + (queue * 1000) / serverRate(model, wire, atMs));
    back = toClient.shift() ?? 0;
    const took = tookMs.shift() ?? model.rttMs;
    wire -= back;
    rows += back;
    answered += back;
    totalMs += back * took;
    if (step % SAMPLE_EVERY_STEPS === 0) {
      const target = controller.observe({
        atMs,
        rows: Math.floor(rows),
        bytes: Math.floor(rows) * model.rowBytes,
        inflight: Math.max(0, Math.round(wire)),
        pushBacks,
        hosts: [{ host: 'sim:9042', answered, totalMs }],
        handedOutBytes: (model.handedOutRows ?? 0) * model.rowBytes,
      });
      points.push({ atMs, rows, target });
    }
  }
  return points;
}

function serverRate(model: LinkModel, inflight: number, atMs: number): number {
  if (model.burstMs !== undefined) {
    const bursting = Math.floor(atMs / model.burstMs) % 2 === 0;
    // A stalled server still "serves" a trickle, so a queue wait stays finite.
    return bursting ? 2 * steadyRate(model, inflight) : 0.01 * model.rowsPerSec;
  }
  return steadyRate(model, inflight);
}

function steadyRate(model: LinkModel, inflight: number): number {
  const at = model.overdriveAt;
  if (at === undefined || inflight <= at) return model.rowsPerSec;
  const over = Math.min(1, (inflight - at) / (3 * at));
  return model.rowsPerSec * (1 - 0.6 * over);
}

/** Rows per second between `fromMs` and `toMs` of a run. */
export function rateBetween(points: readonly SimPoint[], fromMs: number, toMs: number): number {
  const first = points.find((p) => p.atMs >= fromMs);
  const last = [...points].reverse().find((p) => p.atMs <= toMs);
  if (first === undefined || last === undefined || last.atMs <= first.atMs) return 0;
  return ((last.rows - first.rows) * 1000) / (last.atMs - first.atMs);
}

/** First time the rate over a sliding 500 ms window reaches `share` of `rate`. */
export function timeToRate(points: readonly SimPoint[], rate: number, share: number): number {
  for (const p of points) {
    if (p.atMs >= 500 && rateBetween(points, p.atMs - 500, p.atMs) >= share * rate) return p.atMs;
  }
  return Number.POSITIVE_INFINITY;
}
