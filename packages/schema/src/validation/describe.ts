const MAX_STRING = 60;

/**
 * Describes a received value for an error line: the value itself when short
 * and harmless, then its type, e.g. `-1 (number)`, `"ks" (string)`,
 * `Uint8Array of 17 bytes`. Objects are never dumped: they may hold secrets.
 */
export function describeReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return describeString(value);
    case 'number':
    case 'boolean':
      return `${String(value)} (${typeof value})`;
    case 'bigint':
      return `${value}n (bigint)`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
  }
  if (Array.isArray(value)) return `array of ${plural(value.length, 'item')}`;
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name} of ${plural(value.byteLength, 'byte')}`;
  if (value instanceof Date) return 'a Date';
  return 'object';
}

function describeString(value: string): string {
  if (value.length <= MAX_STRING) return `${JSON.stringify(value)} (string)`;
  const head = JSON.stringify(value.slice(0, MAX_STRING - 1)).slice(0, -1);
  return `${head}…" (string of ${value.length} characters)`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
