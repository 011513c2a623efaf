#!/usr/bin/env bash
# Builds and runs the native unit tests (protocol layer, routing, stream ids,
# latency histogram, the batch assembler, retry backoff, the JPEG region
# decoder: everything pure) under
# AddressSanitizer and UndefinedBehaviorSanitizer. CI calls this once.
# Needs g++ (12+) and GoogleTest (Debian: libgtest-dev; installed when missing
# and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/native-tests
mkdir -p "$out"
CXX=${CXX:-g++}
flags=(-std=c++20 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-omit-frame-pointer
  -fno-sanitize-recover=all)

if [[ ! -f /usr/include/gtest/gtest.h ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y libgtest-dev >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y libgtest-dev >/dev/null; }
  else
    echo "GoogleTest is missing: install it (Debian: apt-get install -y libgtest-dev)" >&2
    exit 1
  fi
fi

"$CXX" "${flags[@]}" -o "$out/protocol_test" \
  test/native/protocol_test.cc test/native/routing_test.cc test/native/batch_ring_test.cc \
  test/native/frame_receiver_test.cc test/native/prepared_test.cc test/native/statement_prepare_test.cc \
  test/native/batch_assembler_test.cc test/native/backoff_test.cc \
  src/net/frame_receiver.cc src/net/statement_prepare.cc \
  src/protocol/*.cc src/io/token_ring.cc src/io/batch_ring.cc src/io/batch_assembler.cc \
  -lgtest -lgtest_main -pthread

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
"$out/protocol_test" "$@"

# The JPEG region decoder, against the same static libjpeg-turbo the addon
# links (scripts/build-libjpeg-turbo.sh, cached): skipped, saying so, where
# it cannot be built, as the addon is then built without the decoder.
if jpeg_dir=$(scripts/build-libjpeg-turbo.sh | tail -n 1) && [[ -f "$jpeg_dir/lib/libturbojpeg.a" ]]; then
  "$CXX" "${flags[@]}" -I"$jpeg_dir/include" -o "$out/jpeg_decoder_test" \
    test/native/jpeg_decoder_test.cc src/decode/region_plan.cc src/decode/resample.cc \
    src/decode/batch_writer.cc src/decode/sample_decoder.cc \
    "$jpeg_dir/lib/libturbojpeg.a" -lgtest -lgtest_main -pthread
  "$out/jpeg_decoder_test" "$@"
else
  echo "test-native: libjpeg-turbo could not be built; the JPEG decoder tests are skipped" >&2
fi
