import AdmZip from 'adm-zip';

/** What goes into a secure connect bundle: `config.json` fields and the TLS files. */
export interface BundleContents {
  /** `config.json` as Astra writes it (host, port of the metadata service, keyspace, ...). */
  readonly config: Record<string, unknown>;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Extra or replacement entries (name -> content), for malformed bundles. */
  readonly entries?: Readonly<Record<string, string>>;
}

/**
 * A secure connect bundle zip in the layout Astra downloads and the
 * DataStax drivers read: `config.json`, `ca.crt`, `cert`, `key`.
 */
export function secureConnectBundle(contents: BundleContents): Buffer {
  const zip = new AdmZip();
  zip.addFile('config.json', Buffer.from(JSON.stringify(contents.config)));
  if (contents.ca !== undefined) zip.addFile('ca.crt', Buffer.from(contents.ca));
  if (contents.cert !== undefined) zip.addFile('cert', Buffer.from(contents.cert));
  if (contents.key !== undefined) zip.addFile('key', Buffer.from(contents.key));
  for (const [name, content] of Object.entries(contents.entries ?? {}))
    zip.addFile(name, Buffer.from(content));
  return zip.toBuffer();
}
