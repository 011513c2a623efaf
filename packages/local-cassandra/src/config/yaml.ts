/**
 * Builds a node's cassandra.yaml. Only keys Cassandra 5.0 knows may appear
 * (it rejects unknown ones at start), so the shape is fixed here rather than
 * merged from user input.
 */
export interface NodeYamlInput {
  clusterName: string;
  address: string;
  seed: string;
  port: number;
  storagePort: number;
  /** native_transport_max_threads: threads that execute CQL requests. */
  requestThreads: number;
  initialToken: string | null;
  dataDir: string;
  commitlogDir: string;
  savedCachesDir: string;
  hintsDir: string;
  auth: boolean;
  tls: NodeYamlTls | null;
}

export interface NodeYamlTls {
  keystore: string;
  keystorePassword: string;
  truststore: string;
  truststorePassword: string;
  requireClientAuth: boolean;
}

/** Double-quoted YAML scalar: paths and passwords may hold `:` or `#`. */
function q(value: string): string {
  return JSON.stringify(value);
}

export function nodeYaml(input: NodeYamlInput): string {
  const lines = [
    `cluster_name: ${q(input.clusterName)}`,
    'num_tokens: 1',
    ...(input.initialToken === null ? [] : [`initial_token: ${q(input.initialToken)}`]),
    // A fresh cluster never streams: each node owns its token range from the start.
    'auto_bootstrap: false',
    'partitioner: org.apache.cassandra.dht.Murmur3Partitioner',
    'commitlog_sync: periodic',
    'commitlog_sync_period: 10000ms',
    'data_file_directories:',
    `  - ${q(input.dataDir)}`,
    `commitlog_directory: ${q(input.commitlogDir)}`,
    `saved_caches_directory: ${q(input.savedCachesDir)}`,
    `hints_directory: ${q(input.hintsDir)}`,
    'seed_provider:',
    '  - class_name: org.apache.cassandra.locator.SimpleSeedProvider',
    '    parameters:',
    `      - seeds: ${q(`${input.seed}:${input.storagePort}`)}`,
    `listen_address: ${input.address}`,
    `rpc_address: ${input.address}`,
    `storage_port: ${input.storagePort}`,
    `native_transport_port: ${input.port}`,
    'start_native_transport: true',
    // Sized for the machine the node shares (options.ts defaultRequestThreads), not Cassandra's 128.
    `native_transport_max_threads: ${input.requestThreads}`,
    // SimpleSnitch puts every node in datacenter1 / rack1.
    'endpoint_snitch: SimpleSnitch',
    'auto_snapshot: false',
    'hinted_handoff_enabled: false',
    ...authLines(input.auth),
    ...tlsLines(input.tls),
  ];
  return `${lines.join('\n')}\n`;
}

function authLines(auth: boolean): string[] {
  if (!auth) return ['authenticator: AllowAllAuthenticator', 'authorizer: AllowAllAuthorizer'];
  return ['authenticator: PasswordAuthenticator', 'authorizer: CassandraAuthorizer'];
}

function tlsLines(tls: NodeYamlTls | null): string[] {
  if (tls === null) return [];
  return [
    'client_encryption_options:',
    '  enabled: true',
    // optional: false means plaintext clients are refused, which is what a TLS test must see.
    '  optional: false',
    `  keystore: ${q(tls.keystore)}`,
    `  keystore_password: ${q(tls.keystorePassword)}`,
    `  truststore: ${q(tls.truststore)}`,
    `  truststore_password: ${q(tls.truststorePassword)}`,
    `  require_client_auth: ${tls.requireClientAuth}`,
    '  store_type: PKCS12',
    // With a required client certificate, Node clients on TLS 1.3 hang after the
    // handshake (the server reads post-handshake messages as CQL frames:
    // "Invalid or unsupported protocol version"); TLS 1.2 works with both.
    ...(tls.requireClientAuth ? ['  accepted_protocols:', '    - TLSv1.2'] : []),
  ];
}
