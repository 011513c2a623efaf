import { describe, expect, it } from 'vitest';
import {
  formatUuid,
  normalizeUuid,
  packUuids,
  parseUuid,
  uuidListSchema,
  uuidStringSchema,
  validate,
} from '../index.js';
import { issuesOf, linesOf, UUID_A, UUID_B, UUID_C } from './helpers.js';

const A_BYTES = [
  0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00,
];

describe('parseUuid', () => {
  it('decodes the canonical form to 16 bytes in network order', () => {
    expect([...parseUuid(UUID_A)]).toEqual(A_BYTES);
  });

  it('accepts every RFC 4122 text form in any case', () => {
    for (const text of [
      UUID_A.toUpperCase(),
      UUID_A.replaceAll('-', ''),
      `{${UUID_A}}`,
      `urn:uuid:${UUID_A}`,
      `URN:UUID:${UUID_A.toUpperCase()}`,
    ]) {
      expect([...parseUuid(text)], text).toEqual(A_BYTES);
    }
  });

  it('rejects near misses with an error naming the text', () => {
    for (const text of [
      '',
      UUID_A.slice(1),
      `${UUID_A}0`,
      UUID_A.replace('e', 'g'),
      UUID_A.replaceAll('-', '_'),
      `{${UUID_A}`,
      ` ${UUID_A}`,
      '123e4567e-89b-12d3-a456-426614174000',
    ]) {
      const [issue] = issuesOf(() => parseUuid(text));
      expect(issue?.expected).toMatch(/^UUID such as/);
      expect(issue?.received).toBe(`${JSON.stringify(text)} (string)`);
    }
  });
});

describe('formatUuid', () => {
  it('round-trips through parseUuid in lowercase canonical form', () => {
    for (const text of [UUID_A, UUID_B, UUID_C, UUID_A.toUpperCase()]) {
      expect(formatUuid(parseUuid(text))).toBe(text.toLowerCase());
    }
  });

  it('reads at an offset inside a packed array', () => {
    const packed = packUuids([UUID_A, UUID_B, UUID_C]);
    expect(formatUuid(packed, 16)).toBe(UUID_B);
    expect(formatUuid(packed, 32)).toBe(UUID_C);
  });

  it('refuses to read past the end', () => {
    expect(() => formatUuid(new Uint8Array(16), 1)).toThrow(RangeError);
    expect(() => formatUuid(new Uint8Array(15))).toThrow(/needs 16 bytes but the array has 15/);
  });
});

describe('packUuids', () => {
  it('packs n ids into 16 * n bytes in order', () => {
    const packed = packUuids([UUID_A, UUID_B]);
    expect(packed).toHaveLength(32);
    expect([...packed.subarray(0, 16)]).toEqual(A_BYTES);
    expect(packed[31]).toBe(1);
    expect(packUuids([])).toHaveLength(0);
  });

  it('names the index and text of every bad id', () => {
    expect(
      linesOf(() => packUuids([UUID_A, 'nope', UUID_B, 'x-y', 7 as unknown as string])),
    ).toEqual([
      'uuids[1]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "nope" (string)',
      'uuids[3]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "x-y" (string)',
      'uuids[4]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received 7 (number)',
    ]);
  });

  it('summarises beyond a hundred bad ids instead of listing them all', () => {
    const issues = issuesOf(() => packUuids(Array.from({ length: 1000 }, () => 'bad')));
    expect(issues).toHaveLength(101);
    expect(issues[100]?.message).toBe('uuids: … and 900 more problems');
  });
});

describe('uuidStringSchema / normalizeUuid', () => {
  it('normalises to lowercase canonical text', () => {
    expect(uuidStringSchema.parse(`{${UUID_A.toUpperCase()}}`)).toBe(UUID_A);
    expect(normalizeUuid(UUID_A.replaceAll('-', ''))).toBe(UUID_A);
    expect(normalizeUuid('nope')).toBeNull();
  });

  it('reports a bad UUID with the expected form', () => {
    expect(linesOf(() => validate(uuidStringSchema, 'abc', 'id'))).toEqual([
      'id: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "abc" (string)',
    ]);
  });
});

describe('uuidListSchema', () => {
  it('normalises a whole list and reports each bad entry by index', () => {
    expect(uuidListSchema.parse([UUID_A.toUpperCase(), `{${UUID_B}}`])).toEqual([UUID_A, UUID_B]);
    expect(linesOf(() => validate(uuidListSchema, [UUID_A, 'x', UUID_C, ''], 'ids'))).toEqual([
      'ids[1]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "x" (string)',
      'ids[3]: expected UUID such as 123e4567-e89b-12d3-a456-426614174000, received "" (string)',
    ]);
  });
});
