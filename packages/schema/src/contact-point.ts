import { z } from 'zod';

/** A contact point split into host and optional port. */
export interface ContactPoint {
  readonly host: string;
  readonly port: number | null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
// Loose on purpose: full IPv6 grammar buys nothing here; the driver resolves it.
const IPV6 = /^[0-9A-Fa-f:.]+(%[\w.-]+)?$/;

/**
 * Parses `host`, `host:port`, an IPv6 address, or `[ipv6]:port`;
 * null when the text is none of these.
 */
export function parseContactPoint(text: string): ContactPoint | null {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed !== null) {
    const [, host = '', port] = bracketed;
    return isIpv6(host) ? withPort(host, port) : null;
  }
  if (isIpv6(text)) return { host: text, port: null };
  const [host = '', port, extra] = text.split(':');
  if (extra !== undefined || !(IPV4.test(host) || HOSTNAME.test(host))) return null;
  return withPort(host, port);
}

function isIpv6(text: string): boolean {
  return (text.match(/:/g)?.length ?? 0) >= 2 && IPV6.test(text);
}

function withPort(host: string, port: string | undefined): ContactPoint | null {
  if (port === undefined) return { host, port: null };
  const n = Number(port);
  return /^\d{1,5}$/.test(port) && n >= 1 && n <= 65535 ? { host, port: n } : null;
}

export const contactPointSchema = z.string().refine((s) => parseContactPoint(s) !== null, {
  error: 'host, host:port, IPv6 address or [IPv6]:port',
});
