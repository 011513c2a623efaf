import { parseReaderOptions } from '@cassdl/schema';
import { describe, expect, it } from 'vitest';
import {
  AUTO_DRIVER_CONNECTIONS,
  AUTO_NATIVE_CONNECTIONS,
  connectionsPerHost,
} from '../engines/select.js';

const base = { connection: { contactPoints: ['127.0.0.1'] }, table: 'ks.t' };

describe('connectionsPerHost', () => {
  it("'auto' (the default) gives each engine its own: more sockets for the native plane", () => {
    const options = parseReaderOptions(base);
    expect(connectionsPerHost('native', options)).toBe(AUTO_NATIVE_CONNECTIONS);
    expect(connectionsPerHost('driver', options)).toBe(AUTO_DRIVER_CONNECTIONS);
    expect(AUTO_NATIVE_CONNECTIONS).toBeGreaterThan(AUTO_DRIVER_CONNECTIONS);
  });

  it('a number given by the user is what both engines open', () => {
    const options = parseReaderOptions({ ...base, connectionsPerHost: 3 });
    expect(connectionsPerHost('native', options)).toBe(3);
    expect(connectionsPerHost('driver', options)).toBe(3);
  });
});
