#!/usr/bin/env bash
# The benchmark soak of issue 8: each reader engine reads epochs for 10
# minutes (CASSDL_SOAK_SECONDS to change; tests run 60 s), then the report
# gives RSS growth after warm-up and the fds, sockets and threads left after
# close(). Uses CASSDL_CONTACT_POINTS, or starts (or reuses) a local node.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CASSDL_CONTACT_POINTS:-}" ]; then node dist/bin.js server start; fi
mkdir -p ../../bench
node dist/bin.js bench --duration "${CASSDL_SOAK_SECONDS:-600}" --engine native,driver \
  --keyspace cassdl_bench_soak --samples 2000 --blob-size 16384 --json ../../bench/soak.json
