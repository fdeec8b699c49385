#!/usr/bin/env bash
# ddl.sh — the hand-written DDL under sql/<system>/ loads, in both dialects, the way seedload
# runs it: everything except indexes and "-- seedload:post-load" statements before the rows,
# those after. Per system:
#   SQLite      the whole file loads into a fresh file with the sqlite3 CLI; integrity_check
#               is ok; foreign_key_check is empty (it also reports parent-key mismatches);
#               every FK names an existing table; the table count is right; the file split
#               into pre/post-load parts builds the same schema; every named index exists.
#   PostgreSQL  (when need_pg passes) a fresh database takes the pre-load part, has the right
#               table count, takes the post-load part, has every named index, and has the same
#               tables and columns as the SQLite port; a second fresh database takes the whole
#               file in one `psql -f`. Both databases are dropped.
# Plus behaviour: lumix's risk trigger, cascade and log_system_action (both dialects), exams'
# insert-only attempt log, pilms' PRAGMAs and partial index, tpcb's pgbench-style keys.
set -u
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"

SQL=$ROOT/sql
# mktmp registers its directory for removal, but only in the shell that calls it; called as
# $(mktmp) that is a subshell, so remove it ourselves too.
TMP=$(mktmp)
PG_DBS=()
cleanup() {
  local d
  if [ ${#PG_DBS[@]} -gt 0 ]; then
    for d in "${PG_DBS[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1; done
  fi
  rm -rf "$TMP"
  _cleanup_tmp
}
trap cleanup EXIT

SYSTEMS="edupulse lumix tpcb ailms pilms exams"
declare -A TABLES=([edupulse]=8 [lumix]=7 [tpcb]=4 [ailms]=7 [pilms]=15 [exams]=7)
declare -A PG_SCHEMAS=([edupulse]="'public'" [lumix]="'auth','lumix'" [tpcb]="'public'"
                       [ailms]="'public'" [pilms]="'public'" [exams]="'public'")
# Indexes that exist in one dialect only (documented in docs/schemas.md).
declare -A PG_ONLY_INDEXES=([exams]="idx_ai_notes_key_concepts")

# split_sql FILE PRE POST KINDS: split FILE into the statements seedload runs before the load
# (PRE) and after it (POST: CREATE [UNIQUE] INDEX, and any statement whose line immediately
# above is "-- seedload:post-load"). KINDS gets each statement's first two words. Understands
# $$-quoted bodies and SQLite trigger bodies (BEGIN ... END;). Exits 2 on a marker that is not
# directly followed by a statement, 1 on an unterminated statement.
split_sql() {
  : >"$2"; : >"$3"; : >"$4"
  awk -v pre="$2" -v post="$3" -v kinds="$4" '
    function flush(   u, k) {
      u = toupper(stmt); sub(/^[ \t]+/, "", u)
      if (marked || u ~ /^CREATE[ \t]+(UNIQUE[ \t]+)?INDEX[ \t]/) print stmt "\n" > post
      else print stmt "\n" > pre
      split(u, k, /[ \t(]+/); print k[1] " " k[2] > kinds
      stmt = ""; marked = 0; intrig = 0; inblock = 0
    }
    {
      line = $0
      if (stmt == "") {
        if (line ~ /^[ \t]*--[ \t]*seedload:post-load[ \t]*$/) { if (prevmark) exit 2; prevmark = 1; next }
        if (line ~ /^[ \t]*$/ || line ~ /^[ \t]*--/) { if (prevmark) exit 2; next }
        marked = prevmark; prevmark = 0
        intrig = (toupper(line) ~ /^[ \t]*CREATE[ \t]+(TEMP[ \t]+|TEMPORARY[ \t]+)?TRIGGER/)
      }
      stmt = (stmt == "") ? line : stmt "\n" line
      tmp = line; n = gsub(/\$\$/, "", tmp); if (n % 2) indollar = !indollar
      if (indollar) next
      code = line; sub(/--.*$/, "", code); ucode = toupper(code)
      if (intrig && ucode ~ /(^|[^A-Z_])BEGIN([^A-Z_]|$)/) inblock = 1
      if (inblock) { if (ucode ~ /^[ \t]*END[ \t]*;[ \t]*$/) flush(); next }
      if (code ~ /;[ \t]*$/) flush()
    }
    END {
      if (prevmark) exit 2
      if (stmt != "") { print "unterminated statement: " stmt > "/dev/stderr"; exit 1 }
    }' "$1"
}

# index_names FILE: the names of the indexes FILE creates, sorted.
index_names() {
  grep -iE '^[[:space:]]*CREATE[[:space:]]+(UNIQUE[[:space:]]+)?INDEX[[:space:]]' "$1" |
    sed -E 's/^[[:space:]]*[Cc][Rr][Ee][Aa][Tt][Ee][[:space:]]+([Uu][Nn][Ii][Qq][Uu][Ee][[:space:]]+)?[Ii][Nn][Dd][Ee][Xx][[:space:]]+//; s/[[:space:](].*$//' |
    LC_ALL=C sort
}

# assert_same WANT GOT DESC: like assert_eq, but on failure shows a diff of the two lists.
assert_same() {
  if [ "$1" == "$2" ]; then ok "$3"
  else fail "$3" "$(diff <(echo "$1") <(echo "$2") | grep '^[<>]' | head -n 20 | sed 's/^</want:/; s/^>/got: /')"; fi
}

# expect_fail DESC CMD...: ok when CMD fails (any non-zero exit: psql says 1, the sqlite3 CLI
# the SQLite result code, e.g. 19 for a constraint). Output is kept in $LAST_OUT.
expect_fail() {
  local desc=$1; shift
  LAST_OUT=$("$@" 2>&1); local st=$?
  if [ "$st" -ne 0 ]; then ok "$desc"; else fail "$desc" "command: $*" "expected a failure, got exit 0" "$(echo "$LAST_OUT" | tail -n 15)"; fi
}

# line_of OUTPUT KEY: the "KEY=value" line of OUTPUT (empty when missing).
line_of() { echo "$1" | grep -m1 "^$2=" || true; }

sq() { sqlite3 -bail "$@" 2>&1; }

# run_ok DESC CMD...: check, but returns CMD's status so a caller can stop early.
run_ok() {
  local desc=$1 out st; shift
  out=$("$@" 2>&1); st=$?
  if [ $st -eq 0 ]; then ok "$desc"; else fail "$desc" "command: $*" "exit: $st" "$(echo "$out" | tail -n 15)"; fi
  return $st
}

# ------------------------------------------------------------------------ per-file checks
static_checks() { # sys dialect file
  local sys=$1 dialect=$2 f=$3 kinds bad
  kinds=$TMP/$sys.$dialect.kinds
  split_sql "$f" "$TMP/$sys.$dialect.pre.sql" "$TMP/$sys.$dialect.post.sql" "$kinds"
  local st=$?
  if [ $st -eq 0 ]; then ok "$sys/$dialect: file splits into pre-load and post-load statements"
  else fail "$sys/$dialect: file splits into pre-load and post-load statements" \
       "split_sql exit $st (2: a '-- seedload:post-load' marker not directly above a statement; 1: unterminated statement)"; fi
  bad=$(grep -E '^(DROP|INSERT|DELETE|UPDATE|ANALYZE|VACUUM|REINDEX|ATTACH) ' "$kinds"; grep -E '^PRAGMA OPTIMIZE' "$kinds")
  assert_eq "" "$bad" "$sys/$dialect: no DROP, data, ATTACH, ANALYZE or PRAGMA optimize statements"
}

# ------------------------------------------------------------------------ SQLite
sqlite_checks() { # sys
  local sys=$1 f=$SQL/$1/sqlite.sql db split n
  if [ ! -f "$f" ]; then fail "$sys/sqlite: sql/$sys/sqlite.sql exists"; return 1; fi
  db=$TMP/$sys.db; split=$TMP/$sys.split.db
  check "$sys/sqlite: sqlite.sql loads into a fresh database" sqlite3 -bail "$db" ".read '$f'"
  assert_eq "ok" "$(sq "$db" 'PRAGMA integrity_check')" "$sys/sqlite: PRAGMA integrity_check is ok"
  assert_eq "" "$(sq "$db" 'PRAGMA foreign_key_check')" "$sys/sqlite: PRAGMA foreign_key_check is empty"
  assert_eq "" "$(sq "$db" "SELECT m.name || ' -> ' || f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
      WHERE m.type = 'table' AND f.\"table\" NOT IN (SELECT name FROM sqlite_master WHERE type = 'table')")" \
    "$sys/sqlite: every foreign key references an existing table"
  n=$(sq "$db" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
  assert_eq "${TABLES[$sys]}" "$n" "$sys/sqlite: ${TABLES[$sys]} tables"

  check "$sys/sqlite: pre-load statements load" sqlite3 -bail "$split" ".read '$TMP/$sys.sqlite.pre.sql'"
  check "$sys/sqlite: post-load statements apply after the pre-load part" sqlite3 -bail "$split" ".read '$TMP/$sys.sqlite.post.sql'"
  local schema_q="SELECT type || ' ' || name || ' ' || tbl_name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
  assert_same "$(sq "$db" "$schema_q")" "$(sq "$split" "$schema_q")" \
    "$sys/sqlite: split load builds the same schema as the whole file"
  local want_idx got_idx
  want_idx=$(index_names "$f")
  got_idx=$(sq "$db" "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite\\_autoindex%' ESCAPE '\\'" | LC_ALL=C sort)
  assert_same "$want_idx" "$got_idx" "$sys/sqlite: exactly the $(echo "$want_idx" | grep -c .) named indexes exist"
}

# ------------------------------------------------------------------------ PostgreSQL
pg_db() { echo "seedload_ddl_${1}_$$_${RANDOM}"; }
psql_in() { local d=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$d" "$@" 2>&1; }

pg_columns() { # db schemas
  psql_in "$1" -c "SELECT CASE WHEN c.table_schema = 'public' THEN c.table_name
                               ELSE c.table_schema || '_' || c.table_name END || '.' || c.column_name
                     FROM information_schema.columns c
                     JOIN information_schema.tables t USING (table_schema, table_name)
                    WHERE t.table_type = 'BASE TABLE' AND c.table_schema IN ($2)" | LC_ALL=C sort
}
sqlite_columns() { # db
  sq "$1" "SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'" | LC_ALL=C sort
}

pg_checks() { # sys
  local sys=$1 f=$SQL/$1/postgres.sql db whole n schemas=${PG_SCHEMAS[$1]}
  if [ ! -f "$TMP/$sys.pg.pre.sql" ]; then fail "$sys/pg: sql/$sys/postgres.sql exists"; return 1; fi
  db=$(pg_db "$sys"); PG_DBS+=("$db")
  if ! run_ok "$sys/pg: createdb $db" createdb "$db"; then return 1; fi
  check "$sys/pg: pre-load statements run (psql -v ON_ERROR_STOP=1 -f)" psql_in "$db" -f "$TMP/$sys.pg.pre.sql"
  n=$(psql_in "$db" -c "SELECT count(*) FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema IN ($schemas)")
  assert_eq "${TABLES[$sys]}" "$n" "$sys/pg: ${TABLES[$sys]} tables in schema(s) $schemas"
  # Rows with explicit ids, as seedload loads them, so the post-load steps have work to do.
  if declare -F "pg_load_$sys" >/dev/null; then "pg_load_$sys" "$db"; fi
  check "$sys/pg: post-load statements run after the pre-load part" psql_in "$db" -f "$TMP/$sys.pg.post.sql"
  local want_idx got_idx missing
  want_idx=$(index_names "$f")
  got_idx=$(psql_in "$db" -c "SELECT indexname FROM pg_indexes WHERE schemaname IN ($schemas)" | LC_ALL=C sort)
  missing=$(LC_ALL=C comm -23 <(echo "$want_idx") <(echo "$got_idx"))
  assert_eq "" "$missing" "$sys/pg: all $(echo "$want_idx" | grep -c .) named indexes exist"
  if [ -f "$TMP/$sys.db" ]; then
    assert_same "$(sqlite_columns "$TMP/$sys.db")" "$(pg_columns "$db" "$schemas")" \
      "$sys: PostgreSQL and SQLite have the same tables and column names"
  fi
  local want_pg_only
  want_pg_only=${PG_ONLY_INDEXES[$sys]:-}
  assert_same "$want_pg_only" \
    "$(LC_ALL=C comm -3 <(index_names "$f") <(index_names "$SQL/$sys/sqlite.sql") | sed 's/^[[:space:]]*//')" \
    "$sys: both dialects name the same indexes${want_pg_only:+ (except PostgreSQL-only $want_pg_only)}"
  PG_LAST_DB=$db

  whole=$(pg_db "$sys"); PG_DBS+=("$whole")
  if run_ok "$sys/pg: createdb $whole" createdb "$whole"; then
    check "$sys/pg: the whole postgres.sql runs in one psql -f" psql_in "$whole" -f "$f"
    n=$(psql_in "$whole" -c "SELECT count(*) FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema IN ($schemas)")
    assert_eq "${TABLES[$sys]}" "$n" "$sys/pg: whole file gives ${TABLES[$sys]} tables"
    check "$sys/pg: dropdb $whole" dropdb "$whole"
  fi
}

pg_drop() { check "$1/pg: dropdb $2" dropdb "$2"; }

# ------------------------------------------------------------------------ behaviour
U1=00000000-0000-4000-8000-000000000001  # teacher
U2=00000000-0000-4000-8000-000000000002  # student
C1=00000000-0000-4000-8000-00000000000c
S1=00000000-0000-4000-8000-0000000000d1

lumix_sqlite_behaviour() {
  local db=$TMP/lumix.db out
  out=$(sq "$db" "PRAGMA foreign_keys = ON;
    INSERT INTO auth_users (id, email, password_hash, role, full_name) VALUES
      ('$U1', 'teacher@lumix.test', 'x', 'teacher', 'Tia Teacher'),
      ('$U2', 'student@lumix.test', 'x', 'student', 'Sam Student');
    INSERT INTO lumix_classes (id, code, name, subject, grade_level, teacher_id, academic_year)
      VALUES ('$C1', 'G10-MATH-A', 'Mathematics 10A', 'Mathematics', 10, '$U1', '2024-2025');
    INSERT INTO lumix_students (id, user_id, class_id, admission_number, gpa, attendance_rate, behaviour_score, risk_level)
      VALUES ('$S1', '$U2', '$C1', 'A-0001', 1.20, 60, 85, 'low');
    INSERT INTO lumix_fee_records (student_id, fee_type, amount, due_date, status)
      VALUES ('$S1', 'tuition', 500, '2024-01-15', 'overdue');
    SELECT 'risk_after_insert=' || risk_level FROM lumix_students;
    UPDATE lumix_students SET gpa = 3.80, attendance_rate = 98, behaviour_score = 95;
    SELECT 'risk_after_update=' || risk_level FROM lumix_students;
    UPDATE lumix_students SET attendance_rate = 50;
    SELECT 'risk_low_attendance=' || risk_level FROM lumix_students;
    UPDATE lumix_students SET gpa = 2.00, attendance_rate = 75, behaviour_score = 40;
    SELECT 'risk_at_thresholds=' || risk_level FROM lumix_students;
    UPDATE lumix_students SET gpa = NULL, attendance_rate = NULL, behaviour_score = NULL;
    SELECT 'risk_no_metrics=' || risk_level FROM lumix_students;
    INSERT INTO lumix_system_logs (id, agent_name, action) VALUES (41, 'Astra', 'boot');
    INSERT INTO lumix_log_system_action (agent_name, action, level, details)
      VALUES ('Nova', 'risk_scan', 'warning', '{\"students\": 1}');
    SELECT 'log_id=' || id FROM lumix_log_system_action;
    SELECT 'log_row=' || agent_name || '/' || action || '/' || level || '/' || json_extract(details, '$.students')
      FROM lumix_system_logs WHERE id = (SELECT id FROM lumix_log_system_action);
    DELETE FROM auth_users WHERE id = '$U2';
    SELECT 'students_left=' || count(*) FROM lumix_students;
    SELECT 'fees_left=' || count(*) FROM lumix_fee_records;
    SELECT 'teacher_left=' || count(*) FROM auth_users;")
  assert_eq "risk_after_insert=high" "$(line_of "$out" risk_after_insert)" \
    "lumix/sqlite: risk trigger gives a GPA 1.2 / 60% attendance student high risk (insert said low)"
  [ "$(line_of "$out" teacher_left)" = "teacher_left=1" ] || echo "$out" | sed 's/^/# /'
  assert_eq "risk_after_update=low" "$(line_of "$out" risk_after_update)" "lumix/sqlite: risk trigger recomputes on update (good student -> low)"
  assert_eq "risk_low_attendance=high" "$(line_of "$out" risk_low_attendance)" "lumix/sqlite: low attendance alone -> high"
  assert_eq "risk_at_thresholds=medium" "$(line_of "$out" risk_at_thresholds)" "lumix/sqlite: exactly GPA 2.00 / 75% / behaviour 40 is medium, not high"
  assert_eq "risk_no_metrics=low" "$(line_of "$out" risk_no_metrics)" "lumix/sqlite: NULL metrics never raise the level"
  assert_eq "log_id=42" "$(line_of "$out" log_id)" "lumix/sqlite: lumix_log_system_action returns the new log id (after the loaded id 41)"
  assert_eq "log_row=Nova/risk_scan/warning/1" "$(line_of "$out" log_row)" "lumix/sqlite: lumix_log_system_action writes the system_logs row"
  assert_eq "students_left=0" "$(line_of "$out" students_left)" "lumix/sqlite: deleting a user cascades to the student profile"
  assert_eq "fees_left=0" "$(line_of "$out" fees_left)" "lumix/sqlite: ... and on to the student's fee records"
  assert_eq "teacher_left=1" "$(line_of "$out" teacher_left)" "lumix/sqlite: other users stay"
}

# Loaded-data stand-ins: an explicit id in a serial/identity column. Without the post-load
# setval the application's next INSERT would collide with it.
pg_load_lumix() {
  check "lumix/pg: a log row with explicit id 41 loads" psql_in "$1" -c "INSERT INTO lumix.system_logs (id, agent_name, action) VALUES (41, 'Astra', 'boot')"
}
pg_load_ailms() {
  check "ailms/pg: a user with explicit id 1 loads" psql_in "$1" -c "INSERT INTO users (id, email, password_hash, full_name) VALUES (1, 'loaded@ailms.test', 'x', 'Loaded')"
}
pg_load_pilms() {
  check "pilms/pg: a user with explicit id 1 loads" psql_in "$1" -c "INSERT INTO users (id, email, \"firstName\", \"lastName\", \"passwordHash\") VALUES (1, 'loaded@pilms.local', 'L', 'D', 'x')"
}

lumix_pg_behaviour() { # db
  local db=$1 out
  out=$(psql_in "$db" <<EOF
INSERT INTO auth.users (id, email, password_hash, role, full_name) VALUES
  ('$U1', 'teacher@lumix.test', 'x', 'teacher', 'Tia Teacher'),
  ('$U2', 'student@lumix.test', 'x', 'student', 'Sam Student');
INSERT INTO lumix.classes (id, code, name, subject, grade_level, teacher_id, academic_year)
  VALUES ('$C1', 'G10-MATH-A', 'Mathematics 10A', 'Mathematics', 10, '$U1', '2024-2025');
COPY lumix.students (id, user_id, class_id, admission_number, gpa, attendance_rate, behaviour_score, risk_level) FROM STDIN WITH (FORMAT csv);
$S1,$U2,$C1,A-0001,1.20,60,85,low
\\.
INSERT INTO lumix.fee_records (student_id, fee_type, amount, due_date, status)
  VALUES ('$S1', 'tuition', 500, '2024-01-15', 'overdue');
SELECT 'risk_after_insert=' || risk_level FROM lumix.students;
UPDATE lumix.students SET gpa = 3.80, attendance_rate = 98, behaviour_score = 95;
SELECT 'risk_after_update=' || risk_level FROM lumix.students;
UPDATE lumix.students SET attendance_rate = 50;
SELECT 'risk_low_attendance=' || risk_level FROM lumix.students;
UPDATE lumix.students SET gpa = 2.00, attendance_rate = 75, behaviour_score = 40;
SELECT 'risk_at_thresholds=' || risk_level FROM lumix.students;
UPDATE lumix.students SET gpa = NULL, attendance_rate = NULL, behaviour_score = NULL;
SELECT 'risk_no_metrics=' || risk_level FROM lumix.students;
SELECT lumix.log_system_action('Nova', 'risk_scan', 'warning', '{"students": 1}') AS log_id \gset
SELECT 'log_id=' || :log_id;
SELECT 'log_row=' || agent_name || '/' || action || '/' || level || '/' || (details->>'students')
  FROM lumix.system_logs WHERE id = :log_id;
DELETE FROM auth.users WHERE id = '$U2';
SELECT 'students_left=' || count(*) FROM lumix.students;
SELECT 'fees_left=' || count(*) FROM lumix.fee_records;
SELECT 'teacher_left=' || count(*) FROM auth.users;
EOF
)
  assert_eq "risk_after_insert=high" "$(line_of "$out" risk_after_insert)" \
    "lumix/pg: trigger_update_risk_level gives a GPA 1.2 / 60% attendance student high risk (COPY said low)"
  [ "$(line_of "$out" teacher_left)" = "teacher_left=1" ] || echo "$out" | sed 's/^/# /'
  assert_eq "risk_after_update=low" "$(line_of "$out" risk_after_update)" "lumix/pg: risk trigger recomputes on update (good student -> low)"
  assert_eq "risk_low_attendance=high" "$(line_of "$out" risk_low_attendance)" "lumix/pg: low attendance alone -> high"
  assert_eq "risk_at_thresholds=medium" "$(line_of "$out" risk_at_thresholds)" "lumix/pg: exactly GPA 2.00 / 75% / behaviour 40 is medium, not high"
  assert_eq "risk_no_metrics=low" "$(line_of "$out" risk_no_metrics)" "lumix/pg: NULL metrics never raise the level"
  assert_eq "log_id=42" "$(line_of "$out" log_id)" "lumix/pg: log_system_action() returns the new log id (after the loaded id 41)"
  assert_eq "log_row=Nova/risk_scan/warning/1" "$(line_of "$out" log_row)" "lumix/pg: log_system_action() writes the system_logs row"
  assert_eq "students_left=0" "$(line_of "$out" students_left)" "lumix/pg: deleting a user cascades to the student profile"
  assert_eq "fees_left=0" "$(line_of "$out" fees_left)" "lumix/pg: ... and on to the student's fee records"
  assert_eq "teacher_left=1" "$(line_of "$out" teacher_left)" "lumix/pg: other users stay"
}

EX_U=00000000-0000-4000-8000-0000000000e1
EX_C=00000000-0000-4000-8000-0000000000e2
EX_L=00000000-0000-4000-8000-0000000000e3
EX_E=00000000-0000-4000-8000-0000000000e4
EX_A=00000000-0000-4000-8000-0000000000e5
EXAMS_SEED="INSERT INTO users (id, email, password_hash, role) VALUES ('$EX_U', 'ada@exams.test', '\$argon2id\$v=19\$m=65536,t=3,p=4\$c2FsdA\$aGFzaA', 'STUDENT');
INSERT INTO courses (id, title, is_published) VALUES ('$EX_C', 'Physics', TRUE);
INSERT INTO lessons (id, course_id, title, order_index) VALUES ('$EX_L', '$EX_C', 'Heat', 0);
INSERT INTO ai_notes (lesson_id, summary_markdown, key_concepts) VALUES ('$EX_L', '# Heat', '[{\"term\": \"Thermodynamics\"}, {\"term\": \"Entropy\"}]');
INSERT INTO exams (id, course_id, title, duration_seconds, passing_score_percent) VALUES ('$EX_E', '$EX_C', 'Midterm', 3600, 60);
INSERT INTO exam_attempts (id, exam_id, user_id, score, started_at, completed_at) VALUES ('$EX_A', '$EX_E', '$EX_U', 72, '2024-03-01 09:00:00', '2024-03-01 09:50:00');"

exams_pg_behaviour() { # db
  local db=$1
  check "exams/pg: users, course, lesson, note, exam and one attempt insert" psql_in "$db" -c "$EXAMS_SEED"
  expect_fail "exams/pg: UPDATE on exam_attempts is rejected" psql_in "$db" -c "UPDATE exam_attempts SET score = 100"
  assert_contains "$LAST_OUT" "insert-only" "exams/pg: ... by the insert-only trigger"
  expect_fail "exams/pg: DELETE on exam_attempts is rejected" psql_in "$db" -c "DELETE FROM exam_attempts"
  assert_eq "72" "$(psql_in "$db" -c "SELECT score FROM exam_attempts WHERE id = '$EX_A'")" "exams/pg: the attempt is unchanged"
  expect_fail "exams/pg: an upper-case email is rejected" \
    psql_in "$db" -c "INSERT INTO users (email, password_hash) VALUES ('Bob@Exams.test', 'x')"
  expect_fail "exams/pg: a second note for the same lesson is rejected (1:1)" \
    psql_in "$db" -c "INSERT INTO ai_notes (lesson_id) VALUES ('$EX_L')"
  assert_eq "1" "$(psql_in "$db" -c "SELECT count(*) FROM ai_notes WHERE key_concepts @> '[{\"term\": \"Thermodynamics\"}]'")" \
    "exams/pg: key_concepts containment query finds the note"
  assert_contains "$(psql_in "$db" -c "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_ai_notes_key_concepts'")" \
    "USING gin (key_concepts jsonb_path_ops)" "exams/pg: key_concepts has a GIN jsonb_path_ops index"
}

exams_sqlite_behaviour() {
  local db=$TMP/exams.db
  check "exams/sqlite: users, course, lesson, note, exam and one attempt insert" sq "$db" "PRAGMA foreign_keys = ON; $EXAMS_SEED"
  expect_fail "exams/sqlite: UPDATE on exam_attempts is rejected" sq "$db" "UPDATE exam_attempts SET score = 100"
  assert_contains "$LAST_OUT" "insert-only" "exams/sqlite: ... by the insert-only trigger"
  expect_fail "exams/sqlite: DELETE on exam_attempts is rejected" sq "$db" "DELETE FROM exam_attempts"
  expect_fail "exams/sqlite: an upper-case email is rejected" \
    sq "$db" "INSERT INTO users (email, password_hash) VALUES ('Bob@Exams.test', 'x')"
  assert_eq "1" "$(sq "$db" "SELECT count(*) FROM ai_notes n WHERE EXISTS (SELECT 1 FROM json_each(n.key_concepts) c
      WHERE json_extract(c.value, '\$.term') = 'Thermodynamics')")" "exams/sqlite: JSON1 concept query finds the note"
}

pilms_checks() {
  local f=$SQL/pilms/sqlite.sql db=$TMP/pilms.db first
  first=$(grep -vE '^[[:space:]]*(--|$)' "$f" | head -n 1)
  assert_eq "PRAGMA page_size = 4096;" "$first" "pilms/sqlite: the file starts with PRAGMA page_size"
  assert_eq "wal 4096" "$(sq "$db" "PRAGMA journal_mode; PRAGMA page_size;" | tr '\n' ' ' | sed 's/ $//')" \
    "pilms/sqlite: the database is WAL with 4096-byte pages"
  assert_eq "1" "$(sq "$db" "SELECT partial FROM pragma_index_list('enrollments') WHERE name = 'idx_enrollment_active_course'")" \
    "pilms/sqlite: idx_enrollment_active_course is a partial index"
  assert_contains "$(sq "$db" "SELECT sql FROM sqlite_master WHERE name = 'idx_enrollment_active_course'")" \
    "WHERE status = 'active'" "pilms/sqlite: ... WHERE status = 'active'"
  assert_eq "course_categories.id SET NULL" "$(sq "$db" "SELECT \"table\" || '.' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('courses') WHERE \"from\" = 'category'")" \
    "pilms/sqlite: courses.category references course_categories ON DELETE SET NULL"
  check "pilms/sqlite: the document's sample rows insert (users, categories, course, lesson)" sq "$db" "PRAGMA foreign_keys = ON;
    INSERT INTO users (email, firstName, lastName, role, passwordHash, isActive) VALUES ('admin@pilms.local', 'System', 'Administrator', 'admin', 'x', TRUE);
    INSERT INTO course_categories (name, slug) VALUES ('Mathematics', 'mathematics');
    INSERT INTO courses (title, instructor, startDate, status, difficulty, published, category) VALUES ('Intro', 1, '2025-01-15', 'active', 'beginner', TRUE, 1);
    INSERT INTO lessons (title, content, course, orderIndex, published, estimatedMinutes) VALUES ('Start', '{\"root\": {}}', 1, 1, TRUE, 15);
    INSERT INTO enrollments (user, course) VALUES (1, 1);"
  expect_fail "pilms/sqlite: invalid JSON is rejected like JSONB would" \
    sq "$db" "INSERT INTO notifications (user, title, message, metadata) VALUES (1, 't', 'm', '{not json')"
}

pilms_pg_checks() { # db
  local db=$1
  assert_contains "$(psql_in "$db" -c "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_enrollment_active_course'")" \
    "WHERE ((status)::text = 'active'::text)" "pilms/pg: idx_enrollment_active_course is partial on status = 'active'"
  assert_eq "6" "$(psql_in "$db" -c "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'user'")" \
    "pilms/pg: the six \"user\" columns exist under their document name"
  check "pilms/pg: the document's sample rows insert with quoted camelCase names" psql_in "$db" -c "
    INSERT INTO users (email, \"firstName\", \"lastName\", role, \"passwordHash\", \"isActive\") VALUES ('admin@pilms.local', 'System', 'Administrator', 'admin', 'x', TRUE);
    INSERT INTO course_categories (name, slug) VALUES ('Mathematics', 'mathematics');
    INSERT INTO courses (title, instructor, \"startDate\", status, difficulty, published, category) VALUES ('Intro', 1, '2025-01-15', 'active', 'beginner', TRUE, 1);
    INSERT INTO lessons (title, content, course, \"orderIndex\", published, \"estimatedMinutes\") VALUES ('Start', '{\"root\": {}}', 1, 1, TRUE, 15);
    INSERT INTO enrollments (\"user\", course) VALUES (1, 1);"
  assert_eq "2" "$(psql_in "$db" -c "SELECT id FROM users WHERE email = 'admin@pilms.local'")" \
    "pilms/pg: identity ids continue after the loaded ones"
}

tpcb_checks() {
  local post=$TMP/tpcb.pg.post.sql
  assert_eq "3" "$(grep -ciE '^alter table pgbench_(branches|tellers|accounts) add primary key \((bid|tid|aid)\);$' "$post")" \
    "tpcb/pg: the post-load part is pgbench's three 'alter table ... add primary key' statements"
  assert_eq "0" "$(grep -ciE 'primary key' "$TMP/tpcb.pg.pre.sql")" "tpcb/pg: no primary key before the load"
  assert_eq "pgbench_accounts:aid pgbench_branches:bid pgbench_tellers:tid" \
    "$(sq "$TMP/tpcb.db" "SELECT m.name || ':' || p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.pk > 0 ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')" \
    "tpcb/sqlite: primary keys inline on bid, tid, aid"
}

tpcb_pg_checks() { # db
  local db=$1
  assert_eq "pgbench_accounts_pkey pgbench_branches_pkey pgbench_tellers_pkey" \
    "$(psql_in "$db" -c "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid::regclass::text LIKE 'pgbench%' ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')" \
    "tpcb/pg: pgbench's three primary keys exist after the post-load step"
  assert_eq "pgbench_accounts {fillfactor=100}|pgbench_branches {fillfactor=100}|pgbench_history |pgbench_tellers {fillfactor=100}" \
    "$(psql_in "$db" -c "SELECT relname || ' ' || coalesce(reloptions::text, '') FROM pg_class WHERE relkind = 'r' AND relname LIKE 'pgbench%' ORDER BY 1" | tr '\n' '|' | sed 's/|$//')" \
    "tpcb/pg: storage options match pgbench -i (fillfactor=100 on all but history)"
}

edupulse_checks() {
  assert_eq "36 1" "$(sq "$TMP/edupulse.db" "INSERT INTO students (district_id, first_name, last_name, date_of_birth) VALUES ('D-1', 'A', 'B', '2010-01-01');
      SELECT length(id) || ' ' || (id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-4[0-9a-f][0-9a-f][0-9a-f]-[89ab][0-9a-f][0-9a-f][0-9a-f]-*') FROM students")" \
    "edupulse/sqlite: a student inserted without id gets a 36-character v4 UUID"
  check "edupulse/sqlite: nullable JSON columns take NULL (feature_vector)" sq "$TMP/edupulse.db" "PRAGMA foreign_keys = ON;
    INSERT INTO student_features (student_id, feature_date, feature_vector) SELECT id, '2024-09-02', NULL FROM students;"
  expect_fail "edupulse/sqlite: invalid JSON is rejected (risk_factors)" sq "$TMP/edupulse.db" \
    "INSERT INTO predictions (risk_factors) VALUES ('[1, 2')"
}

# ------------------------------------------------------------------------ run
for sys in $SYSTEMS; do
  for d in sqlite postgres; do
    if [ -f "$SQL/$sys/$d.sql" ]; then static_checks "$sys" "${d/postgres/pg}" "$SQL/$sys/$d.sql"
    else fail "$sys: sql/$sys/$d.sql exists"; fi
  done
  sqlite_checks "$sys"
done
lumix_sqlite_behaviour
exams_sqlite_behaviour
pilms_checks
tpcb_checks
edupulse_checks

if need_pg; then
  for sys in $SYSTEMS; do
    PG_LAST_DB=""
    pg_checks "$sys"
    [ -n "$PG_LAST_DB" ] || continue
    case $sys in
      lumix) lumix_pg_behaviour "$PG_LAST_DB" ;;
      exams) exams_pg_behaviour "$PG_LAST_DB" ;;
      pilms) pilms_pg_checks "$PG_LAST_DB" ;;
      ailms)
        assert_eq "2" "$(psql_in "$PG_LAST_DB" -c "INSERT INTO users (email, password_hash, full_name) VALUES ('new@ailms.test', 'x', 'New') RETURNING id")" \
          "ailms/pg: after the load the next user id follows the loaded ones" ;;
      tpcb) tpcb_pg_checks "$PG_LAST_DB" ;;
      edupulse)
        assert_eq "36" "$(psql_in "$PG_LAST_DB" -c "INSERT INTO students (district_id, first_name, last_name, date_of_birth) VALUES ('D-1', 'A', 'B', '2010-01-01') RETURNING length(id::text)")" \
          "edupulse/pg: uuid_generate_v4() default fills students.id" ;;
    esac
    pg_drop "$sys" "$PG_LAST_DB"
  done
fi
exit 0
