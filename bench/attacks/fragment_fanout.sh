#!/usr/bin/env bash
# Issue 26, "anyone can freeze it with one kilobyte": a document whose fragments each spread
# the previous one twice (2^DEPTH fields once expanded). Prints, against a running server:
#   - each depth's status, error code and time to refusal;
#   - with FANOUT_INFLIGHT (8) of them in flight over and over, the latency of a concurrent
#     NodeById (wrk, one connection, FANOUT_SECONDS): p50, p99, max.
# Usage: bench/attacks/fragment_fanout.sh [BASE_URL]
# Acceptance (release build): refused in under 50 ms at any depth; NodeById p99 under 50 ms.
set -euo pipefail
# shellcheck source=bench/attacks/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEPTHS=${FANOUT_DEPTHS:-20 30 40}
INFLIGHT=${FANOUT_INFLIGHT:-8}
SECONDS_UNDER_ATTACK=${FANOUT_SECONDS:-10}

fan_out() {
    local depth=$1 q i
    q="query FanOut { ...F$depth } fragment F0 on Query { __typename }"
    for ((i = 1; i <= depth; i++)); do
        q+=" fragment F$i on Query { ...F$((i - 1)) ...F$((i - 1)) }"
    done
    printf '%s' "$q"
}

echo "== fragment fan-out against $BASE_URL"
printf '%-6s %-7s %-6s %-20s %s\n' depth bytes status code "time to refusal"
for depth in $DEPTHS; do
    json_body "$(fan_out "$depth")" >"$ATTACK_TMP/fan$depth.json"
    bytes=$(fan_out "$depth" | wc -c)
    read -r status secs _ < <(post_timed "$ATTACK_TMP/fan$depth.json")
    printf '%-6s %-7s %-6s %-20s %.1f ms\n' "$depth" "$bytes" "$status" "$(error_code)" \
        "$(python3 -c "print($secs * 1000)")"
done

# A NodeById on a State, anonymous (States are public).
json_body '{ stateParties(first: 1) { edges { node { id } } } }' >"$ATTACK_TMP/first.json"
post_timed "$ATTACK_TMP/first.json" >/dev/null
id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["data"]["stateParties"]["edges"][0]["node"]["id"])' "$ATTACK_TMP/last.json")
python3 -c 'import json, sys; print(json.dumps({"operationName": "NodeById",
  "query": "query NodeById($id: ID!) { node(id: $id) { id ... on StateParty { code name } } }",
  "variables": {"id": sys.argv[1]}}))' "$id" >"$ATTACK_TMP/node.json"

deepest=${DEPTHS##* }
echo "== NodeById during $INFLIGHT fan-out requests (depth $deepest) in flight, ${SECONDS_UNDER_ATTACK}s"
stop=$ATTACK_TMP/stop
attackers=()
for ((n = 0; n < INFLIGHT; n++)); do
    (
        sent=0
        while [[ ! -e $stop ]]; do
            curl -s -o /dev/null -H 'Content-Type: application/json' \
                --data-binary "@$ATTACK_TMP/fan$deepest.json" "$BASE_URL/graphql" || true
            sent=$((sent + 1))
        done
        echo "$sent" >"$ATTACK_TMP/sent.$n"
    ) &
    attackers+=("$!")
done
sleep 1
if command -v wrk >/dev/null; then
    BODY_FILE=$ATTACK_TMP/node.json AUTH_TOKEN='' wrk -t1 -c1 -d"${SECONDS_UNDER_ATTACK}s" \
        -s "$ATTACKS_DIR/../load/wrk.lua" "$BASE_URL/graphql" >"$ATTACK_TMP/wrk.txt"
    touch "$stop"
    wait "${attackers[@]}"
    grep '^RESULT' "$ATTACK_TMP/wrk.txt" | python3 -c 'import sys
f = dict(kv.split("=") for kv in sys.stdin.read().split()[1:])
print("NodeById: %s requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms, non-200 %s, errors %s" % (
    f["requests"], int(f["p50_us"]) / 1000, int(f["p99_us"]) / 1000, int(f["max_us"]) / 1000,
    f["non200"], f["graphql_errors"]))'
else
    # No wrk: a loop of curl, timed one by one.
    end=$((SECONDS + SECONDS_UNDER_ATTACK))
    while ((SECONDS < end)); do
        curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' \
            --data-binary "@$ATTACK_TMP/node.json" "$BASE_URL/graphql"
    done >"$ATTACK_TMP/times.txt"
    touch "$stop"
    wait "${attackers[@]}"
    python3 -c 'import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]))
p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print("NodeById: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (len(t), p(0.5), p(0.99), t[-1]))' \
        "$ATTACK_TMP/times.txt"
fi
echo "fan-out requests refused meanwhile: $(cat "$ATTACK_TMP"/sent.* | awk '{ s += $1 } END { print s }')"
curl -sf -o /dev/null -w 'health/live after: %{http_code} in %{time_total}s\n' "$BASE_URL/health/live"
