# bench/bench_memory.sh — the bench runner's memory must not grow with the length of a run.
# Sourced by bench/run.sh (run it as `bench/run.sh bench_memory`); uses run.sh's helpers and
# bench/pg_common.sh. Starts its own throwaway PostgreSQL server and talks to no other.
#
# tpcb --scale 10 is loaded once with seedload; then peak RSS (/usr/bin/time %M) of
#   seedload bench profiles/tpcb.yaml --workload select-only --target postgresql:///DB
#     -c 8 -j 2 -T DUR --json F
# for a short run (-T 10s, REPS times) and a long one (-T 600s, once), closed loop; then the
# same in open loop with --rate (MEM_RATE transactions/s, Poisson arrivals). During the long
# runs the resident size is sampled every MEM_SAMPLE seconds (VmRSS of the process), so a slow
# growth shows as a trend, not only as a higher peak. pgbench's peak RSS for the short closed
# run is given for reference.
# Goal: the long run's peak RSS is within 10% of the short run's (memory does not grow with
# run length).
# Environment: MEM_SHORT (seconds, default 10), MEM_LONG (default 600; shorter for trial runs),
# MEM_RATE (default 2000; 0 skips the open-loop runs), MEM_RATE_LONG (default MEM_LONG),
# MEM_SAMPLE (default 30), MEM_CLIENTS (8), MEM_THREADS (2).

# shellcheck shell=bash disable=SC2016 # ($BEFORE_RUN/$AFTER_RUN are evaluated later: single quotes on purpose)

# shellcheck source=bench/pg_common.sh
. "$BENCH_DIR/pg_common.sh"

short=${MEM_SHORT:-10}
long=${MEM_LONG:-600}
rate=${MEM_RATE:-2000}
rate_long=${MEM_RATE_LONG:-$long}
every=${MEM_SAMPLE:-30}
mc=${MEM_CLIENTS:-8}
mj=${MEM_THREADS:-2}
tpcb="$ROOT/profiles/tpcb.yaml"
json="$WORK/mem.json"

log "## bench_memory: peak RSS of seedload bench select-only -c $mc -j $mj, -T ${short}s against -T ${long}s$([ "$rate" != 0 ] && echo "; open loop --rate $rate: -T ${short}s against -T ${rate_long}s")"
pg_start
log "   short runs: $REPS each; long runs: one each, VmRSS sampled every ${every} s"
fresh_db mem
"$SL" generate "$tpcb" --scale 10 --target postgresql:///mem -q
log "   loaded tpcb --scale 10 with seedload ($(psqlq mem "SELECT count(*) FROM tpcb.pgbench_accounts") accounts)"

fail() { echo "$*" | tee -a "$RAW" >&2; return 1; }
result() {
  jq -r '.runs[0] | "tx=\(.summary.transactions) tps=\(.summary.tps) errors=\(.summary.errors) rate_met=\(.summary.rate_met) intervals=\(.intervals | length)"' "$json" ||
    fail "cannot read $json" || return 1
  echo "json_bytes=$(stat -c %s "$json")"
}

# sample LABEL: every $every s, the VmRSS/VmHWM of the process running our seedload binary.
sample() {
  local t=0 p pid rss hwm
  while sleep "$every"; do
    t=$((t + every))
    pid=""
    for p in /proc/[0-9]*; do
      if [ "$(readlink "$p/exe" 2>/dev/null)" = "$SL" ]; then pid=${p#/proc/}; break; fi
    done
    [ -n "$pid" ] || continue
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    echo "rss-sample $1 t=$t rss_kb=$rss hwm_kb=$hwm"
  done
}

run_mem() { # LABEL DURATION [bench options...]
  local label=$1 d=$2 sp=""
  shift 2
  local BEFORE_RUN='rm -f "$json"' AFTER_RUN='result'
  if [ "$d" -gt $((2 * every)) ]; then
    sample "$label" >"$WORK/samples.txt" &
    sp=$!
  fi
  pg_timed "$label" "$SL" bench "$tpcb" --workload select-only --target postgresql:///mem \
    -c "$mc" -j "$mj" -T "${d}s" --json "$json" "$@"
  if [ -n "$sp" ]; then
    kill "$sp" 2>/dev/null || true
    wait "$sp" 2>/dev/null || true
    cat "$WORK/samples.txt" >>"$RAW"
  fi
}

for r in $(seq 1 "$REPS"); do run_mem "closed short rep=$r" "$short"; done
run_mem "closed long" "$long"
if [ "$rate" != 0 ]; then
  for r in $(seq 1 "$REPS"); do run_mem "open short rep=$r" "$short" --rate "$rate"; done
  run_mem "open long" "$rate_long" --rate "$rate"
fi
AFTER_RUN='' pg_timed "pgbench T=$short" env PGOPTIONS='-c search_path=tpcb' pgbench -n -S -M prepared -c "$mc" -j "$mj" -T "$short" mem

# ---------------------------------------------------------------- summary
log ""
log "bench_memory summary: peak RSS (/usr/bin/time %M) of seedload bench -c $mc -j $mj"
log "| run | -T | transactions | peak RSS MB: median [min-max] | JSON KB | intervals |"
log "|---|---|---|---|---|---|"
row() { # LABEL-PREFIX NAME DURATION
  local rss
  rss=$(field rss_kb "$RAW" "$1" | median)
  log "| $2 | ${3}s | $(med tx "$1") | $(fdiv "$rss" 1024 %.1f) [$(field rss_kb "$RAW" "$1" | awk '{ printf "%.1f\n", $1 / 1024 }' | minmax)] | $(fdiv "$(med json_bytes "$1")" 1024 %.0f) | $(med intervals "$1") |"
}
row "closed short rep=" "closed loop" "$short"
row "closed long " "closed loop" "$long"
if [ "$rate" != 0 ]; then
  row "open short rep=" "open loop --rate $rate" "$short"
  row "open long " "open loop --rate $rate" "$rate_long"
fi
log "| pgbench -n -S -M prepared (reference) | ${short}s | – | $(fdiv "$(field rss_kb "$RAW" "pgbench T=$short ")" 1024 %.1f) | | |"
cr=$(fdiv "$(field rss_kb "$RAW" "closed long ")" "$(med rss_kb "closed short rep=")" %.3f)
log "goal memory does not grow with run length (long ÷ short peak RSS <= 1.10): closed loop $cr x ($(awk -v r="$cr" 'BEGIN { print (r != "n/a" && r + 0 <= 1.10) ? "met" : "NOT met" }'))"
if [ "$rate" != 0 ]; then
  orr=$(fdiv "$(field rss_kb "$RAW" "open long ")" "$(med rss_kb "open short rep=")" %.3f)
  log "   open loop: $orr x ($(awk -v r="$orr" 'BEGIN { print (r != "n/a" && r + 0 <= 1.10) ? "met" : "NOT met" }')); rate met in the long run: $(field rate_met "$RAW" "open long ")"
fi
for l in "closed long" "open long"; do
  if grep -q "^rss-sample $l " "$RAW"; then
    log "   VmRSS during '$l' (MB at t s): $(awk -v l="rss-sample $l " 'index($0, l) == 1 { for (i = 1; i <= NF; i++) { if (index($i, "t=") == 1) t = substr($i, 3); if (index($i, "rss_kb=") == 1) r = substr($i, 8) } printf "%s:%.1f ", t, r / 1024 }' "$RAW")"
  fi
done
log ""
log "$(noise_line)"
