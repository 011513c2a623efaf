// Loads an addon file and prints what a cross build must agree on with the
// host's build: arch, version, protocol, and the Murmur3 token of a fixed key
// (exercises the C++ code, not only the loader). Run by cross-build.sh, under
// qemu for a foreign arch.
const addon = require(require('node:path').resolve(process.argv[2]));
const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
console.log(
  JSON.stringify({
    arch: process.arch,
    node: process.version,
    version: addon.version,
    protocolVersion: addon.protocolVersion,
    token: String(addon.murmur3Token(key)),
  }),
);
