# bench/pg_select.sh — the bench runner against pgbench on the same queries (issue 5).
# Sourced by bench/run.sh (run it as `bench/run.sh pg_select`); uses run.sh's helpers and
# bench/pg_common.sh. Starts its own throwaway PostgreSQL server and talks to no other.
#
# tpcb --scale 10 is loaded once with seedload (schema tpcb; pgbench reads it with
# PGOPTIONS='-c search_path=tpcb'), then, for C = 8 and 64 clients, alternating (the order
# rotates from one repetition to the next), each for the same duration (20 s):
#   seedload   seedload bench profiles/tpcb.yaml --workload select-only
#                --target postgresql:///DB -c C -j 2 -T 20s --json F
#   pgbench    pgbench -n -S -M prepared -c C -j 2 -T 20 DB
#   sysbench   sysbench oltp_point_select --db-driver=pgsql --threads=C --time=20 run, on its
#              own 1,000,000-row table (sbtest1, made by `sysbench ... prepare` beforehand), when
#              sysbench is installed: a third reference (one OS thread per client, prepared
#              statements, SELECT c FROM sbtest1 WHERE id = ?)
# All three send one prepared point SELECT per transaction with a uniform random key.
# Reported: TPS as each tool reports it (seedload: transactions / duration; pgbench: without
# the initial connection time; sysbench: events / total time), the client's CPU time
# (user+sys of its process from /usr/bin/time) per transaction, the server's CPU per
# transaction, seedload's p50/p99 (from its JSON) beside pgbench's and sysbench's average
# latency (pgbench keeps no histogram without -l). Each run must end without errors.
# Before the runs (not recorded): a 5 s warm-up of each tool, so all start with a warm cache.
# Goals (the issue's): seedload's TPS >= pgbench's, with no more client CPU per transaction.
# Environment: SELECT_DURATION (seconds, default 20), SELECT_CLIENTS ("8 64"),
# SELECT_THREADS (2), SELECT_SCALE (10), SELECT_SYSBENCH (1; 0 skips sysbench),
# SELECT_WARMUP (seconds, default 5; 0 skips the warm-up).

# shellcheck shell=bash disable=SC2016 # ($BEFORE_RUN/$AFTER_RUN are evaluated later: single quotes on purpose)

# shellcheck source=bench/pg_common.sh
. "$BENCH_DIR/pg_common.sh"

dur=${SELECT_DURATION:-20}
clients=${SELECT_CLIENTS:-8 64}
threads=${SELECT_THREADS:-2}
scale=${SELECT_SCALE:-10}
use_sysbench=${SELECT_SYSBENCH:-1}
warm=${SELECT_WARMUP:-5}
tpcb="$ROOT/profiles/tpcb.yaml"
n_acc=$((100000 * scale))
json="$WORK/select.json"
if [ "$use_sysbench" = 1 ] && ! command -v sysbench >/dev/null 2>&1; then
  use_sysbench=0
  sysbench_note="sysbench is not installed (scripts/deps.sh bench installs it): no sysbench reference"
else
  sysbench_note=""
fi

log "## pg_select: select-only on tpcb --scale $scale ($n_acc accounts), seedload bench vs pgbench -S -M prepared$([ "$use_sysbench" = 1 ] && echo " vs sysbench oltp_point_select"); -c ${clients// /, } -j $threads, ${dur} s per run"
pg_start
log "   $REPS repetitions per client count, tools alternating (order rotated per repetition); medians [min-max]"
if [ -n "$sysbench_note" ]; then log "   $sysbench_note"; fi

fresh_db sel
"$SL" generate "$tpcb" --scale "$scale" --target postgresql:///sel -q
got=$(psqlq sel "SELECT count(*) FROM tpcb.pgbench_accounts")
[ "$got" = "$n_acc" ] || { log "the load left $got accounts, expected $n_acc"; exit 1; }
log "   loaded with seedload: $got accounts in schema tpcb of database sel"
sb_args=()
if [ "$use_sysbench" = 1 ]; then
  fresh_db sbtest
  sb_args=(oltp_point_select --db-driver=pgsql --pgsql-host="$PGHOST" --pgsql-port="$PGPORT"
    --pgsql-user=postgres --pgsql-db=sbtest --tables=1 --table-size="$n_acc")
  sysbench "${sb_args[@]}" prepare >"$WORK/sb-prepare.out" 2>&1 || { log "sysbench prepare failed:"; tail -5 "$WORK/sb-prepare.out" | tee -a "$RAW"; exit 1; }
  got=$(psqlq sbtest "SELECT count(*) FROM sbtest1")
  [ "$got" = "$n_acc" ] || { log "sysbench prepare left $got rows, expected $n_acc"; exit 1; }
  log "   sysbench: $(sysbench --version), table sbtest1 with $got rows in database sbtest"
fi
psqlq postgres "VACUUM ANALYZE" >/dev/null 2>&1 || true
psqlq sel "VACUUM ANALYZE" >/dev/null
if [ "$use_sysbench" = 1 ]; then psqlq sbtest "VACUUM ANALYZE" >/dev/null; fi

fail() { echo "$*" | tee -a "$RAW" >&2; return 1; }

# Parse each tool's result into key=value pairs (tx, tps, lat_avg_ms, ...) and check it.
parse_seedload() {
  local v
  v=$(jq -r '.runs[0] | "tx=\(.summary.transactions) tps=\(.summary.tps) errors=\(.summary.errors) reconnects=\(.summary.reconnects) lat_avg_ms=\(.latency.mean / 1e6) p50_ms=\(.latency.p50 / 1e6) p99_ms=\(.latency.p99 / 1e6) p999_ms=\(.latency["p99.9"] / 1e6) max_ms=\(.latency.max / 1e6)"' "$json") ||
    fail "cannot read seedload's results $json" || return 1
  case $v in *" errors=0 reconnects=0 "*) ;; *) fail "seedload bench had errors: $v" || return 1 ;; esac
  echo "$v"
}
parse_pgbench() {
  awk '/^number of transactions actually processed:/ { tx = $6 }
       /^number of failed transactions:/ { f = $5 }
       /^latency average =/ { lat = $4 }
       /^initial connection time =/ { ic = $5 }
       /^tps =/ { tps = $3 }
       END { if (tx == "" || tps == "") exit 1
             printf "tx=%s tps=%s errors=%s lat_avg_ms=%s conn_ms=%s\n", tx, tps, (f == "" ? 0 : f), lat, ic }' "$WORK/last.out" ||
    fail "cannot read pgbench's output" || return 1
  grep -q '^number of failed transactions: 0 ' "$WORK/last.out" || fail "pgbench had failed transactions" || return 1
}
parse_sysbench() {
  awk '/^ +transactions:/ { tx = $2; tps = $3; gsub(/[(]/, "", tps) }
       /^ +ignored errors:/ { e = $3 }
       /^ +avg:/ { lat = $2 }
       /^ +95th percentile:/ { p95 = $3 }
       END { if (tx == "") exit 1
             printf "tx=%s tps=%s errors=%s lat_avg_ms=%s p95_ms=%s\n", tx, tps, e, lat, p95 }' "$WORK/last.out" ||
    fail "cannot read sysbench's output" || return 1
  grep -Eq '^ +ignored errors: +0 ' "$WORK/last.out" || fail "sysbench had errors" || return 1
}
# CPU per transaction (µs), client and server, from pg_timed's figures and the tx= above.
per_tx() { awk -v c="$T_CPU" -v s="$T_SRV" '{ for (i = 1; i <= NF; i++) if (index($i, "tx=") == 1) tx = substr($i, 4) }
  END { if (tx > 0) printf "client_us_per_tx=%.3f server_us_per_tx=%.3f\n", c / tx * 1e6, s / tx * 1e6 }'; }

run_tool() { # TOOL CLIENTS DURATION LABEL
  local tool=$1 c=$2 d=$3 label=$4 BEFORE_RUN="" AFTER_RUN
  case $tool in
    seedload)
      BEFORE_RUN='rm -f "$json"'
      AFTER_RUN='v=$(parse_seedload) && echo "$v" && echo "$v" | per_tx'
      pg_timed "$label" "$SL" bench "$tpcb" --workload select-only --target postgresql:///sel \
        -c "$c" -j "$threads" -T "${d}s" --json "$json"
      ;;
    pgbench)
      AFTER_RUN='v=$(parse_pgbench) && echo "$v" && echo "$v" | per_tx'
      pg_timed "$label" env PGOPTIONS='-c search_path=tpcb' pgbench -n -S -M prepared -c "$c" -j "$threads" -T "$d" sel
      ;;
    sysbench)
      AFTER_RUN='v=$(parse_sysbench) && echo "$v" && echo "$v" | per_tx'
      pg_timed "$label" sysbench "${sb_args[@]}" --threads="$c" --time="$d" --report-interval=0 run
      ;;
  esac
}

tools="seedload pgbench"
if [ "$use_sysbench" = 1 ]; then tools="$tools sysbench"; fi
read -r -a tlist <<<"$tools"
nt=${#tlist[@]}
if [ "$warm" -gt 0 ]; then
  for t in $tools; do run_tool "$t" 8 "$warm" "warmup $t"; done
fi
for c in $clients; do
  for r in $(seq 1 "$REPS"); do
    for i in $(seq 0 $((nt - 1))); do
      t=${tlist[$(((i + r - 1) % nt))]}
      run_tool "$t" "$c" "$dur" "select c=$c $t rep=$r"
    done
  done
done

# ---------------------------------------------------------------- summary
label_of() {
  case $1 in
    seedload) echo "seedload bench --workload select-only -c C -j $threads" ;;
    pgbench) echo "pgbench -n -S -M prepared -c C -j $threads" ;;
    sysbench) echo "sysbench oltp_point_select --threads C" ;;
  esac
}
# paired ratios A/B of KEY within each repetition
paired() { awk -v k="$1=" -v c="$2" -v a="$3" -v b="$4" '
    $1 == "select" && $2 == "c=" c && ($3 == a || $3 == b) {
      r = $4; for (i = 1; i <= NF; i++) if (index($i, k) == 1) v = substr($i, length(k) + 1)
      if ($3 == a) x[r] = v; else y[r] = v }
    END { for (r in x) if ((r in y) && y[r] != 0) printf "%.2f\n", x[r] / y[r] }' "$RAW" | sort -g | tr '\n' ' '; }
log ""
log "pg_select summary: ${dur} s per run; TPS as each tool reports it; client CPU = user+sys of the tool's process; server CPU = the postmaster and its children during the run"
for c in $clients; do
  log ""
  log "$c clients:"
  log "| command | TPS: median [min-max] | quiet: median (n) | client CPU s | client µs CPU per tx | server µs CPU per tx | latency avg ms | p50 ms | p99 ms |"
  log "|---|---|---|---|---|---|---|---|---|"
  for t in $tools; do
    p="select c=$c $t rep="
    log "| $(label_of "$t") | $(mr tps "$p" %.0f) | $(qmedf tps "$p" %.0f) ($(qn tps "$p")) | $(med cpu "$p") | $(mr client_us_per_tx "$p" %.2f) | $(medf server_us_per_tx "$p" %.2f) | $(medf lat_avg_ms "$p" %.3f) | $(if [ "$t" = seedload ]; then medf p50_ms "$p" %.3f; else echo "–"; fi) | $(if [ "$t" = seedload ]; then medf p99_ms "$p" %.3f; elif [ "$t" = sysbench ]; then echo "p95 $(medf p95_ms "$p" %.3f)"; else echo "–"; fi) |"
  done
  st=$(med tps "select c=$c seedload rep=")
  pt=$(med tps "select c=$c pgbench rep=")
  sc=$(med client_us_per_tx "select c=$c seedload rep=")
  pc=$(med client_us_per_tx "select c=$c pgbench rep=")
  tr_=$(fdiv "$st" "$pt")
  cr=$(fdiv "$sc" "$pc")
  log "goal seedload TPS >= pgbench's ($c clients): $tr_ x ($(awk -v r="$tr_" 'BEGIN { print (r != "n/a" && r + 0 >= 1) ? "met" : "NOT met" }')); per repetition: $(paired tps "$c" seedload pgbench)"
  log "goal client CPU per tx <= pgbench's ($c clients): $cr x ($(awk -v r="$cr" 'BEGIN { print (r != "n/a" && r + 0 <= 1) ? "met" : "NOT met" }')); per repetition: $(paired client_us_per_tx "$c" seedload pgbench)"
  log "   server CPU per tx, seedload ÷ pgbench: $(fdiv "$(med server_us_per_tx "select c=$c seedload rep=")" "$(med server_us_per_tx "select c=$c pgbench rep=")") x; quiet runs TPS: $(fdiv "$(qmed tps "select c=$c seedload rep=")" "$(qmed tps "select c=$c pgbench rep=")") x"
  if [ "$use_sysbench" = 1 ]; then
    log "   against sysbench: TPS $(fdiv "$st" "$(med tps "select c=$c sysbench rep=")") x, client CPU per tx $(fdiv "$sc" "$(med client_us_per_tx "select c=$c sysbench rep=")") x"
  fi
done
log ""
log "$(noise_line)"
