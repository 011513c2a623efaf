/**
 * Turns a zod path into the dotted form users type in a config:
 * `reader.connection.contactPoints[2]`, `splitFile.splits["my split"]`.
 */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let text = root.endsWith('.') ? root.slice(0, -1) : root;
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_$][\w$]*$/.test(key)) text += text === '' ? key : `.${key}`;
      else text += `[${JSON.stringify(key)}]`;
    }
  }
  return text;
}

// Option names whose values are credentials or key material. Matched on the
// key alone (case and separators ignored) so snake_case and env names count.
const SECRET_KEYS = new Set([
  'password',
  'passphrase',
  'key',
  'sslkey',
  'sslownkey',
  'sslownkeypass',
  'cassdlpassword',
  'cassdlsslkey',
  'cassdlsslkeypass',
  'secret',
]);

/** True when a value at this path must never be echoed back in an error. */
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path.some(
    (segment) =>
      typeof segment === 'string' && SECRET_KEYS.has(segment.toLowerCase().replace(/[_-]/g, '')),
  );
}

/** True for values that are key material wherever they were put (a key pasted as a CA, say). */
export function isSecretValue(value: unknown): boolean {
  return typeof value === 'string' && /PRIVATE KEY-----/.test(value);
}
