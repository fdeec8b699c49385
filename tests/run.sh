#!/usr/bin/env bash
# run.sh — run seedload's tests and print one summary line: "N passed, M failed, K skipped".
#
#   tests/run.sh                 unit tests (C, cmocka) then integration tests (shell)
#   tests/run.sh --unit-only     unit tests only
#   tests/run.sh NAME...         only the tests whose file name contains NAME
#
# Environment (set by `make check`): SEEDLOAD (binary), UNIT_DIR (unit test binaries),
# BENCH_BIN_DIR. PostgreSQL: if PGHOST/PGPORT/PGDATABASE point at a server the tests use it;
# otherwise this script starts a throwaway cluster (scripts/pg-cluster.sh) for the run and
# removes it at exit. Under CI=true a PostgreSQL test never skips: no server is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export SEEDLOAD=${SEEDLOAD:-$root/seedload}
export UNIT_DIR=${UNIT_DIR:-$root/build/release/tests}
export SEEDLOAD_ROOT=$root
logdir=$root/build/test-logs
mkdir -p "$logdir"

unit_only=0
filters=()
for a in "$@"; do
  case $a in
    --unit-only) unit_only=1 ;;
    *) filters+=("$a") ;;
  esac
done
selected() {
  [ ${#filters[@]} -eq 0 ] && return 0
  for f in "${filters[@]}"; do case $1 in *"$f"*) return 0 ;; esac; done
  return 1
}

pass=0 failn=0 skip=0
failed_names=()
tally() { # name logfile status
  local name=$1 log=$2 st=$3 p f s
  p=$(grep -c '^ok ' "$log" || true)
  f=$(grep -c '^not ok ' "$log" || true)
  s=$(grep -c '^skip ' "$log" || true)
  if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $name exited with status $st" >>"$log"; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then f=1; echo "not ok - $name reported no results" >>"$log"; fi
  pass=$((pass + p)); failn=$((failn + f)); skip=$((skip + s))
  if [ "$f" -gt 0 ]; then
    failed_names+=("$name")
    printf '  %-34s %4d passed  %d FAILED\n' "$name" "$p" "$f"
    grep -E '^(not ok|#)' "$log" | head -n 40 | sed 's/^/      /'
  else
    printf '  %-34s %4d passed' "$name" "$p"; [ "$s" -gt 0 ] && printf '  %d skipped' "$s"; printf '\n'
  fi
}

# --- unit tests -----------------------------------------------------------------------
echo "unit tests:"
for bin in "$UNIT_DIR"/test_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  selected "$name" || continue
  log=$logdir/$name.log
  (cd "$root" && CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$bin") >"$log" 2>&1
  tally "$name" "$log" $?
done

# --- integration tests ----------------------------------------------------------------
if [ $unit_only -eq 0 ]; then
  echo "integration tests:"
  pg_started=""
  cleanup() { [ -n "$pg_started" ] && "$root/scripts/pg-cluster.sh" stop "$pg_started" >/dev/null 2>&1; }
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  need_pg=0
  for t in "$here"/integration/*.sh; do
    selected "$(basename "$t")" || continue
    grep -q 'need_pg' "$t" && need_pg=1
  done
  if [ $need_pg -eq 1 ] && [ -z "${PGHOST:-}" ] && [ -z "${PGDATABASE:-}" ] && [ -z "${PGPORT:-}" ]; then
    if [ -x "$root/scripts/pg-cluster.sh" ]; then
      dir=$(mktemp -d /tmp/seedload-pg.XXXXXX)
      if out=$("$root/scripts/pg-cluster.sh" start "$dir" 2>&1); then
        pg_started=$dir
        eval "$out"     # exports PGHOST PGPORT PGUSER PGDATABASE
        echo "  (started a throwaway PostgreSQL cluster in $dir)"
      else
        echo "  (could not start a PostgreSQL cluster: $(echo "$out" | tail -n 1))"
        rm -rf "$dir"
        export SEEDLOAD_PG_UNAVAILABLE="$(echo "$out" | tail -n 1)"
      fi
    fi
  fi
  for t in "$here"/integration/*.sh; do
    name=$(basename "$t" .sh)
    selected "$name" || continue
    log=$logdir/$name.log
    (cd "$root" && timeout 1200 bash "$t") >"$log" 2>&1
    tally "$name" "$log" $?
  done
fi

echo
if [ ${#failed_names[@]} -gt 0 ]; then
  echo "failed: ${failed_names[*]} (logs in $logdir)"
fi
echo "$pass passed, $failn failed, $skip skipped"
[ "$failn" -eq 0 ]
