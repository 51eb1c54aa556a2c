#!/usr/bin/env bash
# Issue 26, "storage": an empty updateTransparencyReport bumped the version and wrote the whole
# report twice into the audit log (20 requests: +150 MB). Prints, against a running server:
#   - for 20 empty updates of a draft report: the version before and after, and the audit
#     entries and bytes (their before + after JSON) they added;
#   - a 5 MB section edit: its status (a request carries at most 1 MiB);
#   - the largest section edits a request carries (three sections of 100 000 three-byte
#     characters, ~900 kB), then one section alone: each edit's audit entry size.
# Usage: bench/attacks/empty_updates.sh BASE_URL EMAIL PASSWORD [STATE] [YEAR]
#   EMAIL/PASSWORD of an ISU_ADMIN (it edits the report and reads the audit log); the draft
#   annual report of STATE (LAO) for YEAR (last year) is created if missing. The edits stay in
#   that draft: use a scratch database.
# Acceptance: 20 empty updates store nothing; a 5 MB section edit stores an audit entry under
# 64 KiB.
set -euo pipefail
# shellcheck source=bench/attacks/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EMAIL=${2:?usage: $0 BASE_URL EMAIL PASSWORD [STATE] [YEAR]}
PASSWORD=${3:?usage: $0 BASE_URL EMAIL PASSWORD [STATE] [YEAR]}
STATE=${4:-LAO}
YEAR=${5:-$(($(date +%Y) - 1))}

echo "== empty updates and large edits against $BASE_URL ($STATE, annual report $YEAR)"
BASE_URL=$BASE_URL EMAIL=$EMAIL PASSWORD=$PASSWORD STATE=$STATE YEAR=$YEAR python3 - <<'PY'
import base64, http.client, json, os, sys, time, urllib.error, urllib.parse, urllib.request

base, state, year = os.environ["BASE_URL"], os.environ["STATE"], int(os.environ["YEAR"])
token = None


def post(query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}, ensure_ascii=False).encode()
    req = urllib.request.Request(base + "/graphql", data=body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/graphql-response+json",
        **({"Authorization": "Bearer " + token} if token else {})})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        text = e.read()
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, {"raw": text[:200].decode(errors="replace")}


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


_, b = post("mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken userErrors { code } } }",
            {"e": os.environ["EMAIL"], "p": os.environ["PASSWORD"]})
token = (b.get("data") or {}).get("login", {}).get("accessToken") or fail(f"login: {b}")

REPORT = "id version status"
_, b = post("query($f: TransparencyReportFilter) { transparencyReports(first: 1, filter: $f) { edges { node { %s } } } }" % REPORT,
            {"f": {"stateCode": state, "reportingYear": year, "kind": "ANNUAL"}})
edges = b["data"]["transparencyReports"]["edges"]
if edges:
    report = edges[0]["node"]
else:
    _, b = post("mutation($i: CreateTransparencyReportInput!) { createTransparencyReport(input: $i) { report { %s } userErrors { code message } } }" % REPORT,
                {"i": {"stateCode": state, "kind": "ANNUAL", "reportingYear": year}})
    report = b["data"]["createTransparencyReport"]["report"] or fail(f"create: {b}")
if report["status"] != "DRAFT":
    fail(f"the {state} {year} report is {report['status']}: pick a STATE or YEAR with a draft")
rid = report["id"]
# A global ID is the URL-safe base64 of "TransparencyReport:<uuid>"; the log names the UUID.
uuid = base64.urlsafe_b64decode(rid + "=" * (-len(rid) % 4)).decode().split(":", 1)[1]

LOG = "query($f: AuditLogFilter) { auditLog(first: 100, filter: $f) { totalCount edges { node { before after } } } }"


def log():
    """The report's entry count, and its newest 100 entries, newest first."""
    _, b = post(LOG, {"f": {"entityType": "TransparencyReport", "entityId": uuid}})
    entries = [e["node"] for e in b["data"]["auditLog"]["edges"]]
    return b["data"]["auditLog"]["totalCount"], entries


def size(entry):
    return len((entry["before"] or "").encode()) + len((entry["after"] or "").encode())


UPDATE = "mutation($i: UpdateTransparencyReportInput!) { updateTransparencyReport(input: $i) { report { version } userErrors { code message } } }"


def update(version, sections):
    return post(UPDATE, {"i": {"id": rid, "expectedVersion": version, "sections": sections}})


version = report["version"]
total, _ = log()
refused, version_after = 0, version
for _ in range(20):
    status, b = update(version, {})
    p = (b.get("data") or {}).get("updateTransparencyReport") or {}
    if p.get("userErrors") or status != 200:
        refused += 1
    version_after = (p.get("report") or {}).get("version", version_after)
total_after, entries_after = log()
added = total_after - total
stored = sum(size(e) for e in entries_after[:added]) if added else 0
print(f"20 empty updates: version {version} -> {version_after}; {refused} refused;"
      f" audit entries +{added}, {stored} bytes (before + after JSON)")

five_mb = json.dumps({"query": UPDATE, "variables": {"i": {"id": rid, "expectedVersion": version_after,
                                                       "sections": {"victimAssistance": "x" * (5 * 1024 * 1024)}}}}).encode()
t = time.monotonic()
# The server answers before it has read the body and closes: send what it takes, then read.
url = urllib.parse.urlsplit(base)
conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=120)
conn.putrequest("POST", "/graphql")
for k, v in {"Content-Type": "application/json", "Accept": "application/graphql-response+json",
             "Authorization": "Bearer " + token, "Content-Length": str(len(five_mb))}.items():
    conn.putheader(k, v)
conn.endheaders()
try:
    conn.send(five_mb)
except (BrokenPipeError, ConnectionResetError):
    pass
try:
    r = conn.getresponse()
    status, text = r.status, r.read()[:200].decode(errors="replace")
except (ConnectionError, http.client.HTTPException) as e:
    status, text = "-", f"connection closed ({e})"
print(f"5 MB section edit: status {status} in {1000 * (time.monotonic() - t):.0f} ms ({text.strip()})")

version = version_after
for label, sections in [
    ("3 sections x 100 000 chars (900 kB)", lambda t: {"nationalImplementationMeasures": t,
                                                      "productionFacilities": t,
                                                      "riskReductionEducation": t}),
    ("1 section x 100 000 chars (300 kB)", lambda t: {"victimAssistance": t}),
]:
    # 100 000 characters, three bytes each but for a 20-digit stamp that makes each run's
    # text new (an edit that changes nothing stores nothing).
    count, _ = log()
    status, b = update(version, sections("€" * 99_980 + f"{time.time_ns():020d}"))
    p = (b.get("data") or {}).get("updateTransparencyReport") or {}
    if not p.get("report"):
        fail(f"{label}: {status} {p.get('userErrors') or b}")
    version = p["report"]["version"]
    count_after, newest = log()
    if count_after == count:
        fail(f"{label}: no entry (the edit changed nothing)")
    entry = newest[0]
    print(f"{label}: status {status}; audit entry {size(entry)} bytes (before + after JSON),"
          f" under 64 KiB: {size(entry) < 65536}")
PY
