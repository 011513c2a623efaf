import { SeededRandom } from '@cassdl/core/plan';

/** A metadata row as splitting sees it. */
export interface LabelledId {
  readonly id: string;
  /** Class label (int), or null when the table has none. */
  readonly label: number | null;
}

/**
 * How many of `n` go to each split: `floor(n * ratio)`, then the leftover
 * rows one each to the splits that rank first by `priority` (default: the
 * largest fractional part; ties in split order). Whichever splits get the
 * leftovers, each ends within one row of its exact share.
 */
export function allocate(
  n: number,
  ratios: Readonly<Record<string, number>>,
  priority?: (name: string, floorCount: number) => number,
): Record<string, number> {
  const names = Object.keys(ratios);
  const exact = names.map((name) => n * (ratios[name] ?? 0));
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const rank = names.map((name, i) =>
    priority === undefined ? (exact[i] ?? 0) - (counts[i] ?? 0) : priority(name, counts[i] ?? 0),
  );
  const order = names.map((_, i) => i).sort((a, b) => (rank[b] ?? 0) - (rank[a] ?? 0) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    if ((ratios[names[i] ?? ''] ?? 0) === 0) continue;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return Object.fromEntries(names.map((name, i) => [name, counts[i] ?? 0]));
}

/**
 * Assigns ids to splits. Deterministic: rows are sorted by id (the table's
 * scan order does not matter), each group is shuffled with a Fisher-Yates
 * pass seeded by `seed`, then cut by `allocate`. With `stratify` each label
 * is a group, so every class is split in the given ratios (within one row);
 * otherwise all rows are one group. A group's leftover rows go to the splits
 * furthest below their share of all rows so far, so rounding per class does
 * not pile up in the first split.
 */
export function assignSplits(
  rows: readonly LabelledId[],
  ratios: Readonly<Record<string, number>>,
  seed: number,
  stratify: boolean,
): Record<string, string[]> {
  const groups = new Map<number | null, string[]>();
  for (const row of [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const key = stratify ? row.label : null;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row.id]);
    else group.push(row.id);
  }
  const splits: Record<string, string[]> = Object.fromEntries(
    Object.keys(ratios).map((name) => [name, []]),
  );
  const keys = [...groups.keys()].sort((a, b) => (a ?? -1) - (b ?? -1));
  let assigned = 0;
  for (const key of keys) {
    const ids = groups.get(key) ?? [];
    shuffle(ids, new SeededRandom(seed, key === null ? 0 : key + 1));
    assigned += ids.length;
    const deficit = (name: string, floorCount: number) =>
      assigned * (ratios[name] ?? 0) - ((splits[name]?.length ?? 0) + floorCount);
    let at = 0;
    for (const [name, count] of Object.entries(allocate(ids.length, ratios, deficit))) {
      splits[name]?.push(...ids.slice(at, at + count));
      at += count;
    }
  }
  return splits;
}

function shuffle(ids: string[], random: SeededRandom): void {
  for (let i = ids.length - 1; i > 0; i--) {
    const j = random.nextBelow(i + 1);
    const t = ids[i] as string;
    ids[i] = ids[j] as string;
    ids[j] = t;
  }
}

/** Split name -> label -> rows. */
export function classCounts(
  splits: Readonly<Record<string, readonly string[]>>,
  labelOf: ReadonlyMap<string, number | null>,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [name, ids] of Object.entries(splits)) {
    const counts: Record<string, number> = {};
    for (const id of ids) {
      const label = String(labelOf.get(id) ?? 'none');
      counts[label] = (counts[label] ?? 0) + 1;
    }
    out[name] = Object.fromEntries(
      Object.entries(counts).sort(([a], [b]) => Number(a) - Number(b)),
    );
  }
  return out;
}
