#!/usr/bin/env bash
# Creates the load benchmark's database from scratch: drops and recreates $BENCH_DB (ccm_bench),
# applies the migrations and loads the 125-State registry with the release binary, adds the
# bench volume (seed.sql), and creates a delegation of LAO and an ISU_ADMIN.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_tools
require_binary

log "recreating database $BENCH_DB"
dropdb --if-exists --force "$BENCH_DB"
createdb "$BENCH_DB"

export DATABASE_URL=$BENCH_DATABASE_URL
export RUST_LOG=${RUST_LOG:-warn}
"$CCM_ISU_BIN" migrate up
"$CCM_ISU_BIN" seed --states

log "inserting the bench volume (seed.sql)"
psql -q -X -v ON_ERROR_STOP=1 -d "$BENCH_DB" -f "$BENCH_LOAD_DIR/seed.sql"

log "creating the accounts"
ISU_USER_PASSWORD=$BENCH_PASSWORD "$CCM_ISU_BIN" users create \
    --email "$BENCH_DELEGATION_EMAIL" --role DELEGATION --state LAO
ISU_USER_PASSWORD=$BENCH_PASSWORD "$CCM_ISU_BIN" users create \
    --email "$BENCH_ADMIN_EMAIL" --role ISU_ADMIN

psql -X -d "$BENCH_DB" -c "
SELECT (SELECT count(*) FROM states) AS states,
       (SELECT count(*) FROM states WHERE status = 'STATE_PARTY') AS parties,
       (SELECT count(*) FROM transparency_reports) AS reports,
       (SELECT count(*) FROM transparency_reports WHERE kind = 'ANNUAL') AS annual,
       (SELECT count(*) FROM deadline_extensions) AS extensions,
       (SELECT count(*) FROM assistance_needs) AS needs,
       (SELECT count(*) FROM assistance_offers) AS offers,
       (SELECT count(*) FROM users) AS users,
       pg_size_pretty(pg_database_size(current_database())) AS size"
