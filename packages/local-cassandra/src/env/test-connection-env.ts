import { LocalCassandraOptionError } from '../errors/errors.js';

export interface TestConnection {
  contactPoints: string[];
  port: number;
  localDataCenter: string;
}

/**
 * Reads `CASSDL_CONTACT_POINTS` (comma separated), `CASSDL_PORT` (default
 * 9042) and `CASSDL_LOCAL_DC` (default datacenter1). Returns null when no
 * contact points are set, meaning "start or reuse a local server".
 */
export function testConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): TestConnection | null {
  const raw = env.CASSDL_CONTACT_POINTS?.trim();
  if (!raw) return null;
  const contactPoints = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (contactPoints.length === 0) {
    throw new LocalCassandraOptionError(
      'CASSDL_CONTACT_POINTS',
      'a comma-separated list of hosts',
      raw,
    );
  }
  const portText = env.CASSDL_PORT?.trim();
  const port = portText ? Number(portText) : 9042;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LocalCassandraOptionError('CASSDL_PORT', 'an integer port 1-65535', portText);
  }
  const localDataCenter = env.CASSDL_LOCAL_DC?.trim() || 'datacenter1';
  return { contactPoints, port, localDataCenter };
}
