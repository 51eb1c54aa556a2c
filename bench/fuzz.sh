#!/usr/bin/env bash
# Fuzzes the GraphQL API with schemathesis (GraphQL mode) against a real server on a fresh
# SQLite database, anonymously and as an ISU_ADMIN, and fails on any server error.
#
#   bench/fuzz.sh                      # 50 examples per operation and run
#   FUZZ_EXAMPLES=200 FUZZ_SEED=1 bench/fuzz.sh
#
# Environment (all optional):
#   FUZZ_EXAMPLES  schemathesis --max-examples, per operation and run (default 50)
#   FUZZ_SEED      schemathesis --seed, to repeat a run (default: a random seed, printed)
#   FUZZ_TIMEOUT   seconds each schemathesis run may take before it is stopped (default 600)
#   FUZZ_RELEASE   1 to fuzz a release build instead of the debug build
#
# Why a debug build by default: overflow checks and debug assertions are on, so an arithmetic
# overflow reached from a request panics and shows up instead of wrapping silently; and it
# reuses what `cargo test` already compiled, where a release build costs minutes more on this
# 2-core machine. Throughput is not what is measured here.
#
# A run fails (exit 1) when
# - schemathesis' `not_a_server_error` check fails: an HTTP 5xx, or a GraphQL error that is
#   not a refusal (bench/fuzz/hooks.py explains which codes are refusals), or schemathesis
#   itself errs;
# - bench/fuzz/summarise.py, reading every request and response of the run, finds an HTTP
#   5xx, a request without a response, an INTERNAL_SERVER_ERROR, or a resolver error without
#   a code;
# - the server logged a panic or an ERROR line;
# - the server died, or /health/live or /health/ready is not 200 afterwards;
# - the admin token stopped working during the authenticated run (it would have gone on
#   anonymously: lower FUZZ_EXAMPLES, access tokens last 15 minutes).
#
# Reports (schemathesis NDJSON with every request and response, JUnit), the server log and
# the exported schema stay in target/fuzz/<UTC time>/; the database is temporary and removed.
# All traffic goes to 127.0.0.1 only.

set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
EXAMPLES=${FUZZ_EXAMPLES:-50}
SEED=${FUZZ_SEED:-}
TIMEOUT=${FUZZ_TIMEOUT:-600}
VENV="$ROOT/bench/fuzz/.venv"

say() { printf '== %s\n' "$*" >&2; }

# ------------------------------------------------------------------------------ build
if [[ "${FUZZ_RELEASE:-0}" == 1 ]]; then
    say "building the server (release)"
    cargo build --release --bin ccm-isu
    BIN="$ROOT/target/release/ccm-isu"
else
    say "building the server (debug: overflow checks on)"
    cargo build --bin ccm-isu
    BIN="$ROOT/target/debug/ccm-isu"
fi

# ------------------------------------------------------------------------------ schemathesis
if [[ ! -x "$VENV/bin/python" ]]; then
    say "creating $VENV"
    python3 -m venv "$VENV"
fi
say "installing schemathesis into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$ROOT/bench/fuzz/requirements.txt"
ST_VERSION=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))')

# ------------------------------------------------------------------------------ server
RUN="$ROOT/target/fuzz/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RUN"
TMP=$(mktemp -d /tmp/ccm-isu-fuzz.XXXXXX)
SERVER_PID=""

cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
ADMIN_EMAIL="fuzz.admin@fuzz.invalid"
ADMIN_PASSWORD="fuzz-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"

export DATABASE_URL="sqlite://$TMP/fuzz.db?mode=rwc"
export ISU_LISTEN="127.0.0.1:$PORT"
export ISU_ENV=development
export ISU_BOOTSTRAP_ADMIN_EMAIL="$ADMIN_EMAIL"
export ISU_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD"
export ISU_USER_PASSWORD="$ADMIN_PASSWORD"
export RUST_LOG="${RUST_LOG:-info,sqlx=warn,sea_orm=warn}"
unset ISU_JWT_SECRET

# The schema as the binary defines it. Schemathesis' own introspection query (graphql-core's
# full one, 15 levels deep) is deeper than the server's depth limit (MAX_DEPTH in
# src/graphql/limits.rs) and is refused, so schemathesis reads the SDL instead.
"$BIN" export-schema > "$RUN/schema.graphql"

say "seeding the demo data set into $TMP/fuzz.db"
"$BIN" seed --states --demo > "$RUN/seed.log" 2>&1

say "starting the server on $BASE"
"$BIN" serve > "$RUN/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 120); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        say "the server exited on start:"
        cat "$RUN/server.log" >&2
        exit 1
    fi
    if curl -fsS -o /dev/null "$BASE/health/live" 2>/dev/null; then break; fi
    sleep 0.5
done
curl -fsS -o /dev/null "$BASE/health/live"

graphql() { # graphql QUERY VARIABLES_JSON [TOKEN]
    local auth=()
    if [[ -n "${3:-}" ]]; then auth=(-H "Authorization: Bearer $3"); fi
    python3 -c 'import json, sys; print(json.dumps({"query": sys.argv[1], "variables": json.loads(sys.argv[2])}))' "$1" "$2" |
        curl -sS --max-time 30 "$BASE/graphql" -H 'Content-Type: application/json' "${auth[@]}" --data-binary @-
}

# Prints "ACCESS REFRESH" for a new admin session.
login() {
    local vars
    vars=$(python3 -c 'import json, sys; print(json.dumps({"e": sys.argv[1], "p": sys.argv[2]}))' "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
    graphql 'mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken refreshToken userErrors { code message } } }' "$vars" |
        python3 -c 'import json, sys; p = json.load(sys.stdin)["data"]["login"]; assert p["accessToken"], p; print(p["accessToken"], p["refreshToken"])'
}

# Prints "ACCESS REFRESH" for the session of refresh token $1, rotated.
refresh() {
    local vars
    vars=$(python3 -c 'import json, sys; print(json.dumps({"r": sys.argv[1]}))' "$1")
    graphql 'mutation($r: String!) { refreshSession(input: {refreshToken: $r}) { accessToken refreshToken userErrors { code message } } }' "$vars" |
        python3 -c 'import json, sys; p = json.load(sys.stdin)["data"]["refreshSession"]; assert p["accessToken"], p; print(p["accessToken"], p["refreshToken"])'
}

whoami() { # prints the email the token belongs to, or nothing
    graphql '{ me { email } }' '{}' "$1" |
        python3 -c 'import json, sys; d = json.load(sys.stdin).get("data") or {}; print((d.get("me") or {}).get("email") or "")' 2>/dev/null || true
}

# ------------------------------------------------------------------------------ fuzzing
FAILED=0
fail() { say "FAIL: $*"; FAILED=1; }

fuzz() { # fuzz LABEL [schemathesis options...]
    local label=$1
    shift
    local dir="$RUN/$label"
    mkdir -p "$dir"
    say "schemathesis $ST_VERSION, $label: --max-examples $EXAMPLES${SEED:+ --seed $SEED}"
    local rc=0
    # Run in its own folder: schemathesis and Hypothesis keep their caches in the current one.
    (
        cd "$dir"
        SCHEMATHESIS_HOOKS="$ROOT/bench/fuzz/hooks.py" timeout "$TIMEOUT" \
            "$VENV/bin/schemathesis" run "$RUN/schema.graphql" \
            --url "$BASE/graphql" \
            --checks not_a_server_error \
            --max-examples "$EXAMPLES" \
            ${SEED:+--seed "$SEED"} \
            --request-timeout 30 \
            --no-color \
            --report ndjson,junit --report-dir "$dir" \
            "$@"
    ) > "$dir/schemathesis.out" 2>&1 || rc=$?
    sed -n '/=== SUMMARY ===/,$p' "$dir/schemathesis.out" >&2
    if [[ $rc -ne 0 ]]; then
        fail "schemathesis ($label) exited $rc; see $dir/schemathesis.out"
    fi
    local report
    report=$(ls "$dir"/ndjson-*.ndjson 2>/dev/null | head -n 1 || true)
    if [[ -z "$report" ]]; then
        fail "no NDJSON report for $label"
    elif ! "$VENV/bin/python" "$ROOT/bench/fuzz/summarise.py" "$label" "$report" | tee "$dir/summary.txt" >&2; then
        fail "server errors in the $label run (above; all requests in $report)"
    fi
}

# Log in before any fuzzing: the fuzzer's failed `login`s from 127.0.0.1 soon trip the
# per-address throttle (MAX_FAILURES_PER_ADDRESS in src/auth/service.rs) for 15 minutes, so
# the admin run gets its fresh access token from `refreshSession` instead.
read -r TOKEN REFRESH < <(login)
[[ "$(whoami "$TOKEN")" == "$ADMIN_EMAIL" ]] || { fail "the admin token does not work"; exit 1; }

fuzz anonymous

read -r TOKEN REFRESH < <(refresh "$REFRESH")
[[ "$(whoami "$TOKEN")" == "$ADMIN_EMAIL" ]] || { fail "the refreshed admin token does not work"; exit 1; }
fuzz admin -H "Authorization: Bearer $TOKEN"
if [[ "$(whoami "$TOKEN")" != "$ADMIN_EMAIL" ]]; then
    fail "the admin token stopped working during the run (expired or revoked): part of it ran anonymously"
fi

# ------------------------------------------------------------------------------ aftermath
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    fail "the server died"
else
    for path in /health/live /health/ready; do
        status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$BASE$path" || true)
        [[ "$status" == 200 ]] || fail "GET $path answered $status"
    done
fi
# Strip the log's colours, then look for panics and errors.
sed -e 's/\x1b\[[0-9;]*m//g' "$RUN/server.log" > "$RUN/server.txt"
if grep -nE 'panicked| ERROR ' "$RUN/server.txt" > "$RUN/server-errors.txt"; then
    fail "the server logged errors ($(wc -l < "$RUN/server-errors.txt") lines):"
    head -n 20 "$RUN/server-errors.txt" >&2
fi

if [[ $FAILED -ne 0 ]]; then
    say "fuzzing FAILED; reports and server log in $RUN"
    exit 1
fi
say "fuzzing passed: no server error, server up; reports in $RUN"
