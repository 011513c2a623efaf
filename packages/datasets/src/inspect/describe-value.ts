import cassandra from 'cassandra-driver';

/** A value as text for a terminal: blobs as `<n bytes> ff d8 …`, everything else as CQL would print it. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Buffer.isBuffer(value)) return `<${value.length} bytes> ${hexPreview(value)}`;
  if (value instanceof cassandra.types.Uuid || value instanceof cassandra.types.TimeUuid)
    return value.toString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return String(value);
}

/** First `n` bytes as spaced hex, `ff d8 ff e0 …` when there are more. */
export function hexPreview(bytes: Uint8Array, n = 16): string {
  const head = Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > n ? `${head} …` : head;
}
