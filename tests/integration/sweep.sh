#!/usr/bin/env bash
# sweep.sh — `seedload sweep`, capacity planning (docs/sweep.md), end to end against the library
# test profile (tests/profiles/library.yaml: workloads reads, dup), on SQLite always and on
# PostgreSQL when a server is available. Every step is short (-T 1s or less, --warmup 0).
#
#   - --clients 1,2,4 with a generous SLO (several checks): one table row per step, agreeing with
#     the JSON; the JSON ("seedload-sweep") holds 3 steps, each its own run (transactions > 0,
#     1 s, distinct starts), each with one verdict per check whose values are the run's own
#     figures; every step meets the SLO, so answer.max_load is the last step; answer.knee is the
#     step the documented rule picks from the steps' tps and p99; the answer sentence is printed;
#     docs/sweep.md documents every field the JSON has (docs/results.md every field of a run);
#   - an impossible SLO (p99<1ns): no step meets it, exit 1, max_load null; the sweep stops early
#     (latency objective exceeded twice over: one step of three, stopped_early true, the step kept
#     in the JSON) — unless --no-stop, which runs all three; -q prints only the answer;
#   - an error objective broken (`dup` fails every transaction; errors=0) stops at once; two broken
#     steps in a row where the second adds < 5% throughput stop after the second; broken steps that
#     keep adding throughput (x2 each) do not stop;
#   - --rate 50..400 --steps 3: three geometric rates, each achieved within 35%, rate_met true;
#     no SLO: slo_met null, max_load null, the knee per the open-loop rule;
#   - --scales 1,2 on SQLite: the target is regenerated at each scale (afterwards it holds exactly
#     the rows and table checksums of `generate --scale 2`), each step records its scale, the
#     answer compares the scales (1.00x, then p99 ratio); with --rate R the fixed load is open
#     loop; with an impossible SLO: exit 1 (docs: "1 when an SLO was given and no step met it")
#     and an early stop;
#   - bad input, exit 2 with a message naming the piece and no JSON written: values that do not
#     increase, empty lists and pieces, client counts that are not whole numbers, a bad range or
#     --steps, --rate with --clients, --scales with a list of clients or rates, missing
#     arguments, a bad -T/--warmup/-j/-c, an unknown workload, a file without metadata, a
#     missing file, a bad --slo, an --slo naming a transaction the workload does not have;
#   - Ctrl-C (SIGINT 1.5 s into a sweep of 30 s steps): ends within 10 s, prints the row and the
#     answer it has, says it was interrupted, exit 0 (no SLO), JSON with that one step
#     (run.interrupted true);
#   - `seedload report` accepts the sweeps just made (exit 0; the page embeds their steps);
#   - PostgreSQL: a --clients 1,2,4 sweep against a database generated from library.yaml.
#
# Every seedload call runs under `timeout`; a sanitizer report in any call's stderr is a failure.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

cd "$ROOT" || exit 1
T=$(mktmp)
L=$ROOT/tests/profiles/library.yaml
PG_DBS=()
BGPID="" # a background seedload

cleanup() {
  [ -n "$BGPID" ] && kill -KILL "$BGPID" 2>/dev/null
  local d
  if [ ${#PG_DBS[@]} -gt 0 ]; then
    for d in "${PG_DBS[@]}"; do dropdb --if-exists --force "$d" >/dev/null 2>&1 || dropdb --if-exists "$d" >/dev/null 2>&1; done
  fi
  _cleanup_tmp
}
trap cleanup EXIT

# run ARGS...: seedload ARGS (tests/lib.sh sl_run: RC, OUT, ERR; stdout kept in $T/stdout).
run() { sl_run "$T" "$@"; }
sweep() { run sweep "$L" "$@"; }
FAST=(-T 1s --warmup 0)

# jv FILE EXPR: a Python expression over the sweep d (c = config, st = steps, a = answer, and
# helpers: tps(s), p99(s) of a step, knee(d) and max_load(d) computed here from the steps by
# docs/sweep.md's rules); strings print raw, everything else as JSON.
jv() {
  python3 - "$1" "$2" <<'EOF' 2>&1
import json, sys, math
def tps(s): return s["run"]["summary"]["tps"]
def p99(s): return s["run"]["latency"]["p99"]
def close(x, y, rel=1e-9): return x is not None and y is not None and abs(x - y) <= rel * max(abs(x), abs(y), 1)
def knee(d):
    # the last step before one that adds < 5% throughput (closed loop) or falls > 5% short of
    # its offered rate (open loop), or whose p99 grows more than twice as fast as its tps
    st, mode = d["steps"], d["config"]["mode"]
    if mode == "scales": return None
    for i in range(1, len(st)):
        g = tps(st[i]) / max(tps(st[i - 1]), 1e-9)
        l = p99(st[i]) / max(p99(st[i - 1]), 1)
        sat = tps(st[i]) < 0.95 * st[i]["rate"] if mode == "rate" else g < 1.05
        if sat or l > 2 * g: return i - 1
    return len(st) - 1
def max_load(d):
    met = [i for i, s in enumerate(d["steps"]) if s["slo_met"] is True]
    return met[-1] if met else None
def answer_consistent(d):
    # max_load and knee name a step and repeat its figures
    a, st = d["answer"], d["steps"]
    m, k = a["max_load"], a["knee"]
    okm = m is None if max_load(d) is None else (m is not None and m["step"] == max_load(d) and m["clients"] == st[m["step"]]["clients"] and close(m["tps"], tps(st[m["step"]])))
    if d["config"]["mode"] == "scales": return okm and k is None
    okk = k is not None and k["step"] == knee(d) and k["clients"] == st[k["step"]]["clients"] and close(k["tps"], tps(st[k["step"]])) and k["p99"] == p99(st[k["step"]])
    if d["config"]["mode"] == "rate": okk = okk and close(k["rate"], st[k["step"]]["rate"])
    return okm and okk
try:
    d = json.load(open(sys.argv[1]))
    c, st, a = d.get("config"), d.get("steps"), d.get("answer")
    v = eval(sys.argv[2])
except Exception as e:
    print("ERROR: %s: %s" % (type(e).__name__, e))
    sys.exit(1)
print(v if isinstance(v, str) else json.dumps(v))
EOF
}
# jcheck DESC FILE WANT EXPR: assert_eq on jv.
jcheck() { assert_eq "$3" "$(jv "$2" "$4")" "$1"; }
# jtrue DESC FILE EXPR [EXPR-TO-SHOW]: the Python condition holds.
jtrue() {
  local got
  got=$(jv "$2" "$3")
  if [ "$got" = true ]; then ok "$1"; else fail "$1" "condition: $3" "got: $got" "${4:+values: $(jv "$2" "$4")}"; fi
}
# table_vs_json DESC STDOUT-FILE JSON: the printed table has one row per step of the JSON, in
# order, with its load label, tps, p50/p99/p99.9 (ms), errors and SLO verdict.
table_vs_json() {
  local got
  got=$(python3 - "$2" "$3" <<'EOF' 2>&1
import json, re, sys
out = open(sys.argv[1]).read().splitlines()
d = json.load(open(sys.argv[2]))
row = re.compile(r"^  (\S.*?)\s+(\d+\.\d)\s+(\d+\.\d{3})\s+(\d+\.\d{3})\s+(\d+\.\d{3})\s+(\d+)\s*(met|BROKEN)?\s*$")
rows = [m.groups() for m in map(row.match, out) if m]
mode = d["config"]["mode"]
problems = []
if len(rows) != len(d["steps"]):
    problems.append("%d table rows for %d steps: %r" % (len(rows), len(d["steps"]), rows))
for r, s in zip(rows, d["steps"]):
    lat = s["run"]["latency"]
    label = {"clients": "%d client%s" % (s["clients"], "" if s["clients"] == 1 else "s"), "rate": "%.0f tps offered" % (s["rate"] or 0),
             "scales": "scale %g" % s["scale"]}[mode]
    want = (label, "%.1f" % s["run"]["summary"]["tps"], "%.3f" % (lat["p50"] / 1e6), "%.3f" % (lat["p99"] / 1e6),
            "%.3f" % (lat["p99.9"] / 1e6), str(s["run"]["summary"]["errors"]),
            None if s["slo_met"] is None else "met" if s["slo_met"] else "BROKEN")
    if tuple(r) != want: problems.append("row %r, want %r" % (r, want))
print("\n".join(problems) if problems else "ok")
EOF
)
  if [ "$got" = ok ]; then ok "$1"; else mapfile -t lines <<<"$got"; fail "$1" "${lines[@]}"; fi
}
no_json() { # DESC FILE: no JSON file was written
  if [ -e "$2" ]; then fail "$1" "$2 exists"; rm -f "$2"; else ok "$1"; fi
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------------ the target
SQ=$T/lib.db
run generate "$L" --target "sqlite:$SQ" -q
rc_is 0 "generate library into SQLite"
S="sqlite:$SQ"

# ------------------------------------------------------------------ 1. a clients sweep, every step met
SLO='p99<10s,errors=0,tps>=1'
J=$T/clients.json
sweep --workload reads --target "$S" --clients 1,2,4 "${FAST[@]}" --slo "$SLO" --json "$J"
rc_is 0 "[sqlite] --clients 1,2,4 --slo '$SLO': exit 0"
assert_contains "$(echo "$OUT" | head -n 1)" "closed loop by clients" "[sqlite] the heading says closed loop by clients"
if echo "$OUT" | grep -qE '^  load +tps +p50 ms +p99 ms +p99\.9 ms +errors +SLO$'; then
  ok "[sqlite] the table's columns: load, tps, p50, p99, p99.9 (ms), errors, SLO"
else fail "[sqlite] the table's columns: load, tps, p50, p99, p99.9 (ms), errors, SLO" "$(echo "$OUT" | head -n 3)"; fi
table_vs_json "[sqlite] one table row per step (1, 2, 4 clients), each as in the JSON, each 'met'" "$T/stdout" "$J"
cp "$T/stdout" "$T/clients.out"
jcheck "[sqlite] JSON: format seedload-sweep, version 1" "$J" '["seedload-sweep", 1]' '[d["format"], d["version"]]'
jcheck "[sqlite] JSON config: profile, workload, dialect, mode, values, slo, duration_s, warmup_s" "$J" \
  "[\"library\", \"reads\", \"$S\", \"sqlite\", \"clients\", [1, 2, 4], \"$SLO\", 1, 0]" \
  '[c[k] for k in ("profile", "workload", "target", "dialect", "mode", "values", "slo", "duration_s", "warmup_s")]'
jcheck "[sqlite] 3 steps: clients 1, 2, 4; rate null; scale 1" "$J" '[[1, null, 1], [2, null, 1], [4, null, 1]]' \
  '[[s["clients"], s["rate"], s["scale"]] for s in st]'
jtrue "[sqlite] each step is a run of its own: transactions > 0, 1 s, no errors, not interrupted, latency count = transactions" "$J" \
  'all(s["run"]["summary"]["transactions"] > 0 and s["run"]["seconds"] == 1 and s["run"]["summary"]["errors"] == 0 and s["run"]["interrupted"] is False and s["run"]["latency"]["count"] == s["run"]["summary"]["transactions"] for s in st)' \
  '[(s["run"]["summary"]["transactions"], s["run"]["seconds"], s["run"]["summary"]["errors"]) for s in st]'
jtrue "[sqlite] the steps ran one after the other (started_at increasing by >= 1 s)" "$J" \
  'all(st[i + 1]["run"]["started_at"] - st[i]["run"]["started_at"] >= 1 for i in range(len(st) - 1))' '[s["run"]["started_at"] for s in st]'
jtrue "[sqlite] every run has both transaction types, counts adding up to the step's transactions" "$J" \
  'all([t["name"] for t in s["run"]["transactions"]] == ["author", "books_of"] and sum(t["count"] for t in s["run"]["transactions"]) == s["run"]["summary"]["transactions"] for s in st)'
V='[["p99<10s", true], ["errors=0", true], ["tps>=1", true], true]'
jcheck "[sqlite] each step: one verdict per check, in order, all passing, slo_met true" "$J" "[$V, $V, $V]" \
  '[[[x["check"], x["pass"]] for x in s["slo"]] + [s["slo_met"]] for s in st]'
jtrue "[sqlite] each verdict's value is the step's own figure (p99 ns, errors, tps)" "$J" \
  'all(s["slo"][0]["value"] == p99(s) and s["slo"][1]["value"] == s["run"]["summary"]["errors"] and close(s["slo"][2]["value"], tps(s)) for s in st)' \
  '[([x["value"] for x in s["slo"]], p99(s), tps(s)) for s in st]'
jcheck "[sqlite] every step met the SLO: max_load is the last step (2, 4 clients)" "$J" '[2, 4]' '[a["max_load"]["step"], a["max_load"]["clients"]]'
jtrue "[sqlite] answer.max_load and answer.knee agree with the steps (knee by the documented rule)" "$J" 'answer_consistent(d)' \
  '[a["max_load"], a["knee"], knee(d), [(tps(s), p99(s)) for s in st]]'
jcheck "[sqlite] stopped_early false" "$J" false 'a["stopped_early"]'
TXT=$(jv "$J" 'a["text"]')
assert_eq "$TXT" "$(echo "$OUT" | tail -n 1)" "[sqlite] the answer sentence is printed (last line = answer.text)"
assert_contains "$TXT" "The highest load meeting $SLO is 4 clients (" "[sqlite] the answer names the highest load meeting the SLO"
assert_contains "$TXT" "The knee is at $(jv "$J" 'st[a["knee"]["step"]]["clients"]') client" "[sqlite] the answer names the knee"
jtrue "[sqlite] environment: hostname, cores > 0, SQLite server_version, seedload_version" "$J" \
  'd["environment"]["hostname"] != "" and d["environment"]["cores"] > 0 and d["environment"]["server_version"].startswith("SQLite ") and d["environment"]["seedload_version"] == d["seedload_version"]'

# docs/sweep.md documents every field of the JSON (the run object: docs/results.md)
DOCS=$(python3 - "$J" <<'EOF' 2>&1
import json, re, sys
d = json.load(open(sys.argv[1]))
doc = open("docs/sweep.md").read()
block = doc[doc.index("## The JSON"):]
block = block[block.index("```") + 3:]
block = block[:block.index("```")]
names = set(re.findall(r'"([A-Za-z_][A-Za-z0-9_.]*)"', block))
res = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_.]*)`", open("docs/results.md").read()))
missing = []
def need(path, obj, known):
    for k in obj:
        if k not in known: missing.append(path + "." + k)
need("", d, names)
need("config", d["config"], names)
need("environment", d["environment"], names)
for s in d["steps"]:
    need("steps[]", s, names)
    for x in s["slo"]: need("steps[].slo[]", x, names)
    need("steps[].run", s["run"], res)
    need("steps[].run.summary", s["run"]["summary"], res)
    need("steps[].run.latency", s["run"]["latency"], res)
need("answer", d["answer"], names)
need("answer.max_load", d["answer"]["max_load"], names)
need("answer.knee", d["answer"]["knee"], names)
print(" ".join(sorted(set(missing))))
EOF
)
assert_eq "" "$DOCS" "docs/sweep.md documents every field of the sweep JSON (and docs/results.md every field of a step's run)"

# ------------------------------------------------------------------ 2. an impossible SLO; stopping early
J1=$T/never.json
sweep --workload reads --target "$S" --clients 1,2,4 "${FAST[@]}" --slo 'p99<1ns' --json "$J1"
rc_is 1 "[sqlite] --slo 'p99<1ns': no step meets it: exit 1"
assert_contains "$OUT" "No step met p99<1ns." "[sqlite] p99<1ns: the answer says no step met it"
assert_contains "$OUT" "stopped early" "[sqlite] p99<1ns: the answer says the sweep stopped early"
table_vs_json "[sqlite] p99<1ns: the table has the one step that ran, BROKEN" "$T/stdout" "$J1"
jcheck "[sqlite] p99<1ns (exceeded twice over at the first step): 1 step of 3 ran, stopped_early true, max_load null" "$J1" \
  '[1, [1, 2, 4], true, null]' '[len(st), c["values"], a["stopped_early"], a["max_load"]]'
jtrue "[sqlite] p99<1ns: the step that ran is kept in full (transactions > 0, slo_met false, verdict false)" "$J1" \
  'st[0]["run"]["summary"]["transactions"] > 0 and st[0]["slo_met"] is False and st[0]["slo"][0]["pass"] is False and st[0]["slo"][0]["value"] == p99(st[0])'
jtrue "[sqlite] p99<1ns: answer consistent with the steps" "$J1" 'answer_consistent(d)' '[a, knee(d)]'

J2=$T/nostop.json
sweep --workload reads --target "$S" --clients 1,2,4 "${FAST[@]}" --slo 'p99<1ns' --no-stop -q --json "$J2"
rc_is 1 "[sqlite] --no-stop with p99<1ns: exit 1"
jcheck "[sqlite] --no-stop: all 3 steps ran, none met, stopped_early false, max_load null" "$J2" \
  '[[1, 2, 4], [false, false, false], false, null]' '[[s["clients"] for s in st], [s["slo_met"] for s in st], a["stopped_early"], a["max_load"]]'
jtrue "[sqlite] --no-stop: answer consistent with the steps" "$J2" 'answer_consistent(d)' '[a, knee(d)]'
assert_eq "$(jv "$J2" 'a["text"]')" "$OUT" "[sqlite] -q prints only the answer (one line, = answer.text)"
assert_not_contains "$OUT" "stopped early" "[sqlite] --no-stop: the answer does not say it stopped early"

J3=$T/errors.json
sweep --workload dup --target "$S" --clients 1,2,4 -T 500ms --warmup 0 --slo 'errors=0' --json "$J3"
rc_is 1 "[sqlite] dup --slo errors=0: exit 1"
jcheck "[sqlite] an error objective broken (every dup transaction fails) stops at the first step" "$J3" \
  '[1, true, false, null]' '[len(st), a["stopped_early"], st[0]["slo_met"], a["max_load"]]'
jtrue "[sqlite] dup: the step's verdict value is its error count (> 0, = transactions)" "$J3" \
  'st[0]["slo"][0]["value"] == st[0]["run"]["summary"]["errors"] > 0 and st[0]["run"]["summary"]["errors"] == st[0]["run"]["summary"]["transactions"]'

# Saturation: tps>=1e9 is never met and is not a latency or error objective, so only "two broken
# steps in a row where the second added less than 5% throughput" can stop the sweep.
J4=$T/flat.json
sweep --workload reads --target "$S" --rate 20000,20200,20400,20600 -c 2 "${FAST[@]}" --slo 'tps>=1e9' --json "$J4"
rc_is 1 "[sqlite] --rate 20000,20200,... --slo tps>=1e9: exit 1"
jcheck "[sqlite] two broken steps in a row, the second adding < 5% throughput: stops after the second" "$J4" \
  '[2, true]' '[len(st), a["stopped_early"]]'
jtrue "[sqlite] (the premise: the second step's tps < 1.05 x the first's)" "$J4" 'tps(st[1]) < 1.05 * tps(st[0])' '[tps(s) for s in st]'
J5=$T/growing.json
sweep --workload reads --target "$S" --rate 2000,4000,8000 -c 2 "${FAST[@]}" --slo 'tps>=1e9' --json "$J5"
rc_is 1 "[sqlite] --rate 2000,4000,8000 --slo tps>=1e9: exit 1"
jcheck "[sqlite] broken steps that keep adding throughput (x2 each) do not stop the sweep" "$J5" \
  '[3, false]' '[len(st), a["stopped_early"]]'
jtrue "[sqlite] (the premise: each step's tps >= 1.05 x the previous)" "$J5" 'all(tps(st[i]) >= 1.05 * tps(st[i - 1]) for i in (1, 2))' '[tps(s) for s in st]'

# ------------------------------------------------------------------ 3. open loop by rate
JR=$T/rate.json
sweep --workload reads --target "$S" --rate 50..400 --steps 3 -c 2 -T 2s --warmup 0 --json "$JR"
rc_is 0 "[sqlite] --rate 50..400 --steps 3 (no SLO): exit 0"
assert_contains "$(echo "$OUT" | head -n 1)" "open loop by offered rate" "[sqlite] the heading says open loop by offered rate"
table_vs_json "[sqlite] --rate: one table row per step (50, 141, 400 tps offered), as in the JSON" "$T/stdout" "$JR"
jtrue "[sqlite] --rate 50..400 --steps 3: values 50, 50*sqrt(8), 400 (geometric); mode rate" "$JR" \
  'c["mode"] == "rate" and len(c["values"]) == 3 and close(c["values"][0], 50) and close(c["values"][1], 50 * 8 ** 0.5, 1e-12) and close(c["values"][2], 400)' 'c["values"]'
jtrue "[sqlite] --rate: each step's rate is its value, with 2 clients, scale 1" "$JR" \
  '[s["rate"] for s in st] == c["values"] and all(s["clients"] == 2 and s["scale"] == 1 for s in st)' '[(s["rate"], s["clients"]) for s in st]'
jtrue "[sqlite] --rate: each step achieved its rate within 35% (2 s each)" "$JR" \
  'all(abs(tps(s) - s["rate"]) <= 0.35 * s["rate"] for s in st)' '[(s["rate"], tps(s)) for s in st]'
jtrue "[sqlite] --rate: rate_met true at every (low) rate, no errors" "$JR" \
  'all(s["run"]["summary"]["rate_met"] is True and s["run"]["summary"]["errors"] == 0 for s in st)' '[s["run"]["summary"] for s in st]'
jcheck "[sqlite] --rate without --slo: config.slo null, slo_met null and no verdicts, max_load null" "$JR" \
  '[null, [null, null, null], [[], [], []], null]' '[c["slo"], [s["slo_met"] for s in st], [s["slo"] for s in st], a["max_load"]]'
jtrue "[sqlite] --rate: answer.knee is the step the open-loop rule picks" "$JR" 'answer_consistent(d)' '[a["knee"], knee(d), [(s["rate"], tps(s), p99(s)) for s in st]]'
assert_not_contains "$OUT" "highest load" "[sqlite] --rate without --slo: the answer has no max-load sentence"
assert_contains "$(echo "$OUT" | tail -n 1)" "The knee is at " "[sqlite] --rate: the answer names the knee"

# ------------------------------------------------------------------ 4. by data scale (SQLite)
SC=$T/scales.db
cp "$SQ" "$SC" # holds scale 1 already
REF=$T/ref2.db
run generate "$L" --scale 2 --target "sqlite:$REF" -q
rc_is 0 "generate library --scale 2 (the reference)"
JS=$T/scales.json
sweep --workload reads --target "sqlite:$SC" --scales 1,2 --clients 2 "${FAST[@]}" --json "$JS"
rc_is 0 "[sqlite] --scales 1,2 --clients 2: exit 0"
assert_contains "$ERR" "generating scale 1" "[sqlite] --scales: says it generates scale 1"
assert_contains "$ERR" "generating scale 2" "[sqlite] --scales: says it generates scale 2"
table_vs_json "[sqlite] --scales: one table row per scale, as in the JSON" "$T/stdout" "$JS"
tables_of() { sqlite3 "$1" "SELECT name, rows, checksum FROM _seedload_tables ORDER BY name" 2>&1; }
counts_of() { sqlite3 "$1" "SELECT 'authors', count(*) FROM authors; SELECT 'books', count(*) FROM books" 2>&1; }
assert_eq "$(counts_of "$REF")" "$(counts_of "$SC")" "[sqlite] --scales 1,2: afterwards the target holds the rows of scale 2 ($(counts_of "$REF" | tr '\n' ' '))"
assert_eq "$(tables_of "$REF")" "$(tables_of "$SC")" "[sqlite] --scales 1,2: ... with the table checksums of generate --scale 2"
assert_eq 2 "$(sqlite3 "$SC" "SELECT value FROM _seedload_meta WHERE key = 'scale'" 2>&1)" "[sqlite] --scales 1,2: the metadata says scale 2"
jcheck "[sqlite] --scales: mode scales, values [1, 2], each step's scale, 2 clients, rate null" "$JS" \
  '["scales", [1, 2], [[1, 2, null], [2, 2, null]]]' '[c["mode"], c["values"], [[s["scale"], s["clients"], s["rate"]] for s in st]]'
jtrue "[sqlite] --scales: each step is a run of its own (transactions > 0, 1 s)" "$JS" \
  'all(s["run"]["summary"]["transactions"] > 0 and s["run"]["seconds"] == 1 for s in st)'
jcheck "[sqlite] --scales: knee null, max_load null (no SLO), not stopped early" "$JS" '[null, null, false]' \
  '[a["knee"], a["max_load"], a["stopped_early"]]'
jtrue "[sqlite] --scales: the answer compares every scale with the first (tps, p99, ratio)" "$JS" \
  'a["text"] == "The same load (2 clients) on growing data: " + "; ".join("scale %g: %.1f tps, p99 %.3f ms (%.2fx)" % (s["scale"], tps(s), p99(s) / 1e6, p99(s) / max(p99(st[0]), 1)) for s in st) + "."' 'a["text"]'
assert_eq "$(jv "$JS" 'a["text"]')" "$(echo "$OUT" | tail -n 1)" "[sqlite] --scales: the answer is printed"

JS2=$T/scales_rate.json
sweep --workload reads --target "sqlite:$SC" --scales 1,2 --rate 200 -c 2 "${FAST[@]}" --json "$JS2"
rc_is 0 "[sqlite] --scales 1,2 --rate 200 -c 2: exit 0"
jtrue "[sqlite] --scales --rate 200: each scale offered 200 tps (open loop), achieved within 35%" "$JS2" \
  '[s["rate"] for s in st] == [200, 200] and [s["scale"] for s in st] == [1, 2] and all(abs(tps(s) - 200) <= 70 for s in st)' '[(s["scale"], s["rate"], tps(s)) for s in st]'
assert_contains "$(jv "$JS2" 'a["text"]')" "(2 clients, open loop)" "[sqlite] --scales --rate: the answer says open loop"

JS3=$T/scales_never.json
sweep --workload reads --target "sqlite:$SC" --scales 1,2,3 --clients 2 -T 500ms --warmup 0 --slo 'p99<1ns' --json "$JS3"
rc_is 1 "[sqlite] --scales 1,2,3 --slo 'p99<1ns': no step met the SLO: exit 1 (docs/sweep.md: Exit code)"
jtrue "[sqlite] --scales with p99<1ns: no step met it (slo_met false, max_load null)" "$JS3" \
  'all(s["slo_met"] is False for s in st) and a["max_load"] is None' '[[s["slo_met"] for s in st], a["max_load"]]'
jcheck "[sqlite] --scales with p99<1ns: stops once the SLO is clearly broken (docs/sweep.md: Stopping early)" "$JS3" \
  '[1, true]' '[len(st), a["stopped_early"]]'

# ------------------------------------------------------------------ 5. bad input
BJ=$T/bad.json
bad() { # DESC WANT-IN-STDERR ARGS...: exit 2, stderr names the piece, no JSON written
  local desc=$1 want=$2
  shift 2
  sweep "$@" --json "$BJ"
  rc_is 2 "bad input: $desc: exit 2"
  assert_contains "$ERR" "$want" "bad input: $desc: the message says $want"
  no_json "bad input: $desc: no JSON written" "$BJ"
}
W=(--workload reads --target "$S" -T 200ms --warmup 0)
bad "--clients 4,2 (decreasing)" "bad steps '4,2'" "${W[@]}" --clients 4,2
assert_contains "$ERR" "increasing" "bad input: --clients 4,2: says the values must increase"
bad "--clients 2,2 (not increasing)" "bad steps '2,2'" "${W[@]}" --clients 2,2
bad "--clients '' (empty)" "bad steps ''" "${W[@]}" --clients ''
bad "--clients 1,,2 (an empty piece)" "bad steps '1,,2'" "${W[@]}" --clients 1,,2
bad "--clients 1,2, (a trailing comma)" "bad steps '1,2,'" "${W[@]}" --clients 1,2,
bad "--clients 0,1" "bad steps '0,1'" "${W[@]}" --clients 0,1
bad "--clients a,b" "bad steps 'a,b'" "${W[@]}" --clients a,b
bad "--clients 0.5,1 (half a client)" "0.5" "${W[@]}" --clients 0.5,1
bad "--clients 1.5,2 (not whole numbers)" "1.5" "${W[@]}" --clients 1.5,2
bad "--rate 400..50 (a decreasing range)" "bad steps '400..50'" "${W[@]}" --rate 400..50
bad "--rate 0..400" "bad steps '0..400'" "${W[@]}" --rate 0..400
bad "--rate 50.. (no end)" "bad steps '50..'" "${W[@]}" --rate 50..
bad "--rate 50..400 --steps 1" "--steps must be between 2 and 100" "${W[@]}" --rate 50..400 --steps 1
bad "--rate 50..400 --steps 101" "--steps must be between 2 and 100" "${W[@]}" --rate 50..400 --steps 101
bad "--rate with --clients" "either --clients or --rate, not both" "${W[@]}" --clients 1,2 --rate 100,200
bad "--scales with a list of clients" "with --scales, --clients is one number" "${W[@]}" --scales 1,2 --clients 1,2
bad "--scales with a range of rates" "with --scales, --rate is one number" "${W[@]}" --scales 1,2 --rate 50..400
bad "--scales 2,1" "bad steps '2,1'" "${W[@]}" --scales 2,1
bad "no steps" "the steps (--clients LIST, --rate RANGE or --scales LIST)" "${W[@]}"
bad "no --workload" "needs a profile, --workload, --target" --target "$S" --clients 1,2
bad "no --target" "needs a profile, --workload, --target" --workload reads --clients 1,2
bad "-T 0" "bad duration '0'" --workload reads --target "$S" --clients 1,2 -T 0
bad "--warmup -1s" "bad warmup '-1s'" --workload reads --target "$S" --clients 1,2 --warmup -1s
bad "-j 0" "bad thread count '0'" "${W[@]}" --clients 1,2 -j 0
bad "-c 0 with --rate" "-c must be between 1 and 100000" "${W[@]}" --rate 100,200 -c 0
bad "an unknown workload" "no workload 'reeds'" --workload reeds --target "$S" --clients 1,2 -T 200ms
assert_contains "$ERR" "did you mean 'reads'?" "bad input: unknown workload: suggests reads"
assert_contains "$ERR" "reads, writes, dup, contended, contended_no_retry, slow" "bad input: unknown workload: lists the workloads"
sqlite3 "$T/plain.db" "CREATE TABLE t (a INTEGER)"
bad "a SQLite file without seedload metadata" "_seedload_meta" --workload reads --target "sqlite:$T/plain.db" --clients 1,2 -T 200ms
assert_contains "$ERR" "Run \`seedload generate PROFILE --target sqlite:$T/plain.db\` first" "bad input: no metadata: says to run generate"
bad "a SQLite file that does not exist" "does not exist" --workload reads --target "sqlite:$T/nope.db" --clients 1,2 -T 200ms
assert_eq no "$([ -e "$T/nope.db" ] && echo yes || echo no)" "bad input: a missing SQLite file is not created"
bad "--slo with a bad unit" "unit 'xs' in 'p99<20xs'" "${W[@]}" --clients 1,2 --slo 'p99<20xs'
assert_eq "" "$OUT" "bad input: a bad --slo is refused before anything runs (nothing on stdout)"
bad "--slo with an unknown metric" "unknown metric 'p98'" "${W[@]}" --clients 1,2 --slo 'p99<1s,p98<20ms'
assert_contains "$ERR" "did you mean" "bad input: --slo unknown metric: suggests one"
bad "--slo without an operator" "'p99 20ms' needs an operator" "${W[@]}" --clients 1,2 --slo 'p99 20ms'
bad "--slo without a number" "needs a number" "${W[@]}" --clients 1,2 --slo 'tps>='
bad "--slo ''" "no checks" "${W[@]}" --clients 1,2 --slo ''
bad "--slo on a transaction the workload does not have" "nosuch" "${W[@]}" --clients 1,2 --slo 'nosuch.p99<5ms'

# ------------------------------------------------------------------ 6. Ctrl-C
JI=$T/int.json
"$SEEDLOAD" sweep "$L" --workload reads --target "$S" --clients 1,2,4 -T 30s --warmup 0 --json "$JI" >"$T/int.out" 2>"$T/int.err" &
BGPID=$!
sleep 1.5
t0=$(now)
kill -INT "$BGPID" 2>/dev/null
gone=0
for ((i = 0; i < 100; i++)); do
  kill -0 "$BGPID" 2>/dev/null || { gone=1; break; }
  sleep 0.1
done
if [ $gone = 1 ]; then ok "[sqlite] SIGINT: a sweep of 30 s steps ends within 10 s (after $(since "$t0") s)"; else
  fail "[sqlite] SIGINT: a sweep of 30 s steps ends within 10 s" "still running; killed"
  kill -KILL "$BGPID" 2>/dev/null
fi
wait "$BGPID"
st=$?
BGPID=""
ERR=$(cat "$T/int.err")
IOUT=$(cat "$T/int.out")
sancheck "sweep interrupted by SIGINT"
assert_eq 0 "$st" "[sqlite] SIGINT: exit 0 (no SLO given; docs/sweep.md: Exit code)"
table_vs_json "[sqlite] SIGINT: the table has the row of the step that ran" "$T/int.out" "$JI"
assert_contains "$IOUT" "The knee is at 1 client " "[sqlite] SIGINT: the answer so far is printed"
assert_contains "$IOUT$ERR" "interrupted" "[sqlite] SIGINT: the output says the sweep was interrupted"
jtrue "[sqlite] SIGINT: JSON with the one step, run.interrupted true, 0 < seconds < 30, transactions > 0" "$JI" \
  'len(st) == 1 and c["values"] == [1, 2, 4] and st[0]["run"]["interrupted"] is True and 0 < st[0]["run"]["seconds"] < 30 and st[0]["run"]["summary"]["transactions"] > 0' \
  '[len(st), [(s["run"]["interrupted"], s["run"]["seconds"]) for s in st]]'

# ------------------------------------------------------------------ 7. report
run report "$J" -o "$T/sweep.html"
rc_is 0 "report accepts the sweep just made (exit 0)"
assert_contains "$OUT$ERR" "0 results, 1 sweep" "report: reads it as one sweep"
page_data() { # HTML EXPR over the embedded sl-data object p
  python3 - "$1" "$2" <<'EOF' 2>&1
import json, sys
t = open(sys.argv[1]).read()
o = '<script type="application/json" id="sl-data">'
a = t.index(o)
p = json.loads(t[a + len(o):t.index("</script>", a)])
print(json.dumps(eval(sys.argv[2])))
EOF
}
assert_eq "[3, $(jv "$J" 'json.dumps(a["text"])')]" "$(page_data "$T/sweep.html" '[len(p["sweeps"][0]["steps"]), p["sweeps"][0]["answer"]["text"]]')" \
  "report: the page embeds the sweep's 3 steps and its answer"
run report "$J" "$J1" "$JR" "$JS" "$JI" -o "$T/all.html"
rc_is 0 "report accepts a clients, an early-stopped, a rate, a scales and an interrupted sweep together (exit 0)"
assert_contains "$OUT$ERR" "0 results, 5 sweeps" "report: reads them as five sweeps"

# ------------------------------------------------------------------ 8. PostgreSQL
DB=seedload_sweep_$$
if need_pg; then
  PG_DBS+=("$DB")
  dropdb --if-exists "$DB" >/dev/null 2>&1
  if createdb "$DB" 2>"$T/createdb.err"; then
    run generate "$L" --target "postgresql:///$DB" -q
    rc_is 0 "[pg] generate library into PostgreSQL ($DB)"
    JP=$T/pg.json
    sweep --workload reads --target "postgresql:///$DB" --clients 1,2,4 -j 2 "${FAST[@]}" --slo 'p99<10s,errors=0' --json "$JP"
    rc_is 0 "[pg] --clients 1,2,4 -j 2 --slo 'p99<10s,errors=0': exit 0"
    table_vs_json "[pg] one table row per step, as in the JSON, each 'met'" "$T/stdout" "$JP"
    jcheck "[pg] config: dialect postgresql, mode clients, values [1, 2, 4], threads 2" "$JP" \
      '["postgresql", "clients", [1, 2, 4], 2]' '[c["dialect"], c["mode"], c["values"], c["threads"]]'
    jtrue "[pg] 3 steps, each a run of its own: transactions > 0, no errors, 1 s, both transaction types" "$JP" \
      '[s["clients"] for s in st] == [1, 2, 4] and all(s["run"]["summary"]["transactions"] > 0 and s["run"]["summary"]["errors"] == 0 and s["run"]["seconds"] == 1 and all(t["count"] > 0 for t in s["run"]["transactions"]) for s in st)' \
      '[(s["clients"], s["run"]["summary"]) for s in st]'
    jtrue "[pg] every step met the SLO: max_load is the last step; answer consistent with the steps" "$JP" \
      'all(s["slo_met"] is True for s in st) and a["max_load"]["step"] == 2 and answer_consistent(d)' '[a, knee(d)]'
    jtrue "[pg] environment.server_version names PostgreSQL" "$JP" 'd["environment"]["server_version"].startswith("PostgreSQL")' 'd["environment"]["server_version"]'
    assert_eq "$(jv "$JP" 'a["text"]')" "$(echo "$OUT" | tail -n 1)" "[pg] the answer sentence is printed"
    run report "$JP" -o "$T/pg.html"
    rc_is 0 "[pg] report accepts the PostgreSQL sweep"
  else
    fail "createdb $DB" "$(cat "$T/createdb.err")"
  fi
fi

[ "$TEST_FAILS" -eq 0 ]
