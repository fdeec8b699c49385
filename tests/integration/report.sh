#!/usr/bin/env bash
# report.sh — `seedload report`: one self-contained HTML page of results and sweeps.
#
# Without a browser: the page is one file with inline style and scripts only (no link, no src,
# no URL but the SVG namespace; a Content-Security-Policy of default-src 'none'); the figures it
# embeds agree with `seedload hist` (percentiles, and the percentile distribution point for
# point with --hgrm); the title is HTML-escaped and passwords in targets are masked; malformed
# inputs end with exit 2 naming the file and the JSON path, unreadable ones with 3.
#
# In headless Chromium (Debian's chromium; tests/report/browser.sh): each page renders with no
# console message at all (Chromium's own log, --enable-logging=stderr) and no error seen by the
# page (<html data-errors="0">, counted by its first script), and its last script finished
# (<html data-render="ok">); every chart holds the number of points computed here from the
# input JSON (data-points / data-series-points on each <svg>), tables the expected rows; a
# transaction name and SQL text holding </script><script>alert(1)</script> (and markup that
# would mark the page if it ran) are shown as text and run nothing; canary pages prove the
# checks see an error and an injected script when there is one. Screenshots are kept under
# build/test-artifacts/report/.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"
. "$ROOT/tests/report/browser.sh"

T=$(mktmp)
ART=$ROOT/build/test-artifacts/report
mkdir -p "$ART"
SAMPLE=$ROOT/tests/report/sample_sweep.json
SCALES=$ROOT/tests/report/sample_scales.json
q() { node "$ROOT/tests/report/q.js" "$@"; }
html_attr() { grep -o '<html[^>]*>' "$1" | head -n 1 | grep -o " $2=\"[^\"]*\"" | sed -e "s/^ $2=\"//" -e 's/"$//'; }
# hgrm_points FILE [RUN]: the levels of `seedload hist --hgrm` below 100% (1/(1-p) finite).
hgrm_points() {
  "$SEEDLOAD" hist "$1" ${2:+--run "$2"} --hgrm | awk 'NF == 4 && $1 ~ /^[0-9.]+$/ && $4 != "inf"' | wc -l
}
hist_field() { # FILE RUN NAME: a figure of `seedload hist` in ns
  "$SEEDLOAD" hist "$1" --run "$2" --output-unit ns | awk -v k="$3" '$1 == k { print $2; exit }'
}

# ---- inputs: a real database and real runs ------------------------------------------------
if ! out=$("$SEEDLOAD" generate profiles/edupulse.yaml --target "sqlite:$T/e.db" -q -f 2>&1); then
  fail "generate the sample database" "$out"
  exit 1
fi
check "bench -c 2 -T 2s --json a.json" "$SEEDLOAD" bench profiles/edupulse.yaml --workload dashboard \
  --target "sqlite:$T/e.db" -c 2 -T 2s --json "$T/a.json" -q
check "bench --repeat 3 --json r3.json" "$SEEDLOAD" bench profiles/edupulse.yaml --workload dashboard \
  --target "sqlite:$T/e.db" -c 2 -T 1s --repeat 3 --json "$T/r3.json" -q

# ---- the page as a file -----------------------------------------------------------------------
expect_exit 0 "report a.json -o a.html" "$SEEDLOAD" report "$T/a.json" -o "$T/a.html"
assert_contains "$LAST_OUT" "1 result, 0 sweeps -> $T/a.html" "report says what it wrote"
assert_eq "<!DOCTYPE html>" "$(head -c 15 "$T/a.html")" "the page is an HTML document"
assert_eq 3 "$(grep -o '<script' "$T/a.html" | wc -l)" "three inline scripts: error counter, data, drawing"
assert_eq 0 "$(grep -c -i -E '<link|<iframe|<object|<embed|<img|<base|@import|url\(| src=| href=' "$T/a.html")" \
  "self-contained: no link, src, href, @import or url()"
assert_eq "http://www.w3.org/2000/svg" "$(grep -o -E 'https?://[^"'"'"' )]*' "$T/a.html" | sort -u | tr '\n' ' ' | sed 's/ $//')" \
  "the only URL in the page is the SVG namespace"
assert_contains "$(grep -o '<meta http-equiv="Content-Security-Policy"[^>]*>' "$T/a.html")" "default-src 'none'" \
  "a Content-Security-Policy forbids every fetch"
"$SEEDLOAD" report "$T/a.json" -o - >"$T/stdout.html" 2>"$T/stdout.err"
check "-o - writes the same page to stdout" cmp -s "$T/stdout.html" "$T/a.html"

expect_exit 0 "--title with markup" "$SEEDLOAD" report "$T/a.json" -o "$T/title.html" --title '<b>Q3</b> & "sizing"'
assert_contains "$(grep -o '<title>[^<]*</title>' "$T/title.html")" "&lt;b&gt;Q3&lt;/b&gt; &amp; &quot;sizing&quot;" \
  "the title is HTML-escaped"
assert_eq 0 "$(grep -c '<b>Q3' "$T/title.html")" "the title's markup is not in the page as markup"

sed 's|"target":"sqlite:[^"]*"|"target":"postgresql://bench:s3cretpw@db.example/edu"|' "$T/a.json" >"$T/pw.json"
"$SEEDLOAD" report "$T/pw.json" -o "$T/pw.html" >/dev/null 2>&1
assert_contains "$(cat "$T/pw.html")" "bench:****@db.example" "a password in a target is masked"
assert_eq 0 "$(grep -c 's3cretpw' "$T/pw.html")" "the password appears nowhere in the page"

# ---- bad input ----------------------------------------------------------------------------------
echo '{"format":"seedload-result","version":1,' >"$T/trunc.json"
echo '{"format":"something-else"}' >"$T/other.json"
sed 's/"hist":"HISTF/"hist":"XISTF/' "$T/a.json" >"$T/badhist.json"
expect_exit 2 "report without files: exit 2" "$SEEDLOAD" report -o "$T/x.html"
expect_exit 2 "report without -o: exit 2" "$SEEDLOAD" report "$T/a.json"
assert_contains "$LAST_OUT" "needs -o" "without -o: says so"
expect_exit 2 "report with an unknown option: exit 2" "$SEEDLOAD" report "$T/a.json" -o "$T/x.html" --colour
expect_exit 0 "report --help" "$SEEDLOAD" report --help
assert_contains "$LAST_OUT" "--title" "--help documents --title"
expect_exit 3 "report of a missing file: exit 3" "$SEEDLOAD" report "$T/missing.json" -o "$T/x.html"
expect_exit 2 "report of truncated JSON: exit 2" "$SEEDLOAD" report "$T/trunc.json" -o "$T/x.html"
assert_contains "$LAST_OUT" "trunc.json:" "truncated JSON: names the file"
expect_exit 2 "report of JSON that is neither a result nor a sweep: exit 2" "$SEEDLOAD" report "$T/other.json" -o "$T/x.html"
assert_contains "$LAST_OUT" "neither a seedload result nor a sweep" "other JSON: says so"
expect_exit 2 "report of a result with a broken histogram: exit 2" "$SEEDLOAD" report "$T/badhist.json" -o "$T/x.html"
assert_contains "$LAST_OUT" "runs[0].latency.hist" "broken histogram: names the JSON path"
expect_exit 3 "report into a missing directory: exit 3" "$SEEDLOAD" report "$T/a.json" -o "$T/no/such/dir/x.html"
check "no page is left behind by failed reports" test ! -e "$T/x.html"

# ---- sweeps -----------------------------------------------------------------------------------
expect_exit 0 "report of a sweep and a scale sweep" "$SEEDLOAD" report "$SAMPLE" "$SCALES" -o "$T/sweep.html"
assert_contains "$LAST_OUT" "0 results, 2 sweeps" "both are read as sweeps"
sed 's/"version": 1,/"version": 2,/' "$SAMPLE" >"$T/sv2.json"
expect_exit 2 "a sweep of an unknown version: exit 2" "$SEEDLOAD" report "$T/sv2.json" -o "$T/x.html"
assert_contains "$LAST_OUT" "not a sweep version" "unknown sweep version: says so"

if need_node; then
  # Broken sweeps are made from the sample with q.js, which prints the changed document.
  q "$SAMPLE" '(d.steps[1].run.latency.hist = "HISTFAAAnot-base64", d)' >"$T/s_badrun.json"
  expect_exit 2 "a sweep step with a broken histogram: exit 2" "$SEEDLOAD" report "$T/s_badrun.json" -o "$T/x.html"
  assert_contains "$LAST_OUT" "s_badrun.json: steps[1].run.latency.hist" "broken step: names steps[1].run"
  q "$SAMPLE" '(d.answer.knee.step = 9, d)' >"$T/s_knee.json"
  expect_exit 2 "a knee outside the steps: exit 2" "$SEEDLOAD" report "$T/s_knee.json" -o "$T/x.html"
  assert_contains "$LAST_OUT" "answer.knee.step: expected a step index (0..4), found 9" "bad knee: says which"
  q "$SAMPLE" '(delete d.steps[2].run, d)' >"$T/s_norun.json"
  expect_exit 2 "a step without its run: exit 2" "$SEEDLOAD" report "$T/s_norun.json" -o "$T/x.html"
  assert_contains "$LAST_OUT" "steps[2].run: missing" "step without run: says so"
  q "$SAMPLE" '(d.steps[0].clients = "four", d)' >"$T/s_type.json"
  expect_exit 2 "a step whose clients is a string: exit 2" "$SEEDLOAD" report "$T/s_type.json" -o "$T/x.html"
  assert_contains "$LAST_OUT" "steps[0].clients: expected a number or null, found a string" "wrong type: names the field"

  # ---- the figures the page embeds agree with `seedload hist` ----------------------------------
  "$SEEDLOAD" report "$T/a.json" "$T/r3.json" -o "$T/overlay.html" >/dev/null
  assert_eq "4" "$(q "$T/overlay.html" 'd.results.map(f => f.runs.length).reduce((a, b) => a + b)')" \
    "overlay of a.json and r3.json: 4 runs embedded"
  assert_eq "$T/a.json|$T/r3.json run 1|$T/r3.json run 2|$T/r3.json run 3" \
    "$(q "$T/overlay.html" 'd.results.map(f => f.runs.map(r => r.label)).flat().join("|")')" "runs are labelled by file and run"
  for k in count p50 p90 p99 p99.9 max; do
    assert_eq "$(hist_field "$T/a.json" 1 "$k")" "$(q "$T/a.html" "d.results[0].runs[0].latency['$k']")" \
      "embedded $k of a.json = seedload hist's"
  done
  assert_eq "$(hist_field "$T/r3.json" 3 p99)" "$(q "$T/overlay.html" 'd.results[1].runs[2].latency.p99')" \
    "embedded p99 of r3.json run 3 = seedload hist's"
  assert_eq "$(hgrm_points "$T/a.json")" "$(q "$T/a.html" 'd.results[0].runs[0].pdist.length')" \
    "percentile distribution of a.json: as many levels as hist --hgrm lists below 100%"
  assert_eq "$("$SEEDLOAD" hist "$T/a.json" --hgrm | awk 'NF == 4 && $4 != "inf" && $1 ~ /^[0-9.]+$/ { v = $1 } END { printf "%.3f", v }')" \
    "$(q "$T/a.html" '(d.results[0].runs[0].pdist.slice(-1)[0][1] / 1e6).toFixed(3)')" \
    "the last level of the distribution is the .hgrm's last finite level (the maximum)"
  assert_eq "$(q "$T/a.json" 'd.runs[0].latency.max')" "$(q "$T/a.html" 'd.results[0].runs[0].pdist.slice(-1)[0][1]')" \
    "the distribution ends at the maximum"
fi

# ---- the browser ------------------------------------------------------------------------------
# render NAME PAGE: load PAGE; ok when it rendered with no console message and no error.
render() {
  local name=$1 page=$2 st
  browse "$page" "$T/$name.dom" "$T/$name.log"; st=$?
  if [ $st -ne 0 ]; then
    fail "$name: Chromium loaded the page (exit $st$([ $st -eq 124 ] && echo ': timed out, e.g. a dialog opened'))" \
      "$(tail -n 5 "$T/$name.log")"
    return 1
  fi
  assert_eq "ok" "$(html_attr "$T/$name.dom" data-render)" "$name: the drawing script ran to its end"
  assert_eq "0" "$(html_attr "$T/$name.dom" data-errors)" "$name: the page saw no error"
  assert_eq "" "$(console_lines "$T/$name.log")" "$name: no console message"
}
# points NAME ID: data-series-points of chart ID in NAME's DOM
points() { dom_attr "$T/$1.dom" "$2" data-series-points; }

if need_chromium && need_node; then
  # A single run.
  render run "$T/a.html"
  assert_eq "$(hgrm_points "$T/a.json")" "$(points run chart-percentiles)" \
    "run: the percentile chart has one point per .hgrm level (seedload hist --hgrm)"
  assert_eq "$(q "$T/a.json" 'd.runs[0].intervals.length')" "$(points run chart-tps)" \
    "run: throughput over time has one point per interval"
  assert_eq "$(q "$T/a.json" 'd.runs[0].intervals.filter(v => v.p99 > 0).length')" "$(points run chart-p99)" \
    "run: p99 over time has one point per non-empty interval"
  assert_eq "$(q "$T/a.json" 'd.runs[0].transactions.length + d.runs[0].transactions.map(t => t.statements.length).reduce((a, b) => a + b)')" \
    "$(dom_attr "$T/run.dom" sl-tx-0-0 data-rows)" "run: one table row per transaction and per statement"
  assert_contains "$(cat "$T/run.dom")" "$(q "$T/a.json" 'd.runs[0].transactions[0].statements[0].sql.slice(0, 40)')" \
    "run: the SQL text is shown"
  shoot "$T/a.html" "$ART/run.png"

  # Several runs of several files, overlaid.
  render overlay "$T/overlay.html"
  want=$(hgrm_points "$T/a.json")
  for r in 1 2 3; do want="$want,$(hgrm_points "$T/r3.json" $r)"; done
  assert_eq "$want" "$(points overlay chart-percentiles)" "overlay: one percentile curve per run, each with its .hgrm levels"
  assert_eq "4" "$(dom_attr "$T/overlay.dom" chart-percentiles data-series)" "overlay: 4 curves"
  assert_eq "$(q "$T/a.json" 'd.runs[0].intervals.length'),$(q "$T/r3.json" 'd.runs.map(r => r.intervals.length).join(",")')" \
    "$(points overlay chart-tps)" "overlay: throughput over time per run"
  assert_eq "4" "$(dom_attr "$T/overlay.dom" sl-summary data-rows)" "overlay: the summary table has a row per run"
  shoot "$T/overlay.html" "$ART/overlay.png"

  # Sweeps: throughput vs latency with the SLO line and the knee; latency by data scale.
  render sweep "$T/sweep.html"
  n=$(q "$SAMPLE" 'd.steps.length')
  assert_eq "$n,$n" "$(points sweep chart-capacity)" "sweep: p99 and p50 curves with one point per step ($n)"
  assert_eq "$(q "$SAMPLE" 'd.answer.knee.step')" "$(dom_attr "$T/sweep.dom" chart-capacity data-knee)" "sweep: the knee is marked at the answer's step"
  assert_eq "$(q "$SAMPLE" 'd.answer.max_load.step')" "$(dom_attr "$T/sweep.dom" chart-capacity data-max-load)" \
    "sweep: the highest load within the SLO is marked"
  assert_eq "2" "$(dom_attr "$T/sweep.dom" chart-capacity data-marks)" "sweep: two markers drawn"
  assert_eq "1" "$(dom_attr "$T/sweep.dom" chart-capacity data-slo-ms)" "sweep: the SLO line is at p99<1ms"
  assert_eq "1" "$(grep -o 'class="hline"' "$T/sweep.dom" | wc -l)" "sweep: one SLO line"
  assert_eq "$n" "$(dom_attr "$T/sweep.dom" sl-steps-0 data-rows)" "sweep: a table row per step"
  assert_contains "$(cat "$T/sweep.dom")" "$(q "$SAMPLE" 'd.answer.text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")')" \
    "sweep: the answer text is shown"
  ns=$(q "$SCALES" 'd.steps.length')
  assert_eq "$ns,$ns" "$(points sweep chart-scales)" "scale sweep: latency per data scale, one point per scale ($ns)"
  # The per-step percentile curves agree with hist --hgrm on each step's run.
  want=""
  for i in $(seq 0 $((n - 1))); do
    q "$SAMPLE" "JSON.stringify({format: 'seedload-result', version: 1, config: {}, runs: [d.steps[$i].run]})" >"$T/step$i.json"
    want="$want${want:+,}$(hgrm_points "$T/step$i.json")"
  done
  assert_eq "$want" "$(points sweep chart-steps-0)" "sweep: one percentile curve per step, each with its .hgrm levels"
  shoot "$T/sweep.html" "$ART/sweep.png" 1400,2400

  # Hostile names: markup in a transaction name, a statement's SQL and an error message.
  PAY='</script><script>alert(1)</script><script>document.documentElement.setAttribute("data-pwned","script")</script><img src=x onerror="document.documentElement.setAttribute(\"data-pwned\",\"img\")"><!--'
  export PAY
  q "$T/a.json" '(function () {
      const p = process.env.PAY, t = d.runs[0].transactions[0];
      t.name = p + t.name;
      t.statements[0].sql = p + " " + t.statements[0].sql;
      d.config.transactions[0].name = t.name;
      d.runs[0].errors.push({code: "XX000", transaction: t.name, statement: null, count: 1, message: p});
      return d; })()' >"$T/xss.json"
  expect_exit 0 "report of a result with markup in names" "$SEEDLOAD" report "$T/xss.json" -o "$T/xss.html" --title '</title><script>alert(1)</script>'
  assert_eq 3 "$(grep -o '<script' "$T/xss.html" | wc -l)" "xss: still exactly three <script> in the file"
  assert_eq 0 "$(grep -c -F '</script><script>alert(1)' "$T/xss.html")" "xss: the payload is nowhere in the file as markup"
  render xss "$T/xss.html"
  assert_eq "" "$(html_attr "$T/xss.dom" data-pwned)" "xss: no injected script or handler ran"
  assert_eq 3 "$(grep -o '<script' "$T/xss.dom" | wc -l)" "xss: the rendered page holds only its own three scripts"
  assert_eq 0 "$(grep -c '<img' "$T/xss.dom")" "xss: no injected element exists"
  assert_contains "$(cat "$T/xss.dom")" '<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;' \
    "xss: the transaction name is shown as text"
  assert_contains "$(cat "$T/xss.dom")" '<td class="sql">&lt;/script&gt;&lt;script&gt;alert(1)' "xss: the SQL is shown as text"
  assert_contains "$(grep -o '<title>.*</title>' "$T/xss.dom")" '&lt;/title&gt;&lt;script&gt;alert(1)' "xss: the title is text"
  shoot "$T/xss.html" "$ART/xss.png"

  # Canaries: the same checks do see an error, and a script that runs.
  sed 's|<main id="sl-main"></main>|&<script>noSuchFunction()</script>|' "$T/a.html" >"$T/canary1.html"
  browse "$T/canary1.html" "$T/canary1.dom" "$T/canary1.log"
  assert_eq "1" "$(html_attr "$T/canary1.dom" data-errors)" "canary: a page that throws has data-errors=1"
  assert_contains "$(console_lines "$T/canary1.log")" "Uncaught ReferenceError: noSuchFunction" \
    "canary: Chromium's log shows the uncaught exception"
  sed 's|<main id="sl-main"></main>|&<script>document.documentElement.setAttribute("data-pwned","script")</script>|' \
    "$T/a.html" >"$T/canary2.html"
  browse "$T/canary2.html" "$T/canary2.dom" "$T/canary2.log"
  assert_eq "script" "$(html_attr "$T/canary2.dom" data-pwned)" "canary: a script that does run is seen"

  for p in run overlay sweep xss; do
    if [ -s "$ART/$p.png" ] && [ "$(head -c 8 "$ART/$p.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
      ok "screenshot kept: build/test-artifacts/report/$p.png ($(wc -c <"$ART/$p.png") bytes)"
    else
      fail "screenshot kept: build/test-artifacts/report/$p.png"
    fi
  done
fi

# ---- memory -------------------------------------------------------------------------------------
if [ -n "${SANITIZE:-}" ]; then
  skip "valgrind runs (a sanitizer build cannot run under valgrind)"
elif ! command -v valgrind >/dev/null 2>&1; then
  skip "valgrind runs (valgrind not installed)"
else
  vg() { valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite "$SEEDLOAD" "$@"; }
  expect_exit 0 "valgrind: report of results" vg report "$T/a.json" "$T/r3.json" -o "$T/vg.html"
  expect_exit 0 "valgrind: report of sweeps" vg report "$SAMPLE" "$SCALES" -o "$T/vg2.html"
  for f in trunc.json other.json badhist.json sv2.json; do
    expect_exit 2 "valgrind: report of $f exits 2 with no memory error" vg report "$T/$f" -o "$T/x.html"
  done
  [ -e "$T/s_badrun.json" ] && expect_exit 2 "valgrind: report of a sweep with a broken step" vg report "$T/s_badrun.json" -o "$T/x.html"
fi

[ "$TEST_FAILS" -eq 0 ]
