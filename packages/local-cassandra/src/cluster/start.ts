import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeAddresses } from '../config/addresses.js';
import { clusterNameFor } from '../config/cluster-name.js';
import { jvmArgs } from '../config/jvm-args.js';
import { evenTokens } from '../config/tokens.js';
import { LocalCassandraError, PortInUseError } from '../errors/errors.js';
import { ensureToolchain, type Toolchain } from '../prerequisites/ensure.js';
import { launchDetached } from '../process/launch.js';
import { isCassandraProcess, writePid } from '../process/pid.js';
import { portState } from '../process/ports.js';
import { waitForAllUp, waitForCql } from '../ready/wait.js';
import { resolveCassandraJars } from '../resolve/jars.js';
import { generateTls } from '../tls/certificates.js';
import { nodeLayout, stateFile, tlsDir } from './layout.js';
import type { LocalCluster } from './local-cluster.js';
import { withLock } from './lock.js';
import { nodeLogTail } from './log-tail.js';
import { writeNodeFiles } from './node-files.js';
import {
  type ResolvedStartOptions,
  resolveStartOptions,
  STORAGE_PORT,
  type StartLocalCassandraOptions,
} from './options.js';
import { type ClusterProcesses, clusterProcesses } from './running.js';
import { type ClusterState, writeState } from './state.js';
import { stopLocalCassandra } from './stop.js';
import { toLocalCluster } from './to-local-cluster.js';

const LOCK_FILE = '.lock';
const DEFAULT_SUPERUSER = { username: 'cassandra', password: 'cassandra' };

/**
 * Starts (or finds already running) a local Apache Cassandra in `dir`: one
 * node, or three on consecutive loopback addresses. Resolves when CQL answers
 * on every node (and, for three, the driver sees all of them UP).
 */
export async function startLocalCassandra(
  options: StartLocalCassandraOptions = {},
): Promise<LocalCluster> {
  const opts = resolveStartOptions(options);
  await mkdir(opts.dir, { recursive: true });
  // The lock wait covers a concurrent start of the same cluster, so it gets the full ready budget.
  return withLock(join(opts.dir, LOCK_FILE), opts.readyTimeoutMs + 60_000, async () => {
    const existing = await clusterProcesses(opts.dir);
    const reused = existing === null ? null : await tryReuse(existing, opts);
    if (reused !== null) return reused;
    if (existing !== null) await stopLocalCassandra({ dir: opts.dir });
    return startFresh(opts, existing !== null);
  });
}

/** A cluster whose every node is alive and answers CQL is returned as is. */
async function tryReuse(
  found: ClusterProcesses,
  opts: ResolvedStartOptions,
): Promise<LocalCluster | null> {
  if (!found.nodes.every((n) => n.running)) return null;
  const { state } = found;
  const wanted = nodeAddresses(opts.address, opts.nodes);
  const mismatch =
    state.port !== opts.port ||
    state.addresses.join(',') !== wanted.join(',') ||
    (state.auth !== null) !== opts.auth ||
    (state.tls !== null) !== opts.tls ||
    (state.tls !== null && state.tls.requireClientAuth !== opts.requireClientAuth);
  if (mismatch) {
    throw new LocalCassandraError(
      'START_FAILED',
      `a different cluster (nodes ${state.addresses.join(', ')}, auth ${state.auth !== null}, tls ${state.tls !== null}) ` +
        `is running in ${opts.dir}; stop it first (\`cassdl server stop --dir ${opts.dir}\`) or use another --dir.`,
    );
  }
  const first = found.nodes[0];
  if (first === undefined) return null;
  try {
    await waitForCql(targetOf(state), first.layout.address, {
      deadline: Date.now(),
      isRunning: () => true,
      logTail: () => nodeLogTail(first.layout),
      what: 'reuse check',
    });
  } catch {
    return null;
  }
  opts.onProgress(`reusing the running cluster in ${opts.dir}`);
  return toLocalCluster(state, opts.dir, true);
}

async function startFresh(opts: ResolvedStartOptions, wasOurs: boolean): Promise<LocalCluster> {
  const addresses = nodeAddresses(opts.address, opts.nodes);
  await assertDirIsOurs(opts.dir, wasOurs);
  await assertPortsFree(addresses, opts.port);
  const tools = await ensureToolchain(opts.onProgress);
  const jars = await resolveCassandraJars(opts.version, {
    cacheDir: opts.cacheDir,
    mvn: tools.mvn,
    onProgress: opts.onProgress,
  });
  await wipeClusterDir(opts.dir);
  const state = await writeClusterConfig(opts, addresses, tools);
  const deadline = Date.now() + opts.readyTimeoutMs;
  try {
    for (const [i, address] of addresses.entries()) {
      const node = nodeLayout(opts.dir, i, address);
      opts.onProgress(
        `starting node ${address}:${opts.port} (heap ${opts.heap}, logs in ${node.logDir})`,
      );
      const args = jvmArgs({
        libDir: jars.libDir,
        jammJar: jars.jammJar,
        heap: opts.heap,
        yamlFile: node.yamlFile,
        logbackFile: node.logbackFile,
        storageDir: node.dir,
        logDir: node.logDir,
        ringDelayMs: addresses.length > 1 ? 1000 : null,
      });
      const pid = await launchDetached(tools.java, args, node.outputFile, node.dir);
      await writePid(node.pidFile, pid);
      const version = await waitForCql(targetOf(state), address, {
        deadline,
        isRunning: () => isCassandraProcess(pid),
        logTail: () => nodeLogTail(node),
        what: `Cassandra ${address}:${opts.port}`,
      });
      opts.onProgress(`node ${address}:${opts.port} answers CQL (release ${version})`);
    }
    if (addresses.length > 1) {
      await waitForAllUp(targetOf(state), addresses, {
        deadline,
        isRunning: () => true,
        logTail: () => nodeLogTail(nodeLayout(opts.dir, 0, addresses[0] ?? opts.address)),
        what: `${addresses.length}-node cluster`,
      });
      opts.onProgress(`all ${addresses.length} nodes are UP`);
    }
  } catch (error) {
    // Leave nothing half-started behind; logs stay in the folder for diagnosis.
    await stopLocalCassandra({ dir: opts.dir });
    throw error;
  }
  return toLocalCluster(state, opts.dir, false);
}

function targetOf(state: ClusterState) {
  return { contactPoints: state.addresses, port: state.port, auth: state.auth, tls: state.tls };
}

/** Writes cluster.json, the certificates and every node's config. */
async function writeClusterConfig(
  opts: ResolvedStartOptions,
  addresses: string[],
  tools: Toolchain,
): Promise<ClusterState> {
  if (opts.tls) opts.onProgress(`generating a fresh CA and certificates in ${tlsDir(opts.dir)}`);
  const tls = opts.tls
    ? await generateTls(tlsDir(opts.dir), addresses, opts.requireClientAuth, tools)
    : null;
  const state: ClusterState = {
    format: 1,
    clusterName: clusterNameFor(opts.address, opts.port, opts.dir),
    version: opts.version,
    port: opts.port,
    heap: opts.heap,
    addresses,
    auth: opts.auth ? DEFAULT_SUPERUSER : null,
    tls,
    startedAt: new Date().toISOString(),
  };
  await writeState(opts.dir, state);
  const tokens = addresses.length > 1 ? evenTokens(addresses.length) : [];
  for (const [i, address] of addresses.entries()) {
    await writeNodeFiles({
      node: nodeLayout(opts.dir, i, address),
      clusterName: state.clusterName,
      seed: addresses[0] ?? address,
      port: opts.port,
      requestThreads: opts.requestThreads,
      initialToken: tokens[i] ?? null,
      auth: opts.auth,
      tls,
    });
  }
  return state;
}

/** Refuses a non-empty folder that has no cluster.json: it may hold someone's files. */
async function assertDirIsOurs(dir: string, wasOurs: boolean): Promise<void> {
  if (wasOurs || existsSync(stateFile(dir))) return;
  const entries = (await readdir(dir)).filter((e) => e !== LOCK_FILE);
  if (entries.length > 0) {
    throw new LocalCassandraError(
      'DIR_NOT_OURS',
      `${dir} is not empty and holds no cluster.json, so it was not made by cassdl; give an empty or new --dir.`,
    );
  }
}

/** Removes the previous run's nodes and certificates: every start is a fresh cluster. */
async function wipeClusterDir(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (entry === 'tls' || /^node\d+$/.test(entry))
      await rm(join(dir, entry), { recursive: true, force: true });
  }
}

async function assertPortsFree(addresses: string[], port: number): Promise<void> {
  for (const address of addresses) {
    for (const p of [port, STORAGE_PORT]) {
      const state = await portState(address, p);
      if (state === 'address-unavailable') {
        throw new LocalCassandraError(
          'START_FAILED',
          `no network interface has address ${address}; on macOS add it with \`sudo ifconfig lo0 alias ${address}\`, or choose another --address.`,
        );
      }
      if (state === 'bound') {
        throw new PortInUseError(
          address,
          p,
          'It is not a cluster started from this folder. To use a server that is already running there, set ' +
            `CASSDL_CONTACT_POINTS=${address}; otherwise pick another --address (any 127.x.y.z is loopback) or stop that process.`,
        );
      }
    }
  }
}
