import { PrerequisiteError } from '../errors/errors.js';
import { run } from '../process/exec.js';
import { findJava, type JavaInfo, MIN_JAVA_MAJOR } from './java.js';

export interface Toolchain extends JavaInfo {
  mvn: string;
  openssl: string;
}

const APT_PACKAGES = { java: 'openjdk-17-jdk-headless', mvn: 'maven', openssl: 'openssl' } as const;

async function hasProgram(file: string, args: string[]): Promise<boolean> {
  return (await run(file, args)).code !== 127;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Finds java (JDK 17+), keytool, mvn and openssl. When some are missing and we
 * run as root, installs them with apt (Debian/Ubuntu); otherwise throws a
 * PrerequisiteError that names the packages to install.
 */
export async function ensureToolchain(
  onProgress: (msg: string) => void = () => {},
): Promise<Toolchain> {
  const missing = await missingPackages();
  if (missing.length > 0) {
    if (!isRoot() || !(await hasProgram('apt-get', ['--version']))) {
      throw new PrerequisiteError(
        `Missing prerequisites for a local Cassandra: ${missing.map((m) => m.why).join('; ')}. ` +
          `Install them, e.g. \`sudo apt-get install -y ${missing.map((m) => m.pkg).join(' ')}\` ` +
          `(a JDK ${MIN_JAVA_MAJOR}+ and Apache Maven from any source work too).`,
      );
    }
    await aptInstall(
      missing.map((m) => m.pkg),
      onProgress,
    );
  }
  const java = await findJava();
  if ('problem' in java)
    throw new PrerequisiteError(`JDK ${MIN_JAVA_MAJOR}+ not usable after install: ${java.problem}`);
  return { ...java, mvn: 'mvn', openssl: 'openssl' };
}

async function missingPackages(): Promise<{ pkg: string; why: string }[]> {
  const missing: { pkg: string; why: string }[] = [];
  const java = await findJava();
  if ('problem' in java) missing.push({ pkg: APT_PACKAGES.java, why: java.problem });
  if (!(await hasProgram('mvn', ['--version'])))
    missing.push({ pkg: APT_PACKAGES.mvn, why: 'no `mvn` on PATH' });
  if (!(await hasProgram('openssl', ['version']))) {
    missing.push({ pkg: APT_PACKAGES.openssl, why: 'no `openssl` on PATH' });
  }
  return missing;
}

async function aptInstall(packages: string[], onProgress: (msg: string) => void): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  onProgress(`installing ${packages.join(', ')} with apt-get (running as root)`);
  const update = await run('apt-get', ['update'], { env });
  if (update.code !== 0)
    throw new PrerequisiteError(`apt-get update failed: ${lastLines(update.stderr)}`);
  const install = await run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    env,
  });
  if (install.code !== 0) {
    throw new PrerequisiteError(
      `apt-get install ${packages.join(' ')} failed: ${lastLines(install.stderr)}`,
    );
  }
}

function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
