# bench/pg_load.sh — loading PostgreSQL: seedload against pgbench -i, side by side (issue 4).
# Sourced by bench/run.sh (run it as `bench/run.sh pg_load`); uses run.sh's helpers and
# bench/pg_common.sh. Starts its own throwaway PostgreSQL server and talks to no other.
#
# 1. tpcb, the pgbench schema, --scale 10 (1,000,110 rows), five ways, alternating (the order
#    rotates from one repetition to the next), each into a database of its own on one server:
#      seedload     seedload generate profiles/tpcb.yaml --scale 10 --target postgresql:///DB
#                   (default options: --jobs = CPUs, at most 4; --threads = CPUs)
#      seedload-j1  the same with --jobs 1
#      seedload-j2  the same with --jobs 2
#      pgbench      pgbench -i -s 10 DB          (client-side generation, steps "dtgvp")
#      pgbench-G    pgbench -i -s 10 -I dtGvp DB (server-side generation)
#    in two modes, each measured separately:
#      fresh        every run loads into a database created just before (not timed): a first
#                   load. seedload creates its schema (and checks its catalog) and swaps the
#                   staging schema in; pgbench's "d" step finds nothing to drop.
#      replace      every run loads into the database the previous run of the same variant
#                   filled: a refresh. seedload (--force, else it skips an identical dataset)
#                   builds the new data beside the old and drops the old schema in its swap;
#                   pgbench drops its old tables first ("d").
#    Before each run (not timed): CHECKPOINT, so that no run pays for the dirty buffers of the
#    one before. After each run (not timed) the data is checked: row counts of the four tables
#    (1,000,000 accounts...), sums of aid and bid, abalance 0, the filler 84 bytes, the three
#    primary keys, no staging schema left; and seedload's summary must count 1,000,110 rows
#    (it was not skipped).
#    Goal (the issue's): seedload's wall time <= 0.8x pgbench -i's.
# 2. seedload's rows/s on PostgreSQL for profiles/lumix.yaml and profiles/edupulse.yaml,
#    --scenario medium, --jobs 1 and 2 alternating, fresh and replace as above; every table's
#    row count is checked against seedload's summary.
# 3. Where the time goes: one more run of seedload (fresh and replace) and of both pgbench
#    variants with the server logging every statement (log_min_duration_statement = 0,
#    log_connections): the span and the busy time (sum over connections) of each phase —
#    catalog/other statements, DDL, rows (COPY or INSERT ... SELECT), primary keys/indexes,
#    VACUUM, ANALYZE, metadata, swap — on the client's clock. Then what a VACUUM of the loaded
#    accounts table still costs afterwards (pgbench -i vacuums inside its time, seedload does
#    not: autovacuum would do it later). With PROFILE=1 also system-wide perf profiles of one
#    seedload and one pgbench load (client and server side by side).
#
# The server runs with autovacuum off (pg_common.sh), so no vacuum started by one run lands in
# another; client CPU is seedload's or pgbench's (user+sys from /usr/bin/time), server CPU is
# the postmaster's and all its children's during the run (server_cpu=).
# Environment: PGLOAD_SCALE (10), PGLOAD_REPS (default REPS), PGLOAD_MODES ("fresh replace"),
# PGLOAD_VARIANTS ("seedload pgbench pgbench-G seedload-j1 seedload-j2"),
# PGLOAD_PROFILES ("lumix edupulse"; "" skips part 2), PGLOAD_SCENARIO (medium),
# PGLOAD_JOBS ("1 2").

# shellcheck shell=bash disable=SC2016 # ($BEFORE_RUN/$AFTER_RUN are evaluated later: single quotes on purpose)

# shellcheck source=bench/pg_common.sh
. "$BENCH_DIR/pg_common.sh"

scale=${PGLOAD_SCALE:-10}
reps=${PGLOAD_REPS:-$REPS}
modes=${PGLOAD_MODES:-fresh replace}
variants=${PGLOAD_VARIANTS:-seedload pgbench pgbench-G seedload-j1 seedload-j2}
profiles=${PGLOAD_PROFILES-lumix edupulse}
pscenario=${PGLOAD_SCENARIO:-medium}
pjobs=${PGLOAD_JOBS:-1 2}
tpcb="$ROOT/profiles/tpcb.yaml"
case $scale in '' | *[!0-9]* | 0) log "PGLOAD_SCALE must be a positive integer"; exit 2 ;; esac
n_acc=$((100000 * scale))
n_rows=$((n_acc + 11 * scale))
default_jobs=$(nproc)
[ "$default_jobs" -gt 4 ] && default_jobs=4

log "## pg_load: tpcb --scale $scale ($n_rows rows) into PostgreSQL, seedload vs pgbench -i; then seedload's rows/s for ${profiles:-no other profile} --scenario $pscenario"
pg_start
log "   $reps repetitions per variant and mode, variants alternating (order rotated per repetition); medians [min-max]; server data on $WORK_FS"
log "   seedload's default --jobs here: $default_jobs (CPUs: $(nproc), at most 4)"

# ---------------------------------------------------------------- tpcb
cmd_for() { # VARIANT DB MODE -> sets cmd (array) and schema
  local v=$1 db=$2 mode=$3
  schema=tpcb
  case $v in
    seedload) cmd=("$SL" generate "$tpcb" --scale "$scale" --target "postgresql:///$db") ;;
    seedload-j1) cmd=("$SL" generate "$tpcb" --scale "$scale" --target "postgresql:///$db" --jobs 1) ;;
    seedload-j2) cmd=("$SL" generate "$tpcb" --scale "$scale" --target "postgresql:///$db" --jobs 2) ;;
    pgbench) cmd=(pgbench -i -s "$scale" "$db"); schema=public ;;
    pgbench-G) cmd=(pgbench -i -s "$scale" -I dtGvp "$db"); schema=public ;;
    *) log "unknown variant $v (PGLOAD_VARIANTS)"; return 1 ;;
  esac
  if [ "$mode" = replace ]; then case $v in seedload*) cmd+=(--force) ;; esac; fi
}

fail() { echo "$*" | tee -a "$RAW" >&2; return 1; }

# check_tpcb DB SCHEMA VARIANT: the data is pgbench's, row for row; prints key=value pairs.
check_tpcb() {
  local db=$1 s=$2 v=$3 got want total
  got=$(psqlq "$db" "SELECT concat_ws(' ',
      (SELECT count(*) FROM $s.pgbench_branches), (SELECT count(*) FROM $s.pgbench_tellers),
      (SELECT concat_ws(' ', count(*), sum(aid::bigint), sum(bid::bigint), sum(abalance), min(octet_length(filler)), max(octet_length(filler))) FROM $s.pgbench_accounts),
      (SELECT count(*) FROM $s.pgbench_history),
      (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE i.indisprimary AND c.relnamespace = '$s'::regnamespace AND c.relname LIKE 'pgbench%'),
      (SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%seedload_new%'))") ||
    fail "$v: cannot read the loaded tables in $db" || return 1
  want="$scale $((10 * scale)) $n_acc $((n_acc * (n_acc + 1) / 2)) $((100000 * scale * (scale + 1) / 2)) 0 84 84 0 3 0"
  [ "$got" = "$want" ] || fail "$v: wrong data in $db: got '$got', expected '$want' (branches tellers accounts sum(aid) sum(bid) sum(abalance) min/max octet_length(filler) history primary-keys staging-schemas)" || return 1
  case $v in
    seedload*)
      total=$(awk '$1 == "total" { print $2 }' "$WORK/last.out")
      [ "$total" = "$n_rows" ] || fail "$v: seedload's summary says '$total' rows, expected $n_rows (skipped?)" || return 1
      awk '$1 == "total" { printf "rows=%s sl_total_s=%s ", $2, $3 } $1 == "pgbench_accounts" { printf "sl_accounts_s=%s ", $3 }' "$WORK/last.out"
      ;;
    pgbench*)
      # "done in 0.95 s (drop tables 0.00 s, create tables 0.00 s, client-side generate 0.66 s, vacuum 0.11 s, primary keys 0.18 s)."
      printf 'rows=%s ' "$n_rows"
      sed -n 's/^done in \([0-9.]*\) s (\(.*\))\.$/total \1 s, \2/p' "$WORK/last.err" | tr ',' '\n' |
        awk '{ sub(/^ +/, ""); v = $(NF - 1); $NF = ""; $(NF - 1) = ""; k = $0; gsub(/[^a-z]+/, "_", k); sub(/_$/, "", k); printf "pgb_%s_s=%s ", k, v }'
      ;;
  esac
  printf 'data=ok\n'
}

run_tpcb() { # MODE VARIANT REP
  local mode=$1 v=$2 r=$3 db="${1}_${2//-/_}" cmd schema
  cmd_for "$v" "$db" "$mode"
  if [ "$mode" = fresh ]; then
    local BEFORE_RUN='fresh_db "$db"; pg_checkpoint'
  else
    local BEFORE_RUN='pg_checkpoint'
  fi
  local AFTER_RUN='check_tpcb "$db" "$schema" "$v"'
  pg_timed "tpcb $mode $v rep=$r" "${cmd[@]}"
}

# Replace mode starts from a database the same variant filled (not timed).
for mode in $modes; do
  [ "$mode" = replace ] || continue
  for v in $variants; do
    db="replace_${v//-/_}"
    fresh_db "$db"
    cmd_for "$v" "$db" fresh
    "${cmd[@]}" >"$WORK/last.out" 2>"$WORK/last.err" || { log "initial load of $db failed:"; tail -5 "$WORK/last.err" | tee -a "$RAW"; exit 1; }
  done
done

read -r -a vlist <<<"$variants"
nv=${#vlist[@]}
for r in $(seq 1 "$reps"); do
  for mode in $modes; do
    for i in $(seq 0 $((nv - 1))); do
      run_tpcb "$mode" "${vlist[$(((i + r - 1) % nv))]}" "$r"
    done
  done
done
{
  echo "# table sizes after the runs (pg_total_relation_size, MB), fresh databases:"
  for v in $variants; do
    db="fresh_${v//-/_}"
    case $v in pgbench*) s=public ;; *) s=tpcb ;; esac
    echo "#   $v: $(psqlq "$db" "SELECT string_agg(c.relname || ' ' || round(pg_total_relation_size(c.oid) / 1e6, 1), ', ' ORDER BY c.relname) FROM pg_class c WHERE c.relnamespace = '$s'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'pgbench%'" 2>/dev/null || echo '?')"
  done
} >>"$RAW"

# ---------------------------------------------------------------- other profiles
# check_profile DB: every table holds the rows seedload's summary (and its metadata) says.
check_profile() {
  local db=$1 meta line name rows sql got want total n=0
  meta=$(psqlq "$db" "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = '_seedload_tables'") ||
    fail "$db: no _seedload_tables" || return 1
  while read -r line; do
    name=${line%% *} line=${line#* } rows=${line%% *} sql=${line#* }
    got=$(psqlq "$db" "SELECT count(*) FROM $sql")
    want=$(awk -v t="$name" '$1 == t { print $2 }' "$WORK/last.out")
    [ "$got" = "$rows" ] && [ "$got" = "$want" ] ||
      fail "$db: table $sql has $got rows; the metadata says $rows, seedload's summary '$want'" || return 1
    n=$((n + 1))
  done < <(psqlq "$db" "SELECT name || ' ' || rows || ' ' || sql_name FROM \"$meta\"._seedload_tables ORDER BY load_order")
  total=$(awk '$1 == "total" { print $2 }' "$WORK/last.out")
  [ -n "$total" ] && [ "$n" -gt 0 ] || fail "$db: no 'total' line in seedload's summary (skipped?)" || return 1
  echo "rows=$total tables=$n data=ok"
}

run_profile() { # MODE PROFILE JOBS REP
  local mode=$1 p=$2 j=$3 r=$4 db="${1}_$2" cmd
  cmd=("$SL" generate "$ROOT/profiles/$p.yaml" --scenario "$pscenario" --target "postgresql:///$db" --jobs "$j")
  if [ "$mode" = fresh ]; then
    local BEFORE_RUN='fresh_db "$db"; pg_checkpoint'
  else
    local BEFORE_RUN='pg_checkpoint'
    cmd+=(--force)
  fi
  local AFTER_RUN='check_profile "$db"'
  pg_timed "prof $p $mode jobs=$j rep=$r" "${cmd[@]}"
}

read -r -a jlist <<<"$pjobs"
for p in $profiles; do
  for mode in $modes; do
    if [ "$mode" = replace ]; then
      fresh_db "replace_$p"
      "$SL" generate "$ROOT/profiles/$p.yaml" --scenario "$pscenario" --target "postgresql:///replace_$p" -q >"$WORK/last.out" 2>"$WORK/last.err" ||
        { log "initial load of replace_$p failed:"; tail -5 "$WORK/last.err" | tee -a "$RAW"; exit 1; }
    fi
    for r in $(seq 1 "$reps"); do
      for i in $(seq 0 $((${#jlist[@]} - 1))); do
        run_profile "$mode" "$p" "${jlist[$(((i + r - 1) % ${#jlist[@]}))]}" "$r"
      done
    done
  done
  for mode in $modes; do drop_db "${mode}_$p"; done
done

# ---------------------------------------------------------------- where the time goes
# phases T0 T1 < server log lines: key=value pairs, seconds from T0 (the client's start).
phases() {
  awk -v t0="$1" -v t1="$2" '
    function cat_of(s) {
      if (s ~ /^(insert into|create table) [^ ]*_seedload_(meta|tables)/) return "meta"
      if (s ~ /^copy / || s ~ /^insert into pgbench_/) return "rows"
      if (s ~ /primary key/ || s ~ /create (unique )?index/) return "index"
      if (s ~ /^vacuum/) return "vacuum"
      if (s ~ /^analyze/) return "analyze"
      if (s ~ /alter schema .* rename/) return "swap"
      if (s ~ /create table|create schema|drop table|create extension|create type|create (or replace )?function|create trigger|truncate|alter table|create view|create sequence/) return "ddl"
      return "other"
    }
    $1 ~ /^[0-9]+\.[0-9]+$/ {
      ts = $1 - t0
      if (index($0, "LOG:  connection received") > 0) { nconn++; if (c0 == "") c0 = ts; next }
      if (index($0, "LOG:  disconnection") > 0) { dl = ts; next }
      p = index($0, "LOG:  duration: ")
      if (p == 0) next
      rest = substr($0, p + 16)
      d = rest + 0
      sub(/^[0-9.]+ ms +/, "", rest)
      sub(/^(statement|parse|bind|execute)[^:]*: /, "", rest)
      k++; C[k] = cat_of(tolower(rest)); A[k] = ts - d / 1000; B[k] = ts; D[k] = d / 1000
      if (C[k] != "other" && (work == "" || A[k] < work)) work = A[k]
    }
    END {
      # "other" statements before the first DDL/COPY/... are the setup (connect, lock, catalog
      # checks); the rest are SET, BEGIN/COMMIT and the like between the phases.
      for (i = 1; i <= k; i++) {
        c = C[i]; if (c == "other" && B[i] <= work) c = "setup"
        if (!(c in n) || A[i] < first[c]) first[c] = A[i]
        if (!(c in n) || B[i] > last[c]) last[c] = B[i]
        busy[c] += D[i]; n[c]++
      }
      printf "ph_first_connection=%.3f ph_connections=%d ph_last_disconnection=%.3f ph_client_end=%.3f", c0, nconn, dl, t1 - t0
      split("setup ddl rows index vacuum analyze meta swap other", order, " ")
      for (i = 1; i <= 9; i++) { c = order[i]; if (c in n) printf " ph_%s=%.3f:%.3f:%.3f:%d", c, first[c], last[c], busy[c], n[c] }
      printf "\n"
    }'
}

psqlq postgres "ALTER SYSTEM SET log_min_duration_statement = 0" >/dev/null
psqlq postgres "ALTER SYSTEM SET log_connections = on" >/dev/null
psqlq postgres "ALTER SYSTEM SET log_disconnections = on" >/dev/null
psqlq postgres "SELECT pg_reload_conf()" >/dev/null
# shellcheck disable=SC2034 # used in $BEFORE_RUN/$AFTER_RUN
srvlog="$PGDIR/server.log"
run_phases() { # MODE VARIANT
  # shellcheck disable=SC2034 # pos is set and read in $BEFORE_RUN/$AFTER_RUN
  local mode=$1 v=$2 db="phases_${1}_${2//-/_}" cmd schema pos
  cmd_for "$v" "$db" "$mode"
  if [ "$mode" = fresh ]; then
    local BEFORE_RUN='fresh_db "$db"; pg_checkpoint; pos=$(wc -l <"$srvlog")'
  else
    fresh_db "$db"
    "${cmd[@]}" >/dev/null 2>&1
    local BEFORE_RUN='pg_checkpoint; pos=$(wc -l <"$srvlog")'
  fi
  # The log is read before check_tpcb, whose own statements are logged too.
  local AFTER_RUN='tail -n +$((pos + 1)) "$srvlog" | phases "$T_T0" "$T_T1"; check_tpcb "$db" "$schema" "$v"'
  pg_timed "phases $mode $v" "${cmd[@]}"
  # What VACUUM still has to do on the loaded accounts table (not part of any timed figure).
  local v0 v1
  v0=$(date +%s%N)
  psqlq "$db" "VACUUM $schema.pgbench_accounts" >/dev/null
  v1=$(date +%s%N)
  echo "vacuum-after $mode $v vacuum_s=$(awk -v a="$v0" -v b="$v1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" >>"$RAW"
  drop_db "$db"
}
for mode in $modes; do
  for v in seedload pgbench pgbench-G; do
    case " $variants " in *" $v "*) run_phases "$mode" "$v" ;; esac
  done
done
psqlq postgres "ALTER SYSTEM RESET log_min_duration_statement" >/dev/null
psqlq postgres "ALTER SYSTEM RESET log_connections" >/dev/null
psqlq postgres "ALTER SYSTEM RESET log_disconnections" >/dev/null
psqlq postgres "SELECT pg_reload_conf()" >/dev/null

if [ "$PROFILE" = 1 ] && [ "$HAVE_PERF" = 1 ]; then
  for v in seedload pgbench; do
    db="perf_$v"
    fresh_db "$db"
    pg_checkpoint
    cmd_for "$v" "$db" fresh
    perf record -a -q -o "$WORK/perf.data" -- "${cmd[@]}" >/dev/null 2>&1
    {
      echo "# perf record -a (all CPUs) during one fresh load by $v: share per command"
      perf report -i "$WORK/perf.data" --no-children --sort comm -g none --stdio 2>/dev/null | top 8
      echo "# perf, $v load: top symbols (command, library, symbol)"
      perf report -i "$WORK/perf.data" --no-children --sort comm,dso,symbol -g none --stdio 2>/dev/null | top 40
    } >>"$RAW"
    rm -f "$WORK/perf.data"
    drop_db "$db"
  done
fi

# ---------------------------------------------------------------- summary
label_of() {
  case $1 in
    seedload) echo "seedload generate (default: --jobs $default_jobs)" ;;
    seedload-j1) echo "seedload generate --jobs 1" ;;
    seedload-j2) echo "seedload generate --jobs 2" ;;
    pgbench) echo "pgbench -i (dtgvp, client-side)" ;;
    pgbench-G) echo "pgbench -i -I dtGvp (server-side)" ;;
  esac
}
log ""
log "pg_load summary: tpcb --scale $scale, $n_rows rows; wall time of the command; CPU s = user+sys; quiet runs: other processes used at most $(awk -v q="$QUIET_OTHER" 'BEGIN { printf "%.0f", q * 100 }')% of a CPU"
for mode in $modes; do
  pw=$(med wall "tpcb $mode pgbench rep=")
  pgw=$(med wall "tpcb $mode pgbench-G rep=")
  pq=$(qmed wall "tpcb $mode pgbench rep=")
  log ""
  log "mode $mode:"
  log "| command | wall s: median [min-max] | quiet: median (n) | client CPU s | server CPU s | rows/s | wall ÷ pgbench -i | wall ÷ pgbench -I dtGvp |"
  log "|---|---|---|---|---|---|---|---|"
  for v in $variants; do
    p="tpcb $mode $v rep="
    w=$(med wall "$p")
    log "| $(label_of "$v") | $(mr wall "$p") | $(qmed wall "$p") ($(qn wall "$p")) | $(mr cpu "$p") | $(mr server_cpu "$p") | $(fdiv "$n_rows" "$w" %.0f) | $(fdiv "$w" "$pw") | $(fdiv "$w" "$pgw") |"
  done
  sw=$(med wall "tpcb $mode seedload rep=")
  sq=$(qmed wall "tpcb $mode seedload rep=")
  ratio=$(fdiv "$sw" "$pw")
  met=$(awk -v r="$ratio" 'BEGIN { print (r != "n/a" && r + 0 <= 0.8) ? "met" : "NOT met" }')
  log "goal seedload <= 0.8x pgbench -i ($mode): $ratio x ($met); per-run ratios (same repetition): $(awk -v m="$mode" '
      index($0, "tpcb " m " seedload rep=") == 1 || index($0, "tpcb " m " pgbench rep=") == 1 {
        r = $4; sub(/rep=/, "", r); for (i = 1; i <= NF; i++) if (index($i, "wall=") == 1) w = substr($i, 6)
        if ($3 == "seedload") s[r] = w; else p[r] = w }
      END { for (k in s) if (k in p) printf "%.2f ", s[k] / p[k] }' "$RAW" | tr ' ' '\n' | sort -g | tr '\n' ' ')"
  log "   quiet runs only: $(fdiv "$sq" "$pq") x; against pgbench -I dtGvp: $(fdiv "$sw" "$pgw") x"
  if grep -q "^tpcb $mode pgbench rep=.*pgb_total_s=" "$RAW"; then
    log "   pgbench's own split (medians, s): $(for k in drop_tables create_tables client_side_generate vacuum primary_keys; do printf '%s %s · ' "${k//_/ }" "$(med "pgb_${k}_s" "tpcb $mode pgbench rep=")"; done)total $(med pgb_total_s "tpcb $mode pgbench rep=")"
    log "   pgbench -I dtGvp's split (medians, s): $(for k in drop_tables create_tables server_side_generate vacuum primary_keys; do printf '%s %s · ' "${k//_/ }" "$(med "pgb_${k}_s" "tpcb $mode pgbench-G rep=")"; done)total $(med pgb_total_s "tpcb $mode pgbench-G rep=")"
    log "   seedload's own summary (medians, s): pgbench_accounts $(med sl_accounts_s "tpcb $mode seedload rep="), total $(med sl_total_s "tpcb $mode seedload rep=")"
  fi
done

if [ -n "$profiles" ]; then
  log ""
  log "seedload generate PROFILE --scenario $pscenario --target postgresql:///DB --jobs N (rows from seedload's summary):"
  log "| profile | mode | --jobs | rows | wall s: median [min-max] | quiet: median (n) | client CPU s | server CPU s | rows/s | speed-up over --jobs ${jlist[0]} |"
  log "|---|---|---|---|---|---|---|---|---|---|"
  for p in $profiles; do
    for mode in $modes; do
      w1=$(med wall "prof $p $mode jobs=${jlist[0]} rep=")
      for j in "${jlist[@]}"; do
        pre="prof $p $mode jobs=$j rep="
        rows=$(field rows "$RAW" "$pre" | median)
        w=$(med wall "$pre")
        log "| $p | $mode | $j | $rows | $(mr wall "$pre") | $(qmed wall "$pre") ($(qn wall "$pre")) | $(mr cpu "$pre") | $(mr server_cpu "$pre") | $(fdiv "$rows" "$w" %.0f) | $(fdiv "$w1" "$w") |"
      done
    done
  done
fi

phase_runs=()
for mode in $modes; do
  for v in seedload pgbench pgbench-G; do
    if grep -q "^phases $mode $v " "$RAW"; then phase_runs+=("$mode $v"); fi
  done
done
if [ ${#phase_runs[@]} -gt 0 ]; then
  log ""
  log "where the time goes (one run each with every statement logged; seconds on the client's clock from its start: first-last [busy = sum over connections] (statements)):"
  row="| phase |" sep="|---|"
  for pr in "${phase_runs[@]}"; do row="$row ${pr#* } ${pr%% *} |" sep="$sep---|"; done
  log "$row"
  log "$sep"
  for ph in first_connection connections setup ddl rows index vacuum analyze meta swap other last_disconnection client_end; do
    row="| $ph |"
    for pr in "${phase_runs[@]}"; do
      val=$(field "ph_$ph" "$RAW" "phases $pr ")
      case $val in
        *:*:*:*) val=$(echo "$val" | awk -F: '{ printf "%.2f-%.2f [%.2f] (%d)", $1, $2, $3, $4 }') ;;
        '') val="–" ;;
      esac
      row="$row $val |"
    done
    log "$row"
  done
  row="| client wall (this run) |"
  for pr in "${phase_runs[@]}"; do row="$row $(field wall "$RAW" "phases $pr ") |"; done
  log "$row"
  log "(setup = statements before the first DDL: SET, advisory lock, catalog checks; other = SET, BEGIN/COMMIT, catalog queries later on; rows = COPY, or pgbench -I G's INSERT ... SELECT generate_series; index = primary keys / CREATE INDEX; meta = seedload's _seedload_meta/_tables; swap = seedload's DROP SCHEMA + ALTER SCHEMA RENAME)"
  log "VACUUM of the loaded accounts table afterwards (work pgbench -i does in its 'v' step and seedload leaves to autovacuum): $(awk '/^vacuum-after/ { printf "%s %s %s s · ", $2, $3, substr($4, 10) }' "$RAW")"
fi
log ""
log "$(noise_line)"
