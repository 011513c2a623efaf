#!/usr/bin/env bash
# Where one bench variant spends its CPU: `perf record -g` over the bench
# process, enabled only from its "measuring" line on (generating the images
# is left out), then the share per library and the top symbols.
#
#   packages/gpu-ops/bench/profile.sh "native decoder (default)" [rounds] [out-dir]
#   packages/gpu-ops/bench/profile.sh "decoder: 'sharp', float32" 15
#
# Needs perf (kernel.perf_event_paranoid <= 2 for a process of your own).
# JIT-compiled JavaScript is named through node's --perf-basic-prof map.
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:?usage: profile.sh VARIANT-SUBSTRING [rounds] [out-dir]}
rounds=${2:-15}
out=${3:-$(mktemp -d)}
mkdir -p "$out"
log="$out/bench.log"
ctl="$out/perf-ctl"
rm -f "$ctl" && mkfifo "$ctl"
exec {ctl_fd}<>"$ctl"
perf record -g -D -1 --control "fd:$ctl_fd" -o "$out/perf.data" -- \
  node --perf-basic-prof --import tsx bench/decode.bench.ts --only "$variant" --rounds "$rounds" \
  --out "$out/results.json" >"$log" 2>&1 &
perf_pid=$!
until grep -q '^measuring' "$log" 2>/dev/null; do
  kill -0 "$perf_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
echo enable >&"$ctl_fd"
wait "$perf_pid"
exec {ctl_fd}>&-
rm -f "$ctl"
grep '^|' "$log" | tail -n 1
echo "== share per library (of all samples)"
perf report -i "$out/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -n 8
echo "== top symbols"
perf report -i "$out/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -n 20
echo "(perf data and the bench's log: $out)"
