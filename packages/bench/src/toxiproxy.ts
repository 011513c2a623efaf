import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { defaultCacheDir } from '@cassdl/local-cassandra';
import { CassdlError } from '@cassdl/schema';

/**
 * Added network latency for `cassdl bench --latency-ms`. The kernels these
 * benchmarks run on often lack the `netem` qdisc, so latency comes from
 * Toxiproxy (a TCP proxy with `latency` toxics), built once with `go install`
 * into the cassdl cache folder and run on loopback for the bench's duration.
 */
export const TOXIPROXY_VERSION = '2.5.0';
const MODULE = `github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_VERSION}`;

/** A bench could not set up its latency proxy; the message says what to install or fix. */
export class CassdlBenchError extends CassdlError<'ERR_CASSDL_BENCH'> {
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_CASSDL_BENCH', message, options);
  }
}

/** The Toxiproxy server binary, installing it when missing (needs Go and the Go module proxy). */
export async function ensureToxiproxy(cacheDir = defaultCacheDir()): Promise<string> {
  const dir = join(cacheDir, `toxiproxy-${TOXIPROXY_VERSION}`);
  const binary = join(dir, 'server');
  if (await exists(binary)) return binary;
  await mkdir(dir, { recursive: true });
  try {
    await promisify(execFile)('go', ['install', MODULE], {
      env: { ...process.env, GOBIN: dir },
      timeout: 300_000,
    });
  } catch (error) {
    throw new CassdlBenchError(
      `--latency-ms needs Toxiproxy, and installing it failed (go install ${MODULE} with GOBIN=${dir}): ` +
        `${error instanceof Error ? error.message : String(error)}. Install Go, or put a toxiproxy server binary at ${binary}`,
      { cause: error },
    );
  }
  return binary;
}

/** A running Toxiproxy with one proxy in front of a Cassandra node. */
export class LatencyProxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly api: string,
    /** `127.0.0.1:<port>` to connect to instead of the node. */
    readonly listen: string,
  ) {}

  /** The proxy's process id (its CPU is what a bench reports beside the reader's), or undefined once it failed to start. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts Toxiproxy on a free loopback port with a proxy to `upstream` (`host:port`). */
  static async start(binary: string, upstream: string): Promise<LatencyProxy> {
    const apiPort = await freePort();
    const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(apiPort)], {
      stdio: 'ignore',
    });
    const api = `http://127.0.0.1:${apiPort}`;
    try {
      await waitForApi(api, child);
      const listen = `127.0.0.1:${await freePort()}`;
      await call(api, 'POST', '/proxies', { name: 'cassandra', listen, upstream, enabled: true });
      return new LatencyProxy(child, api, listen);
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  /**
   * Sets the added round trip: half on each direction (25 ms each way gives
   * a measured ~54 ms CQL round trip). 0 removes the toxics: the proxy still
   * forwards, which is the baseline latency runs are compared with.
   */
  async setLatency(roundTripMs: number): Promise<void> {
    for (const stream of ['upstream', 'downstream'] as const) {
      await call(this.api, 'DELETE', `/proxies/cassandra/toxics/latency_${stream}`).catch(
        () => undefined,
      );
      if (roundTripMs > 0) {
        await call(this.api, 'POST', '/proxies/cassandra/toxics', {
          name: `latency_${stream}`,
          type: 'latency',
          stream,
          toxicity: 1,
          attributes: { latency: Math.round(roundTripMs / 2), jitter: 0 },
        });
      }
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

async function call(api: string, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) {
    throw new CassdlBenchError(
      `toxiproxy ${method} ${path}: ${response.status} ${await response.text()}`,
    );
  }
}

async function waitForApi(api: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new CassdlBenchError(`toxiproxy exited at start (status ${child.exitCode})`);
    try {
      if ((await fetch(`${api}/version`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new CassdlBenchError(`toxiproxy did not answer on ${api} within 10 s`);
}

/** A loopback port nobody listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string')
    throw new CassdlBenchError('could not pick a free port');
  return address.port;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
