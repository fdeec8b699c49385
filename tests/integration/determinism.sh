#!/usr/bin/env bash
# determinism.sh — the determinism contract (docs/design.md): the same profile, scenario and seed
# give the same data whatever the thread count, target, shard split or time of the run; the
# per-table checksums agree between targets and add up over shards; another seed changes
# everything.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

P=$ROOT/profiles/edupulse.yaml
T=$(mktmp)
SCALE=10 # enough rows for many chunks per table, so threads really interleave
gen() { timeout 300 "$SEEDLOAD" generate "$P" --scale "$SCALE" -q "$@"; }
sums() { grep '^checksum' "$1"; }

# ------------------------------------------------------------------ threads
for n in 1 2 8; do
  gen --threads "$n" --checksum --target "csv:$T/csv$n" >"$T/csv$n.out" 2>&1
  assert_eq "0" "$?" "csv --threads $n: generate succeeds"
done
assert_eq "9" "$(sums "$T/csv1.out" | grep -c .)" "csv: one checksum per table plus the total"
assert_eq "$(sums "$T/csv1.out")" "$(sums "$T/csv2.out")" "csv: --checksum identical for --threads 1 and 2"
assert_eq "$(sums "$T/csv1.out")" "$(sums "$T/csv8.out")" "csv: --checksum identical for --threads 1 and 8"
check "csv: files byte-identical for --threads 1 and 2" diff -r "$T/csv1" "$T/csv2"
check "csv: files byte-identical for --threads 1 and 8" diff -r "$T/csv1" "$T/csv8"
big=$(awk '$1 == "checksum" && $2 == "attendance_records" { print $3 }' "$T/csv1.out")
[ "${big:-0}" -gt 50000 ] && ok "csv: the run is big enough to split tables into many chunks ($big attendance rows)" ||
  fail "csv: the run is big enough to split tables into many chunks" "attendance rows: $big"

for n in 1 8; do
  gen --threads "$n" --checksum --target "sqlite:$T/db$n.db" >"$T/db$n.out" 2>&1
  assert_eq "0" "$?" "sqlite --threads $n: generate succeeds"
done
assert_eq "$(sums "$T/db1.out")" "$(sums "$T/db8.out")" "sqlite: --checksum identical for --threads 1 and 8"
assert_eq "$(sums "$T/csv1.out")" "$(sums "$T/db1.out")" "the sqlite target's checksum equals the csv target's"
# The data itself, not only the digests: every table's rows are the same in both files.
diffs=$(sqlite3 -batch "$T/db1.db" "ATTACH '$T/db8.db' AS o;
  SELECT group_concat(n, ' ') FROM (
    SELECT 'students' AS n WHERE EXISTS (SELECT * FROM main.students EXCEPT SELECT * FROM o.students)
    UNION ALL SELECT 'attendance_records' WHERE EXISTS (SELECT * FROM main.attendance_records EXCEPT SELECT * FROM o.attendance_records)
    UNION ALL SELECT 'grades' WHERE EXISTS (SELECT * FROM main.grades EXCEPT SELECT * FROM o.grades)
    UNION ALL SELECT 'predictions' WHERE EXISTS (SELECT * FROM main.predictions EXCEPT SELECT * FROM o.predictions))" 2>&1)
assert_eq "" "$diffs" "sqlite: the rows are the same for --threads 1 and 8"
assert_eq "$(sqlite3 "$T/db1.db" "SELECT id FROM students ORDER BY rowid" 2>&1 | md5sum)" \
  "$(sqlite3 "$T/db8.db" "SELECT id FROM students ORDER BY rowid" 2>&1 | md5sum)" "sqlite: rows are inserted in the same order"
rm -f "$T"/db*.db

# ------------------------------------------------------------------ shards
N=4
for i in $(seq 1 $N); do
  gen --threads 2 --checksum --shard "$i/$N" --target "csv:$T/shard$i" >"$T/shard$i.out" 2>&1
  assert_eq "0" "$?" "--shard $i/$N: generate succeeds"
done
cat_ok=1 hdr_ok=1
for f in "$T"/csv1/*.csv; do
  b=$(basename "$f")
  parts=()
  for i in $(seq 1 $N); do parts+=("$T/shard$i/$b"); done
  if ! cat "${parts[@]}" | cmp -s - "$f"; then cat_ok=0; fail "--shard: $b slices concatenated equal the whole"; fi
  hdr=$(head -n 1 "$f")
  for i in $(seq 2 $N); do
    [ "$(head -n 1 "$T/shard$i/$b")" != "$hdr" ] || { hdr_ok=0; fail "--shard: $b has a header only in shard 1" "shard $i starts with the header"; }
  done
  [ "$(head -n 1 "$T/shard1/$b")" = "$hdr" ] || { hdr_ok=0; fail "--shard: shard 1 of $b starts with the header"; }
done
[ $cat_ok = 1 ] && ok "--shard: the $N slices of every table concatenated are byte-identical to the whole"
[ $hdr_ok = 1 ] && ok "--shard: only shard 1 carries the header line"
# Shard digests add up (mod 2^64, each half) to the whole table's digest.
add_ok=1
while read -r _ name rows hex; do
  a=0 b=0 r=0
  for i in $(seq 1 $N); do
    line=$(awk -v t="$name" '$1 == "checksum" && $2 == t' "$T/shard$i.out")
    h=$(echo "$line" | awk '{ print $4 }')
    r=$((r + $(echo "$line" | awk '{ print $3 }')))
    a=$((a + 16#${h:0:16})) b=$((b + 16#${h:16:16}))
  done
  got=$(printf '%016x%016x' "$a" "$b")
  if [ "$got" != "$hex" ] || [ "$r" != "$rows" ]; then add_ok=0; fail "--shard: $name digests add up to the whole" "want $rows $hex" "got  $r $got"; fi
done < <(sums "$T/csv1.out")
[ $add_ok = 1 ] && ok "--shard: the shards' row counts and digests add up to the whole's, table by table"
gen --shard 3/7 --target "csv:$T/s37" --no-header
assert_eq "0" "$?" "--shard 3/7 --no-header succeeds (more shards than rows in some tables)"
# 1000 students: shard 3 of 7 is rows 285..427, lines 287..429 of the whole (after its header)
assert_eq "$(sed -n '287,429p' "$T/csv1/students.csv" | md5sum)" "$(md5sum <"$T/s37/students.csv")" \
  "--shard 3/7: exactly rows 285..427 of the whole, no header"
assert_eq "$(sed -n '2p' "$T/csv1/model_metadata.csv")" "$(cat "$T/s37/model_metadata.csv")" \
  "--shard 3/7: a 3-row table gives this shard its row 0 (rows split as floor(n*i/N))"
expect_exit 2 "--shard 5/4 is refused" "$SEEDLOAD" generate "$P" --shard 5/4 --target "csv:$T/bad"
expect_exit 2 "--shard 0/4 is refused" "$SEEDLOAD" generate "$P" --shard 0/4 --target "csv:$T/bad"
expect_exit 2 "--shard 1 is refused" "$SEEDLOAD" generate "$P" --shard 1 --target "csv:$T/bad"

# ------------------------------------------------------------------ time and seeds
sleep 1
gen --threads 2 --checksum --target "csv:$T/later" >"$T/later.out" 2>&1
check "a run a second later gives byte-identical files" diff -r "$T/csv1" "$T/later"
assert_eq "$(sums "$T/csv1.out")" "$(sums "$T/later.out")" "a run a second later gives the same checksums"
gen --threads 2 --checksum --seed 20250814 --target "csv:$T/seed2" >"$T/seed2.out" 2>&1
assert_eq "0" "$?" "another seed: generate succeeds"
same=$(join <(sums "$T/csv1.out" | awk '{ print $2, $4 }' | sort) <(sums "$T/seed2.out" | awk '{ print $2, $4 }' | sort) |
  awk '$2 == $3 { print $1 }')
assert_eq "" "$same" "another seed changes every table's digest"
ndiff=0
for f in "$T"/csv1/*.csv; do cmp -s "$f" "$T/seed2/$(basename "$f")" || ndiff=$((ndiff + 1)); done
assert_eq "8" "$ndiff" "another seed changes every table's file"
# The profile's own seed is the default: --seed with that value is the same dataset.
gen --threads 2 --checksum --seed 20250813 --target "csv:$T/seedsame" >"$T/seedsame.out" 2>&1
assert_eq "$(sums "$T/csv1.out")" "$(sums "$T/seedsame.out")" "--seed equal to the profile's seed gives the same data"

# ------------------------------------------------------------------ the data is pinned
# "A release that changes generated data says so" (docs/design.md): the checksums of the small
# library fixture are pinned in tests/golden/library.checksum. If a change to the generators is
# deliberate, regenerate the file (UPDATE_GOLDEN=1) and bump the dataset format that
# app_dataset_id hashes, or `generate` will call an old file "already holds this dataset".
LIBP=$ROOT/tests/profiles/library.yaml
got=$(timeout 60 "$SEEDLOAD" generate "$LIBP" --target "csv:$T/libpin" -q --checksum 2>&1)
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  echo "$got" >"$ROOT/tests/golden/library.checksum" && ok "pinned checksums written"
else
  assert_eq "$(cat "$ROOT/tests/golden/library.checksum")" "$got" "the library fixture's data is exactly the pinned data (tests/golden/library.checksum)"
fi

[ "$TEST_FAILS" -eq 0 ]
