import { isIP } from 'node:net';
import type { PlanProxy, PlanTls } from '@cassdl/schema';
import type cassandra from 'cassandra-driver';
import { CassdlInternalError } from '../errors.js';
import type { CloudBundle } from './cloud-bundle.js';

/**
 * How the data plane reaches the hosts: TLS settings and, on Astra, the SNI
 * proxy every connection goes through (each host then named by its host id).
 */
export interface PlanRoute {
  readonly tls: PlanTls | null;
  readonly proxy: PlanProxy | null;
}

/** The SNI proxy the driver connected through, as Astra's metadata service named it. */
export interface SniEndpoint {
  /** The name (or IP) of `sni_proxy_address`, which the proxy's certificate is checked against. */
  readonly name: string;
  /** The IP connections go to (the driver resolved `name` once). */
  readonly ip: string;
  readonly port: number;
}

/**
 * The route a cloud cluster needs, as cassandra-driver connects to Astra:
 * TLS to the proxy with the bundle's CA and client certificate, the
 * certificate checked against the proxy's name (not the host id sent as SNI).
 */
export function cloudRoute(bundle: CloudBundle, sni: SniEndpoint): PlanRoute {
  return {
    tls: {
      ca: bundle.ca,
      cert: bundle.cert,
      key: bundle.key,
      passphrase: null,
      serverName: sni.name,
      rejectUnauthorized: true,
    },
    proxy: { address: sni.ip, port: sni.port },
  };
}

/** The slice of cassandra-driver's internal `options.sni` (lib/datastax/cloud, lib/control-connection.js). */
interface DriverSni {
  readonly address?: unknown;
  readonly port?: unknown;
  readonly addressResolver?: { getIp?: () => unknown };
}

/**
 * The proxy of a client connected with `cloud` options. The driver keeps
 * it in `options.sni` after reading the metadata service: `address` is
 * `sni_proxy_address` (`name:port`), `addressResolver` its resolved IPs.
 */
export function sniEndpointOf(client: cassandra.Client): SniEndpoint {
  const options = (client as unknown as { options?: { sni?: DriverSni } }).options;
  return sniEndpointFrom(options?.sni);
}

/** `sniEndpointOf` on the driver's object itself; fails if the driver's internals moved. */
export function sniEndpointFrom(sni: DriverSni | undefined): SniEndpoint {
  const address = typeof sni?.address === 'string' ? sni.address : '';
  const cut = address.lastIndexOf(':');
  const name = cut > 0 ? address.slice(0, cut).replace(/^\[(.*)\]$/, '$1') : '';
  const port = Number(address.slice(cut + 1));
  const ip = sni?.addressResolver?.getIp?.() ?? (isIP(name) !== 0 ? name : undefined);
  if (name === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CassdlInternalError(
      `the cloud metadata gave no usable sni_proxy_address (cassandra-driver's options.sni.address is ${JSON.stringify(sni?.address)})`,
    );
  }
  if (typeof ip !== 'string' || isIP(ip) === 0) {
    throw new CassdlInternalError(
      `cassandra-driver resolved no IP address for the SNI proxy ${address} (got ${JSON.stringify(ip)})`,
    );
  }
  return { name, ip, port };
}
