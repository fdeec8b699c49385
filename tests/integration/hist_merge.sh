#!/usr/bin/env bash
# hist_merge.sh — `seedload hist` on a plain list, a real pgbench -l log and a result of a short
# SQLite bench; `seedload merge` of such results (exact sums, refusal of different workloads,
# re-merging its own output); malformed inputs end with exit 2 and a message, never a crash
# (once under valgrind when it is installed and the binary is not a sanitizer build).
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

T=$(mktmp)
PGB=$ROOT/tests/data/pgbench

# field NAME: the value printed on the line "  NAME  value [unit]" of the last `run` output.
OUT=""
run() { OUT=$("$SEEDLOAD" "$@" 2>&1); }
field() { echo "$OUT" | awk -v k="$1" '$1 == k { print $2; exit }'; }

# HdrHistogram at 3 significant figures from 1: values below 2048 have buckets of 1; above,
# bucket k (values 1024*2^k .. 2048*2^k-1) has width 2^k. A percentile is reported as the
# highest value of its bucket.
hi_equiv() {
  local v=$1 r=1
  while [ "$v" -ge $((2048 * r)) ]; do r=$((r * 2)); done
  echo $((v / r * r + r - 1))
}
# expected_pct P FILE: the percentile P of the integers in FILE (one per line) as HdrHistogram
# reports it: the bucket holding the round(P/100*n)-th smallest value (at least the first).
expected_pct() {
  local n idx v
  n=$(wc -l <"$2")
  idx=$(awk -v p="$1" -v n="$n" 'BEGIN { i = int(p / 100 * n + 0.5); if (i < 1) i = 1; print i }')
  v=$(sort -n "$2" | sed -n "${idx}p")
  hi_equiv "$v"
}

# ---- a plain list --------------------------------------------------------------------------
seq 1 1000 >"$T/list.txt"
run hist "$T/list.txt"
assert_eq 1000 "$(field count)" "list 1..1000: count"
assert_eq "1 500.500 288.675" "$(field min) $(field mean) $(field stddev)" "list 1..1000: min, mean, stddev"
assert_eq "500 900 990 999 1000 1000" \
  "$(field p50) $(field p90) $(field p99) $(field p99.9) $(field p99.99) $(field max)" \
  "list 1..1000: p50 p90 p99 p99.9 p99.99 max are exact below 2048"
run hist "$T/list.txt" --percentiles 0,25,75,99.5,100
assert_eq "1 250 750 995 1000" "$(field p0) $(field p25) $(field p75) $(field p99.5) $(field p100)" \
  "--percentiles 0,25,75,99.5,100"
assert_not_contains "$OUT" "p50" "--percentiles replaces the default list"

# Above 2048 the buckets widen: 1..100000 puts p50 at the top of 50000's bucket (width 32).
seq 1 100000 >"$T/big.txt"
run hist "$T/big.txt"
assert_eq "$(hi_equiv 50000) $(hi_equiv 90000) $(hi_equiv 99000) $(hi_equiv 99900) 100000" \
  "$(field p50) $(field p90) $(field p99) $(field p99.9) $(field p99.99)" \
  "list 1..100000: percentiles at HdrHistogram bucket resolution (p50 = $(hi_equiv 50000)), none above max"
assert_eq "1 100000" "$(field min) $(field max)" "list 1..100000: min and max exact"

printf '# latencies of a test run\n\n   5\r\n7\n\t# an indented comment\n9  \n' >"$T/commented.txt"
run hist "$T/commented.txt"
assert_eq "3 5 7 9" "$(field count) $(field min) $(field p50) $(field max)" \
  "list: comments, blank lines, CRLF and surrounding blanks are ignored"

printf '1500\n2500\n' >"$T/us.txt"
run hist "$T/us.txt" --unit us --output-unit ms
assert_eq "1.500 2.500" "$(field min) $(field max)" "--unit us --output-unit ms converts"
assert_contains "$OUT" "2.500 ms" "values carry their unit"
run hist "$T/us.txt" --unit us
assert_eq "1500.000 us" "$(echo "$OUT" | awk '$1 == "min" { print $2, $3 }')" "--unit alone: printed in the input's unit"
printf '0.5\n1.25\n' >"$T/ms.txt"
run hist "$T/ms.txt" --unit ms --output-unit ns
assert_eq "500000 1250000" "$(field min) $(field max)" "decimal values with --unit ms"
run hist "$T/list.txt" --scale 10
assert_eq "0.100 50.000 100.000" "$(field min) $(field p50) $(field max)" "--scale 10 divides what is printed"
cat "$T/list.txt" | "$SEEDLOAD" hist - >"$T/stdin.out" 2>&1
assert_eq 1000 "$(awk '$1 == "count" { print $2 }' "$T/stdin.out")" "FILE - reads standard input"

run hist "$T/list.txt" --hgrm
assert_contains "$OUT" "Value   Percentile   TotalCount 1/(1-Percentile)" "--hgrm prints the distribution header"
assert_contains "$OUT" "#[Mean    =      500.500, StdDeviation   =      288.675]" "--hgrm footer: mean and stddev"
assert_contains "$OUT" "#[Max     =     1000.000, Total count    =         1000]" "--hgrm footer: max and count"

# ---- a pgbench -l log ----------------------------------------------------------------------
LOG=$PGB/pgbench_log.sample
lines=$(wc -l <"$LOG")
awk '{ print $3 * 1000 }' "$LOG" >"$T/pgb_ns.txt"
run hist "$LOG" --output-unit ns
assert_contains "$OUT" "pgbench log" "a pgbench log is detected"
assert_eq "$lines" "$(field count)" "pgbench log: count = its $lines lines"
assert_eq "$(sort -n "$T/pgb_ns.txt" | head -n 1)" "$(field min)" "pgbench log: min = the smallest time (us -> ns)"
assert_eq "$(sort -n "$T/pgb_ns.txt" | tail -n 1)" "$(field max)" "pgbench log: max = the largest time (us -> ns)"
maxns=$(sort -n "$T/pgb_ns.txt" | tail -n 1)
for p in 50 90 99; do
  want=$(expected_pct $p "$T/pgb_ns.txt")
  [ "$want" -gt "$maxns" ] && want=$maxns
  assert_eq "$want" "$(field p$p)" "pgbench log: p$p as HdrHistogram computes it"
done
run hist "$LOG" --output-unit us
assert_eq "$(sort -n -k3 "$LOG" | head -n 1 | awk '{ printf "%.3f", $3 }')" "$(field min)" "pgbench log: min in us"
run hist "$LOG"
assert_contains "$OUT" "shown in ms" "pgbench log: shown in ms by default, like a result"

RLOG=$PGB/pgbench_log_rate.sample
run hist "$RLOG" --output-unit ns
assert_eq "$(wc -l <"$RLOG")" "$(field count)" "pgbench log with schedule_lag (7 fields): every line counted"
SLOG=$PGB/pgbench_log_skipped.sample
done_n=$(awk '$3 != "skipped"' "$SLOG" | wc -l)
skipped_n=$(awk '$3 == "skipped"' "$SLOG" | wc -l)
run hist "$SLOG" --output-unit ns
assert_eq "$done_n" "$(field count)" "pgbench log: skipped transactions are not in the histogram"
assert_contains "$OUT" "$skipped_n skipped" "pgbench log: skipped transactions are reported ($skipped_n)"
assert_eq "$(awk '$3 != "skipped" { print $3 * 1000 }' "$SLOG" | sort -n | tail -n 1)" "$(field max)" \
  "pgbench log with skipped lines: max of the completed ones"
printf '0 1 100 0 1700000000 1\n0 2 failed 0 1700000000 2\n1 1 serialization 0 1700000000 3 0 2\n1 2 300 0 1700000000 4 0 1\n' >"$T/failed.log"
run hist "$T/failed.log" --output-unit us
assert_eq "2 100.000 300.000" "$(field count) $(field min) $(field max)" "pgbench 15 failed/serialization lines are left out"
assert_contains "$OUT" "2 failed" "failed transactions are counted"
{ head -n 4 "$LOG"; echo "0 5 abc 0 1700000000 5"; } >"$T/badlog.log"
expect_exit 2 "pgbench log with a bad time: exit 2" "$SEEDLOAD" hist "$T/badlog.log"
assert_contains "$LAST_OUT" "badlog.log:5: pgbench log: time 'abc'" "names file:line of the bad log line"
{ head -n 3 "$LOG"; echo "0 5 12 0"; } >"$T/shortlog.log"
expect_exit 2 "pgbench log with a short line: exit 2" "$SEEDLOAD" hist "$T/shortlog.log"
assert_contains "$LAST_OUT" "shortlog.log:4: not a pgbench log line" "names file:line of the short line"
expect_exit 2 "--unit ms on a pgbench log (it is in us): exit 2" "$SEEDLOAD" hist "$LOG" --unit ms

# ---- results of a short SQLite bench -------------------------------------------------------
DB=$T/edu.db
check "generate edupulse small into SQLite" "$SEEDLOAD" generate "$ROOT/profiles/edupulse.yaml" --target "sqlite:$DB" -q -f
check "bench dashboard -t 200 -c 2 (A)" "$SEEDLOAD" bench "$ROOT/profiles/edupulse.yaml" --workload dashboard \
  --target "sqlite:$DB" -t 200 -c 2 -q --json "$T/a.json"
check "bench dashboard -t 200 -c 2 (B, another seed)" "$SEEDLOAD" bench "$ROOT/profiles/edupulse.yaml" --workload dashboard \
  --target "sqlite:$DB" -t 200 -c 2 -q --seed 7 --json "$T/b.json"
check "bench analytics -t 5 -c 1 (C)" "$SEEDLOAD" bench "$ROOT/profiles/edupulse.yaml" --workload analytics \
  --target "sqlite:$DB" -t 5 -c 1 -q --json "$T/c.json"

# jnum FILE KEY: the first "KEY":value of a result (runs[0].latency's for count/p50/p99/max).
jnum() { grep -m 1 "\"$2\":" "$1" | sed 's/.*://; s/,$//'; }

run hist "$T/a.json" --output-unit ns
assert_contains "$OUT" "run 1 of 1, profile edupulse, workload dashboard (sqlite)" "a result is detected"
assert_eq 400 "$(field count)" "result of -t 200 -c 2: count 400"
assert_eq "$(jnum "$T/a.json" p50) $(jnum "$T/a.json" p99) $(jnum "$T/a.json" max)" \
  "$(field p50) $(field p99) $(field max)" "result: p50, p99, max of the decoded histogram = the ones written"
sum=0
for tx in recent_attendance course_grades latest_prediction student_profile; do
  run hist "$T/a.json" --transaction "$tx"
  c=$(field count)
  sum=$((sum + ${c:-0}))
done
assert_eq 400 "$sum" "result: the --transaction counts add up to 400"
run hist "$T/a.json" --histogram service
assert_eq 400 "$(field count)" "--histogram service"
expect_exit 2 "--transaction that does not exist: exit 2" "$SEEDLOAD" hist "$T/a.json" --transaction recent_atendance
assert_contains "$LAST_OUT" "did you mean 'recent_attendance'" "suggests the closest transaction name"
run hist "$T/a.json" --hgrm
assert_contains "$OUT" "#[Buckets" "result --hgrm: the distribution"

# ---- merge ---------------------------------------------------------------------------------
expect_exit 0 "merge A B" "$SEEDLOAD" merge "$T/a.json" "$T/b.json" -o "$T/ab.json"
assert_contains "$LAST_OUT" "run 1: 800 transactions" "merge prints a summary"
run hist "$T/ab.json" --output-unit ns --percentiles 100
assert_eq 800 "$(field count)" "merged count = 400 + 400"
ma=$(jnum "$T/a.json" max)
mb=$(jnum "$T/b.json" max)
mx=$((ma > mb ? ma : mb))
assert_eq "$mx $mx" "$(field p100) $(field max)" "merged p100 = max = the larger max of A and B"
assert_contains "$(cat "$T/ab.json")" "\"transactions\":800," "merged summary.transactions = 800"
assert_contains "$(cat "$T/ab.json")" "\"clients\":4" "merged config: clients summed"
assert_eq 3 "$(grep -c '"hostname"' "$T/ab.json")" "merged: the first environment plus merged.environments of both inputs"

expect_exit 0 "merge A A" "$SEEDLOAD" merge "$T/a.json" "$T/a.json" -o "$T/aa.json"
"$SEEDLOAD" hist "$T/a.json" --hgrm --output-unit ns >"$T/a.hgrm" 2>&1
"$SEEDLOAD" hist "$T/aa.json" --hgrm --output-unit ns >"$T/aa.hgrm" 2>&1
# The distribution lines (value, percentile, count, 1/(1-p)): same values and percentiles,
# counts exactly doubled on every line.
dist() { awk 'NF == 4 && $1 ~ /^[0-9.]+$/' "$1"; }
nlines=$(dist "$T/a.hgrm" | wc -l)
bad=$(paste <(dist "$T/a.hgrm") <(dist "$T/aa.hgrm") | awk '$1 != $5 || $2 != $6 || 2 * $3 != $7 { n++ } END { print n + 0 }')
if [ "$nlines" -gt 10 ] && [ "$bad" -eq 0 ] && [ "$(dist "$T/aa.hgrm" | wc -l)" -eq "$nlines" ]; then
  ok "merge A A: every percentile line has the same value and exactly twice the count ($nlines lines)"
else
  fail "merge A A: every percentile line has the same value and twice the count" "lines $nlines, mismatches $bad"
fi
run hist "$T/aa.json" --output-unit ns
aa="$(field p50) $(field p90) $(field p99) $(field max) $(field count)"
run hist "$T/a.json" --output-unit ns
assert_eq "$(field p50) $(field p90) $(field p99) $(field max) 800" "$aa" "merge A A: same percentiles, double count"

expect_exit 0 "merge accepts its own output (AB + A)" "$SEEDLOAD" merge "$T/ab.json" "$T/a.json" -o "$T/aba.json" -q
run hist "$T/aba.json"
assert_eq 1200 "$(field count)" "re-merged count = 1200"
assert_contains "$OUT" "merged from 3 results" "re-merge keeps every machine's environment"
expect_exit 0 "merge -o - writes the result to stdout" "$SEEDLOAD" merge "$T/a.json" "$T/b.json" -o -
assert_contains "$LAST_OUT" "\"format\":\"seedload-result\"" "merge -o -: the document on stdout"

expect_exit 2 "merge of different workloads is refused (exit 2)" "$SEEDLOAD" merge "$T/a.json" "$T/c.json" -o "$T/ac.json"
assert_contains "$LAST_OUT" "config.workload ('dashboard' vs 'analytics')" "the refusal names the differing field"
[ -e "$T/ac.json" ] && fail "a refused merge writes no output" || ok "a refused merge writes no output"
expect_exit 0 "merge --force merges different workloads" "$SEEDLOAD" merge "$T/a.json" "$T/c.json" -o "$T/ac.json" --force
assert_contains "$(cat "$T/ac.json")" "\"forced\":true" "a forced merge is marked"
expect_exit 2 "merge without -o: exit 2" "$SEEDLOAD" merge "$T/a.json" "$T/b.json"
expect_exit 3 "merge of a missing file: exit 3" "$SEEDLOAD" merge "$T/a.json" "$T/nope.json" -o "$T/x.json"
expect_exit 3 "merge into an unwritable place: exit 3" "$SEEDLOAD" merge "$T/a.json" -o "$T/no/such/dir/x.json"

# ---- malformed input: exit 2 with a message, never a crash ---------------------------------
: >"$T/empty.txt"
printf '10\n20\nabc\n30\n' >"$T/nonnum.txt"
head -c 700 "$T/a.json" >"$T/trunc.json"
printf '{"name": "not a result", "values": [1, 2, 3]}\n' >"$T/other.json"
sed '0,/"hist":"HISTF[^"]*"/s//"hist":"HISTFAAAAA=="/' "$T/a.json" >"$T/badhist.json"
printf '1\n-5\n' >"$T/neg.txt"
printf '1\n2.5\n' >"$T/dec.txt"

expect_exit 2 "hist of an empty file: exit 2" "$SEEDLOAD" hist "$T/empty.txt"
assert_contains "$LAST_OUT" "empty.txt: no values" "empty file: says there are no values"
expect_exit 2 "hist of a list with a non-number: exit 2" "$SEEDLOAD" hist "$T/nonnum.txt"
assert_contains "$LAST_OUT" "nonnum.txt:3: 'abc' is not an integer" "non-number: names file:line"
expect_exit 2 "hist of truncated JSON: exit 2" "$SEEDLOAD" hist "$T/trunc.json"
assert_contains "$LAST_OUT" "trunc.json:" "truncated JSON: names the file"
assert_contains "$LAST_OUT" "invalid JSON" "truncated JSON: says why"
expect_exit 2 "hist of JSON that is not a result: exit 2" "$SEEDLOAD" hist "$T/other.json"
assert_contains "$LAST_OUT" "not a seedload result" "not a result: says so"
expect_exit 2 "hist of a result with a broken histogram: exit 2" "$SEEDLOAD" hist "$T/badhist.json"
assert_contains "$LAST_OUT" "runs[0].latency.hist: histogram:" "broken histogram: names the JSON path"
expect_exit 2 "hist of a negative value: exit 2" "$SEEDLOAD" hist "$T/neg.txt"
assert_contains "$LAST_OUT" "neg.txt:2: negative value -5" "negative value: names file:line"
expect_exit 2 "hist of a decimal value without --unit: exit 2" "$SEEDLOAD" hist "$T/dec.txt"
assert_contains "$LAST_OUT" "need --unit" "decimal without --unit: says how to fix it"
expect_exit 2 "merge with a truncated input: exit 2" "$SEEDLOAD" merge "$T/a.json" "$T/trunc.json" -o "$T/x.json"
assert_contains "$LAST_OUT" "trunc.json:" "merge of truncated JSON: file:line:col"
expect_exit 3 "hist of a missing file: exit 3" "$SEEDLOAD" hist "$T/missing.txt"
expect_exit 3 "hist of a directory: exit 3" "$SEEDLOAD" hist "$T"
expect_exit 2 "hist with a bad unit: exit 2" "$SEEDLOAD" hist "$T/list.txt" --unit parsecs
expect_exit 2 "hist --output-unit on a unit-less list: exit 2" "$SEEDLOAD" hist "$T/list.txt" --output-unit ms
expect_exit 2 "hist --percentiles 101: exit 2" "$SEEDLOAD" hist "$T/list.txt" --percentiles 50,101
expect_exit 2 "hist without FILE: exit 2" "$SEEDLOAD" hist
expect_exit 0 "hist --help" "$SEEDLOAD" hist --help
assert_contains "$LAST_OUT" "--output-unit" "hist --help documents the units"

if [ -n "${SANITIZE:-}" ]; then
  skip "valgrind runs (a sanitizer build cannot run under valgrind)"
elif ! command -v valgrind >/dev/null 2>&1; then
  skip "valgrind runs (valgrind not installed)"
else
  vg() { valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite "$SEEDLOAD" "$@"; }
  for f in empty.txt nonnum.txt trunc.json other.json badhist.json neg.txt; do
    expect_exit 2 "valgrind: hist $f exits 2 with no memory error" vg hist "$T/$f"
  done
  expect_exit 2 "valgrind: merge of a truncated input" vg merge "$T/a.json" "$T/trunc.json" -o "$T/x.json"
  expect_exit 0 "valgrind: merge A B" vg merge "$T/a.json" "$T/b.json" -o "$T/vg.json" -q
  expect_exit 0 "valgrind: hist of a pgbench log" vg hist "$LOG" --hgrm
fi

[ "$TEST_FAILS" -eq 0 ]
