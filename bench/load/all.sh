#!/usr/bin/env bash
# The whole load benchmark in one command, back to back with the same settings:
#   1. the release binary (cargo build --release here, unless CCM_ISU_BIN is given or
#      BENCH_NO_BUILD=1),
#   2. a fresh ccm_bench database (seed.sh; BENCH_NO_SEED=1 keeps an existing one),
#   3. the peer installed (bench/peer/install.sh),
#   4. the SQL of each query captured (bench/pgbench/capture.sh),
#   5. ccm-isu and PostGraphile under wrk, alternating query by query (compare.sh),
#   6. pgbench with ccm-isu's SQL (bench/pgbench/run.sh), 7. the table (report.sh).
# Everything goes to bench/out/<UTC time>/ (ignored); the table also to stdout.
# BENCH_ONLY="ours" (or "peer", "ours pgbench", ...) runs a subset of steps 5-6: ccm-isu
# alone (run.sh), PostGraphile alone (bench/peer/run.sh), pgbench.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
export BENCH_OUT CCM_ISU_SRC

ensure_tools
if [[ -z $CCM_ISU_BIN_GIVEN && ${BENCH_NO_BUILD:-0} != 1 ]]; then
    log "building the release binary in $REPO_DIR"
    (cd "$REPO_DIR" && cargo build --release --quiet)
fi
require_binary
export CCM_ISU_BIN

mkdir -p "$BENCH_OUT"
describe_machine >"$BENCH_OUT/machine.txt"
echo "threads=$BENCH_THREADS warmup_s=$BENCH_WARMUP duration_s=$BENCH_DURATION pool=$BENCH_POOL today=$BENCH_TODAY" >>"$BENCH_OUT/machine.txt"
log "results in $BENCH_OUT"
cat "$BENCH_OUT/machine.txt" >&2

if [[ ${BENCH_NO_SEED:-0} == 1 ]] && psql -X -Atqc 'select 1 from transparency_reports limit 1' -d "$BENCH_DB" >/dev/null 2>&1; then
    log "keeping the existing database $BENCH_DB"
else
    "$BENCH_LOAD_DIR/seed.sh" >"$BENCH_OUT/seed.log" 2>&1 || die "seeding failed: $(tail -20 "$BENCH_OUT/seed.log")"
    tail -3 "$BENCH_OUT/seed.log" >&2
fi

only=${BENCH_ONLY:-ours peer pgbench}
if [[ " $only " == *" peer "* ]]; then
    "$BENCH_DIR/peer/install.sh" >&2
fi
"$BENCH_DIR/pgbench/capture.sh"
if [[ " $only " == *" ours "* && " $only " == *" peer "* ]]; then
    "$BENCH_LOAD_DIR/compare.sh"
elif [[ " $only " == *" ours "* ]]; then
    "$BENCH_LOAD_DIR/run.sh"
elif [[ " $only " == *" peer "* ]]; then
    "$BENCH_DIR/peer/run.sh"
fi
if [[ " $only " == *" pgbench "* ]]; then
    "$BENCH_DIR/pgbench/run.sh"
fi
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$BENCH_OUT/machine.txt"
"$BENCH_LOAD_DIR/report.sh"
