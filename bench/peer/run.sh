#!/usr/bin/env bash
# The peer of the load benchmark alone: PostGraphile 5 (bench/peer, installed by install.sh)
# over the same ccm_bench database, asked for the same information as bench/load/queries (see
# bench/peer/queries and bench/README.md), with the same wrk settings as bench/load/run.sh.
# Appends its figures to $BENCH_OUT/results.tsv as "peer". bench/load/compare.sh alternates
# it with ccm-isu.
set -euo pipefail
source "$(dirname "$0")/../load/lib.sh"

ensure_tools
mkdir -p "$BENCH_OUT"
psql -Atqc 'select 1' -d "$BENCH_DB" >/dev/null 2>&1 || die "no database $BENCH_DB: run bench/load/seed.sh first"

trap stop_servers EXIT
trap 'exit 130' INT TERM

start_peer
check_samples peer
for q in $BENCH_QUERIES; do
    for c in $BENCH_CONNECTIONS; do
        measure_peer "$q" "$c"
    done
done
record_rss peer "$PEER_PID"
