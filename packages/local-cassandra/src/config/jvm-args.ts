import { pathToFileURL } from 'node:url';

/**
 * The module openings Cassandra 5.0 needs on JDK 17, as listed in its own
 * `conf/jvm17-server.options` (the jars do not carry that file).
 */
const ADD_OPENS = [
  'java.base/java.lang.module',
  'java.base/jdk.internal.loader',
  'java.base/jdk.internal.ref',
  'java.base/jdk.internal.reflect',
  'java.base/jdk.internal.math',
  'java.base/jdk.internal.module',
  'java.base/jdk.internal.util.jar',
  'java.base/sun.nio.ch',
  'java.base/java.io',
  'java.base/java.lang.reflect',
  'java.base/java.lang',
  'java.base/java.util',
  'java.base/java.nio',
  'jdk.management/com.sun.management.internal',
  'jdk.compiler/com.sun.tools.javac',
];

const ADD_EXPORTS = [
  'java.base/jdk.internal.misc',
  'java.management.rmi/com.sun.jmx.remote.internal.rmi',
  'java.rmi/sun.rmi.registry',
  'java.rmi/sun.rmi.server',
  'java.sql/java.sql',
  'java.base/java.lang.ref',
  'jdk.unsupported/sun.misc',
  'jdk.compiler/com.sun.tools.javac.file',
  'jdk.attach/sun.tools.attach',
  'java.management/com.sun.jmx.remote.security',
];

export const CASSANDRA_MAIN_CLASS = 'org.apache.cassandra.service.CassandraDaemon';

export interface JvmArgsInput {
  libDir: string;
  jammJar: string;
  heap: string;
  yamlFile: string;
  logbackFile: string;
  storageDir: string;
  logDir: string;
  /** Shorter ring delay lets three fresh nodes agree on the ring in seconds. */
  ringDelayMs: number | null;
}

export function jvmArgs(input: JvmArgsInput): string[] {
  return [
    `-Xms${input.heap}`,
    `-Xmx${input.heap}`,
    '-Xss256k',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-ea',
    '-da:net.openhft...',
    '-Djava.net.preferIPv4Stack=true',
    '-Djdk.attach.allowAttachSelf=true',
    `-javaagent:${input.jammJar}`,
    '-Dio.netty.tryReflectionSetAccessible=true',
    ...ADD_OPENS.map((m) => `--add-opens=${m}=ALL-UNNAMED`),
    ...ADD_EXPORTS.map((m) => `--add-exports=${m}=ALL-UNNAMED`),
    // cassandra.config must be a URL, not a plain path.
    `-Dcassandra.config=${pathToFileURL(input.yamlFile).href}`,
    '-Dcassandra-foreground=yes',
    `-Dcassandra.storagedir=${input.storageDir}`,
    `-Dcassandra.logdir=${input.logDir}`,
    `-Dlogback.configurationFile=${input.logbackFile}`,
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    // Role setup starts soon, but when it fails (a peer down) it is retried
    // after this delay: 0 would retry in a tight loop and flood the log.
    '-Dcassandra.superuser_setup_delay_ms=500',
    ...(input.ringDelayMs === null ? [] : [`-Dcassandra.ring_delay_ms=${input.ringDelayMs}`]),
    '-cp',
    `${input.libDir}/*`,
    CASSANDRA_MAIN_CLASS,
  ];
}

/** Heap like `1G` or `512M`, as java's -Xmx accepts it. */
export function isHeapSize(value: string): boolean {
  return /^[1-9][0-9]*[kKmMgG]$/.test(value);
}
