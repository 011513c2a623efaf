import { formatDuration, formatRate } from './format.js';
import type { CliIo } from './io.js';

/** How often a non-terminal gets a progress line, and a terminal a redraw. */
const LINE_INTERVAL_MS = 5_000;
const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 28;

export interface ProgressBar {
  /** Sets the count done (and the total when it became known or changed). */
  update(done: number, total?: number): void;
  /** Draws the final state and ends the line. */
  finish(): void;
}

/**
 * A progress display on stderr: on a terminal, one redrawn line with a bar,
 * count, rate and ETA; elsewhere (CI logs, pipes) a plain line every few
 * seconds, since carriage returns make logs unreadable.
 */
export function createProgressBar(
  io: CliIo,
  label: string,
  total: number,
  now: () => number = Date.now,
): ProgressBar {
  const started = now();
  let done = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let finished = false;

  const render = (): string => {
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? formatDuration((total - done) / rate) : '?';
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const counts = `${done}/${total}`;
    if (!io.errIsTty)
      return `${label}: ${counts} (${percent.trim()}) ${formatRate(rate)} ETA ${eta}`;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    return `${label} ${bar} ${percent} ${counts} ${formatRate(rate)} ETA ${eta}`;
  };

  const draw = (force: boolean) => {
    const t = now();
    const interval = io.errIsTty ? REDRAW_INTERVAL_MS : LINE_INTERVAL_MS;
    if (!force && t - lastDraw < interval) return;
    lastDraw = t;
    io.err(io.errIsTty ? `\r${render()}\x1b[K` : `${render()}\n`);
  };

  return {
    update(value, newTotal) {
      done = value;
      if (newTotal !== undefined) total = newTotal;
      draw(false);
    },
    finish() {
      if (finished) return;
      finished = true;
      draw(true);
      if (io.errIsTty) io.err('\n');
    },
  };
}
