#!/usr/bin/env bash
# The database's own ceiling for each query: the statements ccm-isu issues for one request
# as one pgbench transaction, at the same client counts as the load benchmark, with prepared
# statements like the server's driver. The statements are this run's capture
# ($BENCH_OUT/sql/<query>.sql, from capture.sh), or else the committed bench/pgbench/<query>.sql.
# Appends "query clients tps latency_avg_ms" to $BENCH_OUT/pgbench.tsv.
set -euo pipefail
source "$(dirname "$0")/../load/lib.sh"

ensure_tools
mkdir -p "$BENCH_OUT/pgbench"
PGBENCH_DIR=$BENCH_DIR/pgbench

for q in $BENCH_QUERIES; do
    script=$BENCH_OUT/sql/$q.sql
    [[ -s $script ]] || script=$PGBENCH_DIR/$q.sql
    [[ -s $script ]] || die "no $script: run bench/pgbench/capture.sh first"
    log "pgbench $q: statements from $script"
    for c in $BENCH_CONNECTIONS; do
        threads=$((c < BENCH_THREADS ? c : BENCH_THREADS))
        log "pgbench $q: warm-up ${BENCH_WARMUP}s, then ${BENCH_DURATION}s at $c clients"
        pgbench -n -M prepared -c "$c" -j "$threads" -T "$BENCH_WARMUP" -f "$script" "$BENCH_DB" \
            >"$BENCH_OUT/pgbench/$q-$c-warmup.txt" 2>&1 ||
            die "pgbench failed: $(tail -5 "$BENCH_OUT/pgbench/$q-$c-warmup.txt")"
        out=$BENCH_OUT/pgbench/$q-$c.txt
        pgbench -n -M prepared -c "$c" -j "$threads" -T "$BENCH_DURATION" -f "$script" "$BENCH_DB" \
            >"$out" 2>&1 || die "pgbench failed: $(tail -5 "$out")"
        tps=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$out" | tail -1)
        lat=$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' "$out")
        failed=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$out")
        [[ -n $tps ]] || die "no tps in $out"
        [[ ${failed:-0} == 0 ]] || log "WARNING: pgbench $q c=$c: $failed failed transactions"
        printf '%s\t%s\t%s\t%s\n' "$q" "$c" "$tps" "$lat" >>"$BENCH_OUT/pgbench.tsv"
        log "pgbench $q c=$c: $tps tps, latency average $lat ms"
    done
done
