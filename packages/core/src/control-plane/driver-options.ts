import type { DataPlanePlan, PlanTls } from '@cassdl/schema';
import cassandra from 'cassandra-driver';

/**
 * The retry policy for every cassdl request: rethrow, always. Retries are
 * decided by cassdl's own loop (backoff, another replica, a budget, and an
 * error naming the hosts tried), which the driver's synchronous policies
 * cannot express.
 */
export class RethrowRetryPolicy extends cassandra.policies.retry.RetryPolicy {
  override onReadTimeout(): cassandra.policies.retry.DecisionInfo {
    return this.rethrowResult();
  }
  override onUnavailable(): cassandra.policies.retry.DecisionInfo {
    return this.rethrowResult();
  }
  override onWriteTimeout(): cassandra.policies.retry.DecisionInfo {
    return this.rethrowResult();
  }
  override onRequestError(): cassandra.policies.retry.DecisionInfo {
    return this.rethrowResult();
  }
}

/** Longest pause between the driver's attempts to reconnect a host it marked down. */
export const RECONNECT_MAX_DELAY_MS = 2000;

/**
 * Reconnects a down host after 250 ms, doubling to at most 2 s. The driver's
 * default doubles from 1 s to 10 minutes, so a node (or a whole cluster)
 * restarted during a long training run would stay marked down, and unread,
 * for minutes after it came back.
 */
export function readerReconnectionPolicy(): cassandra.policies.reconnection.ReconnectionPolicy {
  return new cassandra.policies.reconnection.ExponentialReconnectionPolicy(
    250,
    RECONNECT_MAX_DELAY_MS,
    false,
  );
}

/** Extra settings for a client that are not part of a data plan. */
export interface ClientTuning {
  readonly connectionsPerHost: number;
  /** Astra's secure connect bundle; hosts then come from the bundle, not the plan. */
  readonly cloudBundle?: string | undefined;
}

/**
 * cassandra-driver options for a data-plane client (one per driver-engine
 * worker): the plan's hosts as contact points, its credentials and TLS PEMs,
 * token-aware routing, and request timeouts handled by cassdl's retry loop.
 */
export function clientOptionsFromPlan(
  plan: DataPlanePlan,
  tuning: ClientTuning,
): cassandra.ClientOptions {
  const local = plan.hosts.find((h) => h.local) ?? plan.hosts[0];
  const options: cassandra.ClientOptions = {
    localDataCenter: local?.datacenter ?? 'datacenter1',
    protocolOptions: { maxVersion: plan.protocolVersion },
    pooling: {
      coreConnectionsPerHost: {
        [cassandra.types.distance.local]: tuning.connectionsPerHost,
        [cassandra.types.distance.remote]: 1,
      },
      // The engine's own semaphore bounds requests in flight; never let the driver queue-fail them.
      maxRequestsPerConnection: 32_768,
    },
    socketOptions: { connectTimeout: plan.connectTimeoutMs, readTimeout: plan.requestTimeoutMs },
    queryOptions: { prepare: true, isIdempotent: true, consistency: plan.consistency },
    policies: { retry: new RethrowRetryPolicy(), reconnection: readerReconnectionPolicy() },
    isMetadataSyncEnabled: true,
  };
  if (tuning.cloudBundle !== undefined) {
    options.cloud = { secureConnectBundle: tuning.cloudBundle };
  } else {
    options.contactPoints = plan.hosts.map((h) => `${h.address}:${h.port}`);
  }
  if (plan.credentials !== null) {
    options.authProvider = new cassandra.auth.PlainTextAuthProvider(
      plan.credentials.username,
      plan.credentials.password,
    );
  }
  if (plan.tls !== null && tuning.cloudBundle === undefined)
    options.sslOptions = sslOptionsFrom(plan.tls);
  return options;
}

/** Node `tls.connect` options from a plan's PEM material. */
export function sslOptionsFrom(tls: PlanTls): NonNullable<cassandra.ClientOptions['sslOptions']> {
  return {
    ...(tls.ca !== null ? { ca: [tls.ca] } : {}),
    ...(tls.cert !== null ? { cert: tls.cert } : {}),
    ...(tls.key !== null ? { key: tls.key } : {}),
    ...(tls.passphrase !== null ? { passphrase: tls.passphrase } : {}),
    ...(tls.serverName !== null ? { servername: tls.serverName } : {}),
    rejectUnauthorized: tls.rejectUnauthorized,
  };
}
