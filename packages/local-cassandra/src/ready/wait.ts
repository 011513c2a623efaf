import cassandra from 'cassandra-driver';
import { StartTimeoutError } from '../errors/errors.js';
import { type ConnectTarget, driverOptions } from './client-options.js';
import { withClient } from './with-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  deadline: number;
  /** False once the JVM has exited: waiting longer would be pointless. */
  isRunning: () => boolean;
  /** Tail of the server logs, for the error message. */
  logTail: () => Promise<string>;
  what: string;
}

/**
 * Polls until `probe` succeeds. Connection refused, "not bootstrapped" and
 * "superuser not yet created" all look alike from outside, so every failure
 * is retried until the deadline; the last one is reported.
 */
async function poll<T>(probe: () => Promise<T>, options: WaitOptions): Promise<T> {
  let last: unknown = null;
  for (;;) {
    if (!options.isRunning()) {
      throw new StartTimeoutError(
        `${options.what}: the server process exited`,
        await options.logTail(),
        'START_FAILED',
      );
    }
    try {
      return await probe();
    } catch (error) {
      last = error;
    }
    if (Date.now() >= options.deadline) {
      const reason = last instanceof Error ? last.message : String(last);
      throw new StartTimeoutError(
        `${options.what}: not ready in time (last error: ${reason})`,
        await options.logTail(),
      );
    }
    await sleep(1000);
  }
}

/** A client that talks to `address` only: an allow-list keeps the driver from answering through another node. */
function singleNodeOptions(target: ConnectTarget, address: string): cassandra.ClientOptions {
  const only = new cassandra.policies.loadBalancing.AllowListPolicy(
    new cassandra.policies.loadBalancing.DCAwareRoundRobinPolicy('datacenter1'),
    [`${address}:${target.port}`],
  );
  return {
    ...driverOptions({ ...target, contactPoints: [address] }),
    policies: { loadBalancing: only },
  };
}

/**
 * Ready = `SELECT release_version FROM system.local` answers on this one node,
 * with the cluster's credentials when auth is on: so it also waits for the
 * default superuser to exist.
 */
export function waitForCql(
  target: ConnectTarget,
  address: string,
  options: WaitOptions,
): Promise<string> {
  return poll(
    () =>
      withClient(singleNodeOptions(target, address), async (client) => {
        const rs = await client.execute('SELECT release_version FROM system.local');
        return String(rs.first()?.get('release_version') ?? '');
      }),
    options,
  );
}

/**
 * Ready for a multi-node cluster = every node lists all the others, with
 * their tokens, in `system.peers` (before that, clients see an incomplete
 * ring), and the driver sees every address UP.
 */
export function waitForAllUp(
  target: ConnectTarget,
  addresses: readonly string[],
  options: WaitOptions,
): Promise<void> {
  return poll(async () => {
    for (const address of addresses) {
      await withClient(singleNodeOptions(target, address), async (client) => {
        const rs = await client.execute('SELECT peer, tokens FROM system.peers');
        const known = new Set(
          rs.rows
            .filter((r) => (r.get('tokens') as string[] | null)?.length)
            .map((r) => String(r.get('peer'))),
        );
        const missing = addresses.filter((a) => a !== address && !known.has(a));
        if (missing.length > 0)
          throw new Error(`${address} does not know ${missing.join(', ')} yet`);
      });
    }
    await withClient(driverOptions(target), async (client) => {
      const up = new Set(
        client.hosts
          .values()
          .filter((h) => h.isUp())
          .map((h) => h.address.split(':')[0]),
      );
      const down = addresses.filter((a) => !up.has(a));
      if (down.length > 0) throw new Error(`not UP yet: ${down.join(', ')}`);
    });
  }, options);
}
