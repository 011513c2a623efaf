import type { ConnectionOptionsInput } from './connection.js';
import { CassdlValidationError, validationIssue } from './errors.js';
import { describeReceived } from './validation/describe.js';

/** Environment variables `connectionFromEnv` reads, and the option each fills. */
export const CONNECTION_ENV = {
  CASSDL_CONTACT_POINTS: 'contactPoints',
  CASSDL_PORT: 'port',
  CASSDL_LOCAL_DC: 'localDataCenter',
  CASSDL_USERNAME: 'username',
  CASSDL_PASSWORD: 'password',
  CASSDL_SSL_CA: 'sslCertificate',
  CASSDL_SSL_CERT: 'sslOwnCertificate',
  CASSDL_SSL_KEY: 'sslOwnKey',
  CASSDL_SSL_KEY_PASS: 'sslOwnKeyPass',
} as const;

/**
 * Connection options from `CASSDL_*` variables (tests, benchmarks and tools
 * use them to target an existing cluster), or null when
 * `CASSDL_CONTACT_POINTS` is unset. Empty variables count as unset. The
 * result is input: pass it through `connectionOptionsSchema` to check it.
 */
export function connectionFromEnv(
  env: Record<string, string | undefined>,
): ConnectionOptionsInput | null {
  const get = (name: keyof typeof CONNECTION_ENV) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const points = get('CASSDL_CONTACT_POINTS');
  if (points === undefined) return null;
  const options: ConnectionOptionsInput = {
    contactPoints: points
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  };
  const port = get('CASSDL_PORT');
  if (port !== undefined) options.port = parsePort(port);
  const strings = [
    'CASSDL_LOCAL_DC',
    'CASSDL_USERNAME',
    'CASSDL_PASSWORD',
    'CASSDL_SSL_CA',
    'CASSDL_SSL_CERT',
    'CASSDL_SSL_KEY',
    'CASSDL_SSL_KEY_PASS',
  ] as const;
  for (const name of strings) {
    const value =
      name === 'CASSDL_PASSWORD' || name === 'CASSDL_SSL_KEY_PASS' ? env[name] : get(name);
    if (value !== undefined && value !== '') options[CONNECTION_ENV[name]] = value;
  }
  return options;
}

function parsePort(text: string): number {
  if (/^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535) return Number(text);
  const issue = validationIssue('CASSDL_PORT', 'port number 1-65535', describeReceived(text));
  throw new CassdlValidationError([issue], 'environment');
}
