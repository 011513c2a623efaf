import { describe, expect, it } from 'vitest';
import { parseFlags, usage } from '../common/flags.js';

const specs = { epochs: { default: '3', help: 'epochs' }, check: { boolean: true, help: 'check' } };

describe('flags', () => {
  it('parses values and defaults, and names the bad flag', () => {
    const f = parseFlags(['--epochs', '5', '--check'], specs);
    expect([f.int('epochs'), f.bool('check')]).toEqual([5, true]);
    expect(parseFlags([], specs).int('epochs')).toBe(3);
    expect(() => parseFlags(['--epochs', 'x'], specs).int('epochs')).toThrow(
      /--epochs: expected an integer >= 1, received "x"/,
    );
    expect(() => parseFlags(['--epoch', '2'], specs)).toThrow(/epoch/);
  });

  it('documents each flag with its default', () => {
    expect(usage('x', 'does x', specs)).toMatch(/--epochs\s+epochs \(default 3\)/);
  });
});
