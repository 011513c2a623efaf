import type { ConnectionOptionsInput, ReaderOptionsInput } from '@cassdl/schema';

/** The options of cassandra-dali-plugin's `fn.crs4.cassandra`, as its Python wrapper passes them. */
export type DaliReaderOptions = Readonly<Record<string, unknown>>;

export interface FromDaliOptionsResult {
  /** cassdl reader options: give them to `CassandraReader.open` (validated there). */
  readonly options: ReaderOptionsInput;
  /** What was changed or dropped and why, one line each, in option order. */
  readonly notices: string[];
}

export interface FromDaliOptionsSettings {
  /** Called with each notice. Default: `console.warn`; pass `() => {}` to keep quiet. */
  readonly onNotice?: (notice: string) => void;
}

// Plugin name -> cassdl connection field (values passed through, `""` = unset).
const CONNECTION_NAMES: Readonly<Record<string, keyof ConnectionOptionsInput>> = {
  cassandra_ips: 'contactPoints',
  cassandra_port: 'port',
  username: 'username',
  password: 'password',
  use_ssl: 'useSsl',
  ssl_certificate: 'sslCertificate',
  ssl_own_certificate: 'sslOwnCertificate',
  ssl_own_key: 'sslOwnKey',
  ssl_own_key_pass: 'sslOwnKeyPass',
};

// Plugin name -> cassdl reader field, same meaning.
const READER_NAMES: Readonly<Record<string, string>> = {
  table: 'table',
  id_col: 'idCol',
  data_col: 'dataCol',
  label_col: 'labelCol',
  source_uuids: 'sourceUuids',
  num_shards: 'numShards',
  shard_id: 'shardId',
  ooo: 'ooo',
  slow_start: 'slowStart',
  batch_size: 'batchSize',
};

const THREAD_KNOBS = ['io_threads', 'comm_threads', 'copy_threads', 'wait_threads'] as const;

// DALI plumbing with no meaning for a reader that is not a DALI operator.
const IGNORED: Readonly<Record<string, string>> = {
  name: 'the DALI operator name',
  blocking: 'interactive reads always wait for their rows (await reader.fetch)',
  no_copy: 'batches are handed over without a copy already',
  mini_batch_size: 'the decoupled reader is not needed: fetch() takes any number of ids',
  device: 'reading happens on the CPU; decode on the GPU with @cassdl/gpu-ops',
  num_threads: 'a DALI pipeline setting',
  device_id: 'a DALI pipeline setting',
};

// The plugin's defaults where cassdl's differ: applied so a port behaves the same.
const PLUGIN_DEFAULTS = [
  ['shuffle_every_epoch', 'shuffleEveryEpoch', false, true],
  ['loop_forever', 'loopForever', true, false],
] as const;

/**
 * cassandra-dali-plugin reader arguments (`fn.crs4.cassandra(...)`, snake
 * case) as cassdl reader options, with the plugin's quirks and defaults:
 * `""` and `None` mean unset; the plugin's defaults for
 * `shuffle_every_epoch` (false) and `loop_forever` (true) are kept; thread
 * counts become `connectionsPerHost` (one connection per I/O thread, as the
 * plugin's driver opens them), the others have no equivalent; a
 * `prefetch_buffers` of 0 becomes 1; `label_type: "image"` is `"blob"`;
 * `use_ssl` without a CA keeps certificate verification on. cassdl's own
 * option names may be mixed in and pass through; a name neither knows is
 * reported by `CassandraReader.open`'s validation, with a suggestion. Every
 * change is a notice.
 */
export function fromDaliOptions(
  dali: DaliReaderOptions,
  settings: FromDaliOptionsSettings = {},
): FromDaliOptionsResult {
  const notices: string[] = [];
  const notice = (text: string) => {
    notices.push(text);
    (settings.onNotice ?? ((t: string) => console.warn(`cassdl: ${t}`)))(text);
  };
  const options: Record<string, unknown> = {};
  const connection: Record<string, unknown> = {};
  const given = (key: string) => isSet(dali[key]);

  for (const [key, raw] of Object.entries(dali)) {
    if (!isSet(raw)) {
      if (raw === '') notice(`${key}: "" means unset in the plugin; left unset`);
      continue;
    }
    const conn = CONNECTION_NAMES[key];
    if (conn !== undefined) connection[conn] = raw;
    else if (READER_NAMES[key] !== undefined) options[READER_NAMES[key] as string] = raw;
    else if (key === 'label_type') options.labelType = raw === 'image' ? 'blob' : raw;
    else if (key === 'cloud_config') connection.cloudConfig = cloudConfig(raw);
    else if (key === 'prefetch_buffers') options.prefetchBuffers = prefetch(raw, notice);
    else if (key === 'seed') Object.assign(options, seed(raw, notice));
    else if (PLUGIN_DEFAULTS.some(([name]) => name === key)) options[camel(key)] = raw;
    else if ((THREAD_KNOBS as readonly string[]).includes(key))
      continue; // below, in one notice
    else if (IGNORED[key] !== undefined) notice(`${key}: dropped (${IGNORED[key]})`);
    else if (key === 'connection' && typeof raw === 'object') Object.assign(connection, raw);
    else options[key] = raw; // cassdl's own names; anything else is named by the reader's validation
  }

  threadKnobs(dali, options, notice);
  for (const [name, field, pluginDefault, cassdlDefault] of PLUGIN_DEFAULTS) {
    if (!given(name) && options[field] === undefined) {
      options[field] = pluginDefault;
      notice(
        `${name} not given: ${pluginDefault}, the plugin's default (cassdl's own default is ${cassdlDefault})`,
      );
    }
  }
  if (connection.useSsl === true && connection.sslCertificate === undefined) {
    notice(
      'use_ssl without ssl_certificate: the server certificate is verified against the system CAs ' +
        "(the plugin's driver did not verify it); for a private CA or a self-signed server, pin it " +
        'with ssl_certificate / sslCertificate: the CA file in PEM, e.g. from ' +
        '`openssl s_client -connect HOST:9042 -showcerts`',
    );
  }
  if (Object.keys(connection).length > 0) options.connection = connection;
  return { options: options as ReaderOptionsInput, notices };
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A bundle path, or the Python driver's `{"secure_connect_bundle": path}`. */
function cloudConfig(raw: unknown): unknown {
  if (typeof raw === 'string') return { secureConnectBundle: raw };
  if (typeof raw === 'object' && raw !== null && 'secure_connect_bundle' in raw)
    return {
      secureConnectBundle: (raw as { secure_connect_bundle: unknown }).secure_connect_bundle,
    };
  return raw;
}

function prefetch(raw: unknown, notice: (t: string) => void): unknown {
  if (raw !== 0) return raw;
  notice('prefetch_buffers: 0 becomes 1 (cassdl always reads at least the next batch ahead)');
  return 1;
}

/** DALI's seed -1 means "pick one at random"; cassdl's seed is a uint32. */
function seed(raw: unknown, notice: (t: string) => void): Record<string, unknown> {
  if (raw !== -1) return { seed: raw };
  const value = Math.floor(Math.random() * 0x1_0000_0000);
  notice(`seed: -1 (random) becomes ${value}; pass it to get the same order again`);
  return { seed: value };
}

/**
 * The plugin's four thread pools in one notice. `io_threads` is the number
 * of driver I/O threads, each with its own connection to every host, so it
 * becomes `connectionsPerHost`; the copy, wait and communication threads
 * have no counterpart (the data plane has its own threads and sizes
 * in-flight requests with `inflight`).
 */
function threadKnobs(
  dali: DaliReaderOptions,
  options: Record<string, unknown>,
  notice: (t: string) => void,
): void {
  const given = THREAD_KNOBS.filter((k) => isSet(dali[k]));
  if (given.length === 0) return;
  const io = dali.io_threads;
  const parts = given.map((k) => `${k}=${String(dali[k])}`).join(', ');
  let mapped = 'no thread count maps to a cassdl option';
  if (isSet(io) && options.connectionsPerHost === undefined) {
    const n = Math.min(256, Math.max(1, Math.trunc(Number(io))));
    options.connectionsPerHost = Number.isFinite(n) ? n : io;
    mapped = `connectionsPerHost=${String(options.connectionsPerHost)} (io_threads: one connection per I/O thread)`;
  }
  notice(
    `${parts}: cassdl sizes connections and requests in flight, not threads; ${mapped}; ` +
      'copy, wait and communication threads have no equivalent (raise inflight for a high-latency link)',
  );
}
