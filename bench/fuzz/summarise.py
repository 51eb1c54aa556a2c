"""Reads a schemathesis NDJSON report (every request and response of a run) and judges it
independently of schemathesis' own checks: bench/fuzz.sh fails the run when this exits
non-zero.

A run fails on
- any HTTP status >= 500,
- a request that got no response (connection reset, timeout: e.g. a panicking handler),
- a GraphQL error coded INTERNAL_SERVER_ERROR,
- a GraphQL error raised by a resolver (it has a `path`) with no `extensions.code`: the
  contract codes every error a resolver returns.

Prints one line of totals (requests, status codes, error codes) and each offending request
(the GraphQL document, the response) in full.

Usage: python summarise.py LABEL REPORT.ndjson
"""

import base64
import collections
import json
import sys


def body(content):
    if content is None:
        return b""
    if "$base64" in content:
        return base64.b64decode(content["$base64"])
    return content.get("string", "").encode()


def main(label, path):
    statuses = collections.Counter()
    codes = collections.Counter()
    scenarios = 0
    cases = set()
    bad = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if finished is None:
                continue
            scenarios += 1
            recorder = finished["recorder"]
            for case_id, interaction in recorder["interactions"].items():
                cases.add(case_id)
                request = interaction["request"]
                sent = body(request.get("body")).decode("utf-8", "replace")
                response = interaction.get("response")
                if response is None:
                    statuses["none"] += 1
                    bad.append((recorder["label"], case_id, "no response", sent, ""))
                    continue
                status = response["status_code"]
                statuses[status] += 1
                text = body(response.get("content")).decode("utf-8", "replace")
                reasons = []
                if status >= 500:
                    reasons.append(f"HTTP {status}")
                try:
                    payload = json.loads(text)
                except ValueError:
                    payload = None
                errors = payload.get("errors") if isinstance(payload, dict) else None
                for error in errors or []:
                    ext = error.get("extensions") if isinstance(error, dict) else None
                    code = ext.get("code") if isinstance(ext, dict) else None
                    codes[code or "(none)"] += 1
                    if code == "INTERNAL_SERVER_ERROR":
                        reasons.append("INTERNAL_SERVER_ERROR")
                    elif code is None and isinstance(error, dict) and "path" in error:
                        reasons.append("resolver error without a code")
                if reasons:
                    bad.append((recorder["label"], case_id, ", ".join(reasons), sent, text))

    requests = sum(statuses.values())
    print(
        f"{label}: {scenarios} scenarios, {len(cases)} test cases, {requests} requests; "
        f"HTTP statuses {dict(sorted(statuses.items(), key=str))}; "
        f"GraphQL error codes {dict(codes.most_common())}; {len(bad)} server errors"
    )
    for operation, case_id, reason, sent, text in bad:
        print(f"--- {label}: {operation} (case {case_id}): {reason}")
        print(f"request:  {sent}")
        print(f"response: {text}")
    return 1 if bad or requests == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
