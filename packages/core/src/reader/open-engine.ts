import type { ReaderOptions } from '@cassdl/schema';
import type { ControlPlane } from '../control-plane/control-plane.js';
import type { Engine } from '../engines/engine.js';
import { maxInflight, openEngine } from '../engines/select.js';
import { SourceRoutedEngine } from '../engines/source-routed.js';
import { sourceCounts } from '../plan/source-counts.js';
import type { ResolvedSource } from './id-source.js';

/**
 * The reader's engine: one over its `table`, or, when the sources of a
 * weighted mix live in other tables too, one per table behind a
 * `SourceRoutedEngine`. Each table's engine gets the part of the in-flight
 * ceiling (and later of the controller's limit) that its sources take of an
 * epoch (at least 16, or all of it if smaller), so the mix does not put more
 * requests on the wire than one table would.
 */
export async function openReaderEngine(
  control: ControlPlane,
  options: ReaderOptions,
  sources: readonly ResolvedSource[] | null,
  driverWorkers: number | undefined,
): Promise<Engine> {
  const tables = [options.table];
  for (const s of sources ?? []) if (!tables.includes(s.table)) tables.push(s.table);
  if (tables.length === 1) {
    return openEngine({ plan: control.plan, options, driverWorkers });
  }
  const list = sources ?? [];
  const counts = sourceCounts(
    list.map((s) => ({ ...s, size: s.ids.length / 16 })),
    options.epochSize,
  );
  const total = counts.reduce((a, b) => a + b, 0);
  const ceiling = maxInflight(options);
  const engines: Engine[] = [];
  const shares: number[] = [];
  try {
    for (const table of tables) {
      const share = list.reduce(
        (t, s, i) => t + (s.table === table ? (counts[i] as number) : 0),
        0,
      );
      shares.push(share / total);
      const inflight = Math.max(Math.min(16, ceiling), Math.round((ceiling * share) / total));
      engines.push(
        await openEngine({
          plan: await control.planFor(table),
          options: { ...options, inflight },
          driverWorkers,
        }),
      );
    }
  } catch (error) {
    await Promise.all(engines.map((e) => e.close().catch(() => undefined)));
    throw error;
  }
  return new SourceRoutedEngine(
    engines,
    list.map((s) => tables.indexOf(s.table)),
    shares,
  );
}
