import type { LocalCluster, NodeInfo } from '@cassdl/local-cassandra';
import { captureLaunchSpec, type LaunchSpec, relaunchNode } from './node-process.js';
import { waitForExit } from './process-exit.js';
import { waitForNodeCql, waitForPort } from './wait-node.js';

/** What the injector last did to a node: `killed` (SIGKILL) and `stopped` (SIGTERM) nodes are down. */
export type NodeCondition = 'up' | 'killed' | 'paused' | 'stopped';

interface TrackedNode {
  readonly info: NodeInfo;
  readonly spec: LaunchSpec;
  pid: number;
  condition: NodeCondition;
}

/** How long a SIGKILLed JVM may take to exit. */
const KILL_TIMEOUT_MS = 15_000;

/** Gossip (storage) port of every local node (@cassdl/local-cassandra's `storage_port`). */
const STORAGE_PORT = 7000;

/** How long a SIGTERMed node may take to drain and exit (about 15 s unloaded) before it is SIGKILLed. */
const STOP_TIMEOUT_MS = 60_000;

/** How long a relaunched node gets to answer CQL (a JVM start on a loaded 2-core machine). */
const RESTART_TIMEOUT_MS = 120_000;

/**
 * Injects process-level faults into the nodes of a local cluster: SIGKILL
 * (a crash: the kernel resets its sockets), SIGSTOP/SIGCONT (a stall: sockets
 * stay open and silent, the hardest case for a client), and a restart on the
 * same data. Only the pids of the cluster it was given are ever signalled.
 */
export class FaultInjector {
  readonly #cluster: LocalCluster;
  readonly #nodes: Map<string, TrackedNode>;

  private constructor(cluster: LocalCluster, nodes: Map<string, TrackedNode>) {
    this.#cluster = cluster;
    this.#nodes = nodes;
  }

  /** Records every node's command line while all are alive, so a killed node can be restarted. */
  static async capture(cluster: LocalCluster): Promise<FaultInjector> {
    const nodes = new Map<string, TrackedNode>();
    for (const info of cluster.nodes) {
      const spec = await captureLaunchSpec(info.pid);
      nodes.set(info.address, { info, spec, pid: info.pid, condition: 'up' });
    }
    return new FaultInjector(cluster, nodes);
  }

  get addresses(): string[] {
    return [...this.#nodes.keys()];
  }

  condition(address: string): NodeCondition {
    return this.#node(address).condition;
  }

  /**
   * SIGKILL: the node dies mid-request, with no goodbye to its clients.
   * Resolves once the process has exited, so what follows meets a dead node.
   */
  async kill(address: string): Promise<void> {
    const node = this.#node(address);
    if (node.condition === 'killed') return;
    process.kill(node.pid, 'SIGKILL');
    node.condition = 'killed';
    await waitForExit(node.pid, KILL_TIMEOUT_MS);
  }

  /**
   * SIGTERM: a clean shutdown (Cassandra drains: flushes memtables, says
   * goodbye to gossip, closes client connections). Resolves once it has
   * exited; a node still running after `timeoutMs` is SIGKILLed and the
   * promise rejects, so a test never goes on with a half-stopped node.
   */
  async stop(address: string, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    const node = this.#node(address);
    if (node.condition === 'killed' || node.condition === 'stopped') return;
    // A frozen JVM cannot handle SIGTERM: thaw it first.
    if (node.condition === 'paused') process.kill(node.pid, 'SIGCONT');
    process.kill(node.pid, 'SIGTERM');
    node.condition = 'stopped';
    try {
      await waitForExit(node.pid, timeoutMs);
    } catch (error) {
      process.kill(node.pid, 'SIGKILL');
      node.condition = 'killed';
      await waitForExit(node.pid, KILL_TIMEOUT_MS);
      throw new Error(`${address} ignored SIGTERM for ${timeoutMs} ms and was killed`, {
        cause: error,
      });
    }
  }

  /** SIGSTOP: the node freezes; its sockets accept nothing and answer nothing. */
  pause(address: string): void {
    const node = this.#node(address);
    if (node.condition !== 'up')
      throw new Error(`cannot pause ${address}: it is ${node.condition}`);
    process.kill(node.pid, 'SIGSTOP');
    node.condition = 'paused';
  }

  /** SIGCONT: a paused node carries on where it stopped. */
  resume(address: string): void {
    const node = this.#node(address);
    if (node.condition !== 'paused') return;
    process.kill(node.pid, 'SIGCONT');
    node.condition = 'up';
  }

  /** Starts a killed or stopped node again on its own data and waits until it answers CQL. */
  async restart(address: string, timeoutMs = RESTART_TIMEOUT_MS): Promise<void> {
    await this.#launch(address);
    await this.#awaitCql(address, timeoutMs);
  }

  /**
   * Resumes every paused node and restarts every killed or stopped one: the
   * next scenario starts whole. When the seed (the first node) is down too,
   * it is launched first and the others only once it listens for gossip: a
   * non-seed that finds no seed to gossip with gives up ("Unable to gossip
   * with any peers"). Then every restarted node must answer CQL.
   */
  async restoreAll(timeoutMs = RESTART_TIMEOUT_MS): Promise<void> {
    const down: string[] = [];
    for (const [address, node] of this.#nodes) {
      if (node.condition === 'paused') this.resume(address);
      else if (node.condition === 'killed' || node.condition === 'stopped') down.push(address);
    }
    const deadline = Date.now() + timeoutMs;
    const seed = this.addresses[0];
    if (seed !== undefined && down.includes(seed)) {
      await this.#launch(seed);
      await waitForPort(seed, STORAGE_PORT, timeoutMs);
    }
    for (const address of down) if (address !== seed) await this.#launch(address);
    const waits = await Promise.allSettled(
      down.map((a) => this.#awaitCql(a, Math.max(1000, deadline - Date.now()))),
    );
    const failed = waits.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  async #launch(address: string): Promise<void> {
    const node = this.#node(address);
    if (node.condition !== 'killed' && node.condition !== 'stopped')
      throw new Error(`cannot restart ${address}: it is ${node.condition}`);
    node.pid = await relaunchNode(node.info, node.spec);
    node.info.pid = node.pid;
  }

  async #awaitCql(address: string, timeoutMs: number): Promise<void> {
    const node = this.#node(address);
    const { port, localDataCenter } = this.#cluster;
    await waitForNodeCql({ address, port, localDataCenter }, timeoutMs);
    node.condition = 'up';
  }

  #node(address: string): TrackedNode {
    const node = this.#nodes.get(address);
    if (node === undefined) {
      throw new Error(`${address} is not a node of this cluster (${this.addresses.join(', ')})`);
    }
    return node;
  }
}
