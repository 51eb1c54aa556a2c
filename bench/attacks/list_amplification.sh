#!/usr/bin/env bash
# Issue 26, "anyone can make it allocate gigabytes": nested lists without `first`
# (stateParties(first: 100) → obligations → state → obligations → state → obligations).
# Prints, against a running server: one request's status, code, time and size; then the
# server's RSS (VmRSS, and the peak VmHWM) before and after AMPLIFY_PARALLEL (4) parallel
# requests, sent AMPLIFY_ROUNDS (5) times.
# Usage: bench/attacks/list_amplification.sh [BASE_URL] PID   (PID: the server process;
#        or SERVER_PID=...)
# Acceptance (release build): RSS rises by under 100 MiB.
set -euo pipefail
# shellcheck source=bench/attacks/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PID=${2:-${SERVER_PID:-}}
[[ -n $PID && -r /proc/$PID/status ]] || die "give the server's PID (second argument or SERVER_PID)"
PARALLEL=${AMPLIFY_PARALLEL:-4}
ROUNDS=${AMPLIFY_ROUNDS:-5}

query='{ stateParties(first: 100) { edges { node { obligations { state { obligations { state { obligations { id kind dueDate status } } } } } } } } }'
json_body "$query" >"$ATTACK_TMP/amplify.json"

echo "== list amplification against $BASE_URL (PID $PID), ${#query}-byte query"
read -r status secs size < <(post_timed "$ATTACK_TMP/amplify.json")
printf 'one request: status %s, code %s, %.1f ms, %s bytes\n' "$status" "$(error_code)" \
    "$(python3 -c "print($secs * 1000)")" "$size"

before=$(rss_kib "$PID")
hwm_before=$(rss_hwm_kib "$PID")
for ((r = 0; r < ROUNDS; r++)); do
    pids=()
    for ((n = 0; n < PARALLEL; n++)); do
        curl -s -o /dev/null -H 'Content-Type: application/json' \
            --data-binary "@$ATTACK_TMP/amplify.json" "$BASE_URL/graphql" &
        pids+=("$!")
    done
    wait "${pids[@]}"
done
after=$(rss_kib "$PID")
hwm_after=$(rss_hwm_kib "$PID")
python3 -c 'import sys
b, a, hb, ha = (int(x) / 1024 for x in sys.argv[1:5])
print("RSS before %.1f MiB, after %.1f MiB: %+.1f MiB (peak %.1f -> %.1f MiB)" % (b, a, a - b, hb, ha))' \
    "$before" "$after" "$hwm_before" "$hwm_after"
echo "($PARALLEL parallel requests x $ROUNDS rounds)"
