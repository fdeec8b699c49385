#!/usr/bin/env bash
# aa_false_alarm.sh — measure how often `seedload compare` cries wolf: run the same build against
# itself (A/A) K times and count the verdicts. Every "regression" is a false alarm by
# construction, so regressions / K estimates compare's false-alarm rate on this machine.
#
#   bench/aa_false_alarm.sh [-k PAIRS] [-r REPEAT] [-T DURATION] [-c CLIENTS] [-m MODE] [-o DIR]
#
#   -k PAIRS     A/A pairs (default 20)
#   -r REPEAT    runs per side (bench --repeat; default 7)
#   -T DURATION  length of one run (default 1s)
#   -c CLIENTS   clients (default 2)
#   -m MODE      block: per pair, A = bench --repeat R, then B = bench --repeat R (alternating
#                which goes first from pair to pair); run: per pair, R single runs of A and B
#                interleaved (A B A B ...) and pooled with `compare A1 ... vs B1 ...`. Default block.
#   -o DIR       keep the results there (default: a temporary directory, removed at the end)
#   -p PROFILE, -w WORKLOAD   default profiles/edupulse.yaml, dashboard (SQLite)
#
# Each pair is compared twice: with compare's defaults (p99=10%,p50=10%,tps=5%, alpha 0.05, Holm),
# and with zero tolerances (p99=0%,p50=0%,tps=0%), which shows what the significance test alone
# would flag. The summary gives each count with a 95% Wilson interval. SEEDLOAD selects the
# binary (default ./seedload; copy it somewhere first if others may rebuild it meanwhile).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
SEEDLOAD=${SEEDLOAD:-$root/seedload}
K=20 R=7 T=1s C=2 MODE=block OUT="" PROFILE=$root/profiles/edupulse.yaml WL=dashboard
while getopts "k:r:T:c:m:o:p:w:h" o; do
  case $o in
    k) K=$OPTARG ;; r) R=$OPTARG ;; T) T=$OPTARG ;; c) C=$OPTARG ;; m) MODE=$OPTARG ;;
    o) OUT=$OPTARG ;; p) PROFILE=$OPTARG ;; w) WL=$OPTARG ;;
    h) sed -n '2,24p' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
case $MODE in block | run) ;; *) echo "aa_false_alarm: -m block or run" >&2; exit 2 ;; esac
if [ -z "$OUT" ]; then
  OUT=$(mktemp -d /tmp/seedload-aa.XXXXXX)
  trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT"
DB=$OUT/aa.db
"$SEEDLOAD" generate "$PROFILE" --target "sqlite:$DB" -q -f || exit 3
bench() { "$SEEDLOAD" bench "$PROFILE" --workload "$WL" --target "sqlite:$DB" -c "$C" -T "$T" -q "$@"; }
bench --repeat 1 --json "$OUT/warmup.json" >/dev/null || exit 3 # warm the page cache; not counted

echo "A/A: $K pairs, $R runs per side of $T, $C clients, mode $MODE; $("$SEEDLOAD" version); $(nproc) cores"
reg=0 inc=0 imp=0 pass=0 reg0=0 inc0=0
: >"$OUT/verdicts.txt"
for i in $(seq 1 "$K"); do
  if [ "$MODE" = block ]; then
    if [ $((i % 2)) -eq 1 ]; then
      bench --repeat "$R" --json "$OUT/a$i.json" >/dev/null && bench --repeat "$R" --json "$OUT/b$i.json" >/dev/null || exit 3
    else
      bench --repeat "$R" --json "$OUT/b$i.json" >/dev/null && bench --repeat "$R" --json "$OUT/a$i.json" >/dev/null || exit 3
    fi
    A=("$OUT/a$i.json") B=("$OUT/b$i.json")
  else
    A=() B=()
    for j in $(seq 1 "$R"); do
      bench --json "$OUT/a$i-$j.json" >/dev/null && bench --json "$OUT/b$i-$j.json" >/dev/null || exit 3
      A+=("$OUT/a$i-$j.json") B+=("$OUT/b$i-$j.json")
    done
    A+=(vs)
  fi
  out=$("$SEEDLOAD" compare "${A[@]}" "${B[@]}" -q 2>/dev/null)
  st=$?
  out0=$("$SEEDLOAD" compare "${A[@]}" "${B[@]}" -q --max-regression p99=0%,p50=0%,tps=0% 2>/dev/null)
  st0=$?
  case $st in
    0) if [[ $out == *improved* ]]; then imp=$((imp + 1)); else pass=$((pass + 1)); fi ;;
    1) reg=$((reg + 1)) ;;
    4) inc=$((inc + 1)) ;;
    *) echo "pair $i: compare exited $st" >&2; exit 3 ;;
  esac
  [ "$st0" -eq 1 ] && reg0=$((reg0 + 1))
  [ "$st0" -eq 4 ] && inc0=$((inc0 + 1))
  printf 'pair %2d: exit %d  %s | zero tolerance: exit %d  %s\n' "$i" "$st" "$out" "$st0" "$out0" | tee -a "$OUT/verdicts.txt"
done

# A 95% Wilson score interval for x successes out of n.
wilson() {
  awk -v x="$1" -v n="$2" 'BEGIN { z = 1.959964; p = x / n; d = 1 + z*z/n; c = (p + z*z/(2*n)) / d;
    h = z * sqrt(p*(1-p)/n + z*z/(4*n*n)) / d; lo = c - h; if (lo < 0) lo = 0; hi = c + h; if (hi > 1) hi = 1;
    printf "%d/%d = %.1f%% (95%% CI %.1f%%-%.1f%%)", x, n, 100*p, 100*lo, 100*hi }'
}
echo
echo "default tolerances: regression (false alarm) $(wilson $reg "$K"); improved $imp; inconclusive $inc; pass $pass"
echo "zero tolerances (the test alone): regression $(wilson $reg0 "$K"); inconclusive $inc0"
