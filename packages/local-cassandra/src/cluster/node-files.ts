import { mkdir, writeFile } from 'node:fs/promises';
import { logbackXml } from '../config/logback.js';
import { nodeYaml } from '../config/yaml.js';
import type { LocalTls } from '../tls/certificates.js';
import type { NodeLayout } from './layout.js';
import { STORAGE_PORT } from './options.js';

export interface NodeFilesInput {
  node: NodeLayout;
  clusterName: string;
  seed: string;
  port: number;
  requestThreads: number;
  initialToken: string | null;
  auth: boolean;
  tls: LocalTls | null;
}

/** Creates a node's folders and writes its cassandra.yaml and logback.xml. */
export async function writeNodeFiles(input: NodeFilesInput): Promise<void> {
  const { node } = input;
  for (const d of [
    node.dir,
    node.logDir,
    node.dataDir,
    node.commitlogDir,
    node.savedCachesDir,
    node.hintsDir,
  ]) {
    await mkdir(d, { recursive: true });
  }
  const tls = input.tls;
  const yaml = nodeYaml({
    clusterName: input.clusterName,
    address: node.address,
    seed: input.seed,
    port: input.port,
    storagePort: STORAGE_PORT,
    requestThreads: input.requestThreads,
    initialToken: input.initialToken,
    dataDir: node.dataDir,
    commitlogDir: node.commitlogDir,
    savedCachesDir: node.savedCachesDir,
    hintsDir: node.hintsDir,
    auth: input.auth,
    tls:
      tls === null
        ? null
        : {
            keystore: tls.keystoreFile,
            keystorePassword: tls.keystorePassword,
            truststore: tls.truststoreFile,
            truststorePassword: tls.truststorePassword,
            requireClientAuth: tls.requireClientAuth,
          },
  });
  await writeFile(node.yamlFile, yaml);
  await writeFile(node.logbackFile, logbackXml(node.systemLog));
}
