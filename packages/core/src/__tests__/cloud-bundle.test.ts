import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundleContents, secureConnectBundle } from '@cassdl/test-utils';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { parseCloudBundle, readCloudBundle } from '../control-plane/cloud-bundle.js';
import { cloudRoute, sniEndpointFrom } from '../control-plane/cloud-route.js';
import { CassdlConnectionError, CassdlInternalError } from '../errors.js';

const pem = (label: string) => `-----BEGIN ${label}-----\nQUJD\n-----END ${label}-----\n`;
const good: BundleContents = {
  config: { host: 'abc-us-east1.db.astra.datastax.com', port: 29080, keyspace: 'ks' },
  ca: pem('CERTIFICATE'),
  cert: pem('CERTIFICATE'),
  key: pem('PRIVATE KEY'),
};
const PATH = '/bundles/secure-connect-db.zip';
const parse = (contents: BundleContents) => parseCloudBundle(secureConnectBundle(contents), PATH);

/** The error `run` throws, checked to be a connection error. */
function failure(run: () => unknown): CassdlConnectionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CassdlConnectionError);
    return error as CassdlConnectionError;
  }
  throw new Error('expected an error');
}

describe('secure connect bundle', () => {
  it("reads config.json's metadata service, the CA, client certificate and key", () => {
    expect(parse(good)).toEqual({
      metadataService: { host: 'abc-us-east1.db.astra.datastax.com', port: 29080 },
      ca: good.ca,
      cert: good.cert,
      key: good.key,
      credentials: null,
    });
    const withLogin = parse({
      ...good,
      config: { ...good.config, port: '29080', username: 'u', password: 'p' },
    });
    expect(withLogin.credentials).toEqual({ username: 'u', password: 'p' });
    expect(withLogin.metadataService.port).toBe(29080);
  });

  it('names the missing entry or field, and the bundle', () => {
    const noCa = failure(() => parse({ ...good, ca: undefined }));
    expect(noCa).toMatchObject({ code: 'ERR_CASSDL_TLS', failure: 'tls' });
    expect(noCa.message).toBe(
      `cloudConfig.secureConnectBundle: ${PATH} has no ca.crt (a secure connect bundle holds ca.crt, cert and key beside config.json).`,
    );
    expect(failure(() => parse({ ...good, key: undefined })).message).toContain('has no key');
    expect(failure(() => parse({ ...good, config: { host: 'h' } })).message).toBe(
      `cloudConfig.secureConnectBundle: ${PATH} config.json needs "host" and "port" (the metadata service); received host "h", port missing.`,
    );
    const badPort = failure(() => parse({ ...good, config: { host: 'h', port: 70000 } }));
    expect(badPort).toMatchObject({ code: 'ERR_CASSDL_CONNECT' });
    expect(badPort.message).toContain('port 70000');
  });

  it('refuses what is not a bundle: not a zip, no config.json, config.json not JSON', () => {
    const notZip = failure(() => parseCloudBundle(Buffer.from('PK? no'), PATH));
    expect(notZip).toMatchObject({ code: 'ERR_CASSDL_CONNECT' });
    expect(notZip.message).toContain(`${PATH} is not a zip archive`);
    const tlsOnly = new AdmZip();
    tlsOnly.addFile('ca.crt', Buffer.from(pem('CERTIFICATE')));
    const bare = failure(() => parseCloudBundle(tlsOnly.toBuffer(), PATH));
    expect(bare.message).toBe(`cloudConfig.secureConnectBundle: ${PATH} has no config.json.`);
    expect(
      failure(() => parse({ ...good, entries: { 'config.json': '{host:' } })).message,
    ).toContain('config.json is not JSON');
  });

  it('never quotes the key when it is not PEM', () => {
    const error = failure(() => parse({ ...good, key: 'secret-key-bytes-41' }));
    expect(error).toMatchObject({ code: 'ERR_CASSDL_TLS' });
    expect(error.message).toBe(`cloudConfig.secureConnectBundle: ${PATH} key holds no PEM block.`);
    expect(`${error.message}${error.stack}`).not.toContain('secret-key-bytes-41');
  });

  it('says a bundle path that cannot be read cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cassdl-bundle-'));
    try {
      const path = join(dir, 'missing.zip');
      const error = await readCloudBundle(path).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERR_CASSDL_CONNECT' });
      expect((error as Error).message).toContain(`${path} cannot be read`);
      await writeFile(join(dir, 'ok.zip'), secureConnectBundle(good));
      expect((await readCloudBundle(join(dir, 'ok.zip'))).ca).toBe(good.ca);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the SNI route of a cloud cluster', () => {
  const bundle = parse(good);

  it('goes to the resolved proxy IP and checks its certificate against the proxy name', () => {
    const sni = sniEndpointFrom({
      address: 'abc-us-east1.db.astra.datastax.com:29042',
      addressResolver: { getIp: () => '10.1.2.3' },
    });
    expect(sni).toEqual({
      name: 'abc-us-east1.db.astra.datastax.com',
      ip: '10.1.2.3',
      port: 29042,
    });
    expect(cloudRoute(bundle, sni)).toEqual({
      tls: {
        ca: good.ca,
        cert: good.cert,
        key: good.key,
        passphrase: null,
        serverName: 'abc-us-east1.db.astra.datastax.com',
        rejectUnauthorized: true,
      },
      proxy: { address: '10.1.2.3', port: 29042 },
    });
  });

  it('takes an IP proxy address as is, and fails clearly on what the driver did not give', () => {
    expect(sniEndpointFrom({ address: '127.0.0.1:4000' })).toEqual({
      name: '127.0.0.1',
      ip: '127.0.0.1',
      port: 4000,
    });
    expect(() => sniEndpointFrom(undefined)).toThrow(CassdlInternalError);
    expect(() => sniEndpointFrom({ address: 'proxy.example.com' })).toThrow(
      /no usable sni_proxy_address/,
    );
    expect(() => sniEndpointFrom({ address: 'proxy.example.com:29042' })).toThrow(
      /resolved no IP address for the SNI proxy proxy.example.com:29042/,
    );
  });
});
