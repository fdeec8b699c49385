#!/usr/bin/env bash
# generate.sh — `seedload generate` end to end: EduPulse small (and medium) into SQLite with the
# document's data shapes and edge rows, CSV (RFC 4180, loaded back with sqlite3 and psql; empty
# string vs NULL), SQL scripts for sqlite3 and psql, --scale/--seed, --scenario errors, existing
# targets (--force, "already holds this dataset"), and sql:- on standard output.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

P=$ROOT/profiles/edupulse.yaml
LIB=$ROOT/tests/profiles/library.yaml
T=$(mktmp)
TABLES="students attendance_records grades discipline_incidents student_features predictions training_feedback model_metadata"

sq() { sqlite3 -batch -bail "$@"; }
gen() { timeout 300 "$SEEDLOAD" generate "$@"; }

# check_counts PROFILE SCENARIO: "table rows" lines from `seedload check`, for one scenario.
check_counts() {
  "$SEEDLOAD" check "$1" | awk -v sc="$2" '
    /rows per scenario/ { for (i = 4; i <= NF; i++) if ($i == sc) col = i - 2; next }
    col && NF >= col && $1 != "total" && $1 !~ /^\(/ && /^  / { print $1, $col }'
}

# db_counts DB TABLE...: "table rows" lines from a SQLite file.
db_counts() {
  local db=$1; shift
  for t in "$@"; do echo "$t $(sq "$db" "SELECT count(*) FROM \"$t\"" 2>&1)"; done
}

# checksum_counts: "table rows" lines from --checksum output (without the total).
checksum_counts() { awk '$1 == "checksum" && $2 != "*" { print $2, $3 }'; }

# same_rows DB1 DB2 TABLE: rows of TABLE in DB1 and not in DB2, both ways (NULL and '' are one
# value: a CSV import cannot tell them apart, so this compares with coalesce).
same_rows() {
  local a=$1 b=$2 t=$3 cols
  cols=$(sq "$a" "SELECT group_concat('coalesce(\"' || name || '\", '''')', ', ') FROM pragma_table_info('$t')")
  sq "$a" "ATTACH '$b' AS o;
    SELECT (SELECT count(*) FROM (SELECT $cols FROM main.\"$t\" EXCEPT SELECT $cols FROM o.\"$t\"))
         + (SELECT count(*) FROM (SELECT $cols FROM o.\"$t\" EXCEPT SELECT $cols FROM main.\"$t\"))" 2>&1
}

# ------------------------------------------------------------------ small into SQLite
DB=$T/small.db
gen "$P" --target "sqlite:$DB" --checksum >"$T/small.out" 2>"$T/small.err"
assert_eq "0" "$?" "small: generate into sqlite succeeds"
SUMS=$(grep '^checksum' "$T/small.out")
want=$(check_counts "$P" small | sort)
assert_eq "8" "$(echo "$want" | grep -c .)" "small: check lists the eight EduPulse tables"
assert_eq "$want" "$(db_counts "$DB" $TABLES | sort)" "small: every table's row count equals \`seedload check\`"
assert_eq "$want" "$(echo "$SUMS" | checksum_counts | sort)" "small: --checksum rows equal \`seedload check\`"
assert_eq "$(echo "$TABLES" | tr ' ' '\n' | sort)" \
  "$(sq "$DB" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_seedload%' ESCAPE '\\' ORDER BY 1")" \
  "small: the database holds exactly the profile's tables (plus seedload's metadata)"
assert_eq "ok" "$(sq "$DB" "PRAGMA integrity_check")" "small: PRAGMA integrity_check is ok"
assert_eq "" "$(sq "$DB" "PRAGMA foreign_key_check")" "small: PRAGMA foreign_key_check finds nothing"
assert_eq "$(grep -ciE '^create (unique )?index' "$ROOT/sql/edupulse/sqlite.sql")" \
  "$(sq "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")" \
  "small: every CREATE INDEX of the DDL exists after the load"
assert_contains "$(cat "$T/small.out")" "seedload 0.1.0: profile edupulse, scenario small (scale 1), seed 20250813 -> sqlite:$DB" \
  "small: the summary names profile, scenario, seed and target"
meta=$(sq "$DB" "SELECT group_concat(key || '=' || value, ' ') FROM _seedload_meta WHERE key IN ('profile', 'scenario', 'scale', 'seed')")
assert_eq "profile=edupulse scenario=small scale=1 seed=20250813" "$meta" "small: _seedload_meta records profile, scenario, scale and seed"
assert_eq "$(echo "$SUMS" | awk '$2 != "*" { print $2, $3, $4 }' | sort)" \
  "$(sq -separator ' ' "$DB" "SELECT name, rows, checksum FROM _seedload_tables ORDER BY name")" \
  "small: _seedload_tables records each table's rows and --checksum digest"

# Data shapes (the EduPulse document's test-data recipe).
q() { sq "$DB" "$1" 2>&1; }
assert_eq "100" "$(q "SELECT count(*) FROM students")" "shape: 100 students"
NORA=$(q "SELECT id FROM students WHERE first_name = 'Nora' AND last_name = 'Norecords'")
assert_eq "1" "$(echo "$NORA" | grep -c .)" "shape: the pinned no-records student exists once"
assert_eq "99|90|90" "$(q "SELECT count(*), min(c), max(c) FROM (SELECT count(*) c FROM attendance_records GROUP BY student_id)")" \
  "shape: 90 attendance rows for each of the 99 other students"
assert_eq "0" "$(q "SELECT count(*) FROM students s WHERE s.id <> '$NORA' AND (SELECT count(*) FROM attendance_records a WHERE a.student_id = s.id) <> 90")" \
  "shape: no student other than the pinned one misses attendance"
nora_rows=$(q "SELECT (SELECT count(*) FROM attendance_records WHERE student_id = '$NORA') || ' ' ||
  (SELECT count(*) FROM grades WHERE student_id = '$NORA') || ' ' ||
  (SELECT count(*) FROM discipline_incidents WHERE student_id = '$NORA') || ' ' ||
  (SELECT count(*) FROM student_features WHERE student_id = '$NORA') || ' ' ||
  (SELECT count(*) FROM predictions WHERE student_id = '$NORA') || ' ' ||
  (SELECT count(*) FROM training_feedback f JOIN predictions p ON p.id = f.prediction_id WHERE p.student_id = '$NORA')")
assert_eq "0 0 0 0 0 0" "$nora_rows" "shape: the no-records student has 0 rows in every child table"
assert_eq "99|80|80" "$(q "SELECT count(*), min(c), max(c) FROM (SELECT count(*) c FROM grades GROUP BY student_id)")" \
  "shape: 80 grades for each student with records"
assert_eq "4|20|20" "$(q "SELECT count(DISTINCT course_id), min(c), max(c) FROM (SELECT course_id, count(*) c FROM grades GROUP BY student_id, course_id)")" \
  "shape: 4 courses x 20 assignments"
inc=$(q "SELECT count(DISTINCT student_id) FROM discipline_incidents")
if [ "$inc" -ge 25 ] && [ "$inc" -le 35 ]; then ok "shape: 25-35% of students have incidents ($inc%)"; else fail "shape: 25-35% of students have incidents" "got $inc of 100"; fi
assert_eq "1|3" "$(q "SELECT min(c), max(c) FROM (SELECT count(*) c FROM discipline_incidents GROUP BY student_id)")" \
  "shape: 1..3 incidents each"
assert_eq "critical high low medium" "$(q "SELECT group_concat(risk_category, ' ') FROM (SELECT DISTINCT risk_category FROM predictions ORDER BY 1)")" \
  "shape: every risk_category is present"
assert_eq "false_negative false_positive true_negative true_positive" \
  "$(q "SELECT group_concat(feedback_type, ' ') FROM (SELECT DISTINCT feedback_type FROM training_feedback ORDER BY 1)")" \
  "shape: every feedback_type is present"
assert_eq "1" "$(q "SELECT avg(gpa) BETWEEN 2.75 AND 3.05 FROM students")" "shape: GPA mean near 2.9 ($(q "SELECT round(avg(gpa), 3) FROM students"))"
assert_eq "1" "$(q "SELECT sum(status = 'present') * 1.0 / count(*) > 0.8 FROM attendance_records")" \
  "shape: mostly 'present' ($(q "SELECT round(100.0 * sum(status = 'present') / count(*), 1) FROM attendance_records")%)"
assert_eq "0" "$(q "SELECT count(*) FROM attendance_records WHERE status NOT IN ('present', 'absent', 'tardy', 'excused')")" \
  "shape: attendance status is one of the four values"
assert_eq "2025-01-06|2025-05-09|0" "$(q "SELECT min(date), max(date), sum(strftime('%w', date) IN ('0', '6')) FROM attendance_records")" \
  "shape: attendance covers the school days 2025-01-06..2025-05-09, no weekends"
assert_eq "1|1" "$(q "SELECT sum(gpa = 0.0) >= 1, sum(gpa = 4.0) >= 1 FROM students")" "edge: GPA 0.0 and 4.0"
assert_eq "1|1" "$(q "SELECT sum(attendance_rate = 0) >= 1, sum(attendance_rate = 1.0) >= 1 FROM students")" "edge: attendance 0 and 1.0"
assert_eq "1|1" "$(q "SELECT sum(grade_level = 0) >= 1, sum(grade_level = 12) >= 1 FROM students")" "edge: grade_level 0 and 12"
assert_eq "1" "$(q "SELECT count(*) >= 1 FROM attendance_records WHERE period IS NULL")" "edge: a NULL period"
assert_eq "1|5" "$(q "SELECT min(severity_level), max(severity_level) FROM discipline_incidents")" "edge: severity 1 and 5"
assert_eq "0" "$(q "SELECT count(*) FROM students WHERE gpa < 0 OR gpa > 4 OR attendance_rate < 0 OR attendance_rate > 1 OR grade_level NOT BETWEEN 0 AND 12")" \
  "shape: no value outside the CHECK ranges"
assert_eq "100" "$(q "SELECT count(DISTINCT district_id) FROM students")" "shape: district_id is unique"
assert_eq "3|v1.0.0 v1.1.0 v1.2.0" "$(q "SELECT count(*), group_concat(model_version, ' ') FROM (SELECT model_version FROM model_metadata ORDER BY 1)")" \
  "shape: three model versions"
assert_eq "0" "$(q "SELECT count(*) FROM predictions WHERE model_version NOT IN (SELECT model_version FROM model_metadata)")" \
  "shape: predictions name existing model versions"
assert_eq "0 0" "$(q "SELECT count(*) FROM students WHERE NOT json_valid(student_metadata)") $(q "SELECT count(*) FROM predictions WHERE json_array_length(risk_factors) NOT BETWEEN 1 AND 3")" \
  "shape: JSON documents are valid; 1..3 risk factors per prediction"

# ------------------------------------------------------------------ medium into SQLite (one run)
MDB=$T/medium.db
check "medium: generate into sqlite succeeds" gen "$P" --scenario medium --target "sqlite:$MDB" -q
assert_eq "$(check_counts "$P" medium | sort)" "$(db_counts "$MDB" $TABLES | sort)" "medium: every table's row count equals \`seedload check\`"
assert_eq "10000" "$(sq "$MDB" "SELECT count(*) FROM students")" "medium: 10,000 students"
rm -f "$MDB"

# ------------------------------------------------------------------ CSV target
CSV=$T/csv
check "csv: generate succeeds" gen "$P" --target "csv:$CSV" -q
assert_eq "$(echo "$TABLES" | tr ' ' '\n' | sed 's/$/.csv/' | sort)" "$(ls "$CSV" | sort)" "csv: one file per table, nothing else"
hdr_ok=1
for t in $TABLES; do
  want=$(sq "$DB" "SELECT group_concat(name, ',') FROM pragma_table_info('$t')")
  got=$(head -n 1 "$CSV/$t.csv")
  [ "$want" = "$got" ] || { hdr_ok=0; fail "csv: $t.csv header" "want: $want" "got:  $got"; }
done
[ $hdr_ok = 1 ] && ok "csv: each file starts with a header line of the column names"
IMP=$T/imported.db
sq "$IMP" <"$ROOT/sql/edupulse/sqlite.sql"
imp_out=""
for t in $TABLES; do imp_out+=$(sq "$IMP" ".import --csv --skip 1 $CSV/$t.csv $t" 2>&1); done
assert_eq "" "$imp_out" "csv: sqlite3 .import --csv loads every file into the real schema without a complaint"
assert_eq "$(check_counts "$P" small | sort)" "$(db_counts "$IMP" $TABLES | sort)" "csv: imported row counts equal \`seedload check\`"
diffs=""
for t in $TABLES; do d=$(same_rows "$IMP" "$DB" "$t"); [ "$d" = 0 ] || diffs+="$t: $d rows differ; "; done
assert_eq "" "$diffs" "csv: every imported value equals the sqlite target's (quoting of commas, quotes, newlines, JSON)"

# Empty string vs NULL, and the quoting of awkward text, on the library fixture.
LCSV=$T/lib-csv LDB=$T/lib.db
check "csv: library fixture generates (csv)" gen "$LIB" --target "csv:$LCSV" -q
check "csv: library fixture generates (sqlite)" gen "$LIB" --target "sqlite:$LDB" -q
nul=$(sq "$LDB" "SELECT count(*) FROM books WHERE note IS NULL")
emp=$(sq "$LDB" "SELECT count(*) FROM books WHERE note = ''")
[ "$nul" -gt 0 ] && [ "$emp" -gt 0 ] && ok "csv: the fixture has both NULL ($nul) and '' ($emp) notes" || fail "csv: the fixture has both NULL and '' notes" "NULL $nul, empty $emp"
assert_eq "$emp" "$(grep -c ',""$' "$LCSV/books.csv")" "csv: the empty string is written \"\" (quoted)"
assert_eq "$nul" "$(grep -c ',$' "$LCSV/books.csv")" "csv: NULL is an empty unquoted field"
assert_contains "$(cat "$LCSV/authors.csv")" '1,"O'"'"'Nobooks, ""the"" author",' "csv: a comma and quotes are quoted, quotes doubled"
assert_contains "$(cat "$LCSV/books.csv")" ',"two
lines"' "csv: a newline inside a value is quoted"
LIMP=$T/lib-imported.db
sq "$LIMP" <"$ROOT/tests/profiles/sql/library.sql"
# (sqlite3 reads NULL back as '': with CHECK constraints on, a NULL rating would not load)
sq "$LIMP" "PRAGMA ignore_check_constraints = ON" ".import --csv --skip 1 $LCSV/authors.csv authors" \
  ".import --csv --skip 1 $LCSV/books.csv books"
assert_eq "0 0" "$(same_rows "$LIMP" "$LDB" authors) $(same_rows "$LIMP" "$LDB" books)" \
  "csv: the library CSV loads back with sqlite3 to the same values"
if need_pg; then
  pgdb=seedload_gen_csv_$$
  if psql -X -q -c "CREATE DATABASE $pgdb" >/dev/null 2>&1; then
    out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$pgdb" -f "$ROOT/tests/profiles/sql/library.pg.sql" \
      -c "\\copy authors FROM '$LCSV/authors.csv' WITH (FORMAT csv, HEADER true)" \
      -c "\\copy books FROM '$LCSV/books.csv' WITH (FORMAT csv, HEADER true)" 2>&1)
    assert_eq "" "$out" "csv/pg: psql \\copy (FORMAT csv) loads the library files"
    assert_eq "$nul|$emp|$(sq "$LDB" "SELECT count(*) FROM books")" \
      "$(psql -X -A -t -d "$pgdb" -c "SELECT count(*) FILTER (WHERE note IS NULL), count(*) FILTER (WHERE note = ''), count(*) FROM books")" \
      "csv/pg: NULL and the empty string come back as NULL and '' "
    psql -X -q -c "DROP DATABASE $pgdb" >/dev/null 2>&1
  else
    fail "csv/pg: create a scratch database" "$(psql -X -c "CREATE DATABASE $pgdb" 2>&1)"
  fi
fi

# ------------------------------------------------------------------ SQL target, SQLite dialect
SQLF=$T/small.sql SDB=$T/from-sql.db
gen "$P" --target "sql:$SQLF" --dialect sqlite -q --checksum >"$T/sql.out" 2>&1
assert_eq "0" "$?" "sql/sqlite: generate succeeds"
load=$(sq "$SDB" <"$SQLF" 2>&1)
assert_eq "0:" "$?:$load" "sql/sqlite: \`sqlite3 db < file\` loads it without an error"
assert_eq "$(check_counts "$P" small | sort)" "$(db_counts "$SDB" $TABLES | sort)" "sql/sqlite: row counts equal \`seedload check\`"
assert_eq "$SUMS" "$(grep '^checksum' "$T/sql.out")" "sql/sqlite: --checksum equals the sqlite target's"
diffs=""
for t in $TABLES; do d=$(same_rows "$SDB" "$DB" "$t"); [ "$d" = 0 ] || diffs+="$t: $d; "; done
assert_eq "" "$diffs" "sql/sqlite: every value equals the sqlite target's"
assert_eq "" "$(sq "$SDB" "PRAGMA foreign_key_check")" "sql/sqlite: foreign keys hold"
last_ins=$(grep -n '^INSERT INTO' "$SQLF" | tail -n 1 | cut -d: -f1)
first_idx=$(grep -n '^CREATE INDEX' "$SQLF" | head -n 1 | cut -d: -f1)
[ -n "$last_ins" ] && [ -n "$first_idx" ] && [ "$first_idx" -gt "$last_ins" ] &&
  ok "sql/sqlite: the indexes come after the rows" || fail "sql/sqlite: the indexes come after the rows" "last INSERT: ${last_ins:-none}, first CREATE INDEX: ${first_idx:-none}"
assert_eq "$(sq "$DB" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE '\_seedload%' ESCAPE '\' ORDER BY 1)")" \
  "$(sq "$SDB" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY 1)")" "sql/sqlite: the script creates the same indexes"

# ------------------------------------------------------------------ SQL target, PostgreSQL dialect
PGF=$T/small.pg.sql
gen "$P" --target "sql:$PGF" --dialect postgres -q --checksum >"$T/pgsql.out" 2>&1
assert_eq "0" "$?" "sql/postgres: generate succeeds"
assert_eq "$SUMS" "$(grep '^checksum' "$T/pgsql.out")" "sql/postgres: --checksum equals the sqlite target's"
last_copy=$(grep -n '^\\\.$' "$PGF" | tail -n 1 | cut -d: -f1)
first_idx=$(grep -n '^CREATE INDEX' "$PGF" | head -n 1 | cut -d: -f1)
[ -n "$last_copy" ] && [ -n "$first_idx" ] && [ "$first_idx" -gt "$last_copy" ] &&
  ok "sql/postgres: the indexes come after the rows (line $first_idx > $last_copy)" ||
  fail "sql/postgres: the indexes come after the rows" "last COPY end: ${last_copy:-none}, first CREATE INDEX: ${first_idx:-none}"
assert_eq "BEGIN;" "$(grep -m 1 -E '^(BEGIN|COMMIT);' "$PGF")" "sql/postgres: one transaction (BEGIN before anything else)"
assert_eq "COMMIT;" "$(grep -E '^(BEGIN|COMMIT);' "$PGF" | tail -n 1)" "sql/postgres: ... ending in COMMIT"
if need_pg; then
  pgdb=seedload_gen_$$
  if psql -X -q -c "CREATE DATABASE $pgdb" >/dev/null 2>&1; then
    out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$pgdb" -f "$PGF" 2>&1)
    assert_eq "0" "$?" "sql/postgres: psql -v ON_ERROR_STOP=1 -f loads it into a fresh database"
    [ -z "$out" ] || echo "$out" | head -n 5 | sed 's/^/# /'
    pgc=""
    for t in $TABLES; do pgc+="$t $(psql -X -A -t -d "$pgdb" -c "SELECT count(*) FROM $t" 2>&1)"$'\n'; done
    assert_eq "$(check_counts "$P" small | sort)" "$(echo -n "$pgc" | sort)" "sql/postgres: row counts equal \`seedload check\`"
    assert_eq "$(sq "$DB" "SELECT count(*) FROM attendance_records WHERE period IS NULL") $(sq "$DB" "SELECT round(avg(gpa), 4) FROM students")" \
      "$(psql -X -A -t -d "$pgdb" -c "SELECT count(*) FILTER (WHERE period IS NULL) FROM attendance_records") $(psql -X -A -t -d "$pgdb" -c "SELECT round(avg(gpa)::numeric, 4) FROM students")" \
      "sql/postgres: NULLs and values match the sqlite target"
    assert_eq "t" "$(psql -X -A -t -d "$pgdb" -c "SELECT count(*) = 26 FROM pg_indexes WHERE indexname LIKE 'idx_%'")" \
      "sql/postgres: every index of the DDL exists after the load"
    psql -X -q -c "DROP DATABASE $pgdb" >/dev/null 2>&1
  else
    fail "sql/postgres: create a scratch database" "$(psql -X -c "CREATE DATABASE $pgdb" 2>&1)"
  fi
fi

# A foreign key may reference a column that is unique through a CREATE UNIQUE INDEX: such an
# index cannot wait until after the rows (SQLite: "foreign key mismatch"; PostgreSQL refuses the
# REFERENCES without it).
UQ=$ROOT/tests/profiles/uniqref.yaml
expect_exit 0 "unique index: a foreign key to a column with a CREATE UNIQUE INDEX loads into sqlite" \
  gen "$UQ" --target "sqlite:$T/uq.db" -q
if need_pg; then
  gen "$UQ" --target "sql:$T/uq.pg.sql" --dialect postgres -q
  pgdb=seedload_gen_uq_$$
  psql -X -q -c "CREATE DATABASE $pgdb" >/dev/null 2>&1
  expect_exit 0 "unique index: ... and its postgres script loads with psql" psql -X -q -v ON_ERROR_STOP=1 -d "$pgdb" -f "$T/uq.pg.sql"
  psql -X -q -c "DROP DATABASE $pgdb" >/dev/null 2>&1
fi

# A foreign-key cycle broken at a nullable column passes `check`; it must then also load.
expect_exit 0 "fk cycle: a cycle with a nullable reference (accepted by check) loads into sqlite" \
  gen "$ROOT/tests/profiles/cycle_nullable.yaml" --target "sqlite:$T/cyc.db" -q

# Foreign keys are checked once after the rows (not per row): a reference that matches no
# parent still fails the load, names the rows, column and value, and leaves the old file.
gen "$UQ" --target "sqlite:$T/fkb.db" -q
old_sum=$(md5sum <"$T/fkb.db")
expect_exit 3 "fk check: rows whose reference matches no parent fail the load with exit 3" \
  gen "$ROOT/tests/profiles/fk_broken.yaml" --target "sqlite:$T/fkb.db" --force -q
assert_contains "$LAST_OUT" "20 rows break a foreign key" "fk check: says how many rows break a foreign key"
assert_contains "$LAST_OUT" "shop row 1: region_code = 'X1' has no match in region(code)" \
  "fk check: names the table, row, column, value and the parent key"
assert_eq "$old_sum" "$(md5sum <"$T/fkb.db")" "fk check: the previous file is unchanged"
assert_eq "" "$(ls "$T" | grep -F 'fkb.db' | grep -v '^fkb.db$')" "fk check: no temporary file is left"

# ------------------------------------------------------------------ --scale and --seed
s7=$(gen "$P" --scale 3.5 --seed 7 --target "csv:$T/s7" -q --checksum 2>&1)
assert_eq "0" "$?" "--scale 3.5 --seed 7 --checksum succeeds"
assert_eq "350" "$(echo "$s7" | awk '$2 == "students" { print $3 }')" "--scale 3.5 makes 350 students"
assert_eq "27920" "$(echo "$s7" | awk '$2 == "grades" { print $3 }')" "--scale 3.5: children follow their parents (80 grades x 349 students with records)"
s8=$(gen "$P" --scale 3.5 --seed 8 --target "csv:$T/s8" -q --checksum 2>&1)
assert_eq "9" "$(diff <(echo "$s7" | awk '{ print $2, $4 }') <(echo "$s8" | awk '{ print $2, $4 }') | grep -c '^<')" \
  "--seed 8 changes every table's digest (and the total)"
s7b=$(gen "$P" --scale 3.5 --seed 7 --target "csv:$T/s7b" -q --checksum 2>&1)
assert_eq "$s7" "$s7b" "--seed 7 again gives the same digests"

# ------------------------------------------------------------------ --scenario errors
expect_exit 2 "--scenario nosuch fails with exit 2" gen "$P" --scenario nosuch --target "sqlite:$T/none.db"
assert_contains "$LAST_OUT" "has no scenario 'nosuch'" "--scenario nosuch: the message names the bad scenario"
assert_contains "$LAST_OUT" "(it has: small, medium, large)" "--scenario nosuch: the message lists the scenarios"
assert_eq "no" "$([ -e "$T/none.db" ] && echo yes || echo no)" "--scenario nosuch: no file is created"
expect_exit 2 "--scenario smal suggests 'small'" gen "$P" --scenario smal --target "sqlite:$T/none.db"
assert_contains "$LAST_OUT" "did you mean 'small'?" "--scenario smal: did you mean 'small'"
expect_exit 2 "check --scenario nosuch fails with exit 2" "$SEEDLOAD" check "$P" --scenario nosuch
expect_exit 2 "--shard with a sqlite target is refused" gen "$P" --shard 1/2 --target "sqlite:$T/none.db"
assert_contains "$LAST_OUT" "--shard" "--shard with sqlite: the message says why"

# ------------------------------------------------------------------ existing targets
EX=$T/existing.db
echo "not a database, keep me" >"$EX"
sum0=$(md5sum <"$EX")
expect_exit 2 "existing file: not replaced without --force (exit 2)" gen "$P" --target "sqlite:$EX" -q
assert_contains "$LAST_OUT" "already exists" "existing file: the message says it exists and how to replace it (--force)"
assert_eq "$sum0" "$(md5sum <"$EX")" "existing file: byte-identical afterwards"
assert_eq "" "$(ls -A "$T" | grep seedload-tmp)" "existing file: no temporary file is left"
check "existing file: replaced with --force" gen "$P" --target "sqlite:$EX" -q --force
assert_eq "100" "$(sq "$EX" "SELECT count(*) FROM students")" "existing file: --force left the new dataset"
sum1=$(md5sum <"$EX")
touch -d '2001-01-01 00:00:00' "$EX"
mt1=$(stat -c %Y "$EX")
out=$(gen "$P" --target "sqlite:$EX" 2>&1)
assert_eq "0" "$?" "same dataset again: exit 0"
assert_contains "$out" "already holds this dataset" "same dataset again: says it already holds this dataset"
assert_eq "$sum1 $mt1" "$(md5sum <"$EX") $(stat -c %Y "$EX")" "same dataset again: the file is untouched (content and mtime)"
expect_exit 2 "another seed without --force: refused" gen "$P" --seed 99 --target "sqlite:$EX" -q
assert_eq "$sum1" "$(md5sum <"$EX")" "another seed without --force: the file is untouched"
mkdir -p "$T/csvx" && echo keep >"$T/csvx/students.csv"
expect_exit 2 "csv: an existing file is not replaced without --force" gen "$P" --target "csv:$T/csvx" -q
assert_eq "keep" "$(cat "$T/csvx/students.csv")" "csv: ... and stays as it was"
echo keep >"$T/keep.sql"
expect_exit 2 "sql: an existing file is not replaced without --force" gen "$P" --target "sql:$T/keep.sql" -q
assert_eq "keep" "$(cat "$T/keep.sql")" "sql: ... and stays as it was"

# ------------------------------------------------------------------ sql:- (standard output)
gen "$P" --target sql:- -q >"$T/stdout.sql" 2>"$T/stdout.err"
assert_eq "0" "$?" "sql:- writes the script to standard output"
assert_eq "$(cat "$SQLF")" "$(cat "$T/stdout.sql")" "sql:- gives the same script as sql:FILE"
assert_eq "" "$(cat "$T/stdout.err")" "sql:- -q: nothing on stderr"
out=$(gen "$P" --target sql:- 2>/dev/null | sq "$T/piped.db" 2>&1)
assert_eq "0:" "$?:$out" "sql:- (without -q) piped into sqlite3 loads: stdout holds only SQL"
assert_eq "100" "$(sq "$T/piped.db" "SELECT count(*) FROM students" 2>&1)" "sql:- piped into sqlite3: 100 students"

# ------------------------------------------------------------------ default target
( cd "$T" && mkdir -p deft && cd deft && timeout 60 "$SEEDLOAD" generate "$P" -q )
assert_eq "100" "$(sq "$T/deft/edupulse.db" "SELECT count(*) FROM students" 2>&1)" "no --target: sqlite:NAME.db in the current directory"

# ------------------------------------------------------------------ valgrind (release build only)
if [ -n "${SANITIZE:-}" ]; then
  skip "valgrind: not with a sanitizer build"
elif command -v valgrind >/dev/null 2>&1; then
  vg=$(timeout 300 valgrind -q --leak-check=full --error-exitcode=9 "$SEEDLOAD" generate "$P" --target "csv:$T/vg" --force -q 2>&1)
  assert_eq "0:" "$?:$vg" "valgrind: a generate run has no memory errors and no leaks"
else
  skip "valgrind: not installed"
fi

[ "$TEST_FAILS" -eq 0 ]
