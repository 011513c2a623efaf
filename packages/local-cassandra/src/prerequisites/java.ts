import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from '../process/exec.js';

export const MIN_JAVA_MAJOR = 17;

export interface JavaInfo {
  java: string;
  keytool: string;
  major: number;
}

/**
 * Parses the major version from `java -version` output (printed on stderr):
 * `openjdk version "17.0.15" 2025-04-15` -> 17, `java version "1.8.0_412"` -> 8.
 */
export function parseJavaMajor(versionOutput: string): number | null {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return null;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** `$JAVA_HOME/bin/java` first (what the user chose), then `java` on PATH. */
function javaCandidates(env: NodeJS.ProcessEnv): string[] {
  const home = env.JAVA_HOME;
  const fromHome = home ? [join(home, 'bin', 'java')] : [];
  return [...fromHome.filter((p) => existsSync(p)), 'java'];
}

/** Finds a JDK 17+ or returns what was found instead, for the error message. */
export async function findJava(
  env: NodeJS.ProcessEnv = process.env,
): Promise<JavaInfo | { problem: string }> {
  let problem = 'no `java` on PATH and JAVA_HOME is not set';
  for (const java of javaCandidates(env)) {
    const result = await run(java, ['-version']);
    if (result.code === 127) continue;
    const major = parseJavaMajor(`${result.stderr}\n${result.stdout}`);
    if (major === null || major < MIN_JAVA_MAJOR) {
      problem = `${java} is Java ${major ?? 'of unknown version'}; Cassandra 5 needs JDK ${MIN_JAVA_MAJOR}+`;
      continue;
    }
    return { java, keytool: await keytoolBeside(java), major };
  }
  return { problem };
}

/** keytool ships in the same bin folder as java in every JDK. */
async function keytoolBeside(java: string): Promise<string> {
  if (java.includes('/')) {
    const beside = join(dirname(java), 'keytool');
    if (existsSync(beside)) return beside;
  }
  return 'keytool';
}
