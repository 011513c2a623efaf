import { type HostRoundTrips, RoundTrips } from './round-trips.js';
import { WindowedFilter } from './windowed-filter.js';

/** Why the pipeline has the depth it has: the one constraint that decides it now. */
export type PipelineReason =
  /** Still growing: the link has not shown its rate yet. */
  | 'startup'
  /** The link's bandwidth-delay product (with headroom) is the target. */
  | 'link'
  /** `memoryBudget` allows less than the link would take. */
  | 'budget'
  /** The server pushed back (timeouts, overloaded): the target was cut and recovers slowly. */
  | 'server'
  /** A user-given `inflight` or `prefetchBuffers` is below what the link would take. */
  | 'limit';

/** What the controller may never exceed. */
export interface PipelineBounds {
  readonly batchSize: number;
  /** Row requests on the wire at most: the user's `inflight`, or the engine's own ceiling. */
  readonly maxInflight: number;
  /** Batches ahead of the consumer at most: the user's `prefetchBuffers`, or `AUTO_MAX_PREFETCH`. */
  readonly maxPrefetch: number;
  /** Bytes in flight + prefetched + handed out and not released. */
  readonly memoryBudget: number;
  /**
   * Most rows of the queue kept at the server on top of the product
   * (default `INITIAL_INFLIGHT`). The driver engine takes fewer: its worker,
   * not the server, is its limit, and each row on the wire costs it CPU.
   */
  readonly maxQueueRows?: number;
}

/** One look at the engine and the reader; counters are cumulative since the engine opened. */
export interface LinkSample {
  readonly atMs: number;
  /** Rows and their bytes the engine has received. */
  readonly rows: number;
  readonly bytes: number;
  /** Row requests on the wire now. */
  readonly inflight: number;
  /** Retries so far: each is a timeout, an overloaded/unavailable answer or a lost connection. */
  readonly pushBacks: number;
  /** Row requests answered per host and their latencies summed (the engine's `stats().hosts`). */
  readonly hosts: readonly HostRoundTrips[];
  /** Bytes of batches handed to the consumer and not released yet (outside the window). */
  readonly handedOutBytes: number;
  /** Bytes the engine holds beyond the reader's count of the window and the batches handed out (native: rows waiting in arena chunks); 0 when it has none or does not say. */
  readonly engineExtraBytes?: number;
}

/** The controller's decision: applied by the reader (window) and the engine (admission). */
export interface PipelineTarget {
  /** Row requests the engine may keep on the wire. */
  readonly inflight: number;
  /** Batches the reader may keep submitted and not yet arrived (the wire's share of the window). */
  readonly prefetch: number;
  /**
   * Batches the reader may keep ahead of the consumer in all (submitted,
   * fetching or fetched): `prefetch` plus those that arrived and wait behind
   * a batch still on its way (in-order delivery), as many as the budget and
   * a user `prefetchBuffers` allow. Without that slack one slow row stops
   * the wire: the window fills with finished batches while the one ahead of
   * them is still fetching (measured through Toxiproxy at +200 ms: 82 of 91
   * batches done, 138 requests on the wire, half a second of nothing).
   */
  readonly window: number;
  readonly reason: PipelineReason;
  /**
   * Estimates behind it: delivery rate (windowed max), the round-trip floor
   * of single row requests (per host windowed min, weighted by answers),
   * mean row bytes (0: none seen).
   */
  readonly rowsPerSec: number;
  readonly rttMs: number;
  readonly rowBytes: number;
}

/** Row requests on the wire when `inflight` is `'auto'`, at most (two connections' worth of CQL streams). */
export const AUTO_MAX_INFLIGHT = 65_536;
/** Batches ahead of the consumer when `prefetchBuffers` is `'auto'`, at most. */
export const AUTO_MAX_PREFETCH = 4096;
/**
 * Where startup begins before the row size is known, and the most rows of
 * the queue the link target keeps at the server on top of the
 * bandwidth-delay product (`SERVER_QUEUE_BYTES` sizes it for large rows):
 * the old fixed default, safe on any
 * link. A short link needs it (the product is a few hundred rows) and a long
 * one needs it as much: the server is a shared, bursty CPU that serves best
 * with work waiting, and on a short link the old 1,024 kept that much
 * waiting (round trips of 30-40 ms at +0 ms against a 5 ms floor, measured
 * through Toxiproxy here). The product alone left it idle at every hiccup:
 * 64-75% of the +0 ms rate at +200 ms. Only the budget, a user limit or
 * server push-back take the target below it.
 */
export const INITIAL_INFLIGHT = 1024;
/**
 * That queue in bytes, for rows of any size: 1,024 rows of 2 KB fit in it
 * four times over, so small rows keep the old default; 110 KB rows keep 74. A
 * queue counted in rows held 113 MB of 110 KB reads at a server that serves
 * ~1 GB/s: measured here (direct, one epoch of 10,000 rows, batch 128 and
 * 512), 1,024 in flight read 6,200-6,300 rows/s at a p50 round trip of
 * 156 ms and 387-542 MB of client RSS; 64-256 in flight read 8,300-12,600
 * rows/s at 6-28 ms with 164-411 MB, and 0.27-0.37 client CPU-s per GB
 * against 0.41-0.45 (a deeper ring is more fresh pages to fault in).
 */
export const SERVER_QUEUE_BYTES = 8 * 2 ** 20;
/** The queue never falls below this many rows, however large they are: the server reads in parallel. */
const MIN_QUEUE_ROWS = 64;
/** Before any row has arrived its size is unknown: keep this few rows in flight. */
export const UNMEASURED_ROWS = 256;

/**
 * Headroom over the bandwidth-delay product, cycled (BBR's gain cycle): one
 * round probes for more bandwidth, the last holds exactly the product (and
 * no server queue, unless the product is smaller), so the queue
 * the others build drains and the round-trip floor is measured again;
 * without it a floor that ages out would be replaced by a queued one and
 * the target would ratchet up every window. The cycle starts at the probe:
 * right after startup the rate estimate still lags the ramp. Half the
 * product on top, not all of it: a server that has a product's worth of
 * requests queued (6,000 rows at +200 ms) answers in waves, where the old
 * gain of 2 measured 56-89% of the +0 ms rate and 1.25-1.5 84-92%.
 */
const GAIN_CYCLE = [2, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1] as const;
/**
 * Startup's in-flight target is at most this many times the product it has
 * measured so far (plus the server queue; 3, about BBR's 2/ln 2, covers the
 * round the rate lags the ramp by): doubling goes on while the rate
 * follows, and stops where it does not, before the round trips show the
 * queue a round later. Without it startup reached
 * 32,768 at +200 ms against a product of 6,600, and the server stalled for
 * half a second under the wave.
 */
const STARTUP_GAIN = 3;
/**
 * Startup's growth per round (1.25 round trips) while the pipe is full:
 * the bound above, not the doubling, is what stops it, so it may grow
 * faster than BBR's 2x; the rise is still paced over a round trip. Through
 * Toxiproxy at +200 ms (2 KB rows, 300,000) 4x read 80/76% of the +0 ms
 * rate in two pairs of runs where 2x read 59/74%: the ramp is a large share
 * of a ten-second run.
 */
const STARTUP_GROWTH = 4;
/** Startup ends after this many rounds without 25% more rate (BBR's "full pipe") ... */
const FLAT_ROUNDS = 3;
/** ... or once a round's round trips average this many times the floor: more in flight only queues. */
const QUEUEING_FACTOR = 2;
const MIN_ROUND_MS = 100;
const MAX_ROUND_MS = 2000;
const RATE_WINDOW_MS = 4000;
/**
 * Each rate sample spans at least this long (several rounds on a short
 * link): rows arrive in bursts and stalls of a few hundred milliseconds
 * (measured through Toxiproxy on a busy machine: 60,000 rows/s for one
 * round, none the next, 25,000 on average), and the best of single rounds
 * would take a burst for the link's rate and over-size the pipeline.
 */
const RATE_SPAN_MS = 1000;
/** Completed batches kept ready for the consumer beside those in flight: 20 ms of delivery, at least 2. */
const READY_MS = 20;
const MIN_READY = 2;
/** How the controller answers push-back (timeouts, overloaded), as TCP answers loss. */
const PUSHBACK = {
  /** The target is cut to this share of what was in flight ... */
  cut: 0.7,
  /** ... held for this many rounds, then allowed to grow by `recovery` per quiet round. */
  holdRounds: 4,
  recovery: 1.1,
  /**
   * Requests sent before a cut still come back refused for a round trip or
   * two: push-back within this many rounds of a cut is the same episode and
   * only restarts the hold (TCP cuts once per window, not per lost packet).
   */
  episodeRounds: 2,
} as const;
const MIN_INFLIGHT = 16;

interface Round {
  startMs: number;
  rows: number;
  bytes: number;
  pushBacks: number;
  inflightSum: number;
  samples: number;
}

/**
 * Sizes the pipeline from what the reader measures, like a congestion
 * controller (BBR's model of rate x round trip, Vegas's refusal to queue)
 * or tf.data's AUTOTUNE: no fixed table.
 *
 * - **Round trips** are those of single row requests, per host (the engines'
 *   counters), never a batch's time.
 * - **Startup** doubles the in-flight target each round while the pipe is
 *   full to it, until the round trips average twice their floor (requests
 *   queue: the pipe is full, BBR's startup exit) or the rate has not grown
 *   by a quarter in three rounds.
 * - **Steady** aims at `gain x rate x rtt + queue` (the bandwidth-delay
 *   product with headroom cycled between 1 and 2, plus the queue a short
 *   link keeps at the server: `SERVER_QUEUE_BYTES`, 64-1,024 rows), rate
 *   being the best of the last 4 s and rtt the floor: more in flight than
 *   that only queues at the server, and a rate that falls (an over-driven
 *   server) ages the old best out, so the target follows it down.
 * - **Push-back** (retries: timeouts, overloaded) cuts the target to 70% of
 *   what was in flight, holds it for four rounds, then lets it recover by 10%
 *   a round.
 * - **Bounds**: the user's `inflight`/`prefetchBuffers` and `memoryBudget`
 *   cap every decision; the reason says which one decides.
 *
 * Pure logic: it reads samples and a clock value, never the network.
 */
export class PipelineController {
  readonly #bounds: PipelineBounds;
  readonly #rate = new WindowedFilter('max', RATE_WINDOW_MS);
  /** Rows received at the ends of recent rounds, for rate samples of at least `RATE_SPAN_MS`. */
  #delivered: { atMs: number; rows: number }[] = [];
  readonly #rtt = new RoundTrips();
  #phase: 'startup' | 'steady' = 'startup';
  /** Where the link target heads, and where it is: a rise is paced over a round trip, a cut is immediate. */
  #linkGoal: number;
  #linkTarget: number;
  #lastAtMs: number | null = null;
  #startupBest = 0;
  #flatRounds = 0;
  #cycle = 0;
  #serverCap = Number.POSITIVE_INFINITY;
  #holdRounds = 0;
  #roundsSinceCut = Number.POSITIVE_INFINITY;
  #rowBytes = 0;
  #round: Round | null = null;
  #handedOutBytes = 0;
  #target: PipelineTarget;

  constructor(bounds: PipelineBounds, initialInflight = INITIAL_INFLIGHT) {
    this.#bounds = bounds;
    this.#linkTarget = Math.max(MIN_INFLIGHT, initialInflight);
    this.#linkGoal = this.#linkTarget;
    this.#target = this.#decide();
  }

  /** The decision now. */
  get target(): PipelineTarget {
    return this.#target;
  }

  /** Feeds one sample (call every few tens of milliseconds); returns the decision, updated when a round ended. */
  observe(sample: LinkSample): PipelineTarget {
    this.#handedOutBytes = sample.handedOutBytes + (sample.engineExtraBytes ?? 0);
    const round = this.#round;
    if (round === null) {
      this.#rtt.observe(sample.atMs, sample.hosts);
      this.#round = startRound(sample);
      return this.#target;
    }
    round.inflightSum += sample.inflight;
    round.samples++;
    // The first rows give the row size at once: until then the budget holds startup at a few hundred rows.
    if (this.#rowBytes === 0 && sample.rows > 0) {
      this.#rowBytes = sample.bytes / sample.rows;
      this.#startFromQueue();
      this.#target = this.#decide();
    }
    const lookMs = this.#rtt.observe(sample.atMs, sample.hosts);
    this.#exitStartupIfQueueing(lookMs);
    const elapsedMs = sample.atMs - round.startMs;
    if (elapsedMs >= this.#roundMs()) {
      this.#endRound(round, sample, elapsedMs);
      this.#round = startRound(sample);
    }
    this.#pace(sample.atMs);
    this.#target = this.#decide();
    return this.#target;
  }

  /**
   * Moves the link target toward its goal: down at once, up by at most the
   * target itself per round-trip floor (doubling in one round trip, BBR's
   * startup pacing). A jump of thousands of requests sent at once reaches
   * the proxy and the server as one wave, which they answer with a stall
   * (measured here through Toxiproxy: half a second at almost nothing), and
   * the wave keeps coming back.
   */
  #pace(atMs: number): void {
    const dt = this.#lastAtMs === null ? 0 : atMs - this.#lastAtMs;
    this.#lastAtMs = atMs;
    if (this.#linkGoal <= this.#linkTarget) {
      this.#linkTarget = this.#linkGoal;
      return;
    }
    const floor = Math.max(this.#rtt.floorMs ?? MIN_ROUND_MS, MIN_ROUND_MS / 4);
    const step = Math.max(this.#bounds.batchSize, (this.#linkTarget * dt) / floor);
    this.#linkTarget = Math.min(this.#linkGoal, Math.ceil(this.#linkTarget + step));
  }

  /**
   * Startup began at `INITIAL_INFLIGHT` rows, sized for small rows before
   * any size was known: large rows start from the queue their bytes allow,
   * and grow from there while the rate follows.
   */
  #startFromQueue(): void {
    if (this.#phase !== 'startup') return;
    const queue = this.#queueRows();
    this.#linkGoal = Math.min(this.#linkGoal, queue);
    this.#linkTarget = Math.min(this.#linkTarget, queue);
  }

  /** Requests kept waiting at the server on top of the product: `SERVER_QUEUE_BYTES` of rows, 64 to 1,024 of them (or `maxQueueRows`). */
  #queueRows(): number {
    const most = this.#bounds.maxQueueRows ?? INITIAL_INFLIGHT;
    if (this.#rowBytes <= 0) return most;
    return clamp(
      Math.floor(SERVER_QUEUE_BYTES / this.#rowBytes),
      Math.min(MIN_QUEUE_ROWS, most),
      most,
    );
  }

  #roundMs(): number {
    const rtt = this.#rtt.floorMs;
    return rtt === undefined ? MIN_ROUND_MS : clamp(rtt * 1.25, MIN_ROUND_MS, MAX_ROUND_MS);
  }

  #endRound(round: Round, sample: LinkSample, elapsedMs: number): void {
    const rows = sample.rows - round.rows;
    const pushedBack = sample.pushBacks > round.pushBacks;
    const avgInflight = round.inflightSum / Math.max(1, round.samples);
    const unmeasured = this.#rowBytes === 0;
    if (rows > 0) {
      const rowBytes = (sample.bytes - round.bytes) / rows;
      this.#rowBytes = this.#rowBytes === 0 ? rowBytes : 0.8 * this.#rowBytes + 0.2 * rowBytes;
    }
    const rate = (rows * 1000) / elapsedMs;
    const rtt = this.#rtt.endRound();
    // A round in which nothing arrived says nothing about the link yet (the first round trip).
    if (rows === 0 && !pushedBack) return;
    // The ramp is not bursty and the span would lag it; a steady link's rows come in bursts.
    const spanRate = this.#spanRate(round, sample);
    this.#rate.update(sample.atMs, this.#phase === 'startup' ? rate : spanRate);
    this.#roundsSinceCut++;
    if (pushedBack) this.#pushBack(avgInflight);
    else this.#recover();
    const queueing = rtt !== undefined && rtt.meanMs > QUEUEING_FACTOR * rtt.floorMs;
    if (this.#phase === 'startup') this.#startupRound(rate, avgInflight, unmeasured, queueing);
    else this.#steadyRound();
  }

  /** Rows per second since the latest round end at least `RATE_SPAN_MS` ago (or this round's start). */
  #spanRate(round: Round, sample: LinkSample): number {
    const cutoff = sample.atMs - RATE_SPAN_MS;
    const history = this.#delivered;
    while (history.length > 1 && (history[1] as { atMs: number }).atMs <= cutoff) history.shift();
    const from = history[0] ?? { atMs: round.startMs, rows: round.rows };
    history.push({ atMs: sample.atMs, rows: sample.rows });
    const ms = sample.atMs - from.atMs;
    return ms > 0 ? ((sample.rows - from.rows) * 1000) / ms : 0;
  }

  #pushBack(avgInflight: number): void {
    this.#phase = 'steady';
    this.#holdRounds = PUSHBACK.holdRounds;
    if (this.#roundsSinceCut <= PUSHBACK.episodeRounds) return;
    this.#roundsSinceCut = 0;
    const cut = Math.max(
      MIN_INFLIGHT,
      Math.floor(Math.min(this.#target.inflight, avgInflight) * PUSHBACK.cut),
    );
    this.#serverCap = Math.min(this.#serverCap, cut);
  }

  #recover(): void {
    if (this.#holdRounds > 0) this.#holdRounds--;
    else if (Number.isFinite(this.#serverCap)) {
      this.#serverCap *= PUSHBACK.recovery;
      if (this.#serverCap > this.#linkGoal) this.#serverCap = Number.POSITIVE_INFINITY;
    }
  }

  /**
   * Startup ends at the first look whose round trips average twice the
   * floor, not at the end of the round: the requests a doubling adds are
   * paced over a round trip, so a round's mean would show them one round
   * late, after one doubling too many.
   */
  #exitStartupIfQueueing(lookMs: number | undefined): void {
    const floor = this.#rtt.floorMs;
    if (this.#phase !== 'startup' || lookMs === undefined || floor === undefined) return;
    if (lookMs <= QUEUEING_FACTOR * floor) return;
    this.#phase = 'steady';
    this.#steadyRound();
  }

  #startupRound(rate: number, avgInflight: number, unmeasured: boolean, queueing: boolean): void {
    if (rate >= this.#startupBest * 1.25) {
      this.#startupBest = rate;
      this.#flatRounds = 0;
    } else this.#flatRounds++;
    // Before any row size is known the budget caps the first round trip: that is not a bound that holds.
    const linkDecides =
      this.#target.reason === 'startup' || (this.#target.reason === 'budget' && unmeasured);
    const full = avgInflight >= 0.7 * this.#target.inflight;
    if (this.#flatRounds >= FLAT_ROUNDS || queueing || !linkDecides) {
      // The rate stopped growing, requests queue, or a bound (not the link) holds the pipe: measure from here.
      this.#phase = 'steady';
      this.#steadyRound();
    } else if (full) {
      const product = ((this.#rate.best ?? 0) * (this.#rtt.floorMs ?? 0)) / 1000;
      const bound = Math.ceil(STARTUP_GAIN * product) + this.#queueRows();
      this.#linkGoal = Math.max(this.#linkGoal, Math.min(STARTUP_GROWTH * this.#linkGoal, bound));
    }
  }

  #steadyRound(): void {
    const gain = GAIN_CYCLE[this.#cycle++ % GAIN_CYCLE.length] as number;
    const bdp = ((this.#rate.best ?? 0) * (this.#rtt.floorMs ?? 0)) / 1000;
    // The drain round (gain 1) keeps no queue beyond the product: the floor is measured clean.
    const queueRows = this.#queueRows();
    const queue = gain > 1 ? queueRows : 0;
    this.#linkGoal = Math.max(queueRows, Math.ceil(gain * bdp) + queue);
  }

  #decide(): PipelineTarget {
    const { batchSize, maxInflight, maxPrefetch, memoryBudget } = this.#bounds;
    let inflight = this.#linkTarget;
    let reason: PipelineReason = this.#phase === 'startup' ? 'startup' : 'link';
    const cap = (limit: number, why: PipelineReason) => {
      if (limit < inflight) {
        inflight = limit;
        reason = why;
      }
    };
    cap(Math.floor(this.#serverCap), 'server');
    cap(maxInflight, 'limit');
    const rowBytes = this.#rowBytes;
    const rate = this.#rate.best ?? 0;
    const ready = Math.max(MIN_READY, Math.ceil((rate * READY_MS) / 1000 / batchSize));
    // Batches the budget can hold beside those handed out, ready ones
    // included; before any row was measured, a few hundred rows in flight
    // whatever their size.
    let budgetBatches: number;
    if (rowBytes > 0) {
      const rows = Math.floor(Math.max(0, memoryBudget - this.#handedOutBytes) / rowBytes);
      budgetBatches = Math.max(1, Math.floor(rows / batchSize));
      cap(Math.max(1, (budgetBatches - Math.min(ready, budgetBatches - 1)) * batchSize), 'budget');
    } else {
      cap(Math.max(UNMEASURED_ROWS, batchSize), 'budget');
      budgetBatches = Math.ceil(inflight / batchSize) + ready;
    }
    let prefetch = Math.min(budgetBatches, Math.ceil(inflight / batchSize) + ready);
    const window = Math.max(1, Math.min(budgetBatches, maxPrefetch));
    if (prefetch > maxPrefetch) {
      prefetch = maxPrefetch;
      if (inflight > prefetch * batchSize) {
        inflight = prefetch * batchSize;
        reason = 'limit';
      }
    }
    return {
      inflight: Math.max(1, inflight),
      prefetch: Math.max(1, prefetch),
      window: Math.max(prefetch, window),
      reason,
      rowsPerSec: rate,
      rttMs: this.#rtt.floorMs ?? 0,
      rowBytes,
    };
  }
}

function startRound(sample: LinkSample): Round {
  return {
    startMs: sample.atMs,
    rows: sample.rows,
    bytes: sample.bytes,
    pushBacks: sample.pushBacks,
    inflightSum: 0,
    samples: 0,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
