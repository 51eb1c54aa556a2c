#!/usr/bin/env bash
# Load benchmark of ccm-isu alone: starts the release server in production mode on the seeded
# PostgreSQL database (seed.sh), checks one response of each query, then runs wrk at each
# connection count (warm-up, then the measured run) and records req/s, p50, p99, CPU per
# request and the server's peak RSS in $BENCH_OUT (bench/out/<UTC time>/ unless set).
# compare.sh does the same for ccm-isu and PostGraphile, alternating.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_tools
require_binary
mkdir -p "$BENCH_OUT"
psql -Atqc 'select 1' -d "$BENCH_DB" >/dev/null 2>&1 || die "no database $BENCH_DB: run bench/load/seed.sh first"

trap stop_servers EXIT
trap 'exit 130' INT TERM

start_ours
check_samples ours
for q in $BENCH_QUERIES; do
    for c in $BENCH_CONNECTIONS; do
        measure_ours "$q" "$c"
    done
done
record_rss ours "$OURS_PID"
if grep -q 'ERROR\|panicked' "$BENCH_OUT/ours-server.log"; then
    log "WARNING: the server logged errors: $(grep -m3 'ERROR\|panicked' "$BENCH_OUT/ours-server.log")"
fi
