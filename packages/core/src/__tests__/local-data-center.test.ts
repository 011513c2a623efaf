import { describe, expect, it } from 'vitest';
import { contactPointIps, pickLocalDataCenter } from '../control-plane/local-data-center.js';
import { CassdlConnectionError } from '../errors.js';

const host = (address: string, datacenter: string) => ({ address, datacenter });

describe('pickLocalDataCenter', () => {
  it("takes the cluster's only data center, whatever the contact points", () => {
    const hosts = [host('10.0.0.1:9042', 'eu-west'), host('10.0.0.2:9042', 'eu-west')];
    expect(pickLocalDataCenter(hosts, new Set(['192.168.1.1']))).toBe('eu-west');
  });

  it("takes the contact points' data center when the cluster has several", () => {
    const hosts = [
      host('10.0.0.1:9042', 'dc1'),
      host('10.0.1.1:9042', 'dc2'),
      host('10.0.1.2:9042', 'dc2'),
    ];
    expect(pickLocalDataCenter(hosts, new Set(['10.0.1.2']))).toBe('dc2');
    expect(pickLocalDataCenter(hosts, new Set(['10.0.1.1', '10.0.1.2']))).toBe('dc2');
  });

  it('matches IPv6 host addresses', () => {
    const hosts = [host('::1:9042', 'a'), host('[fe80::2]:9042', 'b')];
    expect(pickLocalDataCenter(hosts, new Set(['fe80::2']))).toBe('b');
    expect(pickLocalDataCenter(hosts, new Set(['::1']))).toBe('a');
  });

  it('refuses to guess when the contact points span data centers, naming each one', () => {
    const hosts = [host('10.0.0.1:9042', 'dc1'), host('10.0.1.1:9042', 'dc2')];
    const pick = () => pickLocalDataCenter(hosts, new Set(['10.0.0.1', '10.0.1.1']));
    expect(pick).toThrow(CassdlConnectionError);
    expect(pick).toThrow(/dc1, dc2.*contact points are in dc1, dc2.*Set localDataCenter/);
  });

  it('refuses to guess when no contact point is a host of a multi-DC cluster', () => {
    const hosts = [host('10.0.0.1:9042', 'dc1'), host('10.0.1.1:9042', 'dc2')];
    expect(() => pickLocalDataCenter(hosts, new Set(['172.16.0.9']))).toThrow(
      /none of the contact points is a host of the cluster/,
    );
  });
});

describe('contactPointIps', () => {
  it('drops ports and keeps literal IPs without a lookup', async () => {
    expect(await contactPointIps(['10.1.2.3:9043', '10.1.2.4', '[::1]:9042'])).toEqual(
      new Set(['10.1.2.3', '10.1.2.4', '::1']),
    );
  });

  it('resolves host names and skips names that do not resolve', async () => {
    const ips = await contactPointIps(['localhost', 'no-such-host.invalid']);
    expect([...ips].some((ip) => ip === '127.0.0.1' || ip === '::1')).toBe(true);
  });
});
