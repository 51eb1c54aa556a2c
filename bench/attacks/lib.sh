# shellcheck shell=bash
# Shared helpers of the attack scripts: the server's base URL, one timed POST, RSS.
#   BASE_URL  the running server (first argument of each script wins), default
#             http://127.0.0.1:8080

ATTACKS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE_URL=${1:-${BASE_URL:-http://127.0.0.1:8080}}
BASE_URL=${BASE_URL%/}

die() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

for tool in curl python3; do
    command -v "$tool" >/dev/null || die "$tool is required"
done

# json_body QUERY: the JSON request body holding QUERY.
json_body() {
    python3 -c 'import json, sys; print(json.dumps({"query": sys.argv[1]}))' "$1"
}

# post_timed BODY_FILE: POSTs the body; prints "<status> <seconds> <bytes>", the body in
# $ATTACK_TMP/last.json.
post_timed() {
    curl -sS -o "$ATTACK_TMP/last.json" -w '%{http_code} %{time_total} %{size_download}\n' \
        -H 'Content-Type: application/json' \
        -H 'Accept: application/graphql-response+json' \
        --data-binary "@$1" "$BASE_URL/graphql"
}

# error_code: extensions.code of the first error of the last response, or "-".
error_code() {
    python3 -c 'import json, sys
try:
    b = json.load(open(sys.argv[1]))
    b = b[0] if isinstance(b, list) else b
    print(b.get("errors", [{}])[0].get("extensions", {}).get("code", "-"))
except Exception:
    print("-")' "$ATTACK_TMP/last.json"
}

# rss_kib PID: the process's resident set (VmRSS), in KiB.
rss_kib() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# rss_hwm_kib PID: the process's peak resident set (VmHWM), in KiB.
rss_hwm_kib() {
    awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"
}

ATTACK_TMP=$(mktemp -d)
trap 'rm -rf "$ATTACK_TMP"' EXIT

curl -sf -o /dev/null "$BASE_URL/health/live" || die "no server answers at $BASE_URL/health/live"
