import { createHash } from 'node:crypto';
import { formatUuid, parseUuid } from '@cassdl/schema';

/**
 * The fixed namespace of every id `cassdl ingest` makes. A sample's id is
 * UUIDv5(namespace, its path relative to the ingested folder, with `/`
 * separators): the same file always gets the same id, so a re-run upserts
 * the same rows and never duplicates one. Changing this constant would give
 * every dataset new ids: never do.
 */
export const CASSDL_INGEST_NAMESPACE = '928a765e-76a6-4e14-abe0-2ff86d46804b';

const NAMESPACE_BYTES = parseUuid(CASSDL_INGEST_NAMESPACE);

/** RFC 4122 version-5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: Uint8Array = NAMESPACE_BYTES): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  const bytes = new Uint8Array(hash.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return formatUuid(bytes, 0);
}

/** The id `cassdl ingest` gives the file at `relativePath` (POSIX separators). */
export function sampleId(relativePath: string): string {
  return uuidV5(relativePath);
}
