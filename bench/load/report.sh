#!/usr/bin/env bash
# Prints the figures of a run ($BENCH_OUT, or the directory given) as a Markdown table, with
# the goals of issues 8 and 24 judged: at least 2x the req/s of PostGraphile on every query,
# p99 under 20 ms at 16 connections, NodeById at 10 000 req/s and 45 % of pgbench, RSS under
# 150 MB. Also writes it to <run>/summary.md. "CPU ms/req" is the server process's CPU time
# (user + system, every thread) during the measured run divided by its requests.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[[ $# -ge 1 ]] && BENCH_OUT=$1
[[ -f $BENCH_OUT/results.tsv ]] || die "no results in $BENCH_OUT"

touch "$BENCH_OUT/pgbench.tsv" "$BENCH_OUT/statements.tsv" "$BENCH_OUT/rss.tsv"
{
    if [[ -f $BENCH_OUT/machine.txt ]]; then
        echo "Run $(basename "$BENCH_OUT"): $(tr '\n' ';' <"$BENCH_OUT/machine.txt" | sed 's/;$//; s/;/; /g')"
        echo
    fi
    awk -F'\t' -v OFS=' | ' '
        FILENAME ~ /results.tsv$/ {
            k = $2 SUBSEP $3
            if (!(k in seen)) { seen[k] = 1; order[++n] = k }
            rps[$1, k] = $4; p50[$1, k] = $5; p99[$1, k] = $6
            err[$1, k] = $8 + $9 + $10
            cpu[$1, k] = $12
            next
        }
        FILENAME ~ /pgbench.tsv$/ { tps[$1 SUBSEP $2] = $3; next }
        FILENAME ~ /statements.tsv$/ { st[$1, $2] = $3; next }
        FILENAME ~ /rss.tsv$/ { rss[$1] = $2; next }
        function cell(v) { return v == "" ? "–" : v }
        function num(v, f) { return v == "" ? "–" : sprintf(f, v) }
        END {
            print "| query | conns | ccm-isu req/s | p50 ms | p99 ms | CPU ms/req | PostGraphile req/s | p50 ms | p99 ms | CPU ms/req | ours / PostGraphile | pgbench tps | SQL statements per request (ours / PostGraphile) |"
            print "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
            ratio_ok = 1; p99_ok = 1; any_peer = 0
            for (i = 1; i <= n; i++) {
                k = order[i]; split(k, kq, SUBSEP); q = kq[1]; c = kq[2]
                o = rps["ours", k]; p = rps["peer", k]
                r = ""
                if (o != "" && p != "" && p > 0) {
                    r = sprintf("%.2f×", o / p); any_peer = 1
                    if (o / p < 2) { ratio_ok = 0; ratio_bad = ratio_bad " " q "@" c }
                }
                if (c == 16 && p99["ours", k] != "" && p99["ours", k] >= 20) {
                    p99_ok = 0; p99_bad = p99_bad " " q "(" p99["ours", k] " ms)"
                }
                e = ""
                if (err["ours", k] > 0) e = e " (ours: " err["ours", k] " errors)"
                if (err["peer", k] > 0) e = e " (peer: " err["peer", k] " errors)"
                print "| " q, c, num(o, "%.0f"), cell(p50["ours", k]), cell(p99["ours", k]), cell(cpu["ours", k]),
                      num(p, "%.0f"), cell(p50["peer", k]), cell(p99["peer", k]), cell(cpu["peer", k]), cell(r) e,
                      num(tps[q, c], "%.0f"), cell(st["ours", q]) " / " cell(st["peer", q]) " |"
            }
            print ""
            print "Peak RSS (VmHWM over the whole run): ccm-isu " cell(rss["ours"]) " MiB, PostGraphile " cell(rss["peer"]) " MiB."
            print ""
            print "Goals (issue 8, item 9, and issue 24):"
            if (any_peer) print "- at least 2× the req/s of PostGraphile on every query: " (ratio_ok ? "met" : "NOT met (" substr(ratio_bad, 2) ")")
            else print "- at least 2× the req/s of PostGraphile: not measured (no peer run)"
            print "- p99 under 20 ms at 16 connections: " (p99_ok ? "met" : "NOT met (" substr(p99_bad, 2) ")")
            for (i = 1; i <= n; i++) {
                k = order[i]; split(k, kq, SUBSEP)
                if (kq[1] != "node_by_id" || rps["ours", k] == "") continue
                o = rps["ours", k]; t = tps["node_by_id", kq[2]]
                share = (t != "" && t > 0) ? sprintf(", %.0f %% of pgbench", 100 * o / t) : ""
                print "- node_by_id at " kq[2] " connections, at least 10 000 req/s and 45 % of pgbench (issue 24): " \
                      ((o >= 10000 && (t == "" || o / t >= 0.45)) ? "met" : "NOT met") sprintf(" (%.0f req/s", o) share ")"
            }
            if (rss["ours"] != "") {
                mb = rss["ours"] * 1048576 / 1000000
                print "- RSS under 150 MB: " (mb < 150 ? "met" : "NOT met") sprintf(" (%.0f MB)", mb)
            }
        }
    ' "$BENCH_OUT/results.tsv" "$BENCH_OUT/pgbench.tsv" "$BENCH_OUT/statements.tsv" "$BENCH_OUT/rss.tsv"
} | tee "$BENCH_OUT/summary.md"
