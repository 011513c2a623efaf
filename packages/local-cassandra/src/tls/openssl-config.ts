/**
 * Minimal openssl configs written next to the certificates, so generation does
 * not depend on the distribution's openssl.cnf (whose default extensions
 * differ between versions and can clash with ours).
 */
export const REQ_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = cassdl
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
`;

/** Server leaf: valid for every node address, since the driver checks the IP SAN. */
export function serverExtensions(addresses: readonly string[]): string {
  const san = [...addresses.map((a) => `IP:${a}`), 'DNS:localhost'].join(', ');
  return `basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${san}
`;
}

export const CLIENT_EXTENSIONS = `basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
`;
