import type { LocalCluster } from '@cassdl/local-cassandra';
import type { ChaosDataset } from '../dataset.js';
import type { FaultInjector } from '../faults/injector.js';

/** The data plane a scenario reads with. */
export type ChaosEngine = 'driver' | 'native';

/** pass: the promise held; fail: it did not (see `detail`); skipped: could not run here. */
export type Outcome = 'pass' | 'fail' | 'skipped';

/** Everything a scenario may touch: the cluster, its faults and the tables written for it. */
export interface ScenarioContext {
  readonly cluster: LocalCluster;
  readonly faults: FaultInjector;
  /** Written at RF=3 (every node holds every row). */
  readonly replicated: ChaosDataset;
  /** Written at RF=1 (each row lives on one node). */
  readonly single: ChaosDataset;
  readonly engine: ChaosEngine;
  readonly ooo: boolean;
  readonly log: (msg: string) => void;
}

/** One row of the chaos report. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly engine: ChaosEngine;
  readonly ooo: boolean;
  readonly idsExpected: number;
  readonly delivered: number;
  readonly duplicated: number;
  readonly lost: number;
  /** Rows whose bytes were not their own (served for another id, or torn). */
  readonly wrongRows: number;
  /** `reader.metrics().retries` at the end. */
  readonly retries: number;
  readonly outcome: Outcome;
  /** Why it passed or failed, in a sentence a human can act on. */
  readonly detail: string;
  readonly elapsedMs: number;
  /** Epochs read with one reader (1 unless the scenario faults between epochs); the counts above add them up. */
  readonly epochs: number;
  /**
   * What the scenario saw beyond the ledger, by name (e.g. `victimReadsNextEpoch`:
   * reads the recovered node coordinated in the epoch after its fault).
   */
  readonly observed?: Readonly<Record<string, number>>;
  /** The error the epoch ended with, if any: class name, code and message. */
  readonly error?: { readonly name: string; readonly code?: string; readonly message: string };
}

/** A named fault scenario. */
export interface Scenario {
  readonly name: string;
  /** One line on what is done and what must hold. */
  readonly description: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
  /**
   * Where a fault is too slow to repeat per case (a whole-cluster restart):
   * one reader per context, all open across the one fault; one result per
   * context, in order. Contexts differ only in engine and ordering.
   */
  runShared?(contexts: readonly ScenarioContext[]): Promise<ScenarioResult[]>;
}
