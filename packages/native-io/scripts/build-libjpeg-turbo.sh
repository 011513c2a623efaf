#!/usr/bin/env bash
# Builds a static, position-independent libjpeg-turbo 3.1.0 (TurboJPEG API
# only) for the addon's region decoder: scripts/build-libjpeg-turbo.sh [dir]
# prints the folder holding include/ and lib/libturbojpeg.a on its last line.
#
# The sources come from crates.io: the turbojpeg-sys 1.1.1 crate vendors
# libjpeg-turbo 3.1.0 unchanged, and crates.io is a registry this project's
# machines reach. cargo fetches the crate (its ordinary client); the crate's
# sha256 is checked before anything is unpacked. The result is cached per
# version, hash and SIMD setting under ${XDG_CACHE_HOME:-~/.cache}/cassdl, so
# only the first build on a machine compiles (about a minute on 2 cores).
#
# SIMD (the part of libjpeg-turbo that makes it fast) needs nasm; without it
# the library is built without SIMD and a warning says so. Exit status is
# non-zero when it cannot be built at all (no cargo, no cmake, no network):
# the addon is then built without the decoder (see build-native.mjs).
set -euo pipefail

VERSION=3.1.0
CRATE=turbojpeg-sys
CRATE_VERSION=1.1.1
SHA256=d2d87290369f91af10f425f9ec0b8ce775cf79ea189291faa974c0b4e02e1e2f

simd=1
if ! command -v nasm >/dev/null && ! command -v yasm >/dev/null; then
  echo "build-libjpeg-turbo: nasm is missing, building without SIMD (about 2x slower decode; Debian: apt-get install -y nasm)" >&2
  simd=0
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/cassdl
prefix=${1:-$cache/libjpeg-turbo-$VERSION-${SHA256:0:12}-simd$simd}
if [[ -f "$prefix/lib/libturbojpeg.a" && -f "$prefix/include/turbojpeg.h" ]]; then
  echo "$prefix"
  exit 0
fi

for tool in cargo cmake sha256sum; do
  command -v "$tool" >/dev/null || { echo "build-libjpeg-turbo: $tool is missing" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A throwaway manifest so `cargo fetch` downloads exactly this crate version.
mkdir -p "$work/fetch"
cat >"$work/fetch/Cargo.toml" <<EOF
[package]
name = "cassdl-fetch-libjpeg-turbo"
version = "0.0.0"
edition = "2021"
[lib]
path = "lib.rs"
[dependencies]
$CRATE = { version = "=$CRATE_VERSION", default-features = false }
EOF
touch "$work/fetch/lib.rs"
(cd "$work/fetch" && cargo fetch --quiet) >&2
crate=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" -name "$CRATE-$CRATE_VERSION.crate" | head -n 1)
[[ -n "$crate" ]] || { echo "build-libjpeg-turbo: cargo fetched no $CRATE-$CRATE_VERSION.crate" >&2; exit 1; }
actual=$(sha256sum "$crate" | cut -d' ' -f1)
if [[ "$actual" != "$SHA256" ]]; then
  echo "build-libjpeg-turbo: $crate has sha256 $actual, expected $SHA256" >&2
  exit 1
fi
tar xzf "$crate" -C "$work"
src="$work/$CRATE-$CRATE_VERSION/libjpeg-turbo"
grep -q "set(VERSION $VERSION)" "$src/CMakeLists.txt" || {
  echo "build-libjpeg-turbo: the crate does not hold libjpeg-turbo $VERSION" >&2
  exit 1
}

cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
  -DENABLE_SHARED=OFF -DENABLE_STATIC=ON -DWITH_TURBOJPEG=ON -DWITH_SIMD="$simd" -DREQUIRE_SIMD="$simd" \
  -DCMAKE_C_FLAGS="-O2 -fvisibility=hidden" >"$work/cmake.log" 2>&1 || { tail -n 30 "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/build" --target turbojpeg-static -j "$(nproc)" >"$work/make.log" 2>&1 ||
  { tail -n 30 "$work/make.log" >&2; exit 1; }

# Publish atomically: a build cut off half way never looks finished.
staging="$prefix.tmp.$$"
mkdir -p "$staging/include" "$staging/lib"
cp "$src/src/turbojpeg.h" "$staging/include/"
cp "$work/build/libturbojpeg.a" "$staging/lib/"
cp "$src/LICENSE.md" "$staging/"
rm -rf "$prefix"
mv "$staging" "$prefix"
echo "$prefix"
