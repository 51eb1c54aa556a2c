#!/usr/bin/env bash
# ccm-isu against PostGraphile 5 on the same database, back to back: both servers run for
# the whole script (the idle one takes no CPU), each query and connection count is measured
# on ccm-isu and then at once on PostGraphile, with the same wrk settings, so that the other
# loads of a shared machine weigh on both alike. Records what run.sh and bench/peer/run.sh
# record, and both peak RSS.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_tools
require_binary
mkdir -p "$BENCH_OUT"
psql -Atqc 'select 1' -d "$BENCH_DB" >/dev/null 2>&1 || die "no database $BENCH_DB: run bench/load/seed.sh first"

trap stop_servers EXIT
trap 'exit 130' INT TERM

start_ours
start_peer
check_samples ours
check_samples peer
for q in $BENCH_QUERIES; do
    for c in $BENCH_CONNECTIONS; do
        measure_ours "$q" "$c"
        measure_peer "$q" "$c"
    done
done
record_rss ours "$OURS_PID"
record_rss peer "$PEER_PID"
if grep -q 'ERROR\|panicked' "$BENCH_OUT/ours-server.log"; then
    log "WARNING: ccm-isu logged errors: $(grep -m3 'ERROR\|panicked' "$BENCH_OUT/ours-server.log")"
fi
