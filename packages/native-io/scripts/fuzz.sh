#!/usr/bin/env bash
# Fuzzes the frame cutter, body/rows/Prepared parsers, the batch assembler and
# the JPEG region decoder, with libFuzzer under ASan and UBSan for a bounded time, shared between the
# targets: scripts/fuzz.sh [seconds] (default 60).
# Needs clang and libFuzzer (Debian: clang libfuzzer-14-dev); installs them
# when missing and running as root. --regen-corpus rewrites fuzz/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
regen=0
for arg in "$@"; do
  case "$arg" in
    --regen-corpus) regen=1 ;;
    *) seconds="$arg" ;;
  esac
done

find_clang() {
  for c in clang++ clang++-16 clang++-15 clang++-14; do
    if command -v "$c" >/dev/null 2>&1; then echo "$c"; return; fi
  done
}

CLANG=${CLANG:-$(find_clang)}
if [[ -z "$CLANG" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y clang libfuzzer-14-dev >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y clang libfuzzer-14-dev >/dev/null; }
    CLANG=$(find_clang)
  else
    echo "clang with libFuzzer is missing: install it (Debian: apt-get install -y clang libfuzzer-14-dev)" >&2
    exit 1
  fi
fi

out=build/fuzz
mkdir -p "$out"
sources=(src/protocol/frame.cc src/protocol/rows.cc src/protocol/column_specs.cc src/protocol/server_error.cc)

if [[ $regen -eq 1 || -z "$(ls -A fuzz/corpus 2>/dev/null)" || -z "$(ls -A fuzz/corpus-prepared 2>/dev/null)" ]]; then
  mkdir -p fuzz/corpus fuzz/corpus-prepared
  "$CLANG" -std=c++20 -O1 -o "$out/make_corpus" fuzz/make_corpus.cc
  "$out/make_corpus" fuzz/corpus fuzz/corpus-prepared
fi

# Two targets share the frame seeds: the frame cutter and parsers
# (frame_fuzzer), and the receive path that reads cells straight into their
# arena slot with the stream split at every byte or at random (receiver_fuzzer).
# prepared_fuzzer has seeds of its own: RESULT Prepared bodies. All share the time.
build() {
  "$CLANG" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    -o "$out/$1" "fuzz/$1.cc" "${@:2}"
}
build frame_fuzzer "${sources[@]}"
build receiver_fuzzer "${sources[@]}" src/protocol/cell_locator.cc src/net/frame_receiver.cc
build prepared_fuzzer src/protocol/prepared.cc src/protocol/column_specs.cc
# The batch assembler against a model of its rules (assembler_fuzzer): its
# input is a script of fetches and row arrivals, not wire bytes, so it seeds
# from a few fixed scripts rather than the frame corpus.
build assembler_fuzzer src/io/batch_assembler.cc src/io/batch_ring.cc
rm -rf "$out/assembler-seeds" && mkdir -p "$out/assembler-seeds"
printf '\x00\x05\x00\x08\x01\x00\x01\x00\x09\x00\x00\x03\x00\x02' >"$out/assembler-seeds/grouped"
printf '\x07\x03\x00\x09\x00\x02\x40\x00\x09\x01\x03\x81\x40\x41\x20\x10' >"$out/assembler-seeds/labels-missing"

# New inputs go to a scratch folder: the committed seeds stay small and reviewed.
# libFuzzer prints a line per new input; keep them in a log and show its end,
# or all of it with the crash report when the fuzzer finds something.
run() {
  local target=$1 share=$2 seeds=$3 max_len=$4
  mkdir -p "$out/corpus-$target"
  local log="$out/$target.log"
  if "$out/$target" "$out/corpus-$target" "$seeds" -max_total_time="$share" -max_len="$max_len" -print_final_stats=1 \
    -artifact_prefix="$out/$target-" >"$log" 2>&1; then
    echo "$target:"
    grep -E '^(INFO: seed corpus|#[0-9]+\s+DONE|Done [0-9]+ runs|stat::)' "$log" || tail -n 20 "$log"
  else
    local status=$?
    tail -n 200 "$log"
    echo "fuzzing $target found a failure (exit $status); the input is in $out/ ($target-crash-* / -leak-* / -timeout-*)" >&2
    exit "$status"
  fi
}
# The JPEG target links the addon's static libjpeg-turbo (not instrumented:
# the sanitizers watch our decode, resize and writer code around it); where
# it cannot be built, the addon has no decoder and the target is skipped.
jpeg_dir=""
if dir=$(scripts/build-libjpeg-turbo.sh | tail -n 1) && [[ -f "$dir/lib/libturbojpeg.a" ]]; then
  jpeg_dir=$dir
  build jpeg_fuzzer -I"$jpeg_dir/include" src/decode/sample_decoder.cc src/decode/region_plan.cc \
    src/decode/resample.cc src/decode/batch_writer.cc "$jpeg_dir/lib/libturbojpeg.a"
  "$CLANG" -std=c++20 -O1 -I"$jpeg_dir/include" -o "$out/make_jpeg_seeds" fuzz/make_jpeg_seeds.cc \
    "$jpeg_dir/lib/libturbojpeg.a"
  rm -rf "$out/jpeg-seeds" && mkdir -p "$out/jpeg-seeds" && "$out/make_jpeg_seeds" "$out/jpeg-seeds"
else
  echo "fuzz: libjpeg-turbo could not be built; the JPEG decoder target is skipped" >&2
fi

targets=$([[ -n "$jpeg_dir" ]] && echo 5 || echo 4)
share=$(((seconds + targets - 1) / targets))
run frame_fuzzer "$share" fuzz/corpus 4096
run receiver_fuzzer "$share" fuzz/corpus 4096
run prepared_fuzzer "$share" fuzz/corpus-prepared 4096
run assembler_fuzzer "$share" "$out/assembler-seeds" 4096
[[ -z "$jpeg_dir" ]] || run jpeg_fuzzer "$share" "$out/jpeg-seeds" 16384
