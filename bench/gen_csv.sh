# bench/gen_csv.sh — how fast seedload writes CSV, and how it scales from 1 to 2 threads.
# Sourced by bench/run.sh (run it as `bench/run.sh gen_csv`); uses run.sh's helpers.
#
#   seedload generate profiles/edupulse.yaml --scenario medium --target csv:DIR --threads N -q
#
# for N = 1 and 2, alternating (1,2,1,2,...) so slow drifts of a shared machine hit both
# alike; DIR is emptied before every run (not timed) and lives in $WORK (tmpfs when it has
# room: the bench measures generation, not the disk). Reports wall and CPU time, rows/s,
# MB/s (bytes of CSV written), MB/s per thread and per CPU-second, the 1->2 speed-up, and
# peak RSS at --scale 100 and --scale 400 (memory must not grow with the row count).
# Goals (the issue's): >= 200 MB/s of CSV per core; >= 1.8x from 1 to 2 threads.
# Environment: GEN_PROFILE (default profiles/edupulse.yaml), GEN_SCENARIO (medium),
# GEN_REPS (default max(REPS, 5): a run takes ~1-2 s), GEN_RSS_SCALES (default "100 400").

# shellcheck shell=bash disable=SC2016,SC2034,SC2154,SC2015,SC2012
# (sourced by run.sh: its helpers and variables are defined there; $-strings in single quotes are eval'd later)

gen_profile=${GEN_PROFILE:-$ROOT/profiles/edupulse.yaml}
gen_scenario=${GEN_SCENARIO:-medium}
gen_reps=${GEN_REPS:-$((REPS > 5 ? REPS : 5))}
gen_rss_scales=${GEN_RSS_SCALES:-100 400}
out="$WORK/data.csv"

# Every timed run starts from an empty directory (also when a disturbed run is made again).
BEFORE_RUN='rm -rf "$out" "$out.2"'

csv_bytes() { find "$1" -maxdepth 1 -type f -name '*.csv' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
csv_files() { find "$1" -maxdepth 1 -type f -name '*.csv' | wc -l; }

log "## gen_csv: seedload generate ${gen_profile#"$ROOT"/} --scenario $gen_scenario --target csv:DIR --threads N -q"
log "   DIR on $WORK_FS ($WORK); $gen_reps runs per thread count, alternating; medians [min-max]"

# Warm-up (page cache, tmpfs), and what the scenario makes: rows and tables.
rm -rf "$out"
"$SL" generate "$gen_profile" --scenario "$gen_scenario" --target "csv:$out" --threads 2 >"$WORK/summary.txt"
rows=$(awk '$1 == "total" { print $2 }' "$WORK/summary.txt")
ntables=$(csv_files "$out")
bytes=$(csv_bytes "$out")
[ -n "$rows" ] && [ "$ntables" -gt 0 ] && [ "$bytes" -gt 0 ] || { log "cannot read the row count from seedload's summary"; exit 1; }
log "   $rows rows in $ntables tables, $bytes bytes of CSV"
echo "# warm-up summary (threads 2):" >>"$RAW"
sed 's/^/#   /' "$WORK/summary.txt" >>"$RAW"

# The machine's own ceiling for 2-way scaling: two independent `--threads 1` processes at
# once (nothing shared but the hardware and the kernel). If they cannot run 2x as fast as
# one, no 2-thread run can (e.g. when the two vCPUs are hyperthreads of one physical core).
pair() {
  "$SL" generate "$gen_profile" --scenario "$gen_scenario" --target "csv:$out" --threads 1 -q &
  local p1=$!
  "$SL" generate "$gen_profile" --scenario "$gen_scenario" --target "csv:$out.2" --threads 1 -q &
  local p2=$! r1=0 r2=0
  wait $p1 || r1=$?
  wait $p2 || r2=$?
  [ $r1 -eq 0 ] && [ $r2 -eq 0 ]
}

# The CPUs themselves: a pure compute loop (sysbench cpu) on 1 and 2 threads, when installed.
if command -v sysbench >/dev/null 2>&1; then
  for n in 1 2; do
    wait_quiet
    e=$(sysbench cpu --threads="$n" --time=2 run 2>/dev/null | awk '/events per second/ { print $4 }')
    echo "sysbench cpu threads=$n events_per_s=$e busy_before=$LAST_BUSY%" >>"$RAW"
  done
fi

declare -A sums
for r in $(seq 1 "$gen_reps"); do
  for n in 1 2; do
    rm -rf "$out"
    timed "threads=$n rep=$r" "$SL" generate "$gen_profile" --scenario "$gen_scenario" \
      --target "csv:$out" --threads "$n" -q
    b=$(csv_bytes "$out")
    [ "$(csv_files "$out")" -eq "$ntables" ] && [ "$b" -eq "$bytes" ] || {
      log "threads=$n rep=$r: wrote $(csv_files "$out") files, $b bytes; expected $ntables, $bytes"; exit 1; }
    # Output must not depend on the thread count (checked once per thread count).
    if [ "$r" -eq 1 ]; then sums[$n]=$(cat "$out"/*.csv | md5sum | cut -d' ' -f1); fi
  done
  rm -rf "$out" "$out.2"
  export -f pair
  export SL gen_profile gen_scenario out
  timed "pair rep=$r" bash -c pair
  [ "$(csv_bytes "$out")" -eq "$bytes" ] && [ "$(csv_bytes "$out.2")" -eq "$bytes" ] || {
    log "pair rep=$r: wrong output size"; exit 1; }
  rm -rf "$out.2"
done
if [ "${sums[1]}" != "${sums[2]}" ]; then
  log "ERROR: the CSV written with 1 and 2 threads differs (${sums[1]} vs ${sums[2]})"
  exit 1
fi
echo "output md5 (all files, load order by name): ${sums[1]} for 1 and 2 threads" >>"$RAW"

# Peak RSS as the data grows (one run each; RSS does not vary from run to run).
for sc in $gen_rss_scales; do
  for n in 1 2; do
    rm -rf "$out"
    timed "rss scale=$sc threads=$n" "$SL" generate "$gen_profile" --scale "$sc" \
      --target "csv:$out" --threads "$n" -q
    echo "rss scale=$sc threads=$n bytes=$(csv_bytes "$out")" >>"$RAW"
  done
done
rm -rf "$out"

# Where the time goes (PROFILE=1): perf profile at 1 thread, per-thread split at 2.
if [ "$PROFILE" = 1 ] && [ "$HAVE_PERF" = 1 ]; then
  for n in 1 2; do
    rm -rf "$out"
    perf record -q -o "$WORK/perf.data" -- "$SL" generate "$gen_profile" --scenario "$gen_scenario" \
      --target "csv:$out" --threads "$n" -q 2>/dev/null
    {
      echo "# perf (cpu-clock samples), threads=$n: top symbols by self time"
      perf report -i "$WORK/perf.data" --no-children --sort dso,symbol -g none --stdio 2>/dev/null |
        top 40
      echo "# perf, threads=$n: samples per thread (the main thread is the writer)"
      perf report -i "$WORK/perf.data" --no-children --sort pid -g none --stdio 2>/dev/null |
        top 10
    } >>"$RAW"
  done
  rm -rf "$out"
  "$SL" generate "$gen_profile" --scenario "$gen_scenario" --target "csv:$out" --threads 1 >"$WORK/summary.txt"
  { echo "# per-table time at 1 thread:"; sed 's/^/#   /' "$WORK/summary.txt"; } >>"$RAW"
  rm -rf "$out" "$WORK/perf.data"
fi

# ---------------------------------------------------------------- summary
mb=$(fdiv "$bytes" 1000000 %.1f)
log ""
log "gen_csv summary: $rows rows, $mb MB of CSV per run, CSV on $WORK_FS"
log "(quiet runs: other processes used at most $(awk -v q="$QUIET_OTHER" 'BEGIN { printf "%.0f", q * 100 }')% of a CPU during the run; rates below are from the median of all runs)"
log "| threads | wall s: median [min-max] | quiet runs: median (n) | CPU s (user+sys) | cores busy | rows/s | MB/s | MB/s per thread | MB per CPU-s | peak RSS MB |"
log "|---|---|---|---|---|---|---|---|---|---|"
for n in 1 2; do
  w=$(field wall "$RAW" "threads=$n " | median)
  wr=$(field wall "$RAW" "threads=$n " | minmax)
  wq=$(qfield wall "$RAW" "threads=$n " | median)
  nq=$(qfield wall "$RAW" "threads=$n " | count)
  eval "wallq_$n=$wq"
  c=$(field cpu "$RAW" "threads=$n " | median)
  rss=$(field rss_kb "$RAW" "threads=$n " | median)
  eval "wall_$n=$w cpu_$n=$c"
  log "| $n | $w [$wr] | $wq ($nq) | $c | $(fdiv "$c" "$w") | $(fdiv "$rows" "$w" %.0f) | $(fdiv "$bytes" "$(awk -v w="$w" 'BEGIN { print w * 1e6 }')" %.0f) | $(fdiv "$bytes" "$(awk -v w="$w" -v n="$n" 'BEGIN { print w * n * 1e6 }')" %.0f) | $(fdiv "$bytes" "$(awk -v c="$c" 'BEGIN { print c * 1e6 }')" %.0f) | $(fdiv "$rss" 1024 %.1f) |"
done
pw=$(field wall "$RAW" "pair rep=" | median)
pc=$(field cpu "$RAW" "pair rep=" | median)
pwq=$(qfield wall "$RAW" "pair rep=" | median)
log "| 2 x (1 thread), two processes at once | $pw [$(field wall "$RAW" "pair rep=" | minmax)] | $pwq ($(qfield wall "$RAW" "pair rep=" | count)) | $pc | $(fdiv "$pc" "$pw") | $(fdiv "$((rows * 2))" "$pw" %.0f) | $(fdiv "$((bytes * 2))" "$(awk -v w="$pw" 'BEGIN { print w * 1e6 }')" %.0f) | $(fdiv "$((bytes * 2))" "$(awk -v w="$pw" 'BEGIN { print w * 2e6 }')" %.0f) | $(fdiv "$((bytes * 2))" "$(awk -v c="$pc" 'BEGIN { print c * 1e6 }')" %.0f) | |"
# shellcheck disable=SC2154
speedup=$(fdiv "$wall_1" "$wall_2")
mbs1=$(fdiv "$bytes" "$(awk -v w="$wall_1" 'BEGIN { print w * 1e6 }')" %.0f)
log ""
log "goal >= 200 MB/s per core:  1 thread: $mbs1 MB/s ($(fdiv "$mbs1" 200)x the goal); per CPU-second at 2 threads: $(fdiv "$bytes" "$(awk -v c="$cpu_2" 'BEGIN { print c * 1e6 }')" %.0f) MB"
# shellcheck disable=SC2154
log "goal >= 1.8x from 1 to 2 threads:  $speedup x; quiet runs $(fdiv "$wallq_1" "$wallq_2") x  (CPU time grows $(fdiv "$cpu_2" "$cpu_1")x at 2 threads)"
log "goal >= 200 MB/s per core, quiet runs: 1 thread $(fdiv "$bytes" "$(awk -v w="$wallq_1" 'BEGIN { print w * 1e6 }')" %.0f) MB/s"
if grep -q '^sysbench cpu threads=2' "$RAW"; then
  log "machine ceiling: sysbench cpu does $(fdiv "$(field events_per_s "$RAW" "sysbench cpu threads=2")" "$(field events_per_s "$RAW" "sysbench cpu threads=1")")x on 2 threads"
fi
log "machine ceiling: two independent 1-thread processes do $(fdiv "$(awk -v w="$wall_1" 'BEGIN { print 2 * w }')" "$pw")x the work of one in the same time; quiet runs $(fdiv "$(awk -v w="$wallq_1" 'BEGIN { print 2 * w }')" "$pwq")x"
log ""
log "peak RSS as data grows (one run each):"
log "| scale | threads | MB of CSV | wall s | peak RSS MB |"
log "|---|---|---|---|---|"
for sc in $gen_rss_scales; do
  for n in 1 2; do
    w=$(field wall "$RAW" "rss scale=$sc threads=$n ")
    rss=$(field rss_kb "$RAW" "rss scale=$sc threads=$n ")
    b=$(field bytes "$RAW" "rss scale=$sc threads=$n ")
    log "| $sc | $n | $(fdiv "$b" 1000000 %.0f) | $w | $(fdiv "$rss" 1024 %.1f) |"
  done
done
log ""
log "$(noise_line)"
if [ "$PROFILE" = 1 ] && grep -q '^# perf, threads=' "$RAW"; then
  log ""
  log "CPU samples per thread (perf; the smallest share is the main thread, which writes the files):"
  awk '/^# perf, threads=/ { n = $3; sub(/:$/, "", n); next } /^# / { n = "" } n != "" && /%/ { printf "  %s %s %s\n", n, $1, $2 }' "$RAW"
fi
