#!/usr/bin/env bash
# bench/run.sh [BENCH...] — run seedload's side-by-side benchmarks (all of them, or the named
# ones: gen_csv, load_sqlite). Each bench writes its raw results to
# bench/results/<name>-<timestamp>.txt and prints a summary. Exit status: 0 when every bench
# ran and every run succeeded, 1 when a run failed, 2 on bad usage or a missing tool.
#
# `make bench` installs the packages first (scripts/deps.sh bench) and sets SEEDLOAD and
# BENCH_BIN_DIR; this script installs nothing. Environment (all optional):
#   SEEDLOAD       the seedload binary (default: ./seedload of this tree). It is copied to a
#                  temporary directory first, so a rebuild during the run cannot change it.
#   BENCH_BIN_DIR  where `make` put bench/*.c programs (default build/release/bench); if
#                  sqlite_loop is missing there it is compiled into the temporary directory.
#   REPS           repetitions per configuration (default 3, at least 3; medians are reported)
#   WORKDIR        where data files go (default: /dev/shm when it has room, else $TMPDIR or /tmp)
#   QUIET_MAX      a run waits until the machine's CPUs were at most this busy (percent, over
#                  one second) before it starts (default 20) ...
#   QUIET_WAIT     ... for at most this many seconds (default 30), and at most QUIET_BUDGET
#                  seconds in all per bench (default 90); the busy share seen and the CPU time
#                  other processes used during each run are recorded with every run.
#   PROFILE=1      also record `perf` profiles (where time goes), when perf is installed.
#   RESULTS_DIR    default bench/results
#   QUIET_OTHER    a run is "quiet" when other processes used at most this share of one CPU
#                  during it (default 0.05); summaries give medians of all runs and of quiet ones.
#   RETRY_NOISY    make a disturbed run again, at most this many times (default 0)
#   SEEDLOAD_DESC  what the binary is, for the results header (default: this tree's commit
#                  and whether src/ include/ Makefile have uncommitted changes)
#
# Benches are bench/<name>.sh, sourced in a subshell with the helpers below.
# shellcheck disable=SC2317  # helpers are called from the sourced bench scripts
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
ALL_BENCHES="gen_csv load_sqlite pg_load pg_select hist_record bench_memory"

usage() {
  echo "usage: bench/run.sh [BENCH...]   (benches: $ALL_BENCHES; default all)" >&2
  exit 2
}

benches=()
for a in "$@"; do
  case $a in
    -h|--help) usage ;;
    gen_csv|load_sqlite|pg_load|pg_select|hist_record|bench_memory) benches+=("$a") ;;
    *) echo "bench/run.sh: unknown bench '$a'" >&2; usage ;;
  esac
done
[ ${#benches[@]} -eq 0 ] && read -r -a benches <<<"$ALL_BENCHES"

REPS=${REPS:-3}
case $REPS in ''|*[!0-9]*) echo "bench/run.sh: REPS must be a number" >&2; exit 2 ;; esac
[ "$REPS" -ge 3 ] || { echo "bench/run.sh: REPS must be at least 3 (medians of >= 3 runs)" >&2; exit 2; }
QUIET_MAX=${QUIET_MAX:-20}
QUIET_WAIT=${QUIET_WAIT:-30}
QUIET_BUDGET=${QUIET_BUDGET:-90}
QUIET_OTHER=${QUIET_OTHER:-0.05}
RETRY_NOISY=${RETRY_NOISY:-0}
PROFILE=${PROFILE:-0}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
BENCH_BIN_DIR=${BENCH_BIN_DIR:-$ROOT/build/release/bench}
SEEDLOAD=${SEEDLOAD:-$ROOT/seedload}

# ---------------------------------------------------------------- tools
missing=""
need_tool() { command -v "$1" >/dev/null 2>&1 || missing="$missing $1"; }
for t in awk sort sed du cmp md5sum mktemp date sqlite3; do need_tool "$t"; done
[ -x /usr/bin/time ] || missing="$missing /usr/bin/time(package:time)"
if [ -n "$missing" ]; then
  echo "bench/run.sh: missing tools:$missing (run 'make bench', which runs scripts/deps.sh bench)" >&2
  exit 2
fi
if [ ! -x "$SEEDLOAD" ]; then
  echo "bench/run.sh: no seedload binary at $SEEDLOAD (run 'make' or set SEEDLOAD)" >&2
  exit 2
fi
HAVE_PERF=0
if command -v perf >/dev/null 2>&1 && perf stat -e task-clock true >/dev/null 2>&1; then HAVE_PERF=1; fi
if [ "$PROFILE" = 1 ] && [ "$HAVE_PERF" = 0 ]; then
  echo "bench/run.sh: PROFILE=1 needs a working perf; profiles are skipped" >&2
fi

# ---------------------------------------------------------------- work directory
pick_workdir() {
  if [ -n "${WORKDIR:-}" ]; then echo "$WORKDIR"; return; fi
  local avail
  avail=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
  # gen_csv writes up to ~1.2 GB (--scale 400); load_sqlite ~1.3 GB of CSV + databases.
  if [ -n "$avail" ] && [ "$avail" -gt $((4 * 1024 * 1024)) ]; then echo /dev/shm; else echo "${TMPDIR:-/tmp}"; fi
}
WORK_PARENT=$(pick_workdir)
WORK=$(mktemp -d "$WORK_PARENT/seedload-bench.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
WORK_FS=$(df -PT "$WORK" | awk 'NR == 2 { print $2 }')

# A private copy of the binary: other people rebuild ./seedload while benches run.
# (Named seedload-bench so its threads stand out in system-wide traces such as perf sched.)
cp "$SEEDLOAD" "$WORK/seedload-bench"
SL="$WORK/seedload-bench"
SL_SHA=$(sha256sum "$SL" | cut -c1-16)

if [ -x "$BENCH_BIN_DIR/sqlite_loop" ]; then
  SQLITE_LOOP="$WORK/sqlite_loop"
  cp "$BENCH_BIN_DIR/sqlite_loop" "$SQLITE_LOOP"
elif command -v cc >/dev/null 2>&1 && pkg-config --exists sqlite3 2>/dev/null; then
  SQLITE_LOOP="$WORK/sqlite_loop"
  # shellcheck disable=SC2046
  cc -std=c11 -O2 -D_GNU_SOURCE -o "$SQLITE_LOOP" "$BENCH_DIR/sqlite_loop.c" \
    $(pkg-config --cflags --libs sqlite3) || { echo "bench/run.sh: cannot build sqlite_loop" >&2; exit 2; }
else
  SQLITE_LOOP=""
fi

mkdir -p "$RESULTS_DIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)

# ---------------------------------------------------------------- helpers for the benches
# Everything below is used by bench/<name>.sh.

log() { printf '%s\n' "$*" | tee -a "$RAW"; }

machine_info() {
  local cpu kernel commit dirty
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  kernel=$(uname -r)
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=$(git -C "$ROOT" status --porcelain -- src include Makefile 2>/dev/null | wc -l || echo 0)
  echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine:   nproc=$(nproc), $cpu, kernel $kernel, $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
  if [ -n "${SEEDLOAD_DESC:-}" ]; then
    echo "seedload:  $SEEDLOAD_DESC; binary $SEEDLOAD sha256 $SL_SHA"
  else
    echo "seedload:  commit $commit (working tree: $([ "$dirty" -eq 0 ] && echo clean || echo "$dirty changed files under src/ include/ Makefile")), binary $SEEDLOAD sha256 $SL_SHA"
  fi
  echo "sqlite:    sqlite3 CLI $(sqlite3 --version | cut -d' ' -f1), libsqlite3 $(pkg-config --modversion sqlite3 2>/dev/null || echo '?')"
  echo "data in:   $WORK ($WORK_FS)"
  echo "reps:      $REPS per configuration (medians; min-max in brackets)"
  echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15-min load average at start)"
}

# /proc/stat: "busy idle" jiffies summed over all CPUs.
cpu_jiffies() { awk '/^cpu / { idle = $5 + $6; busy = 0; for (i = 2; i <= 9; i++) busy += $i; busy -= idle; print busy, idle; exit }' /proc/stat; }
CLK_TCK=$(getconf CLK_TCK)

# Busy share of the whole machine over the next second, in percent.
busy_pct() {
  local b0 i0 b1 i1
  read -r b0 i0 < <(cpu_jiffies)
  sleep 1
  read -r b1 i1 < <(cpu_jiffies)
  awk -v db=$((b1 - b0)) -v di=$((i1 - i0)) 'BEGIN { t = db + di; printf "%.0f", (t > 0 ? 100 * db / t : 0) }'
}

# Wait (at most QUIET_WAIT s per run, QUIET_BUDGET s per bench) until other processes leave
# the CPUs mostly idle.
LAST_BUSY=0
WAITED_TOTAL=0
wait_quiet() {
  local waited=0
  LAST_BUSY=$(busy_pct)
  while [ "$LAST_BUSY" -gt "$QUIET_MAX" ] && [ "$waited" -lt "$QUIET_WAIT" ] && [ "$WAITED_TOTAL" -lt "$QUIET_BUDGET" ]; do
    sleep 2
    waited=$((waited + 3))
    WAITED_TOTAL=$((WAITED_TOTAL + 3))
    LAST_BUSY=$(busy_pct)
  done
  if [ "$LAST_BUSY" -gt "$QUIET_MAX" ]; then
    echo "  (warning: the machine is ${LAST_BUSY}% busy after waiting ${waited}s; measuring anyway)" | tee -a "$RAW" >&2
  fi
}

# timed LABEL CMD... — run CMD, measured; append a result line to $RAW and set T_WALL T_USER
# T_SYS T_CPU T_RSS T_OTHER (CPU seconds other processes used meanwhile) and T_BUSY (machine
# busy % in the second before). CMD's stdout goes to $WORK/last.out. $BEFORE_RUN, when set, is
# evaluated before each attempt (e.g. to remove the previous output). With RETRY_NOISY=N a run
# that other processes disturbed (see QUIET_OTHER) is kept in $RAW as "~ LABEL ..." (ignored
# by the summaries) and made again, at most N times.
timed() {
  local label=$1; shift
  local tf="$WORK/time.out" b0 i0 b1 i1 s0 s1 rc attempt=0 disturbed
  while :; do
    if [ -n "${BEFORE_RUN:-}" ]; then eval "$BEFORE_RUN"; fi
    wait_quiet
    T_BUSY=$LAST_BUSY
    read -r b0 i0 < <(cpu_jiffies)
    s0=$(date +%s%N)
    /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$WORK/last.out" 2>"$WORK/last.err" && rc=0 || rc=$?
    s1=$(date +%s%N)
    read -r b1 i1 < <(cpu_jiffies)
    if [ "$rc" -ne 0 ]; then
      log "FAILED ($rc): $label: $*"
      sed 's/^/  | /' "$WORK/last.err" | tail -20 | tee -a "$RAW" >&2
      return 1
    fi
    read -r _ T_USER T_SYS T_RSS < <(tail -1 "$tf")
    T_WALL=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    T_CPU=$(awk -v u="$T_USER" -v s="$T_SYS" 'BEGIN { printf "%.2f", u + s }')
    T_OTHER=$(awk -v j=$((b1 - b0)) -v hz="$CLK_TCK" -v c="$T_CPU" 'BEGIN { o = j / hz - c; printf "%.2f", (o < 0 ? 0 : o) }')
    disturbed=$(awk -v o="$T_OTHER" -v w="$T_WALL" -v q="$QUIET_OTHER" 'BEGIN { print (o > q * w) ? 1 : 0 }')
    if [ "$disturbed" = 1 ] && [ "$attempt" -lt "$RETRY_NOISY" ]; then
      attempt=$((attempt + 1))
      printf '~ %-26s wall=%s user=%s sys=%s cpu=%s rss_kb=%s busy_before=%s%% other_cpu=%s (disturbed; made again)\n' \
        "$label" "$T_WALL" "$T_USER" "$T_SYS" "$T_CPU" "$T_RSS" "$T_BUSY" "$T_OTHER" >>"$RAW"
      printf '  %-28s %7.2f s wall  disturbed (others used %s cpu-s); again\n' "$label" "$T_WALL" "$T_OTHER"
      continue
    fi
    break
  done
  printf '%-28s wall=%s user=%s sys=%s cpu=%s rss_kb=%s busy_before=%s%% other_cpu=%s\n' \
    "$label" "$T_WALL" "$T_USER" "$T_SYS" "$T_CPU" "$T_RSS" "$T_BUSY" "$T_OTHER" >>"$RAW"
  printf '  %-28s %7.2f s wall %7.2f s cpu  (machine %s%% busy before, others used %s cpu-s)\n' \
    "$label" "$T_WALL" "$T_CPU" "$T_BUSY" "$T_OTHER"
}

# qfield KEY FILE [LABEL-PREFIX] — like field, but only from quiet runs: those during which other
# processes used at most QUIET_OTHER (default 0.05 = 5%) of one CPU on average.
qfield() {
  awk -v k="$1=" -v p="${3:-}" -v q="$QUIET_OTHER" 'index($0, p) == 1 {
    v = ""; w = 0; o = -1
    for (i = 1; i <= NF; i++) {
      if (index($i, k) == 1) v = substr($i, length(k) + 1)
      if (index($i, "wall=") == 1) w = substr($i, 6) + 0
      if (index($i, "other_cpu=") == 1) o = substr($i, 11) + 0
    }
    if (v != "" && w > 0 && o >= 0 && o <= q * w) print v }' "$2"
}
# count of lines on stdin
count() { awk 'END { print NR }'; }
# noise_line — one line saying how many runs were disturbed by other processes
noise_line() {
  awk -v q="$QUIET_OTHER" '/ other_cpu=/ { w = 0; o = 0
      for (i = 1; i <= NF; i++) { if (index($i, "wall=") == 1) w = substr($i, 6) + 0; if (index($i, "other_cpu=") == 1) o = substr($i, 11) + 0 }
      s += o; if ($1 == "~") { r++; next }
      n++; if (o > q * w) k++ }
    END { printf "noise: %d of %d runs kept were disturbed (other processes used more than %.0f%% of a CPU during them), %d disturbed runs were made again; others used %.1f CPU-s in all (busy_before=, other_cpu= in the raw file)\n", k, n, q * 100, r, s }' "$RAW"
}

# median / min / max of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minmax() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }
# field KEY FILE [LABEL-PREFIX] — the values of key=... on the lines of FILE that start with the label
field() { awk -v k="$1=" -v p="${3:-}" 'index($0, p) == 1 { for (i = 1; i <= NF; i++) if (index($i, k) == 1) print substr($i, length(k) + 1) }' "$2"; }
# top N — the first N percentage lines of a `perf report --stdio` (reads all its input: no SIGPIPE)
top() { awk -v n="$1" '/^ +[0-9.]+%/ && c < n { print; c++ }'; }
fdiv() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (a == "" || b == "" || b == 0 || a == "n/a" || b == "n/a") print "n/a"; else printf f "\n", a / b }'; }

# ---------------------------------------------------------------- run
failed=0
for b in "${benches[@]}"; do
  RAW="$RESULTS_DIR/$b-$STAMP.txt"
  : >"$RAW"
  echo "== $b  (raw results: ${RAW#"$ROOT"/})"
  { echo "# bench $b"; machine_info; echo; } >>"$RAW"
  # Not in an `if`: there bash would ignore `set -e` inside the subshell.
  set +e
  ( set -Eeuo pipefail
    trap 'echo "$b.sh:$LINENO: failed: $BASH_COMMAND" | tee -a "$RAW" >&2' ERR
    # shellcheck source=/dev/null
    . "$BENCH_DIR/$b.sh" )
  rc=$?
  set -e
  if [ $rc -eq 0 ]; then
    echo "== $b: done"
  else
    echo "== $b: FAILED (see ${RAW#"$ROOT"/})" >&2
    echo "FAILED" >>"$RAW"
    failed=1
  fi
  rm -rf "${WORK:?}"/data.* 2>/dev/null || true
done
exit $failed
