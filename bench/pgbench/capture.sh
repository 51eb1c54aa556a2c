#!/usr/bin/env bash
# Captures the SQL that each benchmark query costs, from PostgreSQL's own log: turns on
# log_statement = 'all' for the bench database only (ALTER DATABASE ... SET, reset on exit),
# starts ccm-isu (and PostGraphile, when installed), sends each query once after a warm-up
# request, and keeps the statements logged for the bench database in between.
#
# Writes $BENCH_OUT/sql/<impl>-<query>.log (the statements, parameters filled in),
# $BENCH_OUT/statements.tsv (impl, query, statements per request) and, for ccm-isu,
# $BENCH_OUT/sql/<query>.sql: the same statements as a pgbench script, one request per
# transaction, which bench/pgbench/run.sh runs as the database's ceiling. With
# BENCH_UPDATE_SQL=1 it also replaces the committed bench/pgbench/<query>.sql (IDs of users and
# sessions differ from one seeding to the next, so only when the SQL itself changed).
#
# PG_LOG is the server's log file; by default the one pg_current_logfile() names, else
# Debian's /var/log/postgresql/postgresql-<major>-main.log.
set -euo pipefail
source "$(dirname "$0")/../load/lib.sh"

ensure_tools
require_binary
mkdir -p "$BENCH_OUT/sql"
PGBENCH_DIR=$BENCH_DIR/pgbench

if [[ -z ${PG_LOG:-} ]]; then
    current=$(psql -X -Atqc 'select pg_current_logfile()' -d "$BENCH_DB" 2>/dev/null || true)
    if [[ -n $current ]]; then
        [[ $current == /* ]] || current="$(psql -X -Atqc 'show data_directory' -d "$BENCH_DB")/$current"
        PG_LOG=$current
    else
        major=$(psql -X -Atqc 'show server_version_num' -d "$BENCH_DB" | cut -c1-2)
        PG_LOG=/var/log/postgresql/postgresql-$major-main.log
    fi
fi
[[ -r $PG_LOG ]] || die "cannot read PostgreSQL's log $PG_LOG (set PG_LOG)"

reset_logging() {
    psql -X -q -d postgres -c "ALTER DATABASE $BENCH_DB RESET log_statement" >/dev/null 2>&1 || true
}
trap 'stop_servers; reset_logging' EXIT
trap 'exit 130' INT TERM
psql -X -q -d postgres -c "ALTER DATABASE $BENCH_DB SET log_statement = 'all'"

# The statements of the bench database logged after byte $1 of the log, one per line, with
# their parameters substituted: "execute <name>: SQL" or "statement: SQL", continuation lines
# (a tab first) joined, and "DETAIL:  parameters: $1 = '...', ..." filled in.
statements_since() {
    local offset=$1
    tail -c +"$((offset + 1))" "$PG_LOG" | perl -e '
        my $db = shift;
        my (@stmts, $cur, $in);
        while (my $line = <STDIN>) {
            chomp $line;
            if ($line =~ /^\t(.*)$/) {
                $cur .= " $1" if $in && defined $cur;
                next;
            }
            $in = 0;
            next unless $line =~ /^\S+ \S+ \S+ \[\d+\] \S+\@(\S+) (\w+):  (.*)$/;
            my ($d, $level, $msg) = ($1, $2, $3);
            next unless $d eq $db;
            if ($level eq "LOG" && $msg =~ /^(?:execute [^:]+|statement): (.*)$/) {
                push @stmts, $cur if defined $cur;
                $cur = $1;
                $in = 1;
            } elsif ($level eq "DETAIL" && $msg =~ /^parameters: (.*)$/ && defined $cur) {
                my $p = $1;
                my %v;
                while ($p =~ /\$(\d+) = (NULL|\x27(?:[^\x27]|\x27\x27)*\x27)/g) { $v{$1} = $2; }
                $cur =~ s/\$(\d+)\b/exists $v{$1} ? $v{$1} : "\$$1"/ge;
            }
        }
        push @stmts, $cur if defined $cur;
        for (@stmts) { s/\s+/ /g; s/\s*;?\s*$//; print "$_\n"; }
    ' "$BENCH_DB"
}

capture() {
    local impl=$1 url=$2 dir=$3 token=$4 q=$5 offset out n
    post_graphql "$url" "$dir/$q.json" "$token" >/dev/null # warm-up: caches, prepared statements
    sleep 0.3
    offset=$(stat -c %s "$PG_LOG")
    post_graphql "$url" "$dir/$q.json" "$token" >"$BENCH_OUT/sql/$impl-$q.response.json"
    sleep 0.5
    out=$BENCH_OUT/sql/$impl-$q.log
    statements_since "$offset" >"$out"
    n=$(wc -l <"$out")
    printf '%s\t%s\t%s\n' "$impl" "$q" "$n" >>"$BENCH_OUT/statements.tsv"
    log "$impl $q: $n statements per request"
}

url="http://127.0.0.1:$OURS_PORT/graphql"
start_ours ours-capture.log
for q in $BENCH_QUERIES; do
    capture ours "$url" "$OURS_QUERIES" "$(ours_token "$q")" "$q"
    {
        echo "-- The SQL ccm-isu issues for one $q request (bench/load/queries/$q.json),"
        echo "-- captured by bench/pgbench/capture.sh from PostgreSQL's log; run by bench/pgbench/run.sh."
        echo "-- Parameters are inlined as literals. Commit of the server: $(describe_machine | sed -n 's/^commit=//p')."
        sed 's/$/;/' "$BENCH_OUT/sql/ours-$q.log"
    } >"$BENCH_OUT/sql/$q.sql"
    if [[ ${BENCH_UPDATE_SQL:-0} == 1 ]]; then
        cp "$BENCH_OUT/sql/$q.sql" "$PGBENCH_DIR/$q.sql"
    fi
done
stop_servers

if [[ -x $PEER_NODE ]]; then
    peer_url="http://127.0.0.1:$PEER_PORT/graphql"
    start_peer peer-capture.log
    for q in $BENCH_QUERIES; do
        capture peer "$peer_url" "$PEER_QUERIES" "" "$q"
    done
    stop_servers
else
    log "the peer is not installed (bench/peer/install.sh): its statements are not counted"
fi
