#!/usr/bin/env bash
# compare.sh — `seedload compare` end to end on results of short SQLite benches: a result against
# itself passes; a candidate made slower (its latency histograms swapped for a slower
# transaction's, or its throughput cut by --think) is a regression, and the reverse an
# improvement; too few runs, or runs that cannot reach significance, are inconclusive (exit 4);
# different configurations are refused with every differing field (exit 2) unless --force;
# JUnit XML is well-formed (xmllint) with escaped names; Markdown is written; bad usage exits 2,
# unreadable files 3. The statistics themselves are pinned by tests/unit/test_stats.c.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

T=$(mktmp)
DB=$T/edu.db
P=$ROOT/profiles/edupulse.yaml
cmp() { "$SEEDLOAD" compare "$@"; }
# row METRIC: the table row of METRIC in $LAST_OUT.
row() { echo "$LAST_OUT" | awk -v m="$1" '$1 == m { print; exit }'; }

check "generate edupulse small into SQLite" "$SEEDLOAD" generate "$P" --target "sqlite:$DB" -q -f
check "bench dashboard --repeat 6 (baseline)" "$SEEDLOAD" bench "$P" --workload dashboard --target "sqlite:$DB" \
  -t 300 -c 2 --repeat 6 -q --json "$T/a.json"
check "bench dashboard --repeat 6 --think 2ms (a slower candidate, another configuration)" \
  "$SEEDLOAD" bench "$P" --workload dashboard --target "sqlite:$DB" -t 100 -c 2 --think 2ms --repeat 6 -q --json "$T/think.json"
check "bench analytics --repeat 6 (slower queries, for a slower candidate)" "$SEEDLOAD" bench "$P" --workload analytics \
  --target "sqlite:$DB" -t 5 -c 1 --repeat 6 -q --json "$T/an.json"
check "bench dashboard --repeat 3 (too few runs)" "$SEEDLOAD" bench "$P" --workload dashboard --target "sqlite:$DB" \
  -t 300 -c 2 --repeat 3 -q --json "$T/few.json"

# ---- a result against itself ----------------------------------------------------------------
expect_exit 0 "a result against itself passes (exit 0)" cmp "$T/a.json" "$T/a.json"
assert_contains "$LAST_OUT" "verdict: PASS: no regression in 3 checks" "one-line verdict"
hdr=$(echo "$LAST_OUT" | grep -E '^ +metric +baseline +candidate +change +tolerance +p-value +verdict')
[ -n "$hdr" ] && ok "the table has metric, baseline, candidate, change, tolerance, p-value, verdict" ||
  fail "table header" "$LAST_OUT"
assert_eq "p99 p50 tps" "$(echo "$LAST_OUT" | awk '$1 ~ /^(p99|p50|tps)$/ { printf "%s%s", s, $1; s = " " }')" \
  "default checks: p99=10%,p50=10%,tps=5% in that order"
assert_contains "$(row p99)" "+0.0%" "self-compare: p99 change +0.0%"
assert_contains "$(row p99)" "+10%" "p99 tolerance +10%"
assert_contains "$(row tps)" "-5%" "tps tolerance -5% (lower is worse)"
assert_contains "$(row p50)" "pass" "p50 verdict pass"
assert_contains "$LAST_OUT" "6 runs" "counts the runs of each side"

expect_exit 0 "every metric and a per-transaction one" cmp "$T/a.json" "$T/a.json" \
  --max-regression 'p50=5%,p90=10%,p95=10%,p99=10%,p99.9=20%,p99.99=50%,mean=10%,max=100%,tps=5%,error_rate=0.1%,course_grades.p99=1ms'
assert_eq 11 "$(echo "$LAST_OUT" | grep -cE '^  [a-z_.0-9]+ .* pass ')" "11 checks, all pass"
assert_contains "$(row course_grades.p99)" "+1 ms" "an absolute latency tolerance"
assert_contains "$(row error_rate)" "+0.1 pp" "error rate tolerance in percentage points"
expect_exit 0 "--transaction NAME checks that transaction" cmp "$T/a.json" "$T/a.json" -x recent_attendance
assert_contains "$LAST_OUT" "recent_attendance.p99" "labels name the transaction"
expect_exit 0 "-q prints only the verdict" cmp "$T/a.json" "$T/a.json" -q
assert_eq 1 "$(echo "$LAST_OUT" | wc -l)" "-q: one line"

# ---- a regression, an improvement --------------------------------------------------------------
# The candidate: the baseline with every run's total latency histogram replaced by that of a run
# of the analytics workload (about 20x slower at p50, 4x at p99): a deterministic regression in
# p50 and p99 whatever the machine's noise, tps unchanged.
have_py=0
command -v python3 >/dev/null 2>&1 && have_py=1
if [ $have_py -eq 1 ]; then
  python3 - "$T" <<'EOF'
import json, sys, copy
t = sys.argv[1]
a = json.load(open(t + "/a.json"))
an = json.load(open(t + "/an.json"))
slow = copy.deepcopy(a)
for r, x in zip(slow["runs"], an["runs"]):
    r["latency"] = x["latency"]
json.dump(slow, open(t + "/slow.json", "w"))
cfg = copy.deepcopy(a)
cfg["config"]["clients"] = 4
cfg["config"]["duration_s"] = 30
cfg["environment"]["server_version"] = "SQLite 9.9.9"
cfg["environment"]["hostname"] = "elsewhere"
json.dump(cfg, open(t + "/cfg.json", "w"))
# names that need escaping in XML and Markdown, and a control character
for src, dst in (("a.json", "wa.json"), ("slow.json", "wslow.json")):
    d = json.load(open(t + "/" + src))
    d["config"]["workload"] = "dash<&\"'>board"
    for r in d["runs"]:
        for x in r["transactions"]:
            if x["name"] == "course_grades":
                x["name"] = "course<&\"'|>grades\u0001"
    json.dump(d, open(t + "/" + dst, "w"))
# a third run missing course_grades entirely: that transaction has fewer runs
d = json.load(open(t + "/a.json"))
for r in d["runs"][:2]:
    r["transactions"] = [x for x in r["transactions"] if x["name"] != "course_grades"]
json.dump(d, open(t + "/gap.json", "w"))
EOF
  [ $? -eq 0 ] && ok "python3 derived the test results" || fail "python3 derived the test results"
fi

if [ $have_py -eq 1 ]; then
  expect_exit 1 "a slower candidate is a regression (exit 1)" cmp "$T/a.json" "$T/slow.json" \
    --junit "$T/reg.xml" --markdown "$T/reg.md"
  assert_contains "$LAST_OUT" "verdict: REGRESSION: p99 +" "one-line verdict names p99"
  assert_contains "$(row p50)" "regression" "p50 row: regression"
  assert_contains "$(row tps)" "pass" "tps row: pass (unchanged)"
  expect_exit 0 "the reverse is an improvement, not a failure (exit 0)" cmp "$T/slow.json" "$T/a.json"
  assert_contains "$(row p99)" "improved" "p99 row: improved"
  assert_contains "$LAST_OUT" "verdict: PASS: no regression in 3 checks; improved: p99 -" "verdict mentions the improvement"
  expect_exit 0 "a regression within a wide tolerance passes" cmp "$T/a.json" "$T/slow.json" --max-regression p50=100000%
  expect_exit 0 "--max-regression tps=5% alone ignores latency" cmp "$T/a.json" "$T/slow.json" -m tps=5%
fi

expect_exit 2 "--think changes the configuration: refused (exit 2)" cmp "$T/a.json" "$T/think.json"
assert_contains "$LAST_OUT" "config.think_s: 0 ($T/a.json) vs 0.002 ($T/think.json)" "names think_s with both values"
expect_exit 1 "with --force, the throughput cut by --think is a regression (exit 1)" cmp "$T/a.json" "$T/think.json" --force
assert_contains "$(row tps)" "regression" "tps row: regression"
assert_contains "$LAST_OUT" "warning: comparing despite different configurations" "--force warns"

# ---- refused: different configurations -----------------------------------------------------------
if [ $have_py -eq 1 ]; then
  expect_exit 2 "different clients, duration and server version: refused (exit 2)" cmp "$T/a.json" "$T/cfg.json"
  assert_contains "$LAST_OUT" "3 differing fields" "counts the differing fields"
  assert_contains "$LAST_OUT" "config.clients: 2 ($T/a.json) vs 4 ($T/cfg.json)" "lists clients with both values"
  assert_contains "$LAST_OUT" "config.duration_s: 0 ($T/a.json) vs 30 ($T/cfg.json)" "lists duration_s with both values"
  assert_contains "$LAST_OUT" "environment.server_version: 'SQLite 3.40.1' ($T/a.json) vs 'SQLite 9.9.9' ($T/cfg.json)" \
    "lists the server version with both values"
  assert_not_contains "$LAST_OUT" "verdict:" "a refused comparison gives no verdict"
  expect_exit 0 "--force compares them anyway" cmp "$T/a.json" "$T/cfg.json" --force
  assert_contains "$LAST_OUT" "note: the results come from different machines" "another machine is noted, not refused"
  assert_contains "$LAST_OUT" "'elsewhere' ($T/cfg.json)" "the note names the other hostname"
fi
expect_exit 2 "refused with -q too" cmp "$T/a.json" "$T/think.json" -q
expect_exit 2 "a difference inside one side of 'vs' is refused too" cmp "$T/a.json" "$T/think.json" vs "$T/a.json"

# ---- inconclusive ---------------------------------------------------------------------------------
expect_exit 4 "3 runs against 6 (< --min-runs 5): inconclusive (exit 4)" cmp "$T/a.json" "$T/few.json" \
  --junit "$T/inc.xml" --markdown "$T/inc.md"
assert_contains "$LAST_OUT" "verdict: INCONCLUSIVE" "one-line verdict says inconclusive"
assert_contains "$LAST_OUT" "3 candidate runs, fewer than --min-runs 5" "says why"
expect_exit 4 "--min-runs 7 with 6 runs: inconclusive" cmp "$T/a.json" "$T/a.json" --min-runs 7
expect_exit 4 "3 vs 3 runs can never reach significance at 0.05/3: inconclusive" cmp "$T/few.json" "$T/few.json" --min-runs 3
assert_contains "$LAST_OUT" "cannot reach p <= 0.0167" "explains the smallest attainable p"
expect_exit 0 "... but one check at alpha 0.05 can" cmp "$T/few.json" "$T/few.json" --min-runs 3 -m p99=10%
expect_exit 0 "files on each side of 'vs' are pooled: 3+3 runs per side" cmp "$T/few.json" "$T/few.json" vs "$T/few.json" "$T/few.json"
assert_contains "$LAST_OUT" "few.json and 1 more (6 runs) vs candidate" "pooled run count"
if [ $have_py -eq 1 ]; then
  expect_exit 4 "a transaction missing from 2 of 6 runs has 4 values: inconclusive" cmp "$T/a.json" "$T/gap.json" -m course_grades.p99=10%
  assert_contains "$LAST_OUT" "4 candidate runs" "counts only the runs that have the transaction"
fi

# ---- JUnit XML and Markdown ---------------------------------------------------------------------------
xmlok() { if command -v xmllint >/dev/null 2>&1; then xmllint --noout "$1"; else python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$1"; fi; }
if [ $have_py -eq 1 ]; then
  check "JUnit of a regression is well-formed XML" xmlok "$T/reg.xml"
  x=$(cat "$T/reg.xml")
  assert_contains "$x" '<testsuites name="seedload compare" tests="3" failures="2" errors="0" skipped="0"' "testsuites counts"
  assert_contains "$x" '<testsuite name="seedload.compare.dashboard" tests="3" failures="2" errors="0" skipped="0"' "testsuite counts"
  assert_contains "$x" '<testcase name="p99" classname="seedload.compare.dashboard"' "one testcase per check, classname by workload"
  assert_contains "$x" 'type="regression">' "a failure of type regression"
  assert_contains "$x" '<failure message="p99 regression: median ' "the failure message has the figures"
  assert_eq 3 "$(grep -c '<testcase ' "$T/reg.xml")" "3 testcases"
  assert_eq 2 "$(grep -c '<failure ' "$T/reg.xml")" "2 failures (p99, p50)"
  m=$(cat "$T/reg.md")
  assert_contains "$m" "| metric | baseline | candidate | change | tolerance | p-value | verdict |" "Markdown table header"
  assert_contains "$m" "| p99 |" "Markdown row for p99"
  assert_contains "$m" "**regression**" "Markdown marks the regression"
  assert_contains "$m" "seedload compare: regression" "Markdown title gives the verdict"
fi
check "JUnit of an inconclusive comparison is well-formed XML" xmlok "$T/inc.xml"
x=$(cat "$T/inc.xml")
assert_contains "$x" 'tests="3" failures="0" errors="0" skipped="3"' "inconclusive checks are skipped, not failed"
assert_contains "$x" '<skipped message="inconclusive: p99: 3 candidate runs' "skipped message starts with inconclusive"
assert_contains "$(cat "$T/inc.md")" "inconclusive" "Markdown of an inconclusive comparison"

if [ $have_py -eq 1 ]; then
  expect_exit 1 "special characters in workload and transaction names" cmp "$T/wa.json" "$T/wslow.json" \
    -m "p99=10%,course<&\"'|>grades$(printf '\001').p99=10%" --junit "$T/w.xml" --markdown "$T/w.md"
  check "JUnit with <&\"'| and a control character in names is well-formed" xmlok "$T/w.xml"
  assert_contains "$(cat "$T/w.xml")" 'classname="seedload.compare.dash&lt;&amp;&quot;&apos;&gt;board"' "classname escaped"
  got=$(python3 -c "
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
print('|'.join(c.get('name') for c in r.iter('testcase')))
print(r.find('testsuite').get('name'))" "$T/w.xml")
  assert_eq "p99|course<&\"'|>grades"$'\xef\xbf\xbd'".p99
seedload.compare.dash<&\"'>board" "$got" "names read back from the XML (control character replaced)"
  assert_contains "$(cat "$T/w.md")" 'course&lt;&amp;"'"'"'\|&gt;grades' "Markdown escapes | < > & in a cell"
  assert_eq 8 "$(grep '^| course' "$T/w.md" | sed 's/\\|//g' | tr -cd '|' | wc -c)" \
    "Markdown: the escaped | keeps the row at 7 cells"
fi

# ---- objectives --------------------------------------------------------------------------------------
expect_exit 0 "--slo met on the candidate" cmp "$T/a.json" "$T/a.json" --slo 'p99<60s,errors=0'
assert_contains "$LAST_OUT" "SLO p99<60s" "objectives are printed"
expect_exit 1 "--slo broken on the candidate: exit 1" cmp "$T/a.json" "$T/a.json" --slo 'p99<1ns' --junit "$T/slo.xml"
assert_contains "$LAST_OUT" "objective p99<1ns broken" "the verdict names the objective"
check "JUnit with an objective is well-formed" xmlok "$T/slo.xml"
assert_contains "$(cat "$T/slo.xml")" 'type="slo"' "the broken objective is a failure of type slo"

# ---- bad usage and I/O -----------------------------------------------------------------------------------
expect_exit 2 "one file: exit 2" cmp "$T/a.json"
expect_exit 2 "unknown metric: exit 2" cmp "$T/a.json" "$T/a.json" -m p98=10%
assert_contains "$LAST_OUT" "unknown metric 'p98'" "names the unknown metric"
expect_exit 2 "tolerance that is not a number: exit 2" cmp "$T/a.json" "$T/a.json" -m p99=abc
expect_exit 2 "latency tolerance without % or unit: exit 2" cmp "$T/a.json" "$T/a.json" -m p99=10
expect_exit 2 "--alpha 2: exit 2" cmp "$T/a.json" "$T/a.json" --alpha 2
expect_exit 2 "--min-runs 0: exit 2" cmp "$T/a.json" "$T/a.json" --min-runs 0
expect_exit 2 "--correction foo: exit 2" cmp "$T/a.json" "$T/a.json" --correction foo
expect_exit 2 "unknown transaction: exit 2" cmp "$T/a.json" "$T/a.json" -x course_grade
assert_contains "$LAST_OUT" "did you mean 'course_grades'" "suggests the transaction"
expect_exit 2 "a file that is not a result: exit 2" cmp "$T/a.json" "$P"
expect_exit 3 "a missing file: exit 3" cmp "$T/a.json" "$T/nope.json"
expect_exit 3 "an unwritable --junit path: exit 3" cmp "$T/a.json" "$T/a.json" --junit "$T/no/such/dir/x.xml"
expect_exit 0 "compare --help" cmp --help
assert_contains "$LAST_OUT" "4 inconclusive" "--help documents exit code 4"
expect_exit 0 "the top-level help lists compare" "$SEEDLOAD" help
assert_contains "$LAST_OUT" "compare BASE CAND" "listed"

if [ -n "${SANITIZE:-}" ]; then
  skip "valgrind runs (a sanitizer build cannot run under valgrind)"
elif ! command -v valgrind >/dev/null 2>&1; then
  skip "valgrind runs (valgrind not installed)"
else
  vg() { valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite "$SEEDLOAD" "$@"; }
  expect_exit 0 "valgrind: compare with JUnit and Markdown" vg compare "$T/a.json" "$T/a.json" --junit "$T/v.xml" --markdown "$T/v.md" --slo p99\<60s
  expect_exit 2 "valgrind: a refused comparison" vg compare "$T/a.json" "$T/think.json"
  expect_exit 4 "valgrind: inconclusive" vg compare "$T/a.json" "$T/few.json"
fi

[ "$TEST_FAILS" -eq 0 ]
