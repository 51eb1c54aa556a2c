#!/usr/bin/env bash
# Login throttle under concurrency (issue 26, item 4): sends 100 concurrent wrong logins for
# one account to a running server, and prints how many were refused as RATE_LIMITED and how
# many were checked (INVALID_CREDENTIALS: one argon2 hash each). Then tries the right
# password from this address (expected: RATE_LIMITED) and from another one (expected: a
# session). The other address is sent as X-Forwarded-For, which the server believes only
# when this machine is in ISU_TRUSTED_PROXIES (e.g. ISU_TRUSTED_PROXIES=127.0.0.1/32);
# otherwise that line says the header was ignored.
#
#   bench/attacks/login_throttle.sh URL EMAIL PASSWORD [N]
#   bench/attacks/login_throttle.sh http://127.0.0.1:8080 admin@isu.test 'admin-password-123'
#
# The hashes are also read from /metrics (isu_password_hashes_total, before and after): set
# METRICS_URL when /metrics is on its own address, METRICS_TOKEN when it wants a token.
#
# Use an account you can afford to lock at this address for 15 minutes. Needs curl, python3.
set -euo pipefail

url="${1:?usage: $0 URL EMAIL PASSWORD [N]}"
email="${2:?usage: $0 URL EMAIL PASSWORD [N]}"
password="${3:?usage: $0 URL EMAIL PASSWORD [N]}"
n="${4:-100}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

json_escape() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
body() {
  printf '{"query":"mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken userErrors { code } } }","variables":{"e":%s,"p":%s}}' \
    "$(json_escape "$email")" "$(json_escape "$1")"
}
login() { # PASSWORD [extra curl args...]
  local b
  b="$(body "$1")"
  shift
  curl -sS -X POST "$url/graphql" -H 'content-type: application/json' "$@" --data "$b"
}
verdict() {
  if grep -q '"accessToken":"' <<<"$1"; then echo "logged in"
  else grep -o '"code":"[A-Z_]*"' <<<"$1" | head -1 | cut -d'"' -f4; fi
}

hashes() { # the server's isu_password_hashes_total, or "n/a"
  local auth=()
  [[ -n "${METRICS_TOKEN:-}" ]] && auth=(-H "authorization: Bearer $METRICS_TOKEN")
  curl -sS "${auth[@]}" "${METRICS_URL:-$url/metrics}" 2>/dev/null \
    | awk '$1 == "isu_password_hashes_total" { print $2; found = 1 } END { if (!found) print "n/a" }'
}

hashes_before="$(hashes)"
start=$(date +%s%N)
for i in $(seq 1 "$n"); do
  login "wrong password $i" >"$out/$i" 2>&1 &
done
wait
elapsed_ms=$((($(date +%s%N) - start) / 1000000))

limited=$(grep -l '"RATE_LIMITED"' "$out"/* | wc -l)
invalid=$(grep -l '"INVALID_CREDENTIALS"' "$out"/* | wc -l)
other=$((n - limited - invalid))
printf '%d concurrent wrong logins in %d ms\n' "$n" "$elapsed_ms"
printf '  refused as RATE_LIMITED (no hash):        %d\n' "$limited"
printf '  refused as INVALID_CREDENTIALS (hashed):  %d\n' "$invalid"
printf '  anything else:                            %d\n' "$other"
hashes_after="$(hashes)"
if [[ "$hashes_before" != n/a && "$hashes_after" != n/a ]]; then
  printf '  argon2 hashes computed (/metrics):        %d\n' "$((hashes_after - hashes_before))"
else
  echo "  argon2 hashes computed (/metrics):        n/a (set METRICS_URL / METRICS_TOKEN)"
fi
echo "right password from this address:     $(verdict "$(login "$password")")"
echo "right password from 198.51.100.7:     $(verdict "$(login "$password" -H 'x-forwarded-for: 198.51.100.7')")" \
  "(X-Forwarded-For counts only from a trusted proxy)"
