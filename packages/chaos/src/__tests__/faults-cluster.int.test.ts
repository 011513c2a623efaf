// Fault scenarios on a real 3-node cluster (CASSDL_CHAOS_TEST_ADDRESS and the
// next two addresses, default 127.0.0.61-63; its own temp folder), for the
// driver engine and for the native one when it loads. One cluster serves the
// whole file, so the cases run in this order and each states what it needs:
//   1. node-paused      all nodes up; node 3 frozen and thawed; all up after.
//   2. cluster-restart  all nodes up; all stopped and restarted; all up after.
//   3. node-killed      4 cases (engine x ordering), victims node 3 then node 2
//                       (node 1 serves RF=3 alone); the ooo cases first restart
//                       the in-order cases' victims. Nodes 2 and 3 end down.
//   4. no-replica       RF=1 rows owned by node 3, which is down (killed if not).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CassdlNoReplicaError } from '@cassdl/core';
import {
  type LocalCluster,
  startLocalCassandra,
  stopLocalCassandra,
} from '@cassdl/local-cassandra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosDataset, writeDataset } from '../dataset.js';
import { FaultInjector } from '../faults/injector.js';
import { nativeNote } from '../run-chaos.js';
import { clusterRestartScenario } from '../scenarios/cluster-restart.js';
import { noReplicaScenario } from '../scenarios/no-replica.js';
import { nodeKilledScenario } from '../scenarios/node-killed.js';
import { nodePausedScenario } from '../scenarios/node-paused.js';
import type { ChaosEngine, ScenarioContext } from '../scenarios/types.js';

const ADDRESS = process.env.CASSDL_CHAOS_TEST_ADDRESS ?? '127.0.0.61';
const ROWS = 1000;
const BLOB_BYTES = 4096;
const SETUP_TIMEOUT_MS = 300_000;
const SCENARIO_TIMEOUT_MS = 90_000;
/** A case that may restart nodes first (a JVM start on a loaded 2-core machine). */
const RESTART_TIMEOUT_MS = 240_000;

const native = await nativeNote();
const engines: ChaosEngine[] = ['driver', 'native'];

let dir: string;
let cluster: LocalCluster;
let faults: FaultInjector;
let replicated: ChaosDataset;
let single: ChaosDataset;

/** The n-th node's address (1-based), as the cluster reports it. */
function node(n: 1 | 2 | 3): string {
  const address = cluster.nodes[n - 1]?.address;
  if (address === undefined) throw new Error(`the cluster has no node ${n}`);
  return address;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cassdl-chaos-test-'));
  cluster = await startLocalCassandra({ nodes: 3, address: ADDRESS, dir, heap: '512M' });
  faults = await FaultInjector.capture(cluster);
  const connection = {
    contactPoints: cluster.contactPoints,
    port: cluster.port,
    localDataCenter: 'datacenter1',
  };
  const common = { connection, rows: ROWS, blobBytes: BLOB_BYTES };
  replicated = await writeDataset({ ...common, keyspace: 'chaos_test_rf3', replicationFactor: 3 });
  single = await writeDataset({ ...common, keyspace: 'chaos_test_rf1', replicationFactor: 1 });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (dir === undefined) return;
  await stopLocalCassandra({ dir });
  await rm(dir, { recursive: true, force: true });
}, 120_000);

function context(engine: ChaosEngine, ooo: boolean): ScenarioContext {
  return { cluster, faults, replicated, single, engine, ooo, log: () => {} };
}

/**
 * Cases that expose a bug outside this package, skipped (never silently: the
 * reason is in the test's name) until the owner fixes it; see README.
 */
const KNOWN_BUGS: Partial<Record<string, string>> = {};

/** Why a case cannot run here (a known bug, or no native engine), or undefined when it can. */
function skipReason(scenario: string, engine: ChaosEngine): string | undefined {
  if (engine === 'native' && !native.available) return native.note;
  const bug = KNOWN_BUGS[`${scenario}/${engine}`];
  return bug === undefined ? undefined : `KNOWN BUG: ${bug}`;
}

/** `it`, or `it.skip` with the reason in the test's name: nothing is skipped silently. */
function caseFor(
  scenario: string,
  engine: ChaosEngine,
  title: string,
  test: () => Promise<void>,
  timeoutMs = SCENARIO_TIMEOUT_MS,
): void {
  const reason = skipReason(scenario, engine);
  const name = `${engine} engine: ${title}`;
  if (reason === undefined) it(name, test, timeoutMs);
  else it.skip(`${name} [SKIPPED: ${reason}]`, test, timeoutMs);
}

const exactlyOnce = (epochs: number) => ({
  outcome: 'pass',
  epochs,
  idsExpected: ROWS * epochs,
  delivered: ROWS * epochs,
  duplicated: 0,
  lost: 0,
  wrongRows: 0,
});

// Needs: every node up. Leaves: every node up.
describe.sequential('RF=3, a node SIGSTOPped mid-epoch, then SIGCONTed', () => {
  for (const engine of engines) {
    caseFor(
      'node-paused',
      engine,
      'timed-out requests are retried elsewhere, the epoch is exactly once, and the next epoch reads from the node again',
      async () => {
        const victim = node(3);
        expect(faults.addresses.map((a) => faults.condition(a))).toEqual(['up', 'up', 'up']);
        const result = await nodePausedScenario({ victim }).run(context(engine, false));
        expect(faults.condition(victim)).toBe('up');
        expect(result, result.detail).toMatchObject(exactlyOnce(2));
        // Requests left waiting on the frozen node were retried on the other replicas...
        expect(result.observed?.retriesEpoch1).toBeGreaterThan(0);
        // ...and once it was back, the same reader sent it reads again (counted by the node itself).
        expect(result.observed?.victimReadsNextEpoch).toBeGreaterThan(0);
      },
    );
  }
});

// Needs: every node up. Leaves: every node up (restarted on its own data).
describe.sequential('RF=3, every node SIGTERMed and restarted between two epochs', () => {
  const running = engines.filter((e) => skipReason('cluster-restart', e) === undefined);
  const skippedNote = engines
    .filter((e) => !running.includes(e))
    .map((e) => ` [${e} SKIPPED: ${skipReason('cluster-restart', e)}]`)
    .join('');
  (running.length > 0 ? it : it.skip)(
    `${running.join(' and ') || 'no'} engine(s), one reader each open across one restart: the second epoch reconnects, every id exactly once${skippedNote}`,
    async () => {
      expect(faults.addresses.map((a) => faults.condition(a))).toEqual(['up', 'up', 'up']);
      const scenario = clusterRestartScenario();
      const results = await scenario.runShared?.(running.map((e) => context(e, false)));
      expect(results?.map((r) => r.engine)).toEqual(running);
      for (const result of results ?? []) {
        expect(result, `${result.engine}: ${result.detail}`).toMatchObject(exactlyOnce(2));
        expect(result.observed?.restartMs).toBeGreaterThan(0);
      }
      expect(faults.addresses.map((a) => faults.condition(a))).toEqual(['up', 'up', 'up']);
    },
    RESTART_TIMEOUT_MS + 60_000,
  );
});

// Needs: node 1 up. In-order cases first (victims node 3, then node 2: RF=3 is served by node 1
// alone), then out-of-order ones, each restarting the nodes an earlier case killed (both at once).
// Leaves: nodes 2 and 3 killed.
describe.sequential('RF=3, one node SIGKILLed mid-epoch', () => {
  const victims: Record<ChaosEngine, 3 | 2> = { driver: 3, native: 2 };
  for (const ooo of [false, true]) {
    for (const engine of engines) {
      caseFor(
        'node-killed',
        engine,
        `${ooo ? 'out of order' : 'in order'}: the epoch completes with every id exactly once and the retries counted`,
        async () => {
          const victim = node(victims[engine]);
          if (faults.condition(victim) !== 'up') await faults.restoreAll();
          expect(faults.condition(node(1))).toBe('up');
          const result = await nodeKilledScenario({ victim }).run(context(engine, ooo));
          expect(faults.condition(victim)).toBe('killed');
          expect(result, result.detail).toMatchObject({ ...exactlyOnce(1), ooo });
          expect(result.retries).toBeGreaterThan(0);
        },
        RESTART_TIMEOUT_MS,
      );
    }
  }
});

// Needs: node 1 up; node 3 is killed here if an earlier case left it up.
describe.sequential('RF=1, the owning node down', () => {
  for (const engine of engines) {
    caseFor(
      'no-replica',
      engine,
      'CassdlNoReplicaError names an asked id and the hosts tried; close() is prompt',
      async () => {
        const victim = node(3);
        // Few rows keep the retry budget short; `pnpm chaos` runs the same scenario at 100 rows,
        // past the 64 timeouts after which cassandra-driver closes a connection as defunct.
        const result = await noReplicaScenario({ victim, rows: 15 }).run(context(engine, false));
        expect(faults.condition(victim)).toBe('killed');
        expect(result, result.detail).toMatchObject({ outcome: 'pass', scenario: 'no-replica' });
        expect(result.error?.code).toBe(new CassdlNoReplicaError('x', []).code);
        expect(result.error?.message).toMatch(/could not be read after \d+ attempt/);
        // The hosts tried are coordinators: a live node answering for the dead owner, or the owner itself.
        const hosts = faults.addresses.map((a) => a.replaceAll('.', '\\.')).join('|');
        expect(result.error?.message).toMatch(new RegExp(`\\n {2}(${hosts}):${cluster.port}: \\S`));
        expect(result.lost).toBeGreaterThan(0);
      },
    );
  }
});
