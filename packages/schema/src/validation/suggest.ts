/**
 * "Did you mean" hints for unknown option names. cassandra-dali-plugin users
 * port pipelines line by line, so its snake_case names map to ours first;
 * then any snake_case name whose camelCase form exists; then close typos.
 */

// cassandra-dali-plugin (and DALI reader) argument names -> cassdl option names.
const DALI_NAMES: Readonly<Record<string, string>> = {
  uuids: 'sourceUuids',
  source_uuids: 'sourceUuids',
  prefetch_buffers: 'prefetchBuffers',
  shard_id: 'shardId',
  num_shards: 'numShards',
  label_type: 'labelType',
  id_col: 'idCol',
  data_col: 'dataCol',
  label_col: 'labelCol',
  shuffle_every_epoch: 'shuffleEveryEpoch',
  loop_forever: 'loopForever',
  slow_start: 'slowStart',
  pad_last_batch: 'padLastBatch',
  batch_size: 'batchSize',
  max_batch_size: 'batchSize',
  use_ssl: 'useSsl',
  ssl_certificate: 'sslCertificate',
  ssl_own_certificate: 'sslOwnCertificate',
  ssl_own_key: 'sslOwnKey',
  ssl_own_key_pass: 'sslOwnKeyPass',
  cloud_config: 'cloudConfig',
  cassandra_ips: 'contactPoints',
  contact_points: 'contactPoints',
  cassandra_port: 'port',
  local_dc: 'localDataCenter',
  split_file: 'splitFile',
  split_name: 'splitName',
};

// Options that live under `connection` when seen from the reader's top level.
const CONNECTION_ONLY = new Set(['contactPoints', 'port', 'localDataCenter']);

// cassandra-dali-plugin sizes thread pools; cassdl sizes connections and
// in-flight requests instead, so these have no one-to-one replacement.
const DALI_THREAD_KNOBS = new Set([
  'io_threads',
  'comm_threads',
  'copy_threads',
  'wait_threads',
  'wait_par',
]);

/** The hint to append after `unknown option "x"`, or '' when nothing is close. */
export function unknownKeyHint(key: string, knownKeys: readonly string[]): string {
  if (DALI_THREAD_KNOBS.has(key)) {
    return ' (cassandra-dali-plugin thread counts map to "connectionsPerHost" and "inflight")';
  }
  const target = suggestKey(key, knownKeys);
  return target === null ? '' : ` (did you mean "${target}"?)`;
}

function suggestKey(key: string, known: readonly string[]): string | null {
  const known_ = new Set(known);
  const dali = DALI_NAMES[key];
  if (dali !== undefined) {
    if (known_.size === 0 || known_.has(dali)) return dali;
    if (CONNECTION_ONLY.has(dali) && known_.has('connection')) return `connection.${dali}`;
  }
  const camel = key.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  if (camel !== key && known_.has(camel)) return camel;
  return closestKey(key, known);
}

function closestKey(key: string, known: readonly string[]): string | null {
  const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const target = squash(key);
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(target.length / 4)));
  for (const candidate of known) {
    const distance = editDistance(target, squash(candidate));
    if (distance <= bestDistance && (best === null || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance; option names are short, so the O(n*m) table is fine. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
