# bench/hist_record.sh — what recording one latency costs in the bench runner's histogram.
# Sourced by bench/run.sh (run it as `bench/run.sh hist_record`); uses run.sh's helpers.
#
#   build/release/bench/hist_record N    (bench/hist_record.c, built by `make`)
#
# REPS times; each run records N values (default 50,000,000; log-normal around 50 µs with a
# tail to seconds, prepared before the clock) 5 times into a histogram of 1 ns .. 1 hour at 3
# significant figures and prints the median ns per hist_record() call, the cost of the loop
# alone (reading and summing the same values), of a percentile query and of a merge.
# Reference (../shared/ANCHORS.md): HdrHistogram_c records a value in 4.5-15 ns (on a machine
# like this one; not measured side by side here, so compare with care).
# Environment: HIST_N (values per pass).

hist_n=${HIST_N:-50000000}
if [ ! -x "$BENCH_BIN_DIR/hist_record" ]; then
  log "no $BENCH_BIN_DIR/hist_record: build it with 'make' (bench/*.c are built into build/release/bench/)"
  exit 1
fi
# A private copy, like the seedload binary: a rebuild during the run cannot change it.
cp "$BENCH_BIN_DIR/hist_record" "$WORK/hist_record"

log "## hist_record: $hist_n values per pass, 5 passes per run, $REPS runs; ns per recorded value"
for r in $(seq 1 "$REPS"); do
  timed "hist_record rep=$r" "$WORK/hist_record" "$hist_n"
  line=$(grep '^record_ns=' "$WORK/last.out") || { log "hist_record printed no record_ns= line"; exit 1; }
  sed -i "\$s/\$/ $line/" "$RAW"
  if [ "$r" = 1 ]; then sed 's/^/# /' "$WORK/last.out" >>"$RAW"; fi
done

log ""
rec=$(field record_ns "$RAW" "hist_record rep=" | median)
base=$(field base_ns "$RAW" "hist_record rep=" | median)
log "hist_record summary (median of $REPS runs, each the median of 5 passes):"
log "| figure | median [min-max] |"
log "|---|---|"
log "| hist_record(), ns per value | $rec [$(field record_ns "$RAW" "hist_record rep=" | minmax)] |"
log "| quiet runs only | $(qfield record_ns "$RAW" "hist_record rep=" | median) ($(qfield record_ns "$RAW" "hist_record rep=" | count) runs) |"
log "| the loop alone (read + sum), ns per value | $base [$(field base_ns "$RAW" "hist_record rep=" | minmax)] |"
log "| recording minus the loop, ns per value | $(awk -v a="$rec" -v b="$base" 'BEGIN { printf "%.2f", a - b }') |"
log "| a percentile query on the full histogram, µs | $(field percentile_us "$RAW" "hist_record rep=" | median) |"
log "| merging two histograms (hist_add), µs | $(field add_us "$RAW" "hist_record rep=" | median) |"
log "histogram size: $(awk '/^# histogram:/ { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' "$RAW") (1 ns .. 1 hour, 3 significant figures)"
log "reference HdrHistogram_c (ANCHORS.md): 4.5-15 ns per value, 188 KB for 1 ns .. 3.6 s; seedload: $(fdiv "$rec" 4.5)x the low end, $(fdiv "$rec" 15)x the high end"
log ""
log "$(noise_line)"
