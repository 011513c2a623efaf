/** One bar: its group on the x axis (e.g. a latency), its series (e.g. an engine), its height. */
export interface Bar {
  readonly group: string;
  readonly series: string;
  readonly value: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/**
 * A grouped bar chart as a standalone SVG document: groups along x, one
 * coloured bar per series in each, value labels on the bars, a legend. Hand
 * written so the CLI needs no plotting dependency; any browser renders it.
 */
export function barChartSvg(title: string, yLabel: string, bars: readonly Bar[]): string {
  const groups = unique(bars.map((b) => b.group));
  const series = unique(bars.map((b) => b.series));
  const width = Math.max(480, 120 + groups.length * (series.length * 48 + 40));
  const height = 360;
  const plot = { left: 80, right: width - 20, top: 50, bottom: height - 60 };
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const y = (v: number) => plot.bottom - (v / max) * (plot.bottom - plot.top);
  const groupWidth = (plot.right - plot.left) / Math.max(1, groups.length);
  const barWidth = Math.min(48, (groupWidth - 24) / Math.max(1, series.length));
  const parts: string[] = [];
  parts.push(
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${esc(title)}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const v = (max * i) / 5;
    parts.push(
      `<line x1="${plot.left}" x2="${plot.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
    );
    parts.push(
      `<text x="${plot.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${esc(short(v))}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(18 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(yLabel)}</text>`,
  );
  groups.forEach((group, gi) => {
    const x0 = plot.left + gi * groupWidth + (groupWidth - barWidth * series.length) / 2;
    series.forEach((name, si) => {
      const bar = bars.find((b) => b.group === group && b.series === name);
      if (bar === undefined) return;
      const x = x0 + si * barWidth;
      const top = y(bar.value);
      parts.push(
        `<rect x="${x + 2}" y="${top}" width="${barWidth - 4}" height="${plot.bottom - top}" fill="${color(si)}"><title>${esc(`${name} @ ${group}: ${bar.value.toFixed(1)}`)}</title></rect>`,
      );
      parts.push(
        `<text x="${x + barWidth / 2}" y="${top - 4}" text-anchor="middle" font-size="10">${esc(short(bar.value))}</text>`,
      );
    });
    parts.push(
      `<text x="${plot.left + (gi + 0.5) * groupWidth}" y="${plot.bottom + 18}" text-anchor="middle" font-size="12">${esc(group)}</text>`,
    );
  });
  parts.push(
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#333"/>`,
  );
  series.forEach((name, si) => {
    const x = plot.left + si * 110;
    parts.push(`<rect x="${x}" y="${height - 28}" width="12" height="12" fill="${color(si)}"/>`);
    parts.push(`<text x="${x + 16}" y="${height - 18}" font-size="12">${esc(name)}</text>`);
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`
  );
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function color(i: number): string {
  return PALETTE[i % PALETTE.length] ?? '#333';
}

/** The next 1, 2 or 5 times a power of ten at or above `v`, so gridlines land on round numbers. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * power >= v) ?? 10) * power;
}

function short(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return v >= 10 ? v.toFixed(0) : v.toFixed(1);
}

function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
