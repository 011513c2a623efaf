import { join } from 'node:path';

/** Files of one node inside the cluster folder; one place so start, stop and status agree. */
export interface NodeLayout {
  address: string;
  dir: string;
  yamlFile: string;
  logbackFile: string;
  pidFile: string;
  /** stdout/stderr of the JVM: crashes before logging starts end up here. */
  outputFile: string;
  logDir: string;
  systemLog: string;
  dataDir: string;
  commitlogDir: string;
  savedCachesDir: string;
  hintsDir: string;
}

export function nodeLayout(clusterDir: string, index: number, address: string): NodeLayout {
  const dir = join(clusterDir, `node${index + 1}`);
  const logDir = join(dir, 'logs');
  return {
    address,
    dir,
    yamlFile: join(dir, 'cassandra.yaml'),
    logbackFile: join(dir, 'logback.xml'),
    pidFile: join(dir, 'cassandra.pid'),
    outputFile: join(dir, 'output.log'),
    logDir,
    systemLog: join(logDir, 'system.log'),
    dataDir: join(dir, 'data'),
    commitlogDir: join(dir, 'commitlog'),
    savedCachesDir: join(dir, 'saved_caches'),
    hintsDir: join(dir, 'hints'),
  };
}

export function stateFile(clusterDir: string): string {
  return join(clusterDir, 'cluster.json');
}

export function tlsDir(clusterDir: string): string {
  return join(clusterDir, 'tls');
}
