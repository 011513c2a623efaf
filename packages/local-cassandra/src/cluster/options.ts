import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { isHeapSize } from '../config/jvm-args.js';
import { defaultCacheDir, defaultClusterDir } from '../env/cache-dir.js';
import { LocalCassandraOptionError } from '../errors/errors.js';

export interface StartLocalCassandraOptions {
  /** 1 (default) or 3 nodes; three nodes use `address` and the next two addresses. */
  nodes?: 1 | 3;
  /** PasswordAuthenticator + CassandraAuthorizer, superuser cassandra/cassandra. */
  auth?: boolean;
  /** Client-to-node TLS with a freshly generated CA; PEM paths come back in `tls`. */
  tls?: boolean;
  /** With `tls`: make the server demand a client certificate (mutual TLS). Default false. */
  requireClientAuth?: boolean;
  /** Cluster folder (config, logs, data, certificates). Default `<cache>/clusters/<address>-<port>`. */
  dir?: string;
  /** JVM heap per node, e.g. `1G` (default for one node) or `512M` (default for three). */
  heap?: string;
  /**
   * Threads per node that execute CQL requests (`native_transport_max_threads`).
   * Default: 4 per core of this machine shared by the nodes, from 8 to 128
   * (`defaultRequestThreads`). Cassandra's own 128 is sized for a server with
   * cores of its own.
   */
  requestThreads?: number;
  /** First node's address. Default 127.0.0.1. */
  address?: string;
  /** CQL port of every node. Default 9042. */
  port?: number;
  /** Cassandra release from Maven Central. Default 5.0.8. */
  version?: string;
  /** How long to wait for CQL to answer. Default 90 s per node. */
  readyTimeoutMs?: number;
  /** Where jars are cached. Default `CASSDL_CACHE_DIR`, `$XDG_CACHE_HOME/cassdl` or `~/.cache/cassdl`. */
  cacheDir?: string;
  /** Progress lines ("resolving jars", "node 127.0.0.1 is up", ...). */
  onProgress?: (msg: string) => void;
}

export interface ResolvedStartOptions {
  nodes: 1 | 3;
  auth: boolean;
  tls: boolean;
  requireClientAuth: boolean;
  dir: string;
  heap: string;
  requestThreads: number;
  address: string;
  port: number;
  version: string;
  readyTimeoutMs: number;
  cacheDir: string;
  onProgress: (msg: string) => void;
}

export const DEFAULT_VERSION = '5.0.8';
export const DEFAULT_ADDRESS = '127.0.0.1';
export const DEFAULT_PORT = 9042;
/** Gossip/streaming port. Fixed: nodes on distinct loopback addresses share it. */
export const STORAGE_PORT = 7000;

/** Fills defaults in one place and names the option in every complaint. */
export function resolveStartOptions(
  options: StartLocalCassandraOptions = {},
): ResolvedStartOptions {
  const nodes = options.nodes ?? 1;
  if (nodes !== 1 && nodes !== 3) throw new LocalCassandraOptionError('nodes', '1 or 3', nodes);
  const heap = options.heap ?? (nodes === 1 ? '1G' : '512M');
  if (!isHeapSize(heap))
    throw new LocalCassandraOptionError('heap', 'a JVM size such as 1G or 512M', heap);
  const requestThreads = options.requestThreads ?? defaultRequestThreads(nodes);
  if (!isRequestThreads(requestThreads))
    throw new LocalCassandraOptionError(
      'requestThreads',
      'an integer from 1 to 1024',
      requestThreads,
    );
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535 || port === STORAGE_PORT) {
    throw new LocalCassandraOptionError(
      'port',
      `an integer port 1-65535 other than ${STORAGE_PORT}`,
      port,
    );
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000 * nodes;
  if (!(readyTimeoutMs > 0))
    throw new LocalCassandraOptionError('readyTimeoutMs', 'a positive number', readyTimeoutMs);
  const address = options.address ?? DEFAULT_ADDRESS;
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir());
  return {
    nodes,
    auth: options.auth ?? false,
    tls: options.tls ?? false,
    requireClientAuth: options.requireClientAuth ?? false,
    dir: resolve(options.dir ?? defaultClusterDir(address, port, cacheDir)),
    heap,
    requestThreads,
    address,
    port,
    version: options.version ?? DEFAULT_VERSION,
    readyTimeoutMs,
    cacheDir,
    onProgress: options.onProgress ?? (() => {}),
  };
}

/** A valid `requestThreads`: a whole number from 1 to 1024. */
export function isRequestThreads(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 1024;
}

/**
 * Request threads per node: 4 per core the nodes share, from 8 to 128.
 * Cassandra's default of 128 assumes the cores are its own. Beside the
 * client on a small machine, a burst of requests (a long link's whole
 * window arriving at once) woke dozens of them, and Cassandra's few network
 * threads, runnable but not running, left requests unread in their sockets
 * for 100-200 ms: rows came back in waves. On 2 cores, 8 threads read 2 KB
 * rows through +200 ms at a median 45,700 rows/s against 35,400 with 128
 * (six alternating runs each; +0 ms 49,500 against 54,100).
 */
export function defaultRequestThreads(nodes: number, cores = availableParallelism()): number {
  return Math.min(128, Math.max(8, Math.round((4 * cores) / nodes)));
}
