import type cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import {
  PLAN_PROTOCOL_VERSION,
  planProtocolVersion,
  speaksV4,
} from '../control-plane/protocol-version.js';
import { CassdlConnectionError } from '../errors.js';

const host = (address: string, cassandraVersion: string) =>
  ({ address, cassandraVersion }) as unknown as cassandra.Host;

describe('planProtocolVersion', () => {
  it('states v4 for hosts that speak it, from 2.2 to 5.x', () => {
    const hosts = [
      host('10.0.0.1:9042', '5.0.8'),
      host('10.0.0.2:9042', '2.2.19'),
      host('10.0.0.3:9042', '3.11.4'),
    ];
    expect(planProtocolVersion(hosts)).toBe(PLAN_PROTOCOL_VERSION);
    expect(PLAN_PROTOCOL_VERSION).toBe(4);
  });

  it('refuses a host older than 2.2, naming it and its version', () => {
    const hosts = [host('10.0.0.1:9042', '4.1.3'), host('10.0.0.9:9042', '2.1.22')];
    expect(() => planProtocolVersion(hosts)).toThrow(CassdlConnectionError);
    expect(() => planProtocolVersion(hosts)).toThrow(
      /10\.0\.0\.9:9042 \(Cassandra 2\.1\.22\).*Fix: upgrade/,
    );
  });

  it('accepts a version it cannot read: the driver connected with it', () => {
    expect(speaksV4(undefined)).toBe(true);
    expect(speaksV4('')).toBe(true);
    expect(speaksV4('1.2')).toBe(false);
    expect(speaksV4('2.2')).toBe(true);
    expect(speaksV4('10.0-beta1')).toBe(true);
  });
});
