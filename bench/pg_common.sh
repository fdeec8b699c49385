# bench/pg_common.sh — helpers for the benches that need PostgreSQL (pg_load, pg_select,
# bench_memory). Sourced by those benches (which bench/run.sh sources in a subshell), after
# run.sh's own helpers; not a bench itself.
#
#   pg_start          start a throwaway server of the bench's own (scripts/pg-cluster.sh start,
#                     in $WORK: Unix socket only, fsync/synchronous_commit/full_page_writes off,
#                     shared_buffers 256MB) and point PG* at it; an EXIT trap stops it. Nothing
#                     here talks to any other server: the caller's PG* variables are dropped.
#   pg_timed LABEL CMD...
#                     like run.sh's timed, but the server's CPU time (the postmaster and all its
#                     children, including backends that ended during the run) is measured apart
#                     and recorded as server_cpu=, so other_cpu= is only what *other* processes
#                     used (timed would count our own server as noise). Before the clock starts
#                     it waits until no backend or parallel worker of the previous command is
#                     left; after the command it waits for the command's backends to end before
#                     reading the CPU counters. $BEFORE_RUN is evaluated before each attempt (as
#                     for timed); $AFTER_RUN, when set, is evaluated after the command and must
#                     print "key=value ..." to append to the raw line (it can check the result
#                     and fail). Sets T_WALL T_USER T_SYS T_CPU T_RSS T_SRV T_OTHER T_BUSY T_T0
#                     T_T1 (epoch seconds of start and end).
#   psqlq DB SQL      psql -XAtq -v ON_ERROR_STOP=1, one value per line ('|' between columns)
#   fresh_db DB       drop (if it exists) and create DB; drop_db DB drops it (if it exists)
#   pg_checkpoint     CHECKPOINT, so that no run pays for the previous run's dirty buffers

# shellcheck shell=bash disable=SC2016 # (commands for $BEFORE_RUN/$AFTER_RUN are single-quoted on purpose)

# Connection settings from the caller's environment must not reach another server.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE PGSERVICEFILE PGPASSWORD \
  PGPASSFILE PGSSLMODE PGTARGETSESSIONATTRS PGAPPNAME PGCONNECT_TIMEOUT PGSYSCONFDIR 2>/dev/null || true

PG_CLUSTER="$ROOT/scripts/pg-cluster.sh"
PGDIR=""
PG_PM=""

pg_stop() {
  if [ -n "$PGDIR" ]; then
    "$PG_CLUSTER" stop "$PGDIR" >/dev/null 2>&1 || echo "warning: could not stop the bench's PostgreSQL in $PGDIR" >&2
    PGDIR=""
  fi
}

pg_start() {
  local t missing="" line
  for t in psql pgbench createdb dropdb; do command -v "$t" >/dev/null 2>&1 || missing="$missing $t"; done
  command -v jq >/dev/null 2>&1 || missing="$missing jq"
  [ -x "$PG_CLUSTER" ] || missing="$missing $PG_CLUSTER"
  if [ -n "$missing" ]; then
    log "missing:$missing (scripts/deps.sh bench installs postgresql, postgresql-client and jq)"
    return 1
  fi
  PGDIR=$(mktemp -d "$WORK/pg.XXXXXX")
  trap pg_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if ! line=$("$PG_CLUSTER" start "$PGDIR" 2>"$WORK/pg-start.err"); then
    log "cannot start a throwaway PostgreSQL server:"
    tail -5 "$WORK/pg-start.err" | tee -a "$RAW" >&2
    PGDIR=""
    return 1
  fi
  case $line in "export PGHOST="*) ;; *) log "scripts/pg-cluster.sh printed an unexpected line: $line"; return 1 ;; esac
  eval "$line"
  PG_PM=$(head -1 "$PGDIR/data/postmaster.pid")
  # Autovacuum off: a vacuum the server starts on its own after one run would land in the next
  # run (of another tool); each bench says what it leaves out because of this.
  psqlq postgres "ALTER SYSTEM SET autovacuum = off" >/dev/null
  psqlq postgres "ALTER SYSTEM SET log_line_prefix = '%n [%p] %a '" >/dev/null
  psqlq postgres "SELECT pg_reload_conf()" >/dev/null
  log "   server: $(psqlq postgres "SHOW server_version"), a throwaway cluster of this bench (scripts/pg-cluster.sh: Unix socket $PGHOST, fsync/synchronous_commit/full_page_writes off, shared_buffers $(psqlq postgres "SHOW shared_buffers"), max_connections $(psqlq postgres "SHOW max_connections"); autovacuum off)"
  log "   pgbench: $(pgbench --version | head -1)"
}

psqlq() {
  local db=$1
  shift
  psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$db" -c "$*"
}

drop_db() { psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$1\""; }
fresh_db() {
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\""
}

pg_checkpoint() { psqlq postgres "CHECKPOINT" >/dev/null; }

# The server's children that are working for a client: backends, parallel workers, autovacuum
# workers (the background processes are not counted).
pg_children() { cat /proc/"$PG_PM"/task/*/children 2>/dev/null | tr -s ' ' '\n' || true; }
pg_busy_children() {
  local c n=0 cmd
  while read -r c; do
    [ -n "$c" ] || continue
    cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$c/cmdline") || continue
    case $cmd in *"[local]"* | *"parallel worker"* | *"autovacuum worker"* | *"walsender"*) n=$((n + 1)) ;; esac
  done < <(pg_children)
  echo "$n"
}

# Wait (at most 5 s) until no backend is left.
pg_settle() {
  local _
  for _ in $(seq 1 250); do
    [ "$(pg_busy_children)" -eq 0 ] && return 0
    sleep 0.02
  done
  echo "  (warning: server backends still running after 5 s)" >&2
}

# CPU ticks (user + sys) of the postmaster, of the children it has reaped, and of its live
# children.
server_ticks() {
  local pids c
  pids="$PG_PM $(pg_children | tr '\n' ' ')"
  # shellcheck disable=SC2086
  (cd /proc && for c in $pids; do cat "$c/stat" 2>/dev/null || true; done) |
    awk '{ sub(/^.*\) /, ""); s += $12 + $13 + $14 + $15 } END { printf "%d\n", s }'
}

pg_timed() {
  local label=$1; shift
  local tf="$WORK/time.out" b0 b1 s0 s1 p0 p1 rc attempt=0 disturbed extra
  while :; do
    if [ -n "${BEFORE_RUN:-}" ]; then eval "$BEFORE_RUN"; fi
    pg_settle
    wait_quiet
    T_BUSY=$LAST_BUSY
    p0=$(server_ticks)
    read -r b0 _ < <(cpu_jiffies)
    s0=$(date +%s%N)
    /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$WORK/last.out" 2>"$WORK/last.err" && rc=0 || rc=$?
    s1=$(date +%s%N)
    pg_settle
    read -r b1 _ < <(cpu_jiffies)
    p1=$(server_ticks)
    if [ $rc -ne 0 ]; then
      log "FAILED ($rc): $label: $*"
      sed 's/^/  | /' "$WORK/last.err" | tail -20 | tee -a "$RAW" >&2
      return 1
    fi
    read -r _ T_USER T_SYS T_RSS < <(tail -1 "$tf")
    # shellcheck disable=SC2034 # for $AFTER_RUN
    T_T0=$(awk -v a="$s0" 'BEGIN { printf "%.3f", a / 1e9 }')
    # shellcheck disable=SC2034 # for $AFTER_RUN
    T_T1=$(awk -v a="$s1" 'BEGIN { printf "%.3f", a / 1e9 }')
    T_WALL=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    T_CPU=$(awk -v u="$T_USER" -v s="$T_SYS" 'BEGIN { printf "%.2f", u + s }')
    T_SRV=$(awk -v j=$((p1 - p0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", j / hz }')
    T_OTHER=$(awk -v j=$((b1 - b0)) -v hz="$CLK_TCK" -v c="$T_CPU" -v s="$T_SRV" 'BEGIN { o = j / hz - c - s; printf "%.2f", (o < 0 ? 0 : o) }')
    extra=""
    if [ -n "${AFTER_RUN:-}" ]; then
      extra=$(eval "$AFTER_RUN") || return 1
      extra=$(printf '%s' "$extra" | tr -s '\n' ' ')
    fi
    disturbed=$(awk -v o="$T_OTHER" -v w="$T_WALL" -v q="$QUIET_OTHER" 'BEGIN { print (o > q * w) ? 1 : 0 }')
    if [ "$disturbed" = 1 ] && [ "$attempt" -lt "$RETRY_NOISY" ]; then
      attempt=$((attempt + 1))
      printf '~ %-26s wall=%s user=%s sys=%s cpu=%s rss_kb=%s server_cpu=%s busy_before=%s%% other_cpu=%s %s (disturbed; made again)\n' \
        "$label" "$T_WALL" "$T_USER" "$T_SYS" "$T_CPU" "$T_RSS" "$T_SRV" "$T_BUSY" "$T_OTHER" "$extra" >>"$RAW"
      printf '  %-28s %7.2f s wall  disturbed (others used %s cpu-s); again\n' "$label" "$T_WALL" "$T_OTHER"
      continue
    fi
    break
  done
  printf '%-28s wall=%s user=%s sys=%s cpu=%s rss_kb=%s server_cpu=%s busy_before=%s%% other_cpu=%s %s\n' \
    "$label" "$T_WALL" "$T_USER" "$T_SYS" "$T_CPU" "$T_RSS" "$T_SRV" "$T_BUSY" "$T_OTHER" "$extra" >>"$RAW"
  printf '  %-28s %7.2f s wall %6.2f s client cpu %6.2f s server cpu  (machine %s%% busy before, others used %s cpu-s)\n' \
    "$label" "$T_WALL" "$T_CPU" "$T_SRV" "$T_BUSY" "$T_OTHER"
}

# Small summary helpers over $RAW (LABEL-PREFIX as for field).
med() { field "$1" "$RAW" "$2" | median; }
rng() { field "$1" "$RAW" "$2" | minmax; }
qmed() { qfield "$1" "$RAW" "$2" | median; }
qn() { qfield "$1" "$RAW" "$2" | count; }
# "median [min-max]", optionally with a printf format for the three numbers
mr() {
  if [ -n "${3:-}" ]; then
    field "$1" "$RAW" "$2" | sort -g | awk -v f="$3" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf f " [" f "-" f "]\n", m, v[1], v[NR] }'
  else
    echo "$(med "$1" "$2") [$(rng "$1" "$2")]"
  fi
}
# median with a printf format
medf() { field "$1" "$RAW" "$2" | median | awk -v f="$3" '{ if ($1 == "n/a") print; else printf f "\n", $1 }'; }
qmedf() { qfield "$1" "$RAW" "$2" | median | awk -v f="$3" '{ if ($1 == "n/a") print; else printf f "\n", $1 }'; }
# per-run ratio KEY-A/KEY-B of two keys on the same lines, or a value divided by a constant
perrun() { awk -v a="$1=" -v b="$2=" -v p="$3" -v m="${4:-1}" 'index($0, p) == 1 { x = y = ""
    for (i = 1; i <= NF; i++) { if (index($i, a) == 1) x = substr($i, length(a) + 1); if (index($i, b) == 1) y = substr($i, length(b) + 1) }
    if (x != "" && y != "" && y + 0 != 0) printf "%.4g\n", m * x / y }' "$RAW"; }
