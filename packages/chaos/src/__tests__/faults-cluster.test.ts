// Fault scenarios on a real 3-node cluster (127.0.0.61-63, its own temp folder):
// RF=3 with a node SIGKILLed mid-epoch, and RF=1 with the owning node down,
// for the driver engine and for the native one when it loads. One cluster for
// the file: each kill leaves its node down, which the next scenario builds on.
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
import { noReplicaScenario } from '../scenarios/no-replica.js';
import { nodeKilledScenario } from '../scenarios/node-killed.js';
import type { ChaosEngine, ScenarioContext } from '../scenarios/types.js';

const ADDRESS = '127.0.0.61';
const ROWS = 1000;
const BLOB_BYTES = 4096;
const SETUP_TIMEOUT_MS = 300_000;
const SCENARIO_TIMEOUT_MS = 90_000;

const native = await nativeNote();
const engines: ChaosEngine[] = ['driver', 'native'];

let dir: string;
let cluster: LocalCluster;
let faults: FaultInjector;
let replicated: ChaosDataset;
let single: ChaosDataset;

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
): void {
  const reason = skipReason(scenario, engine);
  const name = `${engine} engine: ${title}`;
  if (reason === undefined) it(name, test, SCENARIO_TIMEOUT_MS);
  else it.skip(`${name} [SKIPPED: ${reason}]`, test, SCENARIO_TIMEOUT_MS);
}

// The driver run kills .63, the native run then kills .62: RF=3 still serves from .61.
const killVictims: Record<ChaosEngine, string> = { driver: '127.0.0.63', native: '127.0.0.62' };

describe.sequential('RF=3, one node SIGKILLed mid-epoch', () => {
  for (const engine of engines) {
    caseFor(
      'node-killed',
      engine,
      'the epoch completes with every id exactly once and the retries counted',
      async () => {
        const victim = killVictims[engine];
        const result = await nodeKilledScenario({ victim }).run(
          context(engine, engine === 'native'),
        );
        expect(faults.condition(victim)).toBe('killed');
        expect(result, result.detail).toMatchObject({
          outcome: 'pass',
          idsExpected: ROWS,
          delivered: ROWS,
          duplicated: 0,
          lost: 0,
          wrongRows: 0,
        });
        expect(result.retries).toBeGreaterThan(0);
      },
    );
  }
});

describe.sequential('RF=1, the owning node down', () => {
  for (const engine of engines) {
    caseFor(
      'no-replica',
      engine,
      'CassdlNoReplicaError names an asked id and the hosts tried; close() is prompt',
      async () => {
        const victim = '127.0.0.63';
        // Few rows keep the retry budget short; `pnpm chaos` runs the same scenario at 100 rows,
        // past the 64 timeouts after which cassandra-driver closes a connection as defunct.
        const result = await noReplicaScenario({ victim, rows: 15 }).run(context(engine, false));
        expect(result, result.detail).toMatchObject({ outcome: 'pass', scenario: 'no-replica' });
        expect(result.error?.code).toBe(new CassdlNoReplicaError('x', []).code);
        expect(result.error?.message).toMatch(/could not be read after \d+ attempt/);
        // The hosts tried are coordinators: a live node answering for the dead owner, or the owner itself.
        expect(result.error?.message).toMatch(/\n {2}127\.0\.0\.6[123]:9042: \S/);
        expect(result.lost).toBeGreaterThan(0);
      },
    );
  }
});
