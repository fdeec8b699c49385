#!/usr/bin/env bash
# systems.sh — the six modelled systems end to end, on generated data (issue 6, and the
# PostgreSQL issue's LumiX checks).
#
# ailms, pilms, exams (scenario small):
#   - `seedload check` passes (it also compiles every workload for both dialects);
#   - the load into SQLite succeeds; PRAGMA integrity_check is ok and foreign_key_check empty;
#     every table has the rows `seedload check` lists for the scenario;
#   - the same into PostgreSQL, a fresh database per system (dropped at the end);
#   - every workload of the profile runs for a couple of seconds on both dialects with zero
#     errors (summary.errors and the error table of the JSON result), transactions > 0 and
#     every transaction type of the mix executed; pilms' classroom mix with 40 clients;
#   - what the write workloads leave behind still holds the data's rules: SQLite integrity
#     and foreign keys; ailms enrolments only for students in active courses, with exactly
#     their course's syllabus weeks and (student, course, week) unique; pilms chat histories
#     still JSON arrays, quiz retakes by enrolled students; exams attempts only appended, by
#     students.
# LumiX (scenario medium, generated into the real server): the risk trigger's rule holds on
# every row (zero mismatches), every low-GPA / low-attendance student is high risk, the trigger
# overrides a writer's level on the loaded rows (rolled back), and it assigned the levels
# during the load itself (a copy of the profile that writes 'low' everywhere loads with the
# rule's levels); deleting a user cascades to the student profile and its fee records (in a
# transaction rolled back); log_system_action writes a row after the loaded ids.
# lumix, edupulse, tpcb: every workload runs a couple of seconds on both dialects, zero errors.
set -u
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

T=$(mktmp)
PG_DBS=()
cleanup() {
  local d
  if [ ${#PG_DBS[@]} -gt 0 ]; then
    for d in "${PG_DBS[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1; done
  fi
  _cleanup_tmp
}
trap cleanup EXIT

P=$ROOT/profiles
PG=0
if need_pg; then PG=1; fi

sl() { timeout 300 "$SEEDLOAD" "$@"; }
sq() { sqlite3 -bail "$1" "$2" 2>&1; }
pq() { local d=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$d" "$@" 2>&1; }
new_db() { # NAME: a fresh PostgreSQL database, dropped at the end
  local d="seedload_sys_${1}_$$"
  PG_DBS+=("$d")
  dropdb --if-exists "$d" >/dev/null 2>&1
  if createdb "$d" 2>"$T/createdb.err"; then echo "$d"; else cat "$T/createdb.err" >&2; return 1; fi
}

# workloads PROFILE: the names under `workloads:` (two-space keys), in file order.
workloads() {
  awk '/^workloads:/ { w = 1; next } w && /^[^ #]/ { w = 0 }
       w && /^  [A-Za-z0-9_.-]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' "$1"
}

# expected_rows PROFILE SCENARIO: "table rows" per table, as `seedload check` lists them.
expected_rows() {
  sl check "$1" | awk -v sc="$2" '
    /rows per scenario/ { for (i = 1; i <= NF; i++) if ($i == sc) col = i - 2; next }
    col && $1 == "total" { exit }
    col && NF >= 2 { print $1, $col }'
}

# counts_match DESC EXPECTED COUNTER: every "table rows" line of EXPECTED equals COUNTER TABLE.
counts_match() {
  local desc=$1 expected=$2 counter=$3 table want got bad="" n=0
  while read -r table want; do
    [ -n "$table" ] || continue
    n=$((n + 1))
    got=$("$counter" "$table")
    [ "$got" = "$want" ] || bad="$bad $table: want $want, got $got;"
  done <<<"$expected"
  if [ "$n" -eq 0 ]; then fail "$desc" "seedload check listed no tables"
  elif [ -z "$bad" ]; then ok "$desc ($n tables)"
  else fail "$desc" "$bad"; fi
}

# bench_ok DESC PROFILE WORKLOAD TARGET [bench options]: the run exits 0, executes transactions,
# every transaction type of the mix ran, and there is no error at all (summary and error table).
bench_ok() {
  local desc=$1 prof=$2 wl=$3 tgt=$4 json out st verdict; shift 4
  json=$T/bench.json
  rm -f "$json"
  out=$(timeout 120 "$SEEDLOAD" bench "$prof" --workload "$wl" --target "$tgt" -q --json "$json" "$@" 2>&1); st=$?
  if [ $st -ne 0 ]; then fail "$desc" "bench exit $st" "$(echo "$out" | tail -n 15)"; return 1; fi
  verdict=$(python3 - "$json" <<'EOF' 2>&1
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
s = r["summary"]
problems = []
if s["transactions"] <= 0:
    problems.append("no transactions")
if s["errors"] != 0:
    problems.append("summary.errors = %d" % s["errors"])
for e in r["errors"]:
    problems.append("%s x%d in %s/%s: %s" % (e["code"], e["count"], e["transaction"], e["statement"], e["message"]))
idle = [t["name"] for t in r["transactions"] if t["count"] == 0]
if idle:
    problems.append("never ran: " + ", ".join(idle))
if problems:
    print("FAIL " + " | ".join(problems))
else:
    print("%d transactions of %d types, 0 errors" % (s["transactions"], len(r["transactions"])))
EOF
)
  case $verdict in
    FAIL*) fail "$desc" "${verdict#FAIL }"; return 1 ;;
    [0-9]*) ok "$desc: $verdict" ;;
    *) fail "$desc" "unreadable result: $verdict"; return 1 ;;
  esac
}

# run_workloads SYS PROFILE SQLITE_DB PG_DB: every workload of PROFILE on both dialects.
run_workloads() {
  local sys=$1 prof=$2 db=$3 pgdb=$4 w
  for w in $(workloads "$prof"); do
    if [ "$sys/$w" = pilms/classroom ]; then
      # The document's target: 40-50 concurrent users on one SQLite file, with its 30 s
      # busy_timeout (PRAGMA busy_timeout = 30000).
      bench_ok "$sys/sqlite: workload $w, 40 clients, 3 s" "$prof" "$w" "sqlite:$db" -c 40 -T 3s --busy-timeout 30000
      [ -n "$pgdb" ] && bench_ok "$sys/pg: workload $w, 40 clients on 2 threads, 2 s" "$prof" "$w" "postgresql:///$pgdb" -c 40 -j 2 -T 2s
    else
      bench_ok "$sys/sqlite: workload $w, 2 clients, 2 s" "$prof" "$w" "sqlite:$db" -c 2 -T 2s
      [ -n "$pgdb" ] && bench_ok "$sys/pg: workload $w, 2 clients, 2 s" "$prof" "$w" "postgresql:///$pgdb" -c 2 -T 2s
    fi
  done
  [ -n "$(workloads "$prof")" ] || fail "$sys: the profile has workloads"
}

sqlite_clean() { # DESC DB
  assert_eq "ok" "$(sq "$2" 'PRAGMA integrity_check')" "$1: PRAGMA integrity_check is ok"
  assert_eq "" "$(sq "$2" 'PRAGMA foreign_key_check')" "$1: PRAGMA foreign_key_check is empty"
}

# ---------------------------------------------------------------- ailms, pilms, exams
# Rules the write workloads must keep, per system: "sqlite|pg  DESC  QUERY  WANT" (WANT: a
# number, or >0). Timestamps: ailms enrolments from the workload date from 2025-01-13, pilms
# writes from 2025-03-17, exams attempts from 2025-06-02 (all generated rows are earlier).
after_ailms() { # dialect runner
  local d=$1 q=$2
  local new="student_enrollments WHERE enrolled_at >= '2025-01-13'"
  local n
  n=$("$q" "SELECT count(*) FROM $new")
  case $n in ''|0|*[!0-9]*) fail "ailms/$d: the enroll workload inserted enrolments" "got: $n" ;; *) ok "ailms/$d: the enroll workload inserted $n enrolments" ;; esac
  assert_eq 0 "$("$q" "SELECT count(*) FROM (SELECT 1 FROM topic_performance GROUP BY student_id, course_id, week_number HAVING count(*) > 1) d")" \
    "ailms/$d: (student, course, week) still unique in topic_performance"
  assert_eq 0 "$("$q" "SELECT count(*) FROM $new AND (SELECT count(*) FROM topic_performance t WHERE t.student_id = student_enrollments.student_id AND t.course_id = student_enrollments.course_id)
      <> (SELECT count(*) FROM syllabus s WHERE s.course_id = student_enrollments.course_id)")" \
    "ailms/$d: every new enrolment opened exactly its course's syllabus weeks"
  assert_eq 0 "$("$q" "SELECT count(*) FROM student_enrollments se JOIN users u ON u.id = se.student_id JOIN courses c ON c.id = se.course_id
      WHERE u.role <> 'student' OR (se.enrolled_at >= '2025-01-13' AND NOT c.is_active)")" \
    "ailms/$d: enrolments only of students, new ones only in active courses"
}

after_pilms() { # dialect runner
  local d=$1 q=$2 arr user
  if [ "$d" = pg ]; then arr="jsonb_typeof(history) <> 'array'"; user='"user"'
  else arr="json_type(history) <> 'array'"; user=user; fi
  assert_eq 0 "$("$q" "SELECT count(*) FROM chat_sessions WHERE history IS NULL OR $arr")" "pilms/$d: every chat history is still a JSON array"
  local n
  n=$("$q" "SELECT count(*) FROM quiz_attempts WHERE \"startedAt\" >= '2025-03-17'")
  case $n in ''|0|*[!0-9]*) fail "pilms/$d: quiz submissions were inserted" "got: $n" ;; *) ok "pilms/$d: $n quiz submissions inserted" ;; esac
  assert_eq 0 "$("$q" "SELECT count(*) FROM quiz_attempts q JOIN lessons l ON l.id = q.lesson
      WHERE q.\"startedAt\" >= '2025-03-17' AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.$user = q.$user AND e.course = l.course)")" \
    "pilms/$d: every quiz submission is by a student enrolled in the lesson's course"
  assert_eq 0 "$("$q" "SELECT count(*) FROM notifications WHERE \"isRead\" = FALSE AND \"readAt\" IS NOT NULL")" \
    "pilms/$d: no unread notification has a readAt"
}

after_exams() { # dialect runner
  local d=$1 q=$2 ev
  if [ "$d" = pg ]; then ev="answer_sheet->>'event'"; else ev="json_extract(answer_sheet, '\$.event')"; fi
  local got
  got=$("$q" "SELECT count(*) FILTER (WHERE $ev = 'started' AND score IS NULL AND completed_at IS NULL) > 0,
                     count(*) FILTER (WHERE $ev = 'submitted' AND score IS NOT NULL AND completed_at >= started_at) > 0
              FROM exam_attempts WHERE started_at >= '2025-06-01'" | tr '|\n' '  ' | sed 's/ *$//')
  case $got in "t t"|"1 1") ok "exams/$d: start and submit appended attempts" ;; *) fail "exams/$d: start and submit appended attempts" "got: $got" ;; esac
  assert_eq 0 "$("$q" "SELECT count(*) FROM exam_attempts a JOIN users u ON u.id = a.user_id WHERE u.role <> 'STUDENT'")" \
    "exams/$d: every attempt is by a STUDENT"
}

for sys in ailms pilms exams; do
  prof=$P/$sys.yaml
  check "$sys: seedload check passes (data and workloads, both dialects)" sl check "$prof"
  expected=$(expected_rows "$prof" small)

  db=$T/$sys.db
  if ! check "$sys/sqlite: generate --scenario small" sl generate "$prof" --scenario small --target "sqlite:$db" -q -f; then continue; fi
  sqlite_clean "$sys/sqlite" "$db"
  sqlite_count() { sq "$db" "SELECT count(*) FROM \"$1\""; }
  counts_match "$sys/sqlite: row counts equal seedload check" "$expected" sqlite_count

  pgdb=""
  if [ $PG -eq 1 ]; then
    if pgdb=$(new_db "$sys"); then
      if check "$sys/pg: generate --scenario small into a fresh database" sl generate "$prof" --scenario small --target "postgresql:///$pgdb" -q; then
        pg_count() { pq "$pgdb" -c "SELECT count(*) FROM \"$sys\".\"$1\""; }
        counts_match "$sys/pg: row counts equal seedload check" "$expected" pg_count
      else pgdb=""; fi
    else fail "$sys/pg: createdb"; pgdb=""; fi
  fi

  run_workloads "$sys" "$prof" "$db" "$pgdb"

  sqlite_clean "$sys/sqlite: after the workloads" "$db"
  sq_run() { sq "$db" "$1"; }
  pg_run() { pq "$pgdb" -c "SET search_path = $sys" -c "$1"; }
  "after_$sys" sqlite sq_run
  [ -n "$pgdb" ] && "after_$sys" pg pg_run
done

# ---------------------------------------------------------------- LumiX on generated data
LX=$P/lumix.yaml
# The risk rule of sql/lumix/*.sql, as SQL over lumix.students.
RULE="CASE WHEN gpa < 2.0 OR attendance_rate < 75 OR behaviour_score < 40 THEN 'high'
           WHEN gpa < 3.0 OR attendance_rate < 90 OR behaviour_score < 70 THEN 'medium' ELSE 'low' END"
# A copy of the profile whose generator writes risk_level 'low' for every student: the levels
# the database ends up with can then only come from the trigger.
sed -e "s#\.\./sql/#$ROOT/sql/#" -e "s#^dicts: dicts#dicts: $P/dicts#" \
    -e 's#^      risk_level: {gen: map, from: _risk, values: {0: low, 1: medium, 2: high}}$#      risk_level: low#' \
    "$LX" >"$T/lumix_low.yaml"
assert_eq 1 "$(grep -c '^      risk_level: low$' "$T/lumix_low.yaml")" "lumix: a copy of the profile writes risk_level 'low' for every student"

lumix_rule() { # dialect runner students-table label
  local d=$1 q=$2 tb=$3 what=$4 out differs
  if [ "$d" = pg ]; then differs="risk_level::text IS DISTINCT FROM"; else differs="risk_level IS NOT"; fi
  out=$("$q" "SELECT count(*) FROM $tb WHERE $differs ($RULE)")
  assert_eq 0 "$out" "lumix/$d ($what): risk_level follows the trigger's rule on every student (zero mismatches)"
  out=$("$q" "SELECT count(*) FROM $tb WHERE gpa < 2.0 OR attendance_rate < 75")
  case $out in ''|0|*[!0-9]*) fail "lumix/$d ($what): the data has low-GPA / low-attendance students" "got: $out" ;;
    *) assert_eq "$out" "$("$q" "SELECT count(*) FROM $tb WHERE (gpa < 2.0 OR attendance_rate < 75) AND risk_level = 'high'")" \
         "lumix/$d ($what): all $out low-GPA / low-attendance students are high risk" ;; esac
}

check "lumix: seedload check passes" sl check "$LX"
LDB=$T/lumix.db
if check "lumix/sqlite: generate --scenario medium" sl generate "$LX" --scenario medium --target "sqlite:$LDB" -q -f; then
  sqlite_clean "lumix/sqlite" "$LDB"
  lx_sq() { sq "$LDB" "$1"; }
  lumix_rule sqlite lx_sq lumix_students "generated"
fi
if check "lumix/sqlite: generate the all-'low' copy" sl generate "$T/lumix_low.yaml" --scenario medium --target "sqlite:$T/lumix_low.db" -q -f; then
  lx_low_sq() { sq "$T/lumix_low.db" "$1"; }
  lumix_rule sqlite lx_low_sq lumix_students "loaded as 'low', set by the trigger"
fi

LPG=""
if [ $PG -eq 1 ]; then
  if LPG=$(new_db lumix) && check "lumix/pg: generate --scenario medium into a fresh database" \
        sl generate "$LX" --scenario medium --target "postgresql:///$LPG" -q; then
    lx_pg() { pq "$LPG" -c "$1"; }
    lumix_rule pg lx_pg lumix.students "generated"
    assert_eq "150" "$(lx_pg "SELECT count(*) FROM lumix.students")" "lumix/pg: medium has 150 students"
    assert_eq "O" "$(lx_pg "SELECT tgenabled FROM pg_trigger WHERE tgname = 'trigger_update_risk_level' AND tgrelid = 'lumix.students'::regclass")" \
      "lumix/pg: trigger_update_risk_level is enabled on the loaded table"

    out=$(pq "$LPG" <<EOF
BEGIN;
UPDATE lumix.students SET risk_level = 'low' WHERE gpa < 2.0 OR attendance_rate < 75;
SELECT 'override=' || count(*) FILTER (WHERE risk_level = 'high') || '/' || count(*) FROM lumix.students WHERE gpa < 2.0 OR attendance_rate < 75;
ROLLBACK;
SELECT s.user_id AS uid, s.id AS sid, (SELECT count(*) FROM lumix.fee_records f WHERE f.student_id = s.id) AS fees
  FROM lumix.students s WHERE EXISTS (SELECT 1 FROM lumix.fee_records f WHERE f.student_id = s.id)
  ORDER BY s.admission_number LIMIT 1 \gset
SELECT 'before=' || (SELECT count(*) FROM lumix.students WHERE user_id = :'uid') || '/' || :fees;
BEGIN;
DELETE FROM auth.users WHERE id = :'uid';
SELECT 'deleted=' || (SELECT count(*) FROM auth.users WHERE id = :'uid') || '/' || (SELECT count(*) FROM lumix.students WHERE user_id = :'uid')
       || '/' || (SELECT count(*) FROM lumix.fee_records WHERE student_id = :'sid');
ROLLBACK;
SELECT 'restored=' || (SELECT count(*) FROM lumix.students WHERE user_id = :'uid') || '/' || (SELECT count(*) FROM lumix.fee_records WHERE student_id = :'sid');
SELECT max(id) AS loaded_max, count(*) AS loaded_n FROM lumix.system_logs \gset
SELECT lumix.log_system_action('Nova', 'systems_test', 'warning', '{"students": 150}') AS log_id \gset
SELECT 'log_new_id=' || CASE WHEN :log_id > :loaded_max THEN 'yes' ELSE 'no' END;
SELECT 'log_rows=' || count(*) - :loaded_n FROM lumix.system_logs;
SELECT 'log_row=' || agent_name || '/' || action || '/' || level || '/' || (details->>'students') FROM lumix.system_logs WHERE id = :log_id;
EOF
)
    line() { echo "$out" | grep -m1 "^$1=" || echo "$1=? (psql said: $(echo "$out" | tail -n 3 | tr '\n' ' '))"; }
    n_low=$(lx_pg "SELECT count(*) FROM lumix.students WHERE gpa < 2.0 OR attendance_rate < 75")
    assert_eq "override=$n_low/$n_low" "$(line override)" \
      "lumix/pg: on the loaded rows the trigger overrides a writer's 'low' for low GPA / attendance (rolled back)"
    before=$(line before)
    case $before in before=1/[1-9]*) ok "lumix/pg: a student user with a profile and fee records (${before#before=})" ;;
      *) fail "lumix/pg: a student user with a profile and fee records" "got: $before" ;; esac
    assert_eq "deleted=0/0/0" "$(line deleted)" "lumix/pg: deleting the user cascades to the student profile and its fee records"
    assert_eq "restored=${before#before=}" "$(line restored)" "lumix/pg: ... and the rollback restores them"
    assert_eq "log_new_id=yes" "$(line log_new_id)" "lumix/pg: log_system_action returns an id after the loaded ones"
    assert_eq "log_rows=1" "$(line log_rows)" "lumix/pg: log_system_action writes exactly one row"
    assert_eq "log_row=Nova/systems_test/warning/150" "$(line log_row)" "lumix/pg: ... with the agent, action, level and details given"
  else
    fail "lumix/pg: a loaded database for the LumiX checks"; LPG=""
  fi
  if LOW=$(new_db lumix_low) && check "lumix/pg: generate the all-'low' copy" \
        sl generate "$T/lumix_low.yaml" --scenario medium --target "postgresql:///$LOW" -q; then
    lx_low_pg() { pq "$LOW" -c "$1"; }
    lumix_rule pg lx_low_pg lumix.students "loaded as 'low', set by the trigger"
    dropdb "$LOW" >/dev/null 2>&1
  fi
fi

# ---------------------------------------------------------------- every other workload
run_workloads lumix "$LX" "$LDB" "$LPG"
for sys in edupulse tpcb; do
  db=$T/$sys.db pgdb=""
  check "$sys/sqlite: generate --scenario small" sl generate "$P/$sys.yaml" --scenario small --target "sqlite:$db" -q -f || continue
  if [ $PG -eq 1 ]; then
    if pgdb=$(new_db "$sys"); then
      check "$sys/pg: generate --scenario small into a fresh database" \
        sl generate "$P/$sys.yaml" --scenario small --target "postgresql:///$pgdb" -q || pgdb=""
    else pgdb=""; fi
  fi
  run_workloads "$sys" "$P/$sys.yaml" "$db" "$pgdb"
done

[ "$TEST_FAILS" -eq 0 ]
