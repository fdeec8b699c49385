#!/usr/bin/env bash
# bench.sh — `seedload bench`, the multithreaded workload runner, against the library test
# profile (tests/profiles/library.yaml: workloads reads, writes, dup, contended,
# contended_no_retry), on SQLite always and on PostgreSQL when a server is available.
#
# On both dialects:
#   - closed loop -t N -c C: exactly N*C transactions, per-transaction counts add up, no errors;
#     on PostgreSQL also -c 200 -j 2 -t 20 (100 nonblocking connections per event loop): 4000;
#   - timed runs: -T 2s is 2 seconds; -P 1 prints one well-formed progress line per second of
#     the run (and none past its end); --warmup 1s -T 1s measures 1 s and records the warmup;
#   - open loop: --rate 200 achieves 200 tps within 15% and says the rate was met; an unmeetable
#     rate says "was not met" (rate_met false); --max-lag skips and counts what is too late;
#   - --hgrm writes HdrHistogram's classic .hgrm; `seedload hist` reads the JSON back, same count;
#   - errors by code and statement: `dup` fails every transaction with a unique violation
#     (SQLITE_CONSTRAINT_UNIQUE / 23505), errors == transactions, exit 0; --slo errors=0 exits 1;
#   - fresh keys: `writes` -c 4 -t 100, twice: 400 then 800 new rows, zero errors;
#   - Ctrl-C: a -T 30s run ends promptly, exit 0, table printed, JSON interrupted:true.
# PostgreSQL only:
#   - retries: `contended` (serializable, retries 1000) retries and never fails; every error
#     it records was retried; `contended_no_retry` fails with 40001, each error counted once;
#   - lost connections: backends terminated mid-run are counted (57P01, once each), clients
#     reconnect, the run completes with exit 0;
#   - a second throwaway cluster stopped mid-run: exit 3 after --reconnect-timeout, "could not
#     reconnect", the JSON is written with interrupted:true;
#   - no secrets: a password in the URI never shows on stdout, stderr or in the JSON.
# Bad input (exit code and what the message names): unknown workload, -c 0, -j > -c, a bad -T,
# a missing SQLite file, a file / database without seedload metadata, a statement that fails
# to prepare, a `ref` to a missing column, a `fresh` on a column that cannot make new values.
# Determinism: --print-params with the same seed prints the same rows; another seed differs.
#
# Every seedload call runs under `timeout`; a sanitizer report in any call's stderr is a failure.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

cd "$ROOT" || exit 1
T=$(mktmp)
L=$ROOT/tests/profiles/library.yaml
PG=0
PG_DBS=()
C2=""        # the second cluster's directory while it exists
BGPID=""     # a background seedload

cleanup() {
  [ -n "$BGPID" ] && kill -KILL "$BGPID" 2>/dev/null
  [ -n "$C2" ] && "$ROOT/scripts/pg-cluster.sh" stop "$C2" >/dev/null 2>&1
  local d
  if [ ${#PG_DBS[@]} -gt 0 ]; then
    for d in "${PG_DBS[@]}"; do dropdb --if-exists --force "$d" >/dev/null 2>&1 || dropdb --if-exists "$d" >/dev/null 2>&1; done
  fi
  _cleanup_tmp
}
trap cleanup EXIT

# run ARGS...: seedload ARGS (tests/lib.sh sl_run: RC, OUT, ERR; stdout kept in $T/stdout).
run() { sl_run "$T" "$@"; }
bench() { run bench "$L" "$@"; }

# jv FILE EXPR: a Python expression over the result d (r = d["runs"][0], s = r["summary"]);
# strings print raw, everything else as JSON (true/false/null, exact integers).
jv() {
  python3 - "$1" "$2" <<'EOF' 2>&1
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    r = d["runs"][0]
    s = r["summary"]
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
# errsum: the sum of the error table's counts.
ERRSUM='sum(e["count"] for e in r["errors"])'
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------------ targets
SQ=$T/lib.db
run generate "$L" --target "sqlite:$SQ" -q
rc_is 0 "generate library into SQLite"
sq_rows() { sqlite3 "$SQ" "SELECT count(*) FROM $1" 2>&1; }

DB=seedload_bench_$$
if need_pg; then
  PG=1
  PG_DBS+=("$DB")
  dropdb --if-exists "$DB" >/dev/null 2>&1
  if createdb "$DB" 2>"$T/createdb.err"; then
    run generate "$L" --target "postgresql:///$DB" -q
    rc_is 0 "generate library into PostgreSQL ($DB)"
    [ "$RC" = 0 ] || PG=0
  else
    fail "createdb $DB" "$(cat "$T/createdb.err")"
    PG=0
  fi
fi
pq() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>&1; }
pg_rows() { pq "SELECT count(*) FROM library.$1"; }

# ------------------------------------------------------------------ both dialects
# suite TAG TARGET ROWSFN: the checks every dialect passes.
suite() {
  local tag=$1 tgt=$2 rows=$3 j=$T/$1
  local thr=2
  [ "$tag" = sqlite ] && thr=4 # SQLite: every client has a thread of its own

  # 1. closed loop, a fixed number of transactions
  bench -w reads --target "$tgt" -c 4 -j 2 -t 250 -q --json "$j-t.json"
  rc_is 0 "[$tag] -c 4 -t 250: exit 0"
  jcheck "[$tag] -c 4 -t 250: summary.transactions = 1000 exactly" "$j-t.json" 1000 's["transactions"]'
  jcheck "[$tag] -c 4 -t 250: the per-transaction counts add up to 1000" "$j-t.json" 1000 'sum(t["count"] for t in r["transactions"])'
  jcheck "[$tag] -c 4 -t 250: no errors (summary, per transaction, error table)" "$j-t.json" "[0, 0, []]" \
    '[s["errors"], sum(t["errors"] for t in r["transactions"]), r["errors"]]'
  jcheck "[$tag] -c 4 -t 250: both transaction types ran (author, books_of)" "$j-t.json" true \
    '[t["name"] for t in r["transactions"]] == ["author", "books_of"] and all(t["count"] > 0 for t in r["transactions"])'
  jcheck "[$tag] -c 4 -t 250: every statement's latency count = its transaction's count" "$j-t.json" true \
    'all(st["latency"]["count"] == t["count"] for t in r["transactions"] for st in t["statements"])'
  jcheck "[$tag] -c 4 -t 250: latency histogram count = 1000" "$j-t.json" 1000 'r["latency"]["count"]'
  jcheck "[$tag] -c 4 -t 250: config (clients, threads, transactions_per_client, duration_s, dialect)" "$j-t.json" \
    "[4, $thr, 250, 0, \"$([ "$tag" = sqlite ] && echo sqlite || echo postgresql)\"]" \
    '[d["config"][k] for k in ("clients", "threads", "transactions_per_client", "duration_s", "dialect")]'
  assert_contains "$(jv "$j-t.json" 'd["environment"]["server_version"]')" "$([ "$tag" = sqlite ] && echo SQLite || echo PostgreSQL)" \
    "[$tag] environment.server_version names the server"

  # 2. timed runs, progress, warmup
  bench -w reads --target "$tgt" -c 2 -T 2s -P 1 -q --json "$j-T.json"
  rc_is 0 "[$tag] -T 2s -P 1: exit 0"
  jcheck "[$tag] -T 2s: seconds = 2, duration_s = 2, interval_s = 1" "$j-T.json" "[2, 2, 1]" \
    '[r["seconds"], d["config"]["duration_s"], d["config"]["interval_s"]]'
  jtrue "[$tag] -T 2s: transactions > 0, no errors, not interrupted" "$j-T.json" \
    's["transactions"] > 0 and s["errors"] == 0 and r["interrupted"] is False'
  local prog bad
  prog=$(echo "$ERR" | grep '^progress:')
  bad=$(echo "$prog" | grep -cvE '^progress: +[0-9]+\.[0-9] s, +[0-9]+\.[0-9] tps, p50 +[0-9]+\.[0-9]{3} ms, p99 +[0-9]+\.[0-9]{3} ms, max +[0-9]+\.[0-9]{3} ms, [0-9]+ errors$')
  assert_eq 0 "$bad" "[$tag] -P 1: every progress line reads 'progress: T s, X tps, p50 .. ms, p99 .. ms, max .. ms, N errors'"
  assert_eq "1.0 2.0" "$(echo "$prog" | awk '{ printf "%s%s", sep, $2; sep = " " }')" \
    "[$tag] -P 1 with -T 2s: exactly two progress lines, at 1.0 s and 2.0 s (none past the end of the run)"
  assert_eq "" "$(echo "$OUT" | grep '^progress:')" "[$tag] -P: progress goes to stderr, not stdout"
  jtrue "[$tag] -T 2s: no interval past the end of the run (intervals t <= 2)" "$j-T.json" \
    'all(i["t"] <= 2 for i in r["intervals"]) and len(r["intervals"]) >= 1' '[(i["t"], i["count"]) for i in r["intervals"]]'

  bench -w reads --target "$tgt" -c 2 --warmup 1s -T 1s -q --json "$j-w.json"
  rc_is 0 "[$tag] --warmup 1s -T 1s: exit 0"
  jcheck "[$tag] --warmup 1s -T 1s: seconds = 1, config.warmup_s = 1, duration_s = 1" "$j-w.json" "[1, 1, 1]" \
    '[r["seconds"], d["config"]["warmup_s"], d["config"]["duration_s"]]'
  jtrue "[$tag] --warmup: the warmup is not counted (intervals start after it; summary = interval counts within 1%)" "$j-w.json" \
    's["transactions"] > 0 and r["intervals"][0]["t"] == 1 and abs(s["transactions"] - sum(i["count"] for i in r["intervals"])) <= s["transactions"] / 100 and r["latency"]["count"] == s["transactions"]' \
    '[s["transactions"], [(i["t"], i["count"]) for i in r["intervals"]]]'

  bench -w reads --target "$tgt" -c 2 -T 1s --think 100ms -q --json "$j-k.json"
  rc_is 0 "[$tag] --think 100ms: exit 0"
  jtrue "[$tag] --think 100ms -c 2 -T 1s: about 10 transactions per client (16..22 in all), think_s = 0.1" "$j-k.json" \
    '16 <= s["transactions"] <= 22 and d["config"]["think_s"] == 0.1' 's["transactions"]'

  # 3. open loop
  bench -w reads --target "$tgt" -c 2 --rate 200 -T 2s --json "$j-r.json"
  rc_is 0 "[$tag] --rate 200 -T 2s: exit 0"
  jtrue "[$tag] --rate 200: achieved tps within 15% of 200" "$j-r.json" 'abs(s["tps"] - 200) <= 30' 's["tps"]'
  jcheck "[$tag] --rate 200: rate_met, config.rate = 200, arrivals poisson" "$j-r.json" '[true, 200, "poisson"]' \
    '[s["rate_met"], d["config"]["rate"], d["config"]["arrivals"]]'
  jcheck "[$tag] --rate 200: the lag histogram counts every transaction" "$j-r.json" true 'r["lag"]["count"] == s["transactions"]'
  assert_contains "$OUT" "open loop at 200.0 tps" "[$tag] --rate 200: the header says open loop at 200.0 tps"
  assert_not_contains "$OUT" "was not met" "[$tag] --rate 200: no 'not met' note"

  bench -w reads --target "$tgt" -c 1 --rate 5000000 -T 1s --json "$j-r2.json"
  rc_is 0 "[$tag] --rate 5000000 -c 1: exit 0"
  assert_contains "$OUT" "the offered rate of 5000000.0 tps was not met" "[$tag] an unmeetable rate: stdout says it was not met"
  jcheck "[$tag] an unmeetable rate: rate_met false" "$j-r2.json" false 's["rate_met"]'
  jtrue "[$tag] an unmeetable rate: late transactions counted" "$j-r2.json" 's["late"] > 0 and s["skipped"] == 0' '[s["late"], s["skipped"]]'

  bench -w reads --target "$tgt" -c 1 --rate 1000000 --max-lag 1ms -T 1s --json "$j-r3.json"
  rc_is 0 "[$tag] --rate 1000000 --max-lag 1ms: exit 0"
  jtrue "[$tag] --max-lag: skipped transactions counted, rate_met false, max_lag_s = 0.001" "$j-r3.json" \
    's["skipped"] > 0 and s["rate_met"] is False and d["config"]["max_lag_s"] == 0.001' '[s["skipped"], s["rate_met"]]'
  jtrue "[$tag] --max-lag: ran + skipped = the offered 1000000 (within 5%)" "$j-r3.json" \
    'abs(s["transactions"] + s["skipped"] - 1000000) <= 50000' '[s["transactions"], s["skipped"]]'
  jtrue "[$tag] --max-lag 1ms: no transaction that ran started more than 1 ms late" "$j-r3.json" \
    'r["lag"]["max"] <= 1001000' 'r["lag"]["max"]'
  assert_contains "$OUT" "was not met" "[$tag] --max-lag: stdout says the rate was not met"

  # 4. .hgrm and hist
  bench -w reads --target "$tgt" -c 2 -t 500 -q --json "$j-h.json" --hgrm "$j-h.hgrm"
  rc_is 0 "[$tag] --hgrm: exit 0"
  local hg
  hg=$(cat "$j-h.hgrm" 2>/dev/null)
  assert_eq "Value Percentile TotalCount 1/(1-Percentile)" "$(echo "$hg" | head -n 1 | xargs)" "[$tag] .hgrm: the classic header"
  assert_contains "$hg" "#[Mean    =" "[$tag] .hgrm: the #[Mean ...] footer"
  assert_eq 1000 "$(echo "$hg" | sed -n 's/^#\[Max .*Total count *= *\([0-9]*\)\]$/\1/p')" "[$tag] .hgrm: footer Total count = 1000"
  assert_eq "1.000000 1000" "$(echo "$hg" | awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { l = $2 " " $3 } END { print l }')" \
    "[$tag] .hgrm: the last line is percentile 1.000000 with all 1000 values"
  run hist "$j-h.json"
  rc_is 0 "[$tag] seedload hist reads the JSON result"
  assert_eq 1000 "$(echo "$OUT" | awk '$1 == "count" { print $2 }')" "[$tag] seedload hist: count = 1000"
  run hist "$j-h.json" --hgrm
  assert_eq "$(echo "$hg" | awk 'NF == 4 && $1 ~ /^[0-9.]+$/')" "$(echo "$OUT" | awk 'NF == 4 && $1 ~ /^[0-9.]+$/')" \
    "[$tag] --hgrm file = seedload hist --hgrm of the JSON (every distribution line)"

  # 5. errors by code and statement
  local code=23505
  [ "$tag" = sqlite ] && code=SQLITE_CONSTRAINT_UNIQUE
  bench -w dup --target "$tgt" -c 2 -j 2 -t 50 --json "$j-d.json"
  rc_is 0 "[$tag] dup: failing transactions do not change the exit code (0)"
  jcheck "[$tag] dup: transactions = 100, errors = 100 (every one violates the unique e-mail)" "$j-d.json" "[100, 100]" \
    '[s["transactions"], s["errors"]]'
  jcheck "[$tag] dup: per transaction and per statement 100 errors" "$j-d.json" "[100, 100]" \
    '[r["transactions"][0]["errors"], r["transactions"][0]["statements"][0]["errors"]]'
  jcheck "[$tag] dup: the error table holds one row: $code at dup_author / dup_author#1, count 100" "$j-d.json" \
    "[[\"$code\", \"dup_author\", \"dup_author#1\", 100]]" \
    '[[e["code"], e["transaction"], e["statement"], e["count"]] for e in r["errors"]]'
  jcheck "[$tag] dup: interval errors add up to summary.errors" "$j-d.json" true \
    'sum(i["errors"] for i in r["intervals"]) == s["errors"]'
  jcheck "[$tag] dup: no latency recorded for failed transactions" "$j-d.json" 0 'r["latency"]["count"]'
  assert_contains "$OUT" "errors by code:" "[$tag] dup: the table lists errors by code"
  if echo "$OUT" | grep -qE "^ +$code +dup_author#1 +100 "; then ok "[$tag] dup: the table row has the full code ($code), the statement and 100"; else
    fail "[$tag] dup: the table row has the full code ($code), the statement and 100" "$(echo "$OUT" | sed -n '/errors by code/,$p')"; fi
  bench -w dup --target "$tgt" -c 1 -t 10 -q --slo errors=0
  rc_is 1 "[$tag] dup --slo errors=0: exit 1"
  assert_contains "$OUT$ERR" "errors=0" "[$tag] --slo: names the broken objective"

  # 6. fresh keys
  local before mid after
  before=$($rows books)
  bench -w writes --target "$tgt" -c 4 -j 2 -t 100 -q --json "$j-f1.json"
  rc_is 0 "[$tag] writes -c 4 -t 100: exit 0"
  jcheck "[$tag] writes (1st run): 400 transactions, 0 errors" "$j-f1.json" "[400, 0, []]" '[s["transactions"], s["errors"], r["errors"]]'
  mid=$($rows books)
  assert_eq "$((before + 400))" "$mid" "[$tag] writes (1st run): exactly 400 new books ($before -> $mid)"
  bench -w writes --target "$tgt" -c 4 -j 2 -t 100 -q --json "$j-f2.json"
  rc_is 0 "[$tag] writes again: exit 0"
  jcheck "[$tag] writes (2nd run, right after): 400 transactions, 0 errors (fresh keys never meet earlier ones)" "$j-f2.json" \
    "[400, 0, []]" '[s["transactions"], s["errors"], [(e["code"], e["count"], e["message"]) for e in r["errors"]]]'
  after=$($rows books)
  assert_eq "$((before + 800))" "$after" "[$tag] writes twice: exactly 800 new books ($before -> $after)"
  # What the next run would insert: the integer key continues after the largest id; the
  # pattern key (isbn, {perm}) starts at an offset that differs from run to run, so two runs
  # started in the same second must not draw the same isbns either.
  local p1 p2 maxid
  run bench "$L" -w writes --target "$tgt" --print-params 3
  p1=$OUT
  run bench "$L" -w writes --target "$tgt" --print-params 3
  p2=$OUT
  if [ "$tag" = sqlite ]; then maxid=$(sqlite3 "$SQ" "SELECT max(id) FROM books"); else maxid=$(pq "SELECT max(id) FROM library.books"); fi
  assert_eq "add_book #0 id=$((maxid + 1))" "$(echo "$p1" | head -n 1 | awk '{ print $1, $2, $3 }')" \
    "[$tag] fresh integer key: the next id is max(id) + 1 = $((maxid + 1))"
  local i1 i2
  i1=$(echo "$p1" | sed -n 's/.* isbn=\([^ ]*\).*/\1/p' | head -n 1)
  i2=$(echo "$p2" | sed -n 's/.* isbn=\([^ ]*\).*/\1/p' | head -n 1)
  if [ -n "$i1" ] && [ "$i1" != "$i2" ]; then ok "[$tag] fresh isbn: two runs one after the other start at different offsets ($i1, $i2)"; else
    fail "[$tag] fresh isbn: two runs one after the other start at different offsets" "first run: $i1" "second run: $i2"; fi

  # 8. Ctrl-C
  "$SEEDLOAD" bench "$L" -w reads --target "$tgt" -c 2 -T 30s --json "$j-i.json" >"$T/int.out" 2>"$T/int.err" &
  BGPID=$!
  sleep 1.5
  local t0 gone=0 i st
  t0=$(now)
  kill -INT "$BGPID" 2>/dev/null
  for ((i = 0; i < 100; i++)); do
    kill -0 "$BGPID" 2>/dev/null || { gone=1; break; }
    sleep 0.1
  done
  if [ $gone = 1 ]; then
    ok "[$tag] SIGINT: bench -T 30s exits within 10 s (after $(since "$t0") s)"
  else
    fail "[$tag] SIGINT: bench -T 30s exits within 10 s" "still running; killed"
    kill -KILL "$BGPID" 2>/dev/null
  fi
  wait "$BGPID"
  st=$?
  BGPID=""
  ERR=$(cat "$T/int.err")
  sancheck "[$tag] bench interrupted by SIGINT"
  assert_eq 0 "$st" "[$tag] SIGINT: exit 0"
  assert_contains "$(cat "$T/int.out")" "all transactions" "[$tag] SIGINT: the table is printed"
  assert_contains "$(cat "$T/int.out")" "interrupted" "[$tag] SIGINT: the table says the run was interrupted"
  jtrue "[$tag] SIGINT: JSON interrupted true, 0 < seconds < 30, transactions > 0" "$j-i.json" \
    'r["interrupted"] is True and 0 < r["seconds"] < 30 and s["transactions"] > 0' '[r["interrupted"], r["seconds"]]'
}

suite sqlite "sqlite:$SQ" sq_rows
if [ $PG = 1 ]; then
  suite pg "postgresql:///$DB" pg_rows

  # 1. one event loop per thread multiplexing 100 connections
  maxc=$(pq "SHOW max_connections")
  if [ "${maxc:-0}" -ge 220 ] 2>/dev/null; then
    bench -w reads --target "postgresql:///$DB" -c 200 -j 2 -t 20 -q --json "$T/c200.json"
    rc_is 0 "[pg] -c 200 -j 2 -t 20: exit 0"
    jcheck "[pg] -c 200 -j 2 -t 20: exactly 4000 transactions, no errors, 2 threads" "$T/c200.json" "[4000, 0, 2, 200]" \
      '[s["transactions"], s["errors"], d["config"]["threads"], d["config"]["clients"]]'
  else
    skip "[pg] -c 200: the server allows only ${maxc:-?} connections"
  fi

  # 7. serialization failures and retries
  bench -w contended --target "postgresql:///$DB" -c 8 -j 2 -T 2s -q --json "$T/cont.json"
  rc_is 0 "[pg] contended -c 8 -j 2 -T 2s: exit 0"
  jtrue "[pg] contended (serializable, retries 1000): errors 0, retries > 0" "$T/cont.json" \
    's["errors"] == 0 and s["retries"] > 0 and s["transactions"] > 0' '[s["transactions"], s["errors"], s["retries"]]'
  jtrue "[pg] contended: every error recorded was a 40001 at bump#2 and was retried (error count = retries + errors)" "$T/cont.json" \
    "set(e['code'] for e in r['errors']) <= {'40001'} and $ERRSUM == s['retries'] + s['errors']" \
    "[s['retries'], s['errors'], [(e['code'], e['statement'], e['count']) for e in r['errors']]]"
  bench -w contended_no_retry --target "postgresql:///$DB" -c 8 -j 2 -T 2s -q --json "$T/cont0.json"
  rc_is 0 "[pg] contended_no_retry: exit 0"
  jtrue "[pg] contended_no_retry: errors > 0, all 40001, no retries" "$T/cont0.json" \
    's["errors"] > 0 and s["retries"] == 0 and set(e["code"] for e in r["errors"]) == {"40001"}' \
    '[s["errors"], s["retries"], [(e["code"], e["count"]) for e in r["errors"]]]'
  jtrue "[pg] contended_no_retry: each serialization failure fails its transaction (error count = summary.errors)" "$T/cont0.json" \
    "$ERRSUM == s['errors'] and sum(t['errors'] for t in r['transactions']) == s['errors']" \
    "[s['errors'], $ERRSUM]"

  # 9. lost connections (workload `slow`: the clients are inside pg_sleep when terminated,
  # so the server's reason reaches them)
  "$SEEDLOAD" bench "$L" -w slow --target "postgresql:///$DB" -c 4 -j 2 -T 4s --json "$T/kill.json" >"$T/kill.out" 2>"$T/kill.err" &
  BGPID=$!
  sleep 1.5
  killed=$(psql -X -At -d postgres -c "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()) x WHERE t" 2>&1)
  timeout 20 tail --pid="$BGPID" -f /dev/null
  wait "$BGPID"
  st=$?
  BGPID=""
  ERR=$(cat "$T/kill.err")
  sancheck "[pg] bench with terminated backends"
  assert_eq 4 "$killed" "[pg] lost connections: the four backends of the run were terminated"
  assert_eq 0 "$st" "[pg] lost connections: the run completes with exit 0"
  jcheck "[pg] lost connections: reconnects = 4 (each client once)" "$T/kill.json" 4 's["reconnects"]'
  jtrue "[pg] lost connections: errors counted with 57P01" "$T/kill.json" \
    's["errors"] >= 1 and "57P01" in [e["code"] for e in r["errors"]]' '[s["errors"], [(e["code"], e["count"]) for e in r["errors"]]]'
  jtrue "[pg] lost connections: one error per lost transaction (error table sum = summary.errors; no extra 08006)" "$T/kill.json" \
    "$ERRSUM == s['errors']" "[s['errors'], [(e['code'], e['count']) for e in r['errors']]]"
  jtrue "[pg] lost connections: the run went on (4 s, not interrupted, transactions > 0)" "$T/kill.json" \
    'r["seconds"] == 4 and r["interrupted"] is False and s["transactions"] > 0'
  assert_not_contains "$ERR" "terminating connection" "[pg] lost connections: no server notice on stderr"

  # 11b. CPU pinning: each event-loop thread (-j) runs on one CPU of the process's set, round
  # robin; --no-pin leaves them on all of them. Read from /proc while the run is on.
  ncpu=$(nproc 2>/dev/null || echo 1)
  pin_lists() { # OPTIONS...: the Cpus_allowed_list of every thread of a running bench, sorted
    "$SEEDLOAD" bench "$L" -w slow --target "postgresql:///$DB" -c 2 -j 2 -T 2s -q "$@" >/dev/null 2>&1 &
    local pid=$! lists=""
    sleep 1
    for t in /proc/$pid/task/*; do lists="$lists $(awk '/Cpus_allowed_list/ { print $2 }' "$t/status" 2>/dev/null)"; done
    wait "$pid"
    echo "$lists" | tr ' ' '\n' | grep -v '^$' | sort | tr '\n' ' '
  }
  if [ "$ncpu" -ge 2 ]; then
    all=$(awk '/Cpus_allowed_list/ { print $2 }' /proc/self/status)
    first=$(python3 -c "import os; c = sorted(os.sched_getaffinity(0)); print(c[0], c[1])")
    # (A sanitizer runtime may add a thread of its own: look for the pinned ones, not a count.)
    got=$(pin_lists --json "$T/pin1.json")
    pinned=$(for c in $first; do echo "$got" | tr ' ' '\n' | grep -qx "$c" && echo "$c"; done | tr '\n' ' ')
    assert_eq "$first " "$pinned" "[pg] -j 2: the two event-loop threads are pinned, one to each of the first two CPUs ($got)"
    assert_contains " $got" " $all " "[pg] -j 2: the main thread keeps every CPU"
    got=$(pin_lists --no-pin --json "$T/pin2.json")
    assert_eq "" "$(echo "$got" | tr ' ' '\n' | grep -v '^$' | grep -vx "$all")" \
      "[pg] --no-pin: every thread may run on every CPU ($got)"
    jcheck "[pg] the JSON records pin_threads: true by default" "$T/pin1.json" true 'd["config"]["pin_threads"]'
    jcheck "[pg] ... and false with --no-pin" "$T/pin2.json" false 'd["config"]["pin_threads"]'
  else
    skip "[pg] CPU pinning: this machine has one CPU"
  fi

  # 12. no secrets
  PW=s3cretpw
  SURI="postgresql://postgres:$PW@/$DB?host=${PGHOST:-}&port=${PGPORT:-5432}"
  bench -w reads --target "$SURI" -t 20 -P 1 --json "$T/sec.json"
  rc_is 0 "[pg] a password in the URI: the run works"
  assert_not_contains "$OUT$ERR" "$PW" "[pg] a password in the URI: not on stdout or stderr"
  assert_not_contains "$(cat "$T/sec.json")" "$PW" "[pg] a password in the URI: not in the JSON"
  assert_contains "$(jv "$T/sec.json" 'd["config"]["target"]')" "postgres:****@" "[pg] the JSON's target masks the password"
  bench -w reads --target "postgresql://postgres:$PW@/seedload_nosuchdb_$$?host=${PGHOST:-}&port=${PGPORT:-5432}" -t 20 --json "$T/sec2.json"
  rc_is 3 "[pg] a database that does not exist: exit 3"
  assert_contains "$ERR" "does not exist" "[pg] a database that does not exist: says so"
  assert_not_contains "$OUT$ERR" "$PW" "[pg] a database that does not exist: the password is not printed"
  assert_eq no "$([ -e "$T/sec2.json" ] && echo yes || echo no)" "[pg] a database that does not exist: no JSON written"
fi

# ------------------------------------------------------------------ 10. the server goes away
if [ $PG = 1 ]; then
  C2=$(mktmp)
  if out2=$("$ROOT/scripts/pg-cluster.sh" start "$C2" 2>&1); then
    read -r H2 P2 < <(bash -c "$out2"$'\necho "$PGHOST $PGPORT"')
    U2="postgresql://postgres:s3cretpw@/postgres?host=$H2&port=$P2"
    run generate "$L" --target "$U2" -q
    rc_is 0 "[pg2] generate library into a second throwaway cluster"
    "$SEEDLOAD" bench "$L" -w reads --target "$U2" -c 2 -T 60s --reconnect-timeout 3s --json "$T/gone.json" >"$T/gone.out" 2>"$T/gone.err" &
    BGPID=$!
    sleep 2
    "$ROOT/scripts/pg-cluster.sh" stop "$C2" >"$T/stop.log" 2>&1 || fail "[pg2] stop the second cluster" "$(cat "$T/stop.log")"
    C2=""
    t0=$(now)
    gone=0
    for ((i = 0; i < 200; i++)); do
      kill -0 "$BGPID" 2>/dev/null || { gone=1; break; }
      sleep 0.1
    done
    took=$(since "$t0")
    [ $gone = 1 ] || kill -KILL "$BGPID" 2>/dev/null
    wait "$BGPID"
    st=$?
    BGPID=""
    ERR=$(cat "$T/gone.err")
    sancheck "[pg2] bench while its server is stopped"
    if [ $gone = 1 ] && awk -v t="$took" 'BEGIN { exit !(t <= 10) }'; then
      ok "[pg2] server stopped: seedload ends within 10 s ($took s, --reconnect-timeout 3s)"
    else
      fail "[pg2] server stopped: seedload ends within 10 s" "still running after $took s (killed: $((1 - gone)))"
    fi
    assert_eq 3 "$st" "[pg2] server stopped: exit 3"
    assert_contains "$ERR" "could not reconnect" "[pg2] server stopped: stderr says the client could not reconnect"
    jtrue "[pg2] server stopped: the JSON is written, interrupted true, seconds < 60" "$T/gone.json" \
      'r["interrupted"] is True and r["seconds"] < 60 and s["transactions"] > 0' '[r["interrupted"], r["seconds"]]'
    assert_not_contains "$(cat "$T/gone.out" "$T/gone.err" "$T/gone.json" 2>/dev/null)" "s3cretpw" \
      "[pg2] server stopped: the password shows nowhere (stdout, stderr, JSON)"
  else
    skip "[pg2] a second PostgreSQL cluster could not be started: $(echo "$out2" | tail -n 1)"
    "$ROOT/scripts/pg-cluster.sh" stop "$C2" >/dev/null 2>&1
    C2=""
  fi
fi

# ------------------------------------------------------------------ 11. bad input
bench -w reeds --target "sqlite:$SQ" -t 1
rc_is 2 "unknown workload: exit 2"
assert_contains "$ERR" "no workload 'reeds'" "unknown workload: names it"
assert_contains "$ERR" "reads, writes, dup, contended, contended_no_retry" "unknown workload: lists the workloads there are"
bench -w reads --target "sqlite:$SQ" -c 0 -t 1
rc_is 2 "-c 0: exit 2"
assert_contains "$ERR" "-c (clients)" "-c 0: names -c"
bench -w reads --target "sqlite:$SQ" -j 3 -c 2 -t 1
rc_is 2 "[sqlite] -j 3 -c 2: exit 2"
assert_contains "$ERR" "-j (3) must not exceed -c (2)" "[sqlite] -j 3 -c 2: says -j must not exceed -c"
if [ $PG = 1 ]; then
  bench -w reads --target "postgresql:///$DB" -j 3 -c 2 -t 1
  rc_is 2 "[pg] -j 3 -c 2: exit 2"
  assert_contains "$ERR" "-j (3) must not exceed -c (2)" "[pg] -j 3 -c 2: says -j must not exceed -c"
fi
for d in 5x abc -1s; do
  bench -w reads --target "sqlite:$SQ" -T "$d"
  rc_is 2 "-T $d: exit 2"
  assert_contains "$ERR" "bad duration '$d'" "-T $d: names the bad duration"
done
bench -w reads --target "sqlite:$T/nope.db" -t 1
rc_is 2 "a SQLite file that does not exist: exit 2"
assert_contains "$ERR" "does not exist. Run \`seedload generate PROFILE --target sqlite:$T/nope.db\` first" \
  "a SQLite file that does not exist: advises seedload generate"
assert_eq no "$([ -e "$T/nope.db" ] && echo yes || echo no)" "a SQLite file that does not exist: is not created"
sqlite3 "$T/plain.db" "CREATE TABLE t (a INTEGER)"
bench -w reads --target "sqlite:$T/plain.db" -t 1
rc_is 2 "a SQLite file without seedload metadata: exit 2"
assert_contains "$ERR" "_seedload_meta" "a SQLite file without metadata: names _seedload_meta"
assert_contains "$ERR" "Run \`seedload generate PROFILE --target sqlite:$T/plain.db\` first" "a SQLite file without metadata: says to run generate"
if [ $PG = 1 ]; then
  DBE=seedload_bench_empty_$$
  PG_DBS+=("$DBE")
  if createdb "$DBE" 2>"$T/createdb.err"; then
    bench -w reads --target "postgresql:///$DBE" -t 1
    rc_is 2 "[pg] a database without seedload metadata: exit 2"
    assert_contains "$ERR" "_seedload_meta" "[pg] a database without metadata: names _seedload_meta"
    assert_contains "$ERR" "Run \`seedload generate PROFILE --target postgresql:///$DBE\` first" \
      "[pg] a database without metadata: advises exactly \`seedload generate PROFILE --target postgresql:///$DBE\`"
  else
    fail "createdb $DBE" "$(cat "$T/createdb.err")"
  fi
fi

# Broken workloads: a copy of the profile (absolute paths) with three more workloads.
BR=$T/broken
mkdir -p "$BR"
sed -e "s|sql/library|$ROOT/tests/profiles/sql/library|" -e "s|\.\./\.\./profiles/dicts|$ROOT/profiles/dicts|" "$L" >"$BR/lib.yaml"
cat >>"$BR/lib.yaml" <<'EOF'
  badcol:
    transactions:
      q:
        params: {a: {gen: ref, table: authors, column: id}}
        sql: SELECT nosuchcol FROM authors WHERE id = :a
  badref:
    transactions:
      q:
        params: {a: {gen: ref, table: authors, column: nosuchcolumn}}
        sql: SELECT name FROM authors WHERE id = :a
  badfresh:
    transactions:
      q:
        params: {t: {gen: fresh, table: books, column: title}}
        sql: SELECT id FROM books WHERE title = :t
EOF
# where WORD: "LINE:COL" of the first occurrence of WORD in the copy.
where() { awk -v w="$1" 'i = index($0, w) { print NR ":" i; exit }' "$BR/lib.yaml"; }
BSQ=$T/broken.db
run generate "$BR/lib.yaml" --target "sqlite:$BSQ" -q
rc_is 0 "generate the profile copy with broken workloads into SQLite"
BTARGETS=("sqlite:$BSQ")
if [ $PG = 1 ]; then
  DBB=seedload_bench_broken_$$
  PG_DBS+=("$DBB")
  if createdb "$DBB" 2>"$T/createdb.err"; then
    run generate "$BR/lib.yaml" --target "postgresql:///$DBB" -q
    rc_is 0 "generate the profile copy with broken workloads into PostgreSQL"
    BTARGETS+=("postgresql:///$DBB")
  else
    fail "createdb $DBB" "$(cat "$T/createdb.err")"
  fi
fi
for tgt in "${BTARGETS[@]}"; do
  tag=sqlite
  case $tgt in postgresql:*) tag=pg ;; esac
  run bench "$BR/lib.yaml" -w badcol --target "$tgt" -c 2 -t 1 --json "$T/badcol.json"
  rc_is 2 "[$tag] a statement that fails to prepare: exit 2"
  assert_contains "$ERR" "workload 'badcol', statement q#1 failed to prepare" "[$tag] prepare failure: names the workload and statement"
  assert_contains "$ERR" "SQL: SELECT nosuchcol FROM authors WHERE id = :a" "[$tag] prepare failure: shows the SQL"
  if [ $tag = pg ]; then
    assert_contains "$ERR" 'column "nosuchcol" does not exist' "[pg] prepare failure: the server's message"
    assert_contains "$ERR" "42703" "[pg] prepare failure: SQLSTATE 42703"
  else
    assert_contains "$ERR" "no such column: nosuchcol" "[sqlite] prepare failure: SQLite's message"
  fi
  assert_eq no "$([ -e "$T/badcol.json" ] && echo yes || echo no)" "[$tag] prepare failure: no JSON written"

  run bench "$BR/lib.yaml" -w badref --target "$tgt" -t 1
  rc_is 2 "[$tag] ref to a missing column: exit 2"
  assert_contains "$ERR" "$BR/lib.yaml:$(where nosuchcolumn): error: no column 'nosuchcolumn' in table 'authors'" \
    "[$tag] ref to a missing column: file:line:col error pointing at it ($(where nosuchcolumn))"
  run bench "$BR/lib.yaml" -w badfresh --target "$tgt" -t 1
  rc_is 2 "[$tag] fresh on books.title (words): exit 2"
  assert_contains "$ERR" "$BR/lib.yaml:$(where 'column: title}' | awk -F: '{ print $1 ":" $2 + 8 }'): error: fresh: column 'title' of 'books'" \
    "[$tag] fresh on books.title: file:line:col error mentioning fresh and the column"
done

# ------------------------------------------------------------------ 13. determinism
run bench "$L" -w reads --target "sqlite:$SQ" --print-params 5 --seed 9
rc_is 0 "--print-params 5 --seed 9: exit 0"
P9=$OUT
assert_eq 10 "$(echo "$P9" | grep -cE '^(author|books_of) #[0-4] a=([1-9]|1[0-9]|20)$')" \
  "--print-params 5: five rows per transaction, each an existing author id (1..20)"
run bench "$L" -w reads --target "sqlite:$SQ" --print-params 5 --seed 9
assert_eq "$P9" "$OUT" "--print-params 5 --seed 9 twice: the same rows"
run bench "$L" -w reads --target "sqlite:$SQ" --print-params 5 --seed 10
if [ -n "$OUT" ] && [ "$OUT" != "$P9" ]; then ok "--print-params 5 --seed 10: other rows than --seed 9"; else
  mapfile -t same < <(echo "$OUT" | head -n 4)
  fail "--print-params 5 --seed 10: other rows than --seed 9" "both print:" "${same[@]}"
fi
if [ $PG = 1 ]; then
  run bench "$L" -w reads --target "postgresql:///$DB" --print-params 5 --seed 9
  assert_eq "$P9" "$OUT" "[pg] --print-params 5 --seed 9: the same rows as on SQLite (same dataset)"
fi
bench -w reads --target "sqlite:$SQ" -c 1 -t 5 -q --seed 9 --json "$T/seed.json"
jcheck "--seed 9: config.bench_seed = 9" "$T/seed.json" 9 'd["config"]["bench_seed"]'
jcheck "SQLite: config.pin_threads is false (a thread per client, never pinned)" "$T/seed.json" false 'd["config"]["pin_threads"]'

[ "$TEST_FAILS" -eq 0 ]
