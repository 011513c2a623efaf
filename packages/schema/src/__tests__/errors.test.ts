import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CassdlValidationError,
  describeReceived,
  formatZodIssues,
  validate,
  validationIssue,
} from '../index.js';
import { issuesOf, linesOf } from './helpers.js';

const schema = z.strictObject({
  numShards: z.int().min(1),
  name: z.string().min(1),
  mode: z.enum(['a', 'b']),
  nested: z.strictObject({ password: z.string().min(8), prefetchBuffers: z.number() }).optional(),
  list: z.array(z.string()).optional(),
});

describe('CassdlValidationError', () => {
  it('has a stable code, every issue, and one line per issue in its message', () => {
    const error = (() => {
      try {
        validate(schema, { numShards: 0, name: '', mode: 'c' }, 'cfg');
      } catch (e) {
        return e as CassdlValidationError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CassdlValidationError');
    expect(error.code).toBe('ERR_CASSDL_VALIDATION');
    expect(error.issues).toHaveLength(3);
    expect(error.message.split('\n')).toEqual([
      'Invalid cfg (3 problems):',
      '  cfg.numShards: expected number >= 1, received 0 (number)',
      '  cfg.name: expected non-empty string, received "" (string)',
      '  cfg.mode: expected one of "a", "b", received "c" (string)',
    ]);
  });

  it('names the subject when given one', () => {
    expect(() => validate(schema, 1, 'cfg', 'test config')).toThrow(
      /^Invalid test config \(1 problem\):/,
    );
  });
});

describe('validate', () => {
  it('returns the parsed output when the input is valid', () => {
    const out = validate(schema, { numShards: 2, name: 'x', mode: 'a' }, 'cfg');
    expect(out).toEqual({ numShards: 2, name: 'x', mode: 'a' });
  });

  it('splits each issue into path, expected and received', () => {
    const [issue] = issuesOf(() =>
      validate(schema, { numShards: 2, name: 'x', mode: 'a', list: ['ok', 3] }, 'cfg'),
    );
    expect(issue).toEqual({
      path: 'cfg.list[1]',
      expected: 'string',
      received: '3 (number)',
      message: 'cfg.list[1]: expected string, received 3 (number)',
    });
  });

  it('accepts a root with or without the trailing dot, and an empty root', () => {
    expect(issuesOf(() => validate(schema, { numShards: 'x' }, 'reader.'))[0]?.path).toBe(
      'reader.numShards',
    );
    expect(issuesOf(() => validate(schema, { numShards: 'x' }, ''))[0]?.path).toBe('numShards');
    expect(issuesOf(() => validate(schema, 7, ''))[0]?.message).toBe(
      'expected object, received 7 (number)',
    );
  });

  it('says a required field is missing', () => {
    expect(linesOf(() => validate(schema, { numShards: 1, mode: 'a' }, 'cfg'))).toEqual([
      'cfg.name: expected string, received nothing',
    ]);
  });

  it('quotes keys that are not identifiers in paths', () => {
    const records = z.record(z.string(), z.number());
    expect(issuesOf(() => validate(records, { 'my split': 'x' }, 'r'))[0]?.path).toBe(
      'r["my split"]',
    );
  });
});

describe('received values', () => {
  const anything = z.number();
  const received = (value: unknown) => issuesOf(() => validate(anything, value, 'v'))[0]?.received;

  it('describes each kind of value without dumping objects', () => {
    expect(received('abc')).toBe('"abc" (string)');
    expect(received(true)).toBe('true (boolean)');
    expect(received(null)).toBe('null');
    expect(received(undefined)).toBe('nothing');
    expect(received(10n)).toBe('10n (bigint)');
    expect(received([1, 2])).toBe('array of 2 items');
    expect(received([1])).toBe('array of 1 item');
    expect(received(new Uint8Array(17))).toBe('Uint8Array of 17 bytes');
    expect(received({ password: 'hunter2' })).toBe('object');
    expect(received(() => 1)).toBe('a function');
  });

  it('shortens long strings and says how long they were', () => {
    const long = 'x'.repeat(500);
    expect(received(long)).toBe(`"${'x'.repeat(59)}…" (string of 500 characters)`);
  });
});

describe('redaction', () => {
  it('never echoes a password or key, but says when it is missing', () => {
    const issues = issuesOf(() =>
      validate(
        schema,
        { numShards: 1, name: 'n', mode: 'a', nested: { password: 'short', prefetchBuffers: 1 } },
        'cfg',
      ),
    );
    expect(issues[0]).toMatchObject({ path: 'cfg.nested.password', received: '<redacted>' });
    expect(issues[0]?.message).not.toContain('short');
  });

  it('redacts private key text wherever it was put', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC';
    const [issue] = issuesOf(() => validate(schema, { numShards: 1, name: 'n', mode: key }, 'cfg'));
    expect(issue).toMatchObject({ path: 'cfg.mode', received: '<redacted>' });
    expect(issue?.message).not.toContain('MIIE');
  });

  it('redacts unknown keys that look like secrets', () => {
    const [issue] = issuesOf(() =>
      validate(schema, { numShards: 1, name: 'n', mode: 'a', ssl_own_key: 'PRIVATE' }, 'cfg'),
    );
    expect(issue?.received).toBe('<redacted>');
    expect(issue?.message).not.toContain('PRIVATE');
  });
});

describe('unknown keys', () => {
  const hint = (key: string) =>
    issuesOf(() =>
      validate(
        schema,
        {
          numShards: 1,
          name: 'n',
          mode: 'a',
          nested: { password: 'longenough', prefetchBuffers: 1, [key]: 1 },
        },
        'r',
      ),
    )[0]?.message;

  it('reports each unknown key on its own line with a did-you-mean', () => {
    expect(hint('prefetch_buffers')).toBe(
      'r.nested.prefetch_buffers: unknown option "prefetch_buffers" (did you mean "prefetchBuffers"?)',
    );
    expect(hint('prefechBuffers')).toBe(
      'r.nested.prefechBuffers: unknown option "prefechBuffers" (did you mean "prefetchBuffers"?)',
    );
    expect(hint('zzz')).toBe('r.nested.zzz: unknown option "zzz"');
  });

  it('points cassandra-dali-plugin thread counts at connectionsPerHost and inflight', () => {
    for (const knob of ['io_threads', 'comm_threads', 'copy_threads']) {
      expect(hint(knob)).toContain('map to "connectionsPerHost" and "inflight"');
    }
  });

  it('lists every unknown key, not only the first', () => {
    const issues = issuesOf(() =>
      validate(schema, { numShards: 1, name: 'n', mode: 'a', x: 1, y: 2 }, 'r'),
    );
    expect(issues.map((i) => i.path)).toEqual(['r.x', 'r.y']);
    expect(issues[0]).toMatchObject({ expected: 'a known option', received: '1 (number)' });
  });
});

describe('formatZodIssues', () => {
  it('caps very long issue lists with a summary line', () => {
    const ids = z.array(z.string());
    const result = ids.safeParse(
      Array.from({ length: 250 }, (_, i) => i),
      { reportInput: true },
    );
    const issues = formatZodIssues(result.error?.issues ?? [], 'ids', ids);
    expect(issues).toHaveLength(201);
    expect(issues[200]?.message).toBe('ids: … and 50 more problems');
  });

  it('reports the inner problem of a union branch that matched the shape', () => {
    const union = z.union([z.array(z.string()), z.instanceof(Uint8Array)]);
    expect(linesOf(() => validate(union, ['a', 1], 'u'))).toEqual([
      'u[1]: expected string, received 1 (number)',
    ]);
    expect(linesOf(() => validate(union, 5, 'u'))).toEqual([
      'u: expected array or Uint8Array, received 5 (number)',
    ]);
  });
});

describe('validationIssue', () => {
  it('builds the same line the formatter prints, for errors raised outside a schema', () => {
    const issue = validationIssue(
      'reader.splitFile',
      'a readable split file',
      describeReceived('a.json'),
    );
    expect(issue).toEqual({
      path: 'reader.splitFile',
      expected: 'a readable split file',
      received: '"a.json" (string)',
      message: 'reader.splitFile: expected a readable split file, received "a.json" (string)',
    });
    expect(new CassdlValidationError([issue], 'reader options').message).toBe(
      'Invalid reader options (1 problem):\n  reader.splitFile: expected a readable split file, received "a.json" (string)',
    );
  });
});
