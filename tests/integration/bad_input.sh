#!/usr/bin/env bash
# bad_input.sh — what seedload says and does on bad input: broken profiles (each message checked
# against tests/golden/NAME.txt: file:line:col, the quoted line, the caret), bad command lines,
# unwritable targets, a full disk and an interrupted run. Never a crash (exit >= 128), never a
# hang (everything runs under `timeout`), and a failed run leaves the previous target as it was.
#
# UPDATE_GOLDEN=1 tests/integration/bad_input.sh rewrites the golden files from the current
# output; read every changed file before committing it.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

cd "$ROOT" || exit 1
B=tests/profiles       # relative, so messages name tests/profiles/... on every machine
G=tests/golden
P=profiles/edupulse.yaml
T=$(mktmp)
UPDATE=${UPDATE_GOLDEN:-0}

# run CMD...: run with a time limit; sets RC, OUT (stdout) and ERR (stderr).
run() {
  timeout -k 5 60 "$@" >"$T/stdout" 2>"$T/stderr"
  RC=$?
  OUT=$(cat "$T/stdout")
  ERR=$(cat "$T/stderr")
}
normalize() { sed -e "s#$T#TMP#g" -e "s#$ROOT/##g"; }
no_crash() { # DESC (a sanitizer report counts as a crash: sanitized builds exit 1 on one)
  if [ "$RC" -ge 124 ] || [[ $ERR == *Sanitizer* ]] || [[ $ERR == *"runtime error:"* ]]; then
    fail "$1: no crash, no hang" "exit $RC" "$(echo "$ERR" | grep -m 3 -E 'Sanitizer|runtime error|.')"
  else
    ok "$1: no crash, no hang (exit $RC)"
  fi
}
# golden NAME DESC: stderr equals tests/golden/NAME.txt (temporary paths normalised).
golden() {
  local f=$G/$1.txt got
  got=$(printf '%s\n' "$ERR" | normalize)
  if [ "$UPDATE" = 1 ]; then
    mkdir -p "$G" && printf '%s\n' "$got" >"$f" && ok "$2: golden written to $f"
    return
  fi
  if [ ! -f "$f" ]; then fail "$2: $f exists"; return; fi
  if [ "$got" == "$(cat "$f")" ]; then ok "$2: stderr matches $f"; else fail "$2: stderr matches $f" "$(diff "$f" <(echo "$got") | head -n 20)"; fi
}

# bad_profile NAME DESC: `check` and `generate` both fail with exit 2 and the golden diagnostics,
# print nothing on stdout, and create no target.
bad_profile() {
  local name=$1 desc=$2
  run "$SEEDLOAD" check "$B/$name.yaml"
  no_crash "$desc (check)"
  assert_eq "2" "$RC" "$desc: check exits 2"
  assert_eq "" "$OUT" "$desc: check prints nothing on stdout"
  golden "$name" "$desc"
  local cerr=$ERR
  run "$SEEDLOAD" generate "$B/$name.yaml" --target "csv:$T/out-$name"
  assert_eq "2" "$RC" "$desc: generate exits 2"
  assert_eq "$cerr" "$ERR" "$desc: generate reports exactly what check reports"
  assert_eq "no" "$([ -e "$T/out-$name" ] && echo yes || echo no)" "$desc: generate creates no target"
}

# ------------------------------------------------------------------ profiles (golden)
bad_profile bad_missing "missing profile file"
bad_profile bad_empty "empty profile"
bad_profile bad_top_key "unknown top-level key"
assert_contains "$ERR" "(did you mean 'scenarios'?)" "unknown top-level key: did you mean 'scenarios'"
bad_profile bad_col_key "unknown generator option (stdev)"
assert_contains "$ERR" "(did you mean 'stddev'?)" "unknown generator option: did you mean 'stddev'"
bad_profile bad_type "a text where a number is needed"
bad_profile bad_gen "unknown generator"
assert_contains "$ERR" "(did you mean 'sentence'?)" "unknown generator: did you mean 'sentence'"
bad_profile bad_ref_table "reference to a missing table"
bad_profile bad_ref_column "reference to a missing column"
bad_profile bad_fk_cycle "foreign-key cycle without a nullable column"
bad_profile bad_unique "unique column with too few distinct values"
bad_profile bad_negative "negative row count"
bad_profile bad_absurd "absurd row count (1e13)"
bad_profile bad_no_column "a column the SQL file does not have"
bad_profile bad_not_null "a NOT NULL column the profile leaves unfilled"
bad_profile bad_ddl "a DDL file with an unterminated quote"

# ------------------------------------------------------------------ profiles (no golden yet)
# A YAML syntax error: the unclosed '{' is on line 8; libyaml notices on line 9. The message must
# lead the user to line 8 (libyaml's context mark: "while parsing a flow mapping" that starts at
# 8:11), not only to the place where parsing gave up. No golden until the message does.
run "$SEEDLOAD" check "$B/bad_syntax.yaml"
no_crash "YAML syntax error"
assert_eq "2" "$RC" "YAML syntax error: exit 2"
assert_contains "$ERR" "tests/profiles/bad_syntax.yaml:9:11: error: YAML syntax error: did not find expected ',' or '}' while parsing a flow mapping" \
  "YAML syntax error: file:line:col and libyaml's problem"
assert_contains "$ERR" "8:11" "YAML syntax error: the message points at line 8, where the unclosed mapping starts"

# Several errors in one file: all are reported, not only those of the first stage that finds
# any (profile structure before generators).
run "$SEEDLOAD" check "$B/bad_many.yaml"
no_crash "several errors"
assert_eq "2" "$RC" "several errors: exit 2"
for want in "bad_many.yaml:6:3: error: scenario 'big' has scale 0" \
  "bad_many.yaml:13:20: error: unknown generator 'emial'" \
  "bad_many.yaml:14:46: error: unknown key 'nul' in generator 'decimal' (did you mean 'null'?)" \
  "bad_many.yaml:16:39: error: rows.max (1) is below rows.min (3)" \
  "bad_many.yaml:22:40: error: max (40) is below min (900)"; do
  assert_contains "$ERR" "$want" "several errors: reports ${want#*error: }"
done

# "Did you mean" for a typo with two letters swapped (emial, cuont, titel): a plain edit
# distance counts a swap as 2 edits, more than the limit for a 5-letter word.
printf 'name: library\nschema: {sqlite: %s}\ndicts: %s\ntables:\n  authors:\n    rows: 2\n    columns:\n      id: {gen: seq}\n      name: x\n      email: {gen: emial}\n' \
  "$ROOT/tests/profiles/sql/library.sql" "$ROOT/profiles/dicts" >"$T/swap.yaml"
run "$SEEDLOAD" check "$T/swap.yaml"
assert_contains "$ERR" "unknown generator 'emial' (did you mean 'email'?)" "a swapped-letters typo gets a suggestion (emial: did you mean 'email')"

# Input that must not crash or hang: a mapping key that is a list, an anchor that contains
# itself, and a parent pinned to more children than there are distinct targets.
run "$SEEDLOAD" check "$B/bad_complex_key.yaml"
no_crash "a list as a column name"
assert_eq "2" "$RC" "a list as a column name: exit 2"
assert_contains "$ERR" "bad_complex_key.yaml:10:" "a list as a column name: reported at its line (10)"
for sec in tables scenarios; do
  if [ $sec = tables ]; then printf 'name: k\nschema: {sqlite: s.sql}\ntables:\n  ? [a, b]\n  : {rows: 1, columns: {id: 1}}\n' >"$T/ck.yaml"
  else printf 'name: k\nschema: {sqlite: s.sql}\nscenarios:\n  ? [a]\n  : 1\ntables: {a: {rows: 1, columns: {id: 1}}}\n' >"$T/ck.yaml"; fi
  run "$SEEDLOAD" check "$T/ck.yaml"
  no_crash "a list as a $sec key"
  assert_eq "2" "$RC" "a list as a $sec key: exit 2"
done
run "$SEEDLOAD" check "$B/bad_alias_loop.yaml"
no_crash "an anchor that contains itself"
assert_eq "2" "$RC" "an anchor that contains itself: exit 2"
printf 'name: k\nschema: {sqlite: %s}\ntables:\n  authors:\n    rows: 1\n    columns:\n      name: x\n      bio: {gen: const, value: &w {a: *w}}\n' \
  "$ROOT/tests/profiles/sql/library.sql" >"$T/al.yaml"
run "$SEEDLOAD" check "$T/al.yaml"
no_crash "an anchor that contains itself (const value)"
assert_eq "2" "$RC" "an anchor that contains itself (const value): exit 2"
run "$SEEDLOAD" check "$B/bad_distinct_children.yaml"
no_crash "distinct references for a pinned _children (check)"
assert_eq "2" "$RC" "distinct references: check says 30 children cannot have distinct targets among 5"
run timeout -k 1 8 "$SEEDLOAD" generate "$B/bad_distinct_children.yaml" --target "csv:$T/dc" -q
no_crash "distinct references for a pinned _children (generate)"

# A seed must be a non-negative integer (docs/profile.md); -5 must not silently become 2^64-5.
printf 'name: library\nseed: -5\nschema: {sqlite: %s}\ntables:\n  authors:\n    rows: 2\n    columns:\n      id: {gen: seq}\n      name: x\n' \
  "$ROOT/tests/profiles/sql/library.sql" >"$T/seed.yaml"
run "$SEEDLOAD" check "$T/seed.yaml"
assert_eq "2" "$RC" "a negative seed is refused"

# ------------------------------------------------------------------ command lines
run "$SEEDLOAD"
assert_eq "2" "$RC" "no command: exit 2"
assert_contains "$ERR" "usage: seedload COMMAND" "no command: usage on stderr"
run "$SEEDLOAD" generat "$P"
assert_eq "2" "$RC" "unknown command: exit 2"
assert_contains "$ERR" "unknown command 'generat' (did you mean 'generate'?)" "unknown command: did you mean 'generate'"
run "$SEEDLOAD" generate
assert_eq "2" "$RC" "generate without a profile: exit 2"
for args in "--threads 0" "--threads x" "--scale 0" "--scale -2" "--scale nan" "--seed -1" "--seed 1x" \
  "--dialect mysql" "--jobs 0" "--bogus" "--target mysql://db" "--target sqlite:" "--target csv:" "--target sql:"; do
  run "$SEEDLOAD" generate "$P" $args
  assert_eq "2" "$RC" "generate $args: exit 2"
  [ -n "$ERR" ] || fail "generate $args: says why on stderr"
done
run "$SEEDLOAD" generate "$P" --scale 1e9 --target "csv:$T/huge" -q
no_crash "--scale 1e9"
assert_eq "2" "$RC" "--scale 1e9 (10^11 students): an absurd row count, exit 2"
assert_not_contains "$ERR" "out of memory" "--scale 1e9: a row-count message, not 'out of memory'"

# ------------------------------------------------------------------ unwritable targets
run "$SEEDLOAD" generate "$P" --target "csv:/proc/seedload-test-$$/out" -q
no_crash "csv under /proc"
assert_eq "3" "$RC" "csv under /proc: exit 3"
assert_contains "$ERR" "/proc/seedload-test-$$" "csv under /proc: the message names the path"
echo "a file, not a directory" >"$T/afile"
run "$SEEDLOAD" generate "$P" --target "csv:$T/afile" -q
assert_eq "3" "$RC" "csv: a file in place of the directory: exit 3"
assert_contains "$ERR" "not a directory" "csv: a file in place of the directory: says so"
assert_eq "a file, not a directory" "$(cat "$T/afile")" "csv: the file is untouched"
run "$SEEDLOAD" generate "$P" --target "sqlite:/proc/seedload-test-$$.db" -q
no_crash "sqlite under /proc"
assert_eq "3" "$RC" "sqlite under /proc: exit 3"
run "$SEEDLOAD" generate "$P" --target "sql:/proc/seedload-test-$$.sql" -q
assert_eq "3" "$RC" "sql under /proc: exit 3"
mkdir -p "$T/adir"
run "$SEEDLOAD" generate "$P" --target "sqlite:$T/adir" -q --force
assert_eq "2" "$RC" "sqlite: a directory in place of the file: exit 2"
assert_contains "$ERR" "is a directory" "sqlite: a directory in place of the file: says so"

# ------------------------------------------------------------------ full disk
MNT=$T/full
mkdir -p "$MNT"
if mount -t tmpfs -o size=256k seedload-test "$MNT" 2>/dev/null; then
  trap 'umount "$MNT" 2>/dev/null; rm -rf "$TEST_TMP_ROOT"' EXIT
  mkdir "$MNT/c" && echo keep >"$MNT/c/keep.txt"
  run "$SEEDLOAD" generate "$P" --target "csv:$MNT/c" -q
  no_crash "full disk, csv"
  assert_eq "3" "$RC" "full disk, csv: exit 3"
  assert_contains "$ERR" "No space left on device" "full disk, csv: says the disk is full"
  assert_eq "keep.txt" "$(ls -A "$MNT/c")" "full disk, csv: no partial file is left"
  run "$SEEDLOAD" generate "$P" --target "sql:$MNT/s.sql" -q
  assert_eq "3" "$RC" "full disk, sql: exit 3"
  assert_contains "$ERR" "No space left on device" "full disk, sql: says the disk is full"
  echo previous >"$MNT/x.db"
  run "$SEEDLOAD" generate "$P" --target "sqlite:$MNT/x.db" -q --force
  assert_eq "3" "$RC" "full disk, sqlite: exit 3"
  assert_contains "$ERR" "disk is full" "full disk, sqlite: says the disk is full"
  assert_eq "previous" "$(cat "$MNT/x.db")" "full disk, sqlite: the previous file is intact"
  assert_eq "c x.db" "$(ls -A "$MNT" | tr '\n' ' ' | sed 's/ $//')" "full disk: no temporary or partial file is left"
  umount "$MNT"
else
  skip "full disk: cannot mount a small tmpfs here (needs root): $(mount -t tmpfs -o size=256k seedload-test "$MNT" 2>&1 | tail -n 1)"
fi
# A device node as the target: --force replaces the *file* at that path. It must write to the
# device (here /dev/full's twin: every write fails), not swap the node for a regular file.
if mknod "$T/devfull" c 1 7 2>/dev/null; then
  run "$SEEDLOAD" generate "$P" --target "sql:$T/devfull" -q --force
  no_crash "sql: a device node"
  assert_eq "3" "$RC" "sql:DEVICE (a /dev/full twin): exit 3, the disk is full"
  assert_eq "c" "$(stat -c %F "$T/devfull" | cut -c1)" "sql:DEVICE: the device node is still a device, not replaced by a file"
else
  skip "sql: a device node target: mknod not permitted here"
fi

# ------------------------------------------------------------------ interrupted runs
# interrupt DIR TARGET: start a medium generate into TARGET (--force, one thread), wait until its
# temporary file appears in DIR (the load is under way), then send SIGINT.
interrupt() {
  "$SEEDLOAD" generate "$P" --scenario medium --force -q --threads 1 --target "$2" >"$T/int.out" 2>"$T/int.err" &
  local pid=$! _
  (sleep 60 && kill -9 $pid 2>/dev/null) &
  local wd=$!
  for _ in $(seq 1 200); do
    ls -A "$1" 2>/dev/null | grep -q seedload-tmp && break
    sleep 0.05
  done
  sleep 0.2
  kill -0 $pid 2>/dev/null || echo "# the run ended before it could be interrupted"
  kill -INT $pid
  wait $pid
  RC=$?
  kill $wd 2>/dev/null
  wait $wd 2>/dev/null
  ERR=$(cat "$T/int.err")
}
run "$SEEDLOAD" generate "$P" --target "sqlite:$T/prev.db" -q
sum=$(md5sum <"$T/prev.db")
interrupt "$T" "sqlite:$T/prev.db"
assert_eq "3" "$RC" "interrupted sqlite run: exit 3 (the signal is handled)"
assert_contains "$ERR" "interrupted" "interrupted sqlite run: says it was interrupted"
assert_eq "$sum" "$(md5sum <"$T/prev.db")" "interrupted sqlite run: the previous file is intact"
assert_eq "" "$(ls -A "$T" | grep -E 'seedload-tmp|-journal|-wal')" "interrupted sqlite run: no temporary files"
run "$SEEDLOAD" generate "$P" --target "csv:$T/prevcsv" -q
sumc=$(cat "$T"/prevcsv/* | md5sum)
interrupt "$T/prevcsv" "csv:$T/prevcsv"
assert_eq "3" "$RC" "interrupted csv run: exit 3"
assert_eq "$sumc" "$(cat "$T"/prevcsv/* | md5sum)" "interrupted csv run: the previous files are intact"
assert_eq "" "$(ls -A "$T/prevcsv" | grep -v '\.csv$')" "interrupted csv run: no temporary files"

[ "$TEST_FAILS" -eq 0 ]
