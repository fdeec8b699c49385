#!/usr/bin/env bash
# pg_load.sh — `seedload generate` into a real PostgreSQL server (issue 4, the PostgreSQL target).
# A fresh database per run (dropped at the end) receives EduPulse `small`, and:
#   - row counts per table equal `seedload check`; `--checksum` equals the SQLite target's;
#   - edupulse._seedload_meta / _seedload_tables hold profile, scenario, scale, seed, version,
#     and per-table rows and checksums (the same digests --checksum prints);
#   - the data equals what SQLite holds: every column of students and attendance_records row
#     by row, and aggregates (sums, counts, distinct counts, min/max dates and timestamps, JSON
#     fields through ->>) over every table;
#   - the post-load indexes exist, every table was ANALYZEd, no staging schema remains;
#   - a second identical generate says "already holds this dataset" and changes nothing (same
#     oid and relfilenode, same xmin of a row); --force rebuilds (new oids, same data); another
#     --seed replaces the data (and matches SQLite for that seed);
#   - --jobs 2 loads the same data as --jobs 1 (every table compared in full at --scale 10), also
#     for a table whose rows reference earlier rows of the same table;
#   - connection forms: URI, key=value, PG* variables only, ~/.pgpass for a role with a
#     SCRAM password (a pg_hba.conf line added for the run, removed at the end);
#   - --schema NAME loads elsewhere and leaves edupulse alone; --schema public is refused (exit 2);
#     long names (55, 63 bytes: the staging name is cut to 63) load or are refused, and never
#     destroy an existing schema on failure;
#   - a refresh does not silently drop objects outside the profile's schemas that depend on it
#     (a view, a foreign key in public);
#   - a profile with two schemas (postgres.schemas) is swapped in whole; values that merely look
#     like qualified names ('pgfix_auth.login') arrive unchanged; function bodies that name the
#     profile's schemas (qualified, or through SET search_path) work on a first load, and a
#     trigger that fires during the load sees the new rows, not the old ones; an E'...' string
#     does not hide a quoted schema name that follows it.
# Fixtures: tests/profiles/pg/. Every seedload call runs under `timeout`.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

need_pg || exit 0

PROFILE=$ROOT/profiles/edupulse.yaml
FIX=$ROOT/tests/profiles/pg
TMP=$(mktmp)
DB=seedload_pgload_$$
PWROLE=seedload_pw_$$
PWSECRET=SECRETpw_$$
HBA=""
HBA_SAVED=""
TABLES="students attendance_records grades discipline_incidents student_features predictions training_feedback model_metadata"

cleanup() {
  dropdb --if-exists --force "$DB" >/dev/null 2>&1 || dropdb --if-exists "$DB" >/dev/null 2>&1
  psql -X -q -d postgres -c "DROP ROLE IF EXISTS $PWROLE" >/dev/null 2>&1
  if [ -n "$HBA_SAVED" ] && [ -f "$HBA_SAVED" ]; then
    cat "$HBA_SAVED" >"$HBA" && psql -X -q -d postgres -c "SELECT pg_reload_conf()" >/dev/null 2>&1
  fi
  rm -rf "$TEST_TMP_ROOT"
}
trap cleanup EXIT

# sl ARGS...: seedload with a time limit (no test may hang).
sl() { timeout -k 5 300 "$SEEDLOAD" "$@"; }

# q SQL: one query on $DB, unaligned, tuples only; prints the result or the error and returns
# psql's status, so a failing query never looks like an empty answer.
q() { PGTZ=UTC psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>&1; }
sq() { sqlite3 -batch "$1" "$2" 2>&1; }

# qcheck DESC WANT SQL
qcheck() {
  local desc=$1 want=$2 sql=$3 got st
  got=$(q "$sql"); st=$?
  if [ $st -ne 0 ]; then fail "$desc" "query: $sql" "$(echo "$got" | tail -n 5)"; else assert_eq "$want" "$got" "$desc"; fi
}

# fingerprint SCHEMA: count and md5 of every EduPulse table's rows (as text, sorted).
fingerprint() {
  local t out=""
  for t in $TABLES; do
    out+="$t $(q "SELECT count(*) || ' ' || md5(coalesce(string_agg(x::text, E'\n' ORDER BY x::text), '')) FROM \"$1\".$t x")"$'\n'
  done
  printf '%s' "$out"
}

# checksum_lines OUTPUT: the "checksum ..." lines of a generate --checksum run.
checksum_lines() { echo "$1" | grep '^checksum '; }

# check_rows SCENARIO: "table rows" lines from `seedload check`.
check_rows() {
  "$SEEDLOAD" check "$PROFILE" --scenario "$1" |
    awk '/rows per scenario/ {on = 1; next} on && $1 != "total" && NF == 2 {print $1, $2}'
}

if ! createdb "$DB" 2>"$TMP/createdb.err"; then
  fail "create a fresh database $DB" "$(cat "$TMP/createdb.err")"
  exit 1
fi
export PGTZ=UTC

# ---------------------------------------------------------------------------- EduPulse small
expect_exit 0 "generate EduPulse small into postgresql:///$DB" sl generate "$PROFILE" --target "postgresql:///$DB" --checksum
PG_OUT=$LAST_OUT
expect_exit 0 "generate EduPulse small into SQLite (reference)" sl generate "$PROFILE" --target "sqlite:$TMP/edu.db" --checksum
SQ_OUT=$LAST_OUT
SQLDB=$TMP/edu.db

got=$(checksum_lines "$PG_OUT")
want=$(checksum_lines "$SQ_OUT")
if [ -n "$want" ] && [ "$(echo "$want" | wc -l)" -eq 9 ]; then
  assert_eq "$want" "$got" "--checksum output for postgresql equals the sqlite target's (8 tables + total)"
else
  fail "--checksum output for postgresql equals the sqlite target's (8 tables + total)" "sqlite printed: $want"
fi

# Row counts equal `seedload check`.
want=$(check_rows small)
got=""
for t in $(echo "$want" | awk '{print $1}'); do got+="$t $(q "SELECT count(*) FROM edupulse.$t")"$'\n'; done
if [ "$(echo "$want" | wc -l)" -eq 8 ]; then
  assert_eq "$want" "${got%$'\n'}" "row count of every table equals seedload check (small)"
else
  fail "row count of every table equals seedload check (small)" "seedload check printed: $want"
fi

qcheck "no staging schema (edupulse__seedload_new) remains after success" "0" \
  "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%seedload_new%'"

# Metadata.
VERSION=$("$SEEDLOAD" version 2>&1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)
qcheck "_seedload_meta: profile, scenario, scale, seed, seedload_version, schemas" \
  "profile=edupulse scenario=small scale=1 seed=20250813 seedload_version=$VERSION schemas=edupulse" \
  "SELECT string_agg(key || '=' || value, ' ' ORDER BY array_position(ARRAY['profile','scenario','scale','seed','seedload_version','schemas'], key))
     FROM edupulse._seedload_meta WHERE key IN ('profile','scenario','scale','seed','seedload_version','schemas')"
qcheck "_seedload_meta has a dataset_id" "1" \
  "SELECT count(*) FROM edupulse._seedload_meta WHERE key = 'dataset_id' AND length(value) >= 16"
# _seedload_tables: rows and checksums per table, the same as --checksum prints.
want=$(checksum_lines "$PG_OUT" | awk '$2 != "*" {print $2, $3, $4}')
got=$(q "SELECT name || ' ' || rows || ' ' || checksum FROM edupulse._seedload_tables ORDER BY load_order")
assert_eq "$want" "$got" "_seedload_tables holds rows and checksum of every table, in load order"

# The post-load indexes exist and every table was analyzed.
want=$(grep -oiE '^CREATE( UNIQUE)? INDEX [a-z_0-9]+' "$ROOT/sql/edupulse/postgres.sql" | awk '{print $NF}' | sort)
got=$(q "SELECT indexname FROM pg_indexes WHERE schemaname = 'edupulse' AND indexname LIKE 'idx\_%' ORDER BY 1")
assert_eq "$want" "$got" "every index of sql/edupulse/postgres.sql exists in schema edupulse"
qcheck "every table was ANALYZEd (reltuples set)" "0" \
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'edupulse' AND c.relkind = 'r' AND c.relname NOT LIKE '\_seedload%' AND c.reltuples < 1"

# ---- the data equals SQLite's
# Row by row: students (every column) and attendance_records, NULL shown as ~.
pg_students="SELECT concat_ws('|', id, district_id, first_name, last_name, coalesce(grade_level::text, '~'),
  to_char(date_of_birth, 'YYYY-MM-DD'), coalesce(gender, '~'), coalesce(ethnicity, '~'),
  coalesce(socioeconomic_status, '~'), coalesce(round(gpa::float8 * 100)::int::text, '~'),
  coalesce(round(attendance_rate::float8 * 1000)::int::text, '~'), coalesce(parent_contact, '~'),
  coalesce(to_char(enrollment_date, 'YYYY-MM-DD'), '~'), coalesce(student_metadata->>'home_language', '~'),
  coalesce(student_metadata->>'iep', '~'), coalesce(student_metadata->>'transport', '~'),
  coalesce(student_metadata->>'counselor', '~'),
  coalesce(to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'), '~'), coalesce(to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS'), '~'))
  FROM edupulse.students ORDER BY id"
sq_students="SELECT id || '|' || district_id || '|' || first_name || '|' || last_name || '|' || coalesce(grade_level, '~') || '|' ||
  date_of_birth || '|' || coalesce(gender, '~') || '|' || coalesce(ethnicity, '~') || '|' ||
  coalesce(socioeconomic_status, '~') || '|' || coalesce(cast(round(gpa * 100) AS integer), '~') || '|' ||
  coalesce(cast(round(attendance_rate * 1000) AS integer), '~') || '|' || coalesce(parent_contact, '~') || '|' ||
  coalesce(enrollment_date, '~') || '|' || coalesce(json_extract(student_metadata, '$.home_language'), '~') || '|' ||
  coalesce(CASE json_type(student_metadata, '$.iep') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END, '~') || '|' ||
  coalesce(json_extract(student_metadata, '$.transport'), '~') || '|' ||
  coalesce(json_extract(student_metadata, '$.counselor'), '~') || '|' ||
  coalesce(created_at, '~') || '|' || coalesce(updated_at, '~')
  FROM students ORDER BY id"
got=$(q "$pg_students"); want=$(sq "$SQLDB" "$sq_students")
if [ "$(echo "$want" | wc -l)" -eq 100 ] && [ "$got" == "$want" ]; then
  ok "students: every column of every row equals SQLite's"
else
  fail "students: every column of every row equals SQLite's" "$(diff <(echo "$want") <(echo "$got") | head -n 8)"
fi
got=$(q "SELECT concat_ws('|', id, student_id, to_char(date, 'YYYY-MM-DD'), status, coalesce(period::text, '~'),
  to_char(created_at, 'YYYY-MM-DD HH24:MI:SS')) FROM edupulse.attendance_records ORDER BY id" | md5sum)
want=$(sq "$SQLDB" "SELECT id || '|' || student_id || '|' || date || '|' || status || '|' || coalesce(period, '~') || '|' ||
  created_at FROM attendance_records ORDER BY id" | md5sum)
assert_eq "$want" "$got" "attendance_records: every row equals SQLite's (md5 of all 8910 rows)"

# Aggregates: NAME, PostgreSQL query, SQLite query; each must print the same line.
AGG=(
  "students: counts, distinct, sums"
  "SELECT count(*), count(DISTINCT district_id), count(DISTINCT last_name), sum(grade_level), count(ethnicity), sum(round(gpa::float8*100))::bigint, sum(round(attendance_rate::float8*1000))::bigint FROM edupulse.students"
  "SELECT count(*), count(DISTINCT district_id), count(DISTINCT last_name), sum(grade_level), count(ethnicity), cast(sum(round(gpa*100)) AS integer), cast(sum(round(attendance_rate*1000)) AS integer) FROM students"

  "students: min/max dates and timestamps, sum of epochs"
  "SELECT min(date_of_birth), max(date_of_birth), min(enrollment_date), max(enrollment_date), to_char(min(created_at), 'YYYY-MM-DD HH24:MI:SS'), to_char(max(updated_at), 'YYYY-MM-DD HH24:MI:SS'), sum(extract(epoch FROM created_at))::bigint FROM edupulse.students"
  "SELECT min(date_of_birth), max(date_of_birth), min(enrollment_date), max(enrollment_date), min(created_at), max(updated_at), sum(strftime('%s', created_at)) FROM students"

  "students: JSON fields through ->>"
  "SELECT count(*) FILTER (WHERE student_metadata->>'home_language' = 'Spanish'), sum(((student_metadata->>'iep')::boolean)::int), sum(((student_metadata->>'free_lunch')::boolean)::int), count(DISTINCT student_metadata->>'counselor') FROM edupulse.students"
  "SELECT sum(json_extract(student_metadata, '\$.home_language') = 'Spanish'), sum(json_extract(student_metadata, '\$.iep')), sum(json_extract(student_metadata, '\$.free_lunch')), count(DISTINCT json_extract(student_metadata, '\$.counselor')) FROM students"

  "attendance_records: counts per status, periods, dates"
  "SELECT count(*), count(DISTINCT student_id), count(period), sum(period), min(date), max(date), sum(date - DATE '1970-01-01'), (SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM (SELECT status, count(*) n FROM edupulse.attendance_records GROUP BY status) s) FROM edupulse.attendance_records"
  "SELECT count(*), count(DISTINCT student_id), count(period), sum(period), min(date), max(date), cast(sum(julianday(date) - 2440587.5) AS integer), (SELECT group_concat(s, ',') FROM (SELECT status || ':' || count(*) s FROM attendance_records GROUP BY status ORDER BY status)) FROM attendance_records"

  "grades: values, letters, courses, dates"
  "SELECT count(*), count(DISTINCT course_id), count(DISTINCT course_name), sum(round(grade_value::float8*10))::bigint, min(submission_date), max(submission_date), to_char(max(created_at), 'YYYY-MM-DD HH24:MI:SS'), (SELECT string_agg(grade_letter || ':' || n, ',' ORDER BY grade_letter) FROM (SELECT grade_letter, count(*) n FROM edupulse.grades GROUP BY grade_letter) s) FROM edupulse.grades"
  "SELECT count(*), count(DISTINCT course_id), count(DISTINCT course_name), cast(sum(round(grade_value*10)) AS integer), min(submission_date), max(submission_date), max(created_at), (SELECT group_concat(s, ',') FROM (SELECT grade_letter || ':' || count(*) s FROM grades GROUP BY grade_letter ORDER BY grade_letter)) FROM grades"

  "discipline_incidents: severity, text lengths, NULLs, dates"
  "SELECT count(*), count(DISTINCT student_id), sum(severity_level), count(DISTINCT incident_type), sum(length(description)), count(resolution), min(incident_date), max(incident_date), sum(extract(epoch FROM created_at))::bigint FROM edupulse.discipline_incidents"
  "SELECT count(*), count(DISTINCT student_id), sum(severity_level), count(DISTINCT incident_type), sum(length(description)), count(resolution), min(incident_date), max(incident_date), sum(strftime('%s', created_at)) FROM discipline_incidents"

  "student_features: values and nested JSON"
  "SELECT count(*), sum(round(attendance_rate::float8*1000))::bigint, sum(round(gpa_current::float8*100))::bigint, sum(discipline_incidents), min(feature_date), max(feature_date), sum((feature_vector->'metadata'->>'weeks_of_data')::int), sum(round((feature_vector->'metadata'->>'data_quality')::numeric*100))::bigint, sum(jsonb_array_length(feature_vector->'trends')), sum(round((feature_vector->'attendance'->>0)::numeric*100))::bigint FROM edupulse.student_features"
  "SELECT count(*), cast(sum(round(attendance_rate*1000)) AS integer), cast(sum(round(gpa_current*100)) AS integer), sum(discipline_incidents), min(feature_date), max(feature_date), sum(json_extract(feature_vector, '\$.metadata.weeks_of_data')), cast(sum(round(json_extract(feature_vector, '\$.metadata.data_quality')*100)) AS integer), sum(json_array_length(feature_vector, '\$.trends')), cast(sum(round(json_extract(feature_vector, '\$.attendance[0]')*100)) AS integer) FROM student_features"

  "predictions: scores, categories, JSON arrays, timestamps"
  "SELECT count(*), sum(round(risk_score::float8*1000))::bigint, sum(round(confidence::float8*1000))::bigint, count(DISTINCT model_version), sum(jsonb_array_length(risk_factors)), count(DISTINCT risk_factors->0->>'factor'), to_char(min(prediction_date), 'YYYY-MM-DD HH24:MI:SS'), to_char(max(prediction_date), 'YYYY-MM-DD HH24:MI:SS'), (SELECT string_agg(risk_category || ':' || n, ',' ORDER BY risk_category) FROM (SELECT risk_category, count(*) n FROM edupulse.predictions GROUP BY risk_category) s) FROM edupulse.predictions"
  "SELECT count(*), cast(sum(round(risk_score*1000)) AS integer), cast(sum(round(confidence*1000)) AS integer), count(DISTINCT model_version), sum(json_array_length(risk_factors)), count(DISTINCT json_extract(risk_factors, '\$[0].factor')), min(prediction_date), max(prediction_date), (SELECT group_concat(s, ',') FROM (SELECT risk_category || ':' || count(*) s FROM predictions GROUP BY risk_category ORDER BY risk_category)) FROM predictions"

  "training_feedback: types, notes, dates"
  "SELECT count(*), count(DISTINCT prediction_id), count(educator_notes), sum(length(educator_notes)), min(outcome_date), max(outcome_date), (SELECT string_agg(feedback_type || ':' || n, ',' ORDER BY feedback_type) FROM (SELECT feedback_type, count(*) n FROM edupulse.training_feedback GROUP BY feedback_type) s) FROM edupulse.training_feedback"
  "SELECT count(*), count(DISTINCT prediction_id), count(educator_notes), sum(length(educator_notes)), min(outcome_date), max(outcome_date), (SELECT group_concat(s, ',') FROM (SELECT feedback_type || ':' || count(*) s FROM training_feedback GROUP BY feedback_type ORDER BY feedback_type)) FROM training_feedback"

  "model_metadata: versions, booleans, JSON"
  "SELECT string_agg(model_version || ':' || model_type || ':' || (CASE WHEN is_active THEN 1 ELSE 0 END) || ':' || (performance_metrics->>'training_samples') || ':' || (performance_metrics->'precision_at_k'->>'k10') || ':' || (hyperparameters->>'class_weight') || ':' || to_char(training_date, 'YYYY-MM-DD HH24:MI:SS'), ',' ORDER BY model_version) FROM edupulse.model_metadata"
  "SELECT group_concat(s, ',') FROM (SELECT model_version || ':' || model_type || ':' || is_active || ':' || json_extract(performance_metrics, '\$.training_samples') || ':' || printf('%.2f', json_extract(performance_metrics, '\$.precision_at_k.k10')) || ':' || json_extract(hyperparameters, '\$.class_weight') || ':' || training_date s FROM model_metadata ORDER BY model_version)"
)
for ((i = 0; i < ${#AGG[@]}; i += 3)); do
  got=$(q "${AGG[i + 1]}"); want=$(sq "$SQLDB" "${AGG[i + 2]}")
  if [ -n "$want" ] && [ "$got" == "$want" ]; then ok "same as SQLite: ${AGG[i]}"; else fail "same as SQLite: ${AGG[i]}" "sqlite:   $want" "postgres: $got"; fi
done

# ---- generating again: nothing to do, nothing changed
relid() { q "SELECT c.oid || ' ' || c.relfilenode FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'edupulse' AND c.relname = 'students'"; }
rowx() { q "SELECT xmin FROM edupulse.students WHERE district_id = (SELECT min(district_id) FROM edupulse.students)"; }
META0=$(q "SELECT string_agg(key || '=' || value, ' ' ORDER BY key) FROM edupulse._seedload_meta")
REL0=$(relid); XMIN0=$(rowx); FP0=$(fingerprint edupulse)
expect_exit 0 "generating the same dataset again succeeds" sl generate "$PROFILE" --target "postgresql:///$DB"
assert_contains "$LAST_OUT" "already holds this dataset" "generating again says 'already holds this dataset'"
assert_eq "$REL0" "$(relid)" "generating again: students keeps its oid and relfilenode"
assert_eq "$XMIN0" "$(rowx)" "generating again: a row keeps its xmin"
assert_eq "$META0" "$(q "SELECT string_agg(key || '=' || value, ' ' ORDER BY key) FROM edupulse._seedload_meta")" \
  "generating again: _seedload_meta unchanged (generated_at too)"
expect_exit 0 "generating again with --checksum succeeds" sl generate "$PROFILE" --target "postgresql:///$DB" --checksum
assert_eq "$(checksum_lines "$SQ_OUT")" "$(checksum_lines "$LAST_OUT")" \
  "generating again with --checksum still prints the dataset's checksums"

# ---- --force rebuilds
expect_exit 0 "--force rebuilds the identical dataset" sl generate "$PROFILE" --target "postgresql:///$DB" --force
assert_not_contains "$LAST_OUT" "already holds" "--force does not skip"
REL1=$(relid)
if [ -n "$REL1" ] && [ "${REL1%% *}" != "${REL0%% *}" ]; then ok "--force: students has a new oid"; else fail "--force: students has a new oid" "before: $REL0" "after: $REL1"; fi
assert_eq "$FP0" "$(fingerprint edupulse)" "--force: the data is the same as before"
qcheck "--force: no staging schema remains" "0" "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%seedload_new%'"

# ---- another seed replaces the data
expect_exit 0 "--seed 99 replaces the data" sl generate "$PROFILE" --target "postgresql:///$DB" --seed 99 --checksum
PG99=$LAST_OUT
qcheck "--seed 99: _seedload_meta records seed 99" "99" "SELECT value FROM edupulse._seedload_meta WHERE key = 'seed'"
FP99=$(fingerprint edupulse)
if [ "$FP99" != "$FP0" ] && [ "$(echo "$FP99" | grep -c ' [0-9a-f]\{32\}$')" -eq 8 ]; then ok "--seed 99: the rows differ from seed 20250813's"; else fail "--seed 99: the rows differ from seed 20250813's" "$FP99"; fi
expect_exit 0 "generate seed 99 into SQLite (reference)" sl generate "$PROFILE" --target "sqlite:$TMP/edu99.db" --seed 99 --checksum
assert_eq "$(checksum_lines "$LAST_OUT")" "$(checksum_lines "$PG99")" "--seed 99: checksums equal SQLite's for seed 99"
got=$(q "SELECT name || ' ' || rows || ' ' || checksum FROM edupulse._seedload_tables ORDER BY load_order")
assert_eq "$(checksum_lines "$LAST_OUT" | awk '$2 != "*" {print $2, $3, $4}')" "$got" "--seed 99: _seedload_tables updated"
got=$(q "$pg_students"); want=$(sq "$TMP/edu99.db" "$sq_students")
assert_eq "$want" "$got" "--seed 99: students equal SQLite's row by row"

# ---- --jobs 2 equals --jobs 1 (scale 10: many COPY chunks per table)
expect_exit 0 "--scale 10 --jobs 1 into schema j1" sl generate "$PROFILE" --target "postgresql:///$DB" --scale 10 --jobs 1 --schema j1 --checksum
J1=$LAST_OUT
expect_exit 0 "--scale 10 --jobs 2 into schema j2" sl generate "$PROFILE" --target "postgresql:///$DB" --scale 10 --jobs 2 --schema j2 --checksum
J2=$LAST_OUT
if [ -n "$(checksum_lines "$J1")" ]; then assert_eq "$(checksum_lines "$J1")" "$(checksum_lines "$J2")" "--jobs 2 prints the same checksums as --jobs 1"; else fail "--jobs 2 prints the same checksums as --jobs 1" "no checksums from --jobs 1"; fi
F1=$(fingerprint j1); F2=$(fingerprint j2)
if [ "$(echo "$F1" | grep -c ' [0-9a-f]\{32\}$')" -eq 8 ] && [ "$F1" == "$F2" ]; then
  ok "--jobs 2 loads exactly the rows of --jobs 1 (every table, in full)"
else
  fail "--jobs 2 loads exactly the rows of --jobs 1 (every table, in full)" "$(diff <(echo "$F1") <(echo "$F2") | head -n 6)"
fi
for ((i = 0; i < ${#AGG[@]}; i += 3)); do
  a1=$(q "${AGG[i + 1]//edupulse./j1.}"); a2=$(q "${AGG[i + 1]//edupulse./j2.}")
  if [ -n "$a1" ] && [ "$a1" == "$a2" ]; then ok "--jobs 2 same aggregate as --jobs 1: ${AGG[i]}"; else fail "--jobs 2 same aggregate as --jobs 1: ${AGG[i]}" "jobs 1: $a1" "jobs 2: $a2"; fi
done
qcheck "--jobs: no staging schema remains" "0" "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%seedload_new%'"
q "DROP SCHEMA j1 CASCADE; DROP SCHEMA j2 CASCADE" >/dev/null

# A table whose rows reference earlier rows of the same table (200,000 rows: several chunks).
expect_exit 0 "self-referencing table loads with --jobs 1" sl generate "$FIX/self_ref.yaml" --target "postgresql:///$DB" --jobs 1 --schema sr1
expect_exit 0 "self-referencing table loads with --jobs 2 (a row's parent is in an earlier chunk)" \
  sl generate "$FIX/self_ref.yaml" --target "postgresql:///$DB" --jobs 2 --schema sr2
if [ "$(q "SELECT to_regclass('sr2.nodes') IS NOT NULL")" = t ]; then
  qcheck "self-referencing table: --jobs 2 rows equal --jobs 1 rows" "t" \
    "SELECT (SELECT md5(string_agg(x::text, ',' ORDER BY id)) FROM sr1.nodes x) = (SELECT md5(string_agg(x::text, ',' ORDER BY id)) FROM sr2.nodes x)"
else
  skip "self-referencing table: --jobs 2 rows equal --jobs 1 rows (the --jobs 2 load failed)"
fi
q "DROP SCHEMA IF EXISTS sr1 CASCADE; DROP SCHEMA IF EXISTS sr2 CASCADE; DROP SCHEMA IF EXISTS sr2__seedload_new CASCADE" >/dev/null

# Back to the reference dataset for the rest.
expect_exit 0 "reload seed 20250813" sl generate "$PROFILE" --target "postgresql:///$DB" -q
FP0=$(fingerprint edupulse)

# ---- connection string forms
META_ID="SELECT value FROM edupulse._seedload_meta WHERE key = 'dataset_id'"
ID0=$(q "$META_ID")
expect_exit 0 "key=value target: host=\$PGHOST port=\$PGPORT dbname=$DB (--force)" \
  sl generate "$PROFILE" --target "host=${PGHOST:-localhost} port=${PGPORT:-5432} dbname=$DB" --force -q
assert_eq "$ID0" "$(q "$META_ID")" "key=value target loaded the dataset into $DB"
expect_exit 0 "PG* variables only: PGDATABASE=$DB --target postgresql:// (--force)" \
  env PGDATABASE="$DB" timeout -k 5 300 "$SEEDLOAD" generate "$PROFILE" --target "postgresql://" --force -q
assert_eq "$ID0" "$(q "$META_ID")" "PG* variables only: loaded the dataset into $DB"
expect_exit 0 "PG* variables only: PGDATABASE=$DB --target 'dbname=$DB' (again: nothing to do)" \
  env PGDATABASE="$DB" timeout -k 5 300 "$SEEDLOAD" generate "$PROFILE" --target "dbname=$DB"
assert_contains "$LAST_OUT" "already holds this dataset" "PG* variables: the dataset is found through them"

# ~/.pgpass for a role with a SCRAM password. Needs a pg_hba.conf we may edit: the cluster that
# tests/run.sh started (not a server given with SEEDLOAD_PG_EXTERNAL=1).
hba_file=$(q "SHOW hba_file" 2>/dev/null)
if [ "${SEEDLOAD_PG_EXTERNAL:-}" = 1 ] || [ -z "$hba_file" ] || [ ! -w "$hba_file" ]; then
  skip "~/.pgpass with a password role (pg_hba.conf not writable here: ${hba_file:-unknown})"
else
  HBA=$hba_file
  HBA_SAVED=$TMP/pg_hba.conf.orig
  cp "$HBA" "$HBA_SAVED"
  { echo "local all $PWROLE scram-sha-256"; cat "$HBA_SAVED"; } >"$HBA"
  q "SET password_encryption = 'scram-sha-256'; CREATE ROLE $PWROLE LOGIN PASSWORD '$PWSECRET'; GRANT CREATE ON DATABASE \"$DB\" TO $PWROLE; SELECT pg_reload_conf()" >/dev/null
  mkdir -p "$TMP/home" "$TMP/nohome"
  printf '%s:%s:%s:%s:%s\n' "${PGHOST:-localhost}" "${PGPORT:-5432}" "$DB" "$PWROLE" "$PWSECRET" >"$TMP/home/.pgpass"
  chmod 600 "$TMP/home/.pgpass"
  expect_exit 3 "password role without ~/.pgpass is refused (exit 3): the pg_hba line is in force" \
    env HOME="$TMP/nohome" PGPASSFILE= timeout -k 5 60 "$SEEDLOAD" generate "$PROFILE" --target "postgresql://$PWROLE@/$DB?host=${PGHOST:-}" --schema pw_edu -q
  env -u PGPASSFILE HOME="$TMP/home" timeout -k 5 300 "$SEEDLOAD" generate "$PROFILE" --target "user=$PWROLE dbname=$DB" --schema pw_edu >"$TMP/pgpass.out" 2>&1
  st=$?
  if [ $st -eq 0 ]; then ok "~/.pgpass supplies the password (key=value target without password)"; else fail "~/.pgpass supplies the password (key=value target without password)" "exit $st" "$(tail -n 5 "$TMP/pgpass.out")"; fi
  qcheck "~/.pgpass: the password role loaded schema pw_edu" "edupulse 100 $PWROLE" \
    "SELECT (SELECT value FROM pw_edu._seedload_meta WHERE key = 'profile') || ' ' || (SELECT count(*) FROM pw_edu.students) || ' ' || nspowner::regrole FROM pg_namespace WHERE nspname = 'pw_edu'"
  assert_not_contains "$(cat "$TMP/pgpass.out")" "$PWSECRET" "~/.pgpass: the password is not printed"
  q "DROP SCHEMA IF EXISTS pw_edu CASCADE; DROP SCHEMA IF EXISTS pw_edu__seedload_new CASCADE; REVOKE CREATE ON DATABASE \"$DB\" FROM $PWROLE" >/dev/null
fi
assert_eq "$FP0" "$(fingerprint edupulse)" "connection-form runs left the edupulse data as it was"

# ---- --schema
expect_exit 0 "--schema edu_other loads into another schema" sl generate "$PROFILE" --target "postgresql:///$DB" --schema edu_other -q
qcheck "--schema edu_other: rows and metadata are there" "100|8910|edu_other" \
  "SELECT (SELECT count(*) FROM edu_other.students), (SELECT count(*) FROM edu_other.attendance_records), (SELECT value FROM edu_other._seedload_meta WHERE key = 'schemas')"
assert_eq "$FP0" "$(fingerprint edupulse)" "--schema edu_other left schema edupulse as it was"
assert_eq "$FP0" "$(fingerprint edu_other)" "--schema edu_other holds the same rows as edupulse"
qcheck "--schema edu_other: no staging schema remains" "0" "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%seedload_new%'"
q "DROP SCHEMA edu_other CASCADE" >/dev/null
REL0=$(relid)
expect_exit 2 "--schema public is refused (exit 2)" sl generate "$PROFILE" --target "postgresql:///$DB" --schema public
assert_contains "$LAST_OUT" "public" "--schema public: the message names the schema"
assert_contains "$LAST_OUT" "--schema" "--schema public: the message says to use --schema with another name"
qcheck "--schema public: nothing was created in public" "0" \
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'public__seedload_new') AND c.relkind = 'r'"
assert_eq "$REL0" "$(relid)" "--schema public: edupulse untouched"

# Long schema names: PostgreSQL keeps 63 bytes of a name, so NAME__seedload_new is cut short;
# at 63 bytes it is cut back to NAME itself.
S55=$(printf 'e%.0s' $(seq 55))
expect_exit 0 "--schema with a 55-character name loads" sl generate "$PROFILE" --target "postgresql:///$DB" --schema "$S55" -q
qcheck "--schema with a 55-character name: rows there, no staging schema left" "100|0" \
  "SELECT (SELECT count(*) FROM $S55.students), (SELECT count(*) FROM pg_namespace WHERE nspname LIKE '$S55%' AND nspname <> '$S55')"
q "DROP SCHEMA IF EXISTS $S55 CASCADE" >/dev/null
S63=$(printf 'f%.0s' $(seq 63))
LAST_OUT=$(sl generate "$PROFILE" --target "postgresql:///$DB" --schema "$S63" -q 2>&1); st=$?
if [ $st -eq 0 ] && [ "$(q "SELECT count(*) FROM $S63.students")" = 100 ]; then ok "--schema with a 63-character name: loads"
elif [ $st -eq 2 ]; then ok "--schema with a 63-character name: refused as bad usage (exit 2)"
else fail "--schema with a 63-character name: loads, or is refused with exit 2" "exit $st" "$(echo "$LAST_OUT" | tail -n 3)"; fi
q "DROP SCHEMA IF EXISTS $S63 CASCADE" >/dev/null
# ... and a failure (or refusal) must not have destroyed what the schema held.
q "CREATE SCHEMA $S63; CREATE TABLE $S63.keep (x int); INSERT INTO $S63.keep VALUES (42)" >/dev/null
LAST_OUT=$(sl generate "$PROFILE" --target "postgresql:///$DB" --schema "$S63" --force -q 2>&1); st=$?
if [ $st -eq 0 ]; then
  ok "--schema with a 63-character name over an existing schema, --force: replaced (exit 0)"
else
  qcheck "--schema with a 63-character name, --force, failing (exit $st): the existing schema is intact" "42" "SELECT x FROM $S63.keep"
fi
q "DROP SCHEMA IF EXISTS $S63 CASCADE" >/dev/null

# A refresh drops the old schema: objects elsewhere that depend on it (a view in public, a
# foreign key from public) must not vanish without a word.
q "CREATE VIEW public.v_student_names AS SELECT first_name FROM edupulse.students;
   CREATE TABLE public.my_notes (student_id uuid REFERENCES edupulse.students(id), note text)" >/dev/null
expect_exit 0 "refresh (--force) with a view and a foreign key in public depending on edupulse" \
  sl generate "$PROFILE" --target "postgresql:///$DB" --force
REFRESH_OUT=$LAST_OUT
if [ "$(q "SELECT to_regclass('public.v_student_names') IS NOT NULL")" = t ]; then
  ok "refresh: a dependent view in public is kept"
else
  assert_contains "$REFRESH_OUT" "v_student_names" "refresh: a dependent view in public is kept, or its drop is reported"
fi
if [ "$(q "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.my_notes'::regclass AND contype = 'f'")" = 1 ]; then
  ok "refresh: a foreign key from public into edupulse is kept"
else
  assert_contains "$REFRESH_OUT" "my_notes" "refresh: a foreign key from public into edupulse is kept, or its drop is reported"
fi
q "DROP VIEW IF EXISTS public.v_student_names; DROP TABLE IF EXISTS public.my_notes" >/dev/null
FP0=$(fingerprint edupulse)

# ---- a profile with two schemas
TWO_SCH="SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname LIKE 'pgfix\_%'"
expect_exit 0 "two-schema profile (postgres.schemas) loads" sl generate "$FIX/two_schemas.yaml" --target "postgresql:///$DB" -q
qcheck "two-schema profile: both schemas, no staging ones" "pgfix_app,pgfix_auth" "$TWO_SCH"
qcheck "two-schema profile: rows, cross-schema FK, enum, function, sequence" "50|1000|0|pgfix_auth.role|1000|51" \
  "SELECT (SELECT count(*) FROM pgfix_auth.users), (SELECT count(*) FROM pgfix_app.logs),
          (SELECT count(*) FROM pgfix_app.logs l LEFT JOIN pgfix_auth.users u ON u.id = l.user_id WHERE u.id IS NULL),
          (SELECT atttypid::regtype::text FROM pg_attribute WHERE attrelid = 'pgfix_auth.users'::regclass AND attname = 'role'),
          pgfix_app.log_count(), nextval(pg_get_serial_sequence('pgfix_auth.users', 'id'))"
qcheck "two-schema profile: the foreign key points at pgfix_auth.users" "pgfix_auth.users" \
  "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = 'pgfix_app.logs'::regclass AND contype = 'f'"
qcheck "two-schema profile: the post-load index is in pgfix_app" "idx_logs_user" \
  "SELECT indexname FROM pg_indexes WHERE schemaname = 'pgfix_app' AND indexname = 'idx_logs_user'"
expect_exit 0 "two-schema profile: generating again succeeds" sl generate "$FIX/two_schemas.yaml" --target "postgresql:///$DB"
assert_contains "$LAST_OUT" "already holds this dataset" "two-schema profile: generating again does nothing"

expect_exit 0 "values that look like qualified names ('pgfix_auth.login') load unchanged" \
  sl generate "$FIX/two_schemas_values.yaml" --target "postgresql:///$DB" -q
if [ "$(q "SELECT value FROM pgfix_auth._seedload_meta WHERE key = 'profile'")" != pgfix_two_values ]; then
  skip "values that look like qualified names: DEFAULT, CHECK and stored codes (the load failed)"
else
qcheck "values that look like qualified names: DEFAULT and CHECK kept as written" \
  "'pgfix_auth.login'::text|t" \
  "SELECT pg_get_expr(d.adbin, d.adrelid), pg_get_constraintdef(c.oid) LIKE '%''pgfix_auth.logout''%'
     FROM pg_attrdef d JOIN pg_constraint c ON c.conrelid = d.adrelid AND c.contype = 'c'
     JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum AND a.attname = 'action'
    WHERE d.adrelid = 'pgfix_app.logs'::regclass"
qcheck "values that look like qualified names: generated codes stored as generated" "pgfix_app.view,pgfix_auth.login,pgfix_auth.logout" \
  "SELECT string_agg(DISTINCT action, ',' ORDER BY action) FROM pgfix_app.logs"
fi

# fresh_and_refresh FIXTURE WHAT CHECK_SQL: FIXTURE loads into a database holding none of its
# schemas; then, over different old data (two_schemas.yaml, seed 1), a refresh with seed 2
# loads and CHECK_SQL returns t.
drop_pgfix() {
  q "DROP SCHEMA IF EXISTS pgfix_app CASCADE; DROP SCHEMA IF EXISTS pgfix_auth CASCADE;
     DROP SCHEMA IF EXISTS pgfix_app__seedload_new CASCADE; DROP SCHEMA IF EXISTS pgfix_auth__seedload_new CASCADE" >/dev/null
}
fresh_and_refresh() {
  local fixture=$1 what=$2 sql=$3
  drop_pgfix
  expect_exit 0 "$what: first load into a database without the profile's schemas" \
    sl generate "$FIX/$fixture.yaml" --target "postgresql:///$DB" -q
  drop_pgfix
  expect_exit 0 "$what: two_schemas.yaml seed 1 (the old data)" sl generate "$FIX/two_schemas.yaml" --target "postgresql:///$DB" --seed 1 -q
  expect_exit 0 "$what: refresh with seed 2 over the seed-1 data" sl generate "$FIX/$fixture.yaml" --target "postgresql:///$DB" --seed 2 -q
  if [ "$(q "SELECT value FROM pgfix_auth._seedload_meta WHERE key = 'profile'")" = "$(awk '/^name:/ {print $2}' "$FIX/$fixture.yaml")" ]; then
    qcheck "$what: after the refresh, $4" "t" "$sql"
  else
    skip "$what: after the refresh, $4 (the refresh failed)"
  fi
}
# Function bodies that name the profile's schemas: a LANGUAGE sql body is checked when created,
# and a trigger runs during the load, so it must see the new rows (not the old ones).
FLAG_OK="SELECT count(*) FILTER (WHERE l.flagged) = count(*) FILTER (WHERE l.action = 'edit' AND u.role = 'student')
           FROM pgfix_app.logs l JOIN pgfix_auth.users u ON u.id = l.user_id"
fresh_and_refresh two_schemas_trigger "function bodies naming the profile's schemas" "$FLAG_OK" \
  "the trigger saw the new rows (flagged = edits by students of the new data)"
# The same trigger written the way SECURITY DEFINER functions should be: SET search_path.
fresh_and_refresh two_schemas_search_path "trigger function with SET search_path = the profile's schemas" "$FLAG_OK" \
  "the trigger saw the new rows (flagged = edits by students of the new data)"
# An E'...' string with an escaped quote before a quoted schema name in the same statement.
fresh_and_refresh two_schemas_estring "E'n\\'a' before \"pgfix_auth\".users in one statement" \
  "SELECT count(*) = 1 FROM pg_constraint WHERE conrelid = 'pgfix_app.logs'::regclass AND contype = 'f' AND confrelid = 'pgfix_auth.users'::regclass" \
  "the foreign key of pgfix_app.logs points at the new pgfix_auth.users"
qcheck "two-schema profiles: no staging schema remains" "0" "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%seedload_new%'"

assert_eq "$FP0" "$(fingerprint edupulse)" "at the end, edupulse still holds the reference data"
[ "$TEST_FAILS" -eq 0 ]
