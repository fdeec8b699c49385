# lib.sh — helpers for seedload's shell integration tests. Source it; each check prints one
# line "ok - ...", "not ok - ..." or "skip - ..." that tests/run.sh counts.
set -u
SEEDLOAD=${SEEDLOAD:-$(pwd)/seedload}
ROOT=${SEEDLOAD_ROOT:-$(pwd)}
TEST_FAILS=0
# Every temporary directory of a test lives under one root, removed when the test ends (mktmp
# is usually called as $(mktmp), in a subshell, so it cannot register anything itself).
TEST_TMP_ROOT=$(mktemp -d /tmp/seedload-test.XXXXXX)
# A test that sets its own EXIT trap calls _cleanup_tmp from it.
_cleanup_tmp() { rm -rf "$TEST_TMP_ROOT"; }
trap _cleanup_tmp EXIT

ok()   { echo "ok - $*"; }
fail() { echo "not ok - $1"; shift; for l in "$@"; do echo "# $l"; done; TEST_FAILS=$((TEST_FAILS + 1)); }
skip() { echo "skip - $*"; }

# mktmp: a fresh directory removed when the test ends.
mktmp() { mktemp -d "$TEST_TMP_ROOT/t.XXXXXX"; }

# check DESC CMD...: ok when CMD exits 0; otherwise shows its output.
check() {
  local desc=$1; shift
  local out
  if out=$("$@" 2>&1); then ok "$desc"; else fail "$desc" "command: $*" "exit: $?" "$(echo "$out" | tail -n 15)"; fi
}

# expect_exit CODE DESC CMD...: ok when CMD exits with CODE. Output is kept in $LAST_OUT.
LAST_OUT=""
expect_exit() {
  local code=$1 desc=$2; shift 2
  LAST_OUT=$("$@" 2>&1); local st=$?
  if [ "$st" -eq "$code" ]; then ok "$desc"; else fail "$desc" "command: $*" "expected exit $code, got $st" "$(echo "$LAST_OUT" | tail -n 15)"; fi
}

# assert_eq WANT GOT DESC
assert_eq() {
  if [ "$1" == "$2" ]; then ok "$3"; else fail "$3" "want: $1" "got:  $2"; fi
}

# assert_contains HAYSTACK NEEDLE DESC
assert_contains() {
  case $1 in *"$2"*) ok "$3" ;; *) fail "$3" "expected to find: $2" "in: $(echo "$1" | head -n 20)" ;; esac
}
assert_not_contains() {
  case $1 in *"$2"*) fail "$3" "did not expect: $2" "in: $(echo "$1" | head -n 20)" ;; *) ok "$3" ;; esac
}

# need_pg: return 0 when a PostgreSQL server is reachable through the PG* variables. Outside CI a
# missing server skips loudly; under CI=true it is a failure.
need_pg() {
  if [ -n "${PGHOST:-}${PGPORT:-}${PGDATABASE:-}" ] && pg_isready -q 2>/dev/null; then return 0; fi
  local why=${SEEDLOAD_PG_UNAVAILABLE:-no PostgreSQL server (set PG* variables or install postgresql)}
  if [ "${CI:-}" = "true" ]; then fail "PostgreSQL server available" "$why"; else skip "PostgreSQL tests: $why"; fi
  return 1
}

# sancheck DESC: a sanitizer report in $ERR is a failure of its own (shown verbatim).
sancheck() {
  if [[ $ERR == *Sanitizer* ]] || [[ $ERR == *"runtime error:"* ]]; then
    local rep
    mapfile -t rep < <(echo "$ERR" | grep -A 40 -m 1 -E 'Sanitizer|runtime error' | head -n 40)
    fail "no sanitizer report: $1" "${rep[@]}"
  fi
}
# sl_run DIR ARGS...: seedload ARGS with a time limit; sets RC, OUT (stdout) and ERR (stderr),
# keeps them in DIR/stdout and DIR/stderr, and fails on a sanitizer report.
sl_run() {
  local dir=$1; shift
  timeout -k 5 120 "$SEEDLOAD" "$@" >"$dir/stdout" 2>"$dir/stderr"
  RC=$?
  OUT=$(cat "$dir/stdout")
  ERR=$(cat "$dir/stderr")
  sancheck "seedload $*"
}
# rc_is WANT DESC: the last sl_run exited WANT (otherwise show its stderr).
rc_is() {
  if [ "$RC" = "$1" ]; then ok "$2"; else fail "$2" "expected exit $1, got $RC" "$(echo "$ERR" | tail -n 8)"; fi
}
