import { describe, expect, it } from 'vitest';
import { describePlatform, fixFor, platformTag, prebuiltPlatforms } from '../prebuilt.js';

describe('prebuilt platforms', () => {
  it('are the optional dependencies of @cassdl/native-io', () => {
    expect(prebuiltPlatforms()).toEqual(
      expect.arrayContaining(['linux-x64-gnu', 'linux-arm64-gnu']),
    );
    for (const tag of prebuiltPlatforms())
      expect(tag).toMatch(/^[a-z0-9]+-[a-z0-9]+(-gnu|-musl)?$/);
  });

  it('names this platform as its package does', () => {
    expect(platformTag()).toMatch(new RegExp(`^${process.platform}-${process.arch}`));
    expect(describePlatform()).toContain(process.arch);
  });
});

describe('fixFor', () => {
  const pkg = '@cassdl/native-io-linux-x64-gnu';

  it('says when no prebuilt exists for the platform, and what still works', () => {
    const fix = fixFor('darwin-arm64', ['@cassdl/native-io-darwin-arm64 is not installed']);
    expect(fix).toContain('no prebuilt addon is published for darwin-arm64');
    expect(fix).toContain('linux-x64-gnu');
    expect(fix).toContain("engine: 'driver'");
  });

  it('tells an npm user to install the optional dependency', () => {
    const fix = fixFor('linux-x64-gnu', [`${pkg} is not installed`]);
    expect(fix).toContain(`install the optional dependency ${pkg}`);
    expect(fix).toContain('--omit=optional');
    expect(fix).toContain('package-lock.json');
    expect(fix).not.toContain('pnpm --filter');
  });

  it('recognises a glibc that is too old', () => {
    const fix = fixFor('linux-x64-gnu', [
      `${pkg} does not load: /lib/x86_64-linux-gnu/libc.so.6: version \`GLIBC_2.34' not found`,
    ]);
    expect(fix).toContain('newer glibc');
    expect(
      fixFor('linux-x64-gnu', [
        `${pkg} does not load: libstdc++.so.6: version \`GLIBCXX_3.4.29' not found`,
      ]),
    ).toContain('libstdc++');
  });

  it('recognises a prebuilt of another version', () => {
    const fix = fixFor('linux-x64-gnu', [`${pkg} is version 0.1.0, @cassdl/native-io is 0.2.0`]);
    expect(fix).toContain('same version');
  });
});
