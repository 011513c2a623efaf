import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The parts of this package's own package.json the loader reads. */
interface OwnManifest {
  readonly version: string;
  readonly optionalDependencies?: Record<string, string>;
}

const PREBUILT_PREFIX = '@cassdl/native-io-';

/** This package's package.json: the one place that lists the published prebuilt platforms. */
export function ownManifest(): OwnManifest {
  return require('../package.json') as OwnManifest;
}

/** `linux-x64-gnu`, `linux-arm64-musl`, `darwin-arm64`, ... as prebuilt packages are named. */
export function platformTag(): string {
  if (process.platform !== 'linux') return `${process.platform}-${process.arch}`;
  return `${process.platform}-${process.arch}-${glibcVersion() === undefined ? 'musl' : 'gnu'}`;
}

/** The package holding the prebuilt addon for `tag`. */
export function prebuiltPackage(tag: string): string {
  return `${PREBUILT_PREFIX}${tag}`;
}

/** Platforms with a published prebuilt addon: native-io's optionalDependencies. */
export function prebuiltPlatforms(): string[] {
  return Object.keys(ownManifest().optionalDependencies ?? {})
    .filter((name) => name.startsWith(PREBUILT_PREFIX))
    .map((name) => name.slice(PREBUILT_PREFIX.length));
}

/** The running glibc's version (`2.36`), or undefined off glibc. */
export function glibcVersion(): string | undefined {
  const report = process.report?.getReport() as
    | { header?: { glibcVersionRuntime?: string } }
    | undefined;
  return report?.header?.glibcVersionRuntime;
}

const OS_NAMES: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

/** `Linux x64 (glibc 2.36)`, `macOS arm64`: the platform as a warning names it. */
export function describePlatform(): string {
  const os = OS_NAMES[process.platform] ?? process.platform;
  if (process.platform !== 'linux') return `${os} ${process.arch}`;
  const glibc = glibcVersion();
  return `${os} ${process.arch} (${glibc === undefined ? 'musl libc' : `glibc ${glibc}`})`;
}

/**
 * What an npm user can do about a binary that did not load, from what went
 * wrong: no package for this platform, the package not installed (optional
 * dependencies omitted, or a lockfile made on another platform), or a binary
 * this system cannot run (an older glibc).
 */
export function fixFor(tag: string, causes: readonly string[]): string {
  const pkg = prebuiltPackage(tag);
  const driver = "meanwhile engine: 'driver' reads the same data without it";
  if (!prebuiltPlatforms().includes(tag)) {
    return (
      `no prebuilt addon is published for ${tag} (there are: ${prebuiltPlatforms().join(', ')}); ` +
      `the native engine is built for Linux from a clone of the repository (pnpm --filter @cassdl/native-io build, ` +
      `needs python3, make, g++); ${driver}`
    );
  }
  if (causes.some((c) => /GLIBC(XX)?_[\d.]+' not found/.test(c))) {
    return (
      `${pkg} needs a newer glibc or libstdc++ than this system has (the cause names the version): ` +
      `use a newer Linux distribution (Debian 12, Ubuntu 22.04, RHEL 9 or later); ${driver}`
    );
  }
  if (causes.some((c) => / is version .+, @cassdl\/native-io is /.test(c))) {
    return `reinstall so @cassdl/native-io and ${pkg} have the same version: npm install @cassdl/native-io@latest`;
  }
  return (
    `install the optional dependency ${pkg}: npm install @cassdl/native-io without --omit=optional ` +
    `(if a package-lock.json made on another platform left it out, delete node_modules and package-lock.json and run npm install again)`
  );
}
