import { readFile } from 'node:fs/promises';
import { isPem } from '@cassdl/schema';
import AdmZip from 'adm-zip';
import { CassdlConnectionError } from '../errors.js';

/**
 * What an Astra secure connect bundle holds that the data plane needs: the
 * TLS material every connection presents and checks with, and the
 * credentials some bundles carry. (cassandra-driver reads the same zip, with
 * the same library, to reach the metadata service; the proxy address and host
 * ids come from there, see `cloud-route.ts`.)
 */
export interface CloudBundle {
  /** `config.json`'s `host` and `port`: the metadata service. */
  readonly metadataService: { readonly host: string; readonly port: number };
  /** `ca.crt`: the CA the SNI proxy's certificate is checked against. */
  readonly ca: string;
  /** `cert` and `key`: the client side of mutual TLS. */
  readonly cert: string;
  readonly key: string;
  /** `config.json`'s `username`/`password`, when the bundle has them. */
  readonly credentials: { readonly username: string; readonly password: string } | null;
}

/** Reads and checks the bundle at `path` before anything connects. */
export async function readCloudBundle(path: string): Promise<CloudBundle> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw bundleError('connect', path, `cannot be read: ${reason}`, error);
  }
  return parseCloudBundle(bytes, path);
}

/** The bundle's entries, checked: a clear error names the entry to fix. */
export function parseCloudBundle(bytes: Uint8Array, path: string): CloudBundle {
  const entries = zipEntries(bytes, path);
  const config = configOf(entries.get('config.json'), path);
  return {
    metadataService: config.metadataService,
    ca: pemEntry(entries, 'ca.crt', path),
    cert: pemEntry(entries, 'cert', path),
    key: pemEntry(entries, 'key', path),
    credentials: config.credentials,
  };
}

function zipEntries(bytes: Uint8Array, path: string): Map<string, Buffer> {
  try {
    const zip = new AdmZip(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return new Map(
      zip
        .getEntries()
        .filter((e) => !e.isDirectory)
        .map((e) => [e.entryName, e.getData()]),
    );
  } catch (error) {
    throw bundleError(
      'connect',
      path,
      'is not a zip archive; give the secure connect bundle (.zip) as downloaded from Astra, unpacked neither',
      error,
    );
  }
}

function configOf(
  raw: Buffer | undefined,
  path: string,
): Pick<CloudBundle, 'metadataService' | 'credentials'> {
  if (raw === undefined) throw bundleError('connect', path, 'has no config.json');
  let config: unknown;
  try {
    config = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw bundleError('connect', path, 'config.json is not JSON', error);
  }
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<
    string,
    unknown
  >;
  const port = typeof c.port === 'string' ? Number(c.port) : c.port;
  if (typeof c.host !== 'string' || c.host === '' || !isPort(port)) {
    throw bundleError(
      'connect',
      path,
      'config.json needs "host" and "port" (the metadata service); received ' +
        `host ${JSON.stringify(c.host) ?? 'missing'}, port ${JSON.stringify(c.port) ?? 'missing'}`,
    );
  }
  const credentials =
    typeof c.username === 'string' && c.username !== '' && typeof c.password === 'string'
      ? { username: c.username, password: c.password }
      : null;
  return { metadataService: { host: c.host, port }, credentials };
}

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}

function pemEntry(entries: ReadonlyMap<string, Buffer>, name: string, path: string): string {
  const raw = entries.get(name);
  if (raw === undefined) {
    throw bundleError(
      'tls',
      path,
      `has no ${name} (a secure connect bundle holds ca.crt, cert and key beside config.json)`,
    );
  }
  const text = raw.toString('utf8');
  // The text is never quoted: `key` is key material.
  if (!isPem(text)) throw bundleError('tls', path, `${name} holds no PEM block`);
  return text;
}

function bundleError(
  failure: 'connect' | 'tls',
  path: string,
  what: string,
  cause?: unknown,
): CassdlConnectionError {
  return new CassdlConnectionError(
    failure,
    `cloudConfig.secureConnectBundle: ${path} ${what}.`,
    [],
    cause,
  );
}
