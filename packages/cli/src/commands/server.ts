import {
  isRequestThreads,
  type LocalCassandraStatus,
  type LocalCluster,
  type LocalTls,
  localCassandraStatus,
  type StartLocalCassandraOptions,
  StartTimeoutError,
  startLocalCassandra,
  stopLocalCassandra,
} from '@cassdl/local-cassandra';
import { type Command, InvalidArgumentError } from 'commander';
import type { CliIo } from '../ui/io.js';
import { runAction } from '../ui/run-action.js';

/** Flags of `cassdl server start|stop|status`, as commander parses them. */
export interface ServerFlags {
  nodes?: 1 | 3;
  auth?: boolean;
  tls?: boolean;
  mtls?: boolean;
  dir?: string;
  heap?: string;
  requestThreads?: number;
  address?: string;
  port?: number;
  timeout?: number;
  json?: boolean;
}

/** Exit status of `status` when the cluster is not running, as `systemctl status` does. */
export const NOT_RUNNING_EXIT_CODE = 3;

export function parseNodes(value: string): 1 | 3 {
  if (value === '1' || value === '3') return Number(value) as 1 | 3;
  throw new InvalidArgumentError('expected 1 or 3.');
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidArgumentError('expected a port 1-65535.');
  return port;
}

export function parseThreads(value: string): number {
  const threads = Number(value);
  if (!isRequestThreads(threads))
    throw new InvalidArgumentError('expected an integer from 1 to 1024.');
  return threads;
}

export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!(seconds > 0)) throw new InvalidArgumentError('expected a positive number of seconds.');
  return seconds;
}

/** Maps CLI flags onto the library's options; undefined stays undefined so its defaults apply. */
export function startOptionsFromFlags(flags: ServerFlags, io: CliIo): StartLocalCassandraOptions {
  const options: StartLocalCassandraOptions = {
    auth: flags.auth === true,
    tls: flags.tls === true || flags.mtls === true,
    requireClientAuth: flags.mtls === true,
    onProgress: (msg) => io.err(`${msg}\n`),
  };
  if (flags.nodes !== undefined) options.nodes = flags.nodes;
  if (flags.dir !== undefined) options.dir = flags.dir;
  if (flags.heap !== undefined) options.heap = flags.heap;
  if (flags.requestThreads !== undefined) options.requestThreads = flags.requestThreads;
  if (flags.address !== undefined) options.address = flags.address;
  if (flags.port !== undefined) options.port = flags.port;
  if (flags.timeout !== undefined) options.readyTimeoutMs = flags.timeout * 1000;
  return options;
}

function locator(flags: ServerFlags) {
  return { dir: flags.dir, address: flags.address, port: flags.port };
}

/** `cassdl server start|stop|status`: a thin layer over @cassdl/local-cassandra. */
export function registerServerCommand(program: Command, io: CliIo): void {
  const server = program
    .command('server')
    .description(
      'run a real local Apache Cassandra (from Maven Central jars) for development and tests',
    );

  const where = (c: Command) =>
    c
      .option('--dir <dir>', 'cluster folder (default <cache>/clusters/<address>-<port>)')
      .option('--address <ip>', 'first node address (default 127.0.0.1)')
      .option('--port <n>', 'CQL port (default 9042)', parsePort)
      .option('--json', 'print JSON instead of text');

  where(
    server
      .command('start')
      .description('start a local cluster, or reuse the one already running in --dir')
      .option('--nodes <n>', '1 or 3 nodes on consecutive addresses (default 1)', parseNodes)
      .option('--auth', 'PasswordAuthenticator; superuser cassandra/cassandra')
      .option('--tls', 'client TLS with a freshly generated CA; prints the PEM paths')
      .option('--mtls', 'like --tls, and the server requires a client certificate')
      .option('--heap <size>', 'JVM heap per node (default 1G; 512M for 3 nodes)')
      .option(
        '--request-threads <n>',
        'threads per node executing CQL requests (default 4 per core, 8-128)',
        parseThreads,
      )
      .option(
        '--timeout <seconds>',
        'how long to wait for CQL (default 90 per node)',
        parseSeconds,
      ),
  ).action((flags: ServerFlags) =>
    runAction(io, 'server start', async () => {
      const cluster = await startLocalCassandra(startOptionsFromFlags(flags, io)).catch(
        (error: unknown) => {
          throw oneLine(error, io);
        },
      );
      io.out(
        flags.json
          ? `${JSON.stringify(clusterJson(cluster), null, 2)}\n`
          : describeCluster(cluster),
      );
    }),
  );

  where(
    server
      .command('stop')
      .description('stop the local cluster in --dir (SIGTERM, then SIGKILL after 30 s)'),
  ).action((flags: ServerFlags) =>
    runAction(io, 'server stop', async () => {
      const result = await stopLocalCassandra(locator(flags));
      if (flags.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.stopped.length === 0) io.out(`nothing running in ${result.dir}\n`);
      else io.out(`stopped ${result.stopped.join(', ')} (${result.dir})\n`);
    }),
  );

  where(
    server
      .command('status')
      .description(`show the local cluster; exits ${NOT_RUNNING_EXIT_CODE} when it is not running`),
  ).action((flags: ServerFlags) =>
    runAction(io, 'server status', async () => {
      const status = await localCassandraStatus(locator(flags));
      io.out(
        flags.json ? `${JSON.stringify(statusJson(status), null, 2)}\n` : describeStatus(status),
      );
      if (!status.running) process.exitCode = NOT_RUNNING_EXIT_CODE;
    }),
  );
}

/**
 * A failed start is reported in one line; the server log tail that explains a
 * timeout goes to stderr below it, since that is what the user needs next.
 */
function oneLine(error: unknown, io: CliIo): Error {
  if (error instanceof StartTimeoutError) {
    io.err(`--- server log (tail) ---\n${error.logTail}\n`);
    return new Error(error.message.split('\n')[0]);
  }
  return error instanceof Error
    ? new Error(error.message.split('\n')[0])
    : new Error(String(error));
}

/** What a client needs of the TLS setup: the server-side store passwords stay in cluster.json. */
function clientTls(
  tls: LocalTls | null,
): Omit<LocalTls, 'keystorePassword' | 'truststorePassword'> | null {
  if (tls === null) return null;
  const { keystorePassword: _k, truststorePassword: _t, ...clientSide } = tls;
  return clientSide;
}

/** The cluster as JSON, without the stop function. */
export function clusterJson(cluster: LocalCluster): Record<string, unknown> {
  const { stop: _stop, tls, ...rest } = cluster;
  return { ...rest, tls: clientTls(tls) };
}

export function statusJson(status: LocalCassandraStatus): Record<string, unknown> {
  return { ...status, tls: clientTls(status.tls) };
}

export function describeCluster(cluster: LocalCluster): string {
  const lines = [
    `Cassandra ${cluster.version} ${cluster.reused ? 'already running' : 'started'}: ${cluster.nodes.length} node(s), folder ${cluster.dir}`,
    `  contact points  ${cluster.contactPoints.map((a) => `${a}:${cluster.port}`).join(', ')}`,
    `  data center     ${cluster.localDataCenter}`,
  ];
  if (cluster.auth !== null)
    lines.push(`  credentials     ${cluster.auth.username} / ${cluster.auth.password}`);
  if (cluster.tls !== null) {
    const t = cluster.tls;
    lines.push(
      `  CA (PEM)        ${t.caFile}`,
      `  client cert     ${t.clientCertFile}${t.requireClientAuth ? ' (required)' : ''}`,
      `  client key      ${t.clientKeyFile} (passphrase ${t.clientKeyPassphrase})`,
    );
  }
  lines.push(
    `  logs            ${cluster.nodes.map((n) => n.logFile).join(', ')}`,
    `  use it          export CASSDL_CONTACT_POINTS=${cluster.contactPoints.join(',')} CASSDL_PORT=${cluster.port} CASSDL_LOCAL_DC=${cluster.localDataCenter}`,
    `  stop it         cassdl server stop --dir ${cluster.dir}`,
  );
  return `${lines.join('\n')}\n`;
}

export function describeStatus(status: LocalCassandraStatus): string {
  if (!status.exists) return `no local cluster in ${status.dir}\n`;
  const lines = [
    `${status.running ? 'running' : 'not running'}: Cassandra ${status.version}, folder ${status.dir}`,
    ...status.nodes.map(
      (n) =>
        `  ${n.address}:${status.port}  ${n.running ? `pid ${n.pid}` : 'stopped'}  CQL ${n.cql ? 'answers' : 'does not answer'}`,
    ),
  ];
  if (status.auth !== null)
    lines.push(`  credentials ${status.auth.username} / ${status.auth.password}`);
  if (status.tls !== null) lines.push(`  CA (PEM) ${status.tls.caFile}`);
  return `${lines.join('\n')}\n`;
}
