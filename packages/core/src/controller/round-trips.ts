import { WindowedFilter } from './windowed-filter.js';

/**
 * One host's row-request counters as an engine's stats give them: requests
 * answered and their latencies summed, both since the engine opened.
 */
export interface HostRoundTrips {
  readonly host: string;
  readonly answered: number;
  readonly totalMs: number;
}

/** The round trips of one controller round. */
export interface RoundRtt {
  /** Mean latency of the row requests answered in the round, all hosts together. */
  readonly meanMs: number;
  /** The round-trip floor now: each host's least mean of the last 10 s, weighted by its answers in the round. */
  readonly floorMs: number;
}

interface Counts {
  answered: number;
  totalMs: number;
}

const FLOOR_WINDOW_MS = 10_000;

/**
 * Round trips of single row requests (sent to answered), per host, from the
 * engines' cumulative counters: never a batch's time, which adds the
 * engine's admission wait and the batch's own transfer. Each look yields a
 * host's mean since the previous look; the least of those in the last 10 s
 * is its floor (the link's delay with the least queueing seen), as BBR keeps
 * its min RTT. Hosts far and near are weighted by the requests they answer,
 * so the floor times the delivery rate is the bandwidth-delay product of
 * the whole plan.
 */
export class RoundTrips {
  readonly #previous = new Map<string, Counts>();
  readonly #floors = new Map<string, WindowedFilter>();
  #round = new Map<string, Counts>();
  #floorMs: number | undefined;

  /** The floor at the end of the last round with answers; undefined before. */
  get floorMs(): number | undefined {
    return this.#floorMs;
  }

  /** One look at the counters; returns the mean round trip of what was answered since the previous look. */
  observe(atMs: number, hosts: readonly HostRoundTrips[]): number | undefined {
    let lookAnswered = 0;
    let lookMs = 0;
    for (const h of hosts) {
      const before = this.#previous.get(h.host) ?? { answered: 0, totalMs: 0 };
      const answered = h.answered - before.answered;
      const totalMs = h.totalMs - before.totalMs;
      this.#previous.set(h.host, { answered: h.answered, totalMs: h.totalMs });
      if (answered <= 0) continue;
      lookAnswered += answered;
      lookMs += totalMs;
      this.#floorOf(h.host).update(atMs, totalMs / answered);
      const round = this.#round.get(h.host) ?? { answered: 0, totalMs: 0 };
      round.answered += answered;
      round.totalMs += totalMs;
      this.#round.set(h.host, round);
    }
    return lookAnswered > 0 ? lookMs / lookAnswered : undefined;
  }

  /** Closes the round: its mean and the floor, or undefined when nothing was answered in it. */
  endRound(): RoundRtt | undefined {
    const round = this.#round;
    this.#round = new Map();
    let answered = 0;
    let totalMs = 0;
    let floorWeighted = 0;
    for (const [host, c] of round) {
      answered += c.answered;
      totalMs += c.totalMs;
      floorWeighted += c.answered * (this.#floors.get(host)?.best ?? c.totalMs / c.answered);
    }
    if (answered === 0) return undefined;
    this.#floorMs = floorWeighted / answered;
    return { meanMs: totalMs / answered, floorMs: this.#floorMs };
  }

  #floorOf(host: string): WindowedFilter {
    const known = this.#floors.get(host);
    if (known !== undefined) return known;
    const filter = new WindowedFilter('min', FLOOR_WINDOW_MS);
    this.#floors.set(host, filter);
    return filter;
  }
}
