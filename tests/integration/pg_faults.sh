#!/usr/bin/env bash
# pg_faults.sh — bad input and faults against a real PostgreSQL server (issue 4, "Bad input and
# faults"). A fresh database holds EduPulse `small`; every fault below must leave those rows
# exactly as they were — the same rows in every table (count + md5 of the sorted rows), the same
# relation (oid) and the same metadata — say what happened, and exit 3 (unless noted):
#   unreachable server (names the target) · wrong password (never printed; nor is a correct
#   one, whatever goes wrong) · missing database (libpq's reason) · a DDL file failing halfway
#   (file:line, nothing of the staging schema left) · a generated row breaking a CHECK (table,
#   row index, constraint; also several chunks in and over two connections) · a post-load
#   index failing · a profile column the DDL lacks (exit 2) · more --jobs than the role may
#   open connections · the server stopped mid-load (restarted here; the next run removes the
#   leftover staging schema) · seedload killed with SIGKILL mid-load (likewise) · SIGINT while
#   rows load, while indexes build, and while the final swap waits for a reader's lock (exits
#   promptly, drops its staging schema) · two concurrent loads of the same profile (the second
#   says "another seedload is loading").
# The mid-load faults use EduPulse `medium` (about 2M rows) and wait until a COPY (or a
# post-load statement) is running before they strike. Stopping the server is done only on the
# throwaway cluster tests/run.sh started (its directory holds .seedload-pg-cluster). Every
# seedload call runs under `timeout`.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

need_pg || exit 0

PROFILE=$ROOT/profiles/edupulse.yaml
FIX=$ROOT/tests/profiles/pg
TMP=$(mktmp)
DB=seedload_pgfaults_$$
PWROLE=seedload_pwf_$$
PWSECRET=SECRETpw$$x
HBA=""
HBA_SAVED=""
BG=""          # pid of a background seedload (timeout's pid)
SERVER_DOWN=0
TABLES="students attendance_records grades discipline_incidents student_features predictions training_feedback model_metadata"

sl() { timeout -k 5 300 "$SEEDLOAD" "$@"; }
q() { PGTZ=UTC psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>&1; }
qcheck() {
  local desc=$1 want=$2 sql=$3 got st
  got=$(q "$sql"); st=$?
  if [ $st -ne 0 ]; then fail "$desc" "query: $sql" "$(echo "$got" | tail -n 5)"; else assert_eq "$want" "$got" "$desc"; fi
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- the server (stop/start only for the harness's throwaway cluster)
PGDATA_DIR=""
PG_BIN=""
RUN_AS=()
server_setup() {
  [ "${SEEDLOAD_PG_EXTERNAL:-}" = 1 ] && return 1
  [ -n "${PGHOST:-}" ] && [ -e "$PGHOST/.seedload-pg-cluster" ] || return 1
  PGDATA_DIR=$(q "SHOW data_directory") || return 1
  [ -d "$PGDATA_DIR" ] || return 1
  local major d
  major=$(q "SELECT current_setting('server_version_num')::int / 10000") || return 1
  for d in "/usr/lib/postgresql/$major/bin" "$(pg_config --bindir 2>/dev/null)"; do
    if [ -x "$d/pg_ctl" ]; then PG_BIN=$d; break; fi
  done
  [ -n "$PG_BIN" ] || return 1
  local owner
  owner=$(stat -c %U "$PGDATA_DIR")
  if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ]; then
    if command -v runuser >/dev/null 2>&1; then RUN_AS=(runuser -u "$owner" --); else RUN_AS=(su "$owner" -s /bin/sh -c); fi
  fi
  return 0
}
pg_ctl_() { (cd / && "${RUN_AS[@]}" "$PG_BIN/pg_ctl" "$@"); }
server_stop() { pg_ctl_ -D "$PGDATA_DIR" -m immediate -w -t 30 stop >/dev/null 2>&1 && SERVER_DOWN=1; }
server_start() {
  pg_ctl_ -D "$PGDATA_DIR" -l "$PGHOST/server.log" -w -t 60 start >/dev/null 2>&1 || return 1
  local i
  for ((i = 0; i < 100; i++)); do pg_isready -q 2>/dev/null && { SERVER_DOWN=0; return 0; }; sleep 0.2; done
  return 1
}

cleanup() {
  if [ -n "$BG" ]; then kill -KILL "$(bg_child)" 2>/dev/null; kill -KILL "$BG" 2>/dev/null; fi
  [ "$SERVER_DOWN" = 1 ] && server_start
  psql -X -q -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'seedload_test_holder'" >/dev/null 2>&1
  dropdb --if-exists --force "$DB" >/dev/null 2>&1 || dropdb --if-exists "$DB" >/dev/null 2>&1
  psql -X -q -d postgres -c "DROP ROLE IF EXISTS $PWROLE" >/dev/null 2>&1
  psql -X -q -d postgres -c "DROP ROLE IF EXISTS seedload_lim_$$" >/dev/null 2>&1
  if [ -n "$HBA_SAVED" ] && [ -f "$HBA_SAVED" ]; then
    cat "$HBA_SAVED" >"$HBA" && psql -X -q -d postgres -c "SELECT pg_reload_conf()" >/dev/null 2>&1
  fi
  rm -rf "$TEST_TMP_ROOT"
}
trap cleanup EXIT

# ---- the previous data and how to prove it intact
fingerprint() {
  local t out=""
  for t in $TABLES _seedload_meta _seedload_tables; do
    out+="$t $(q "SELECT count(*) || ' ' || md5(coalesce(string_agg(x::text, E'\n' ORDER BY x::text), '')) FROM edupulse.$t x")"$'\n'
  done
  out+="oid $(q "SELECT 'edupulse.students'::regclass::oid || ' ' || 'edupulse.attendance_records'::regclass::oid || ' ' || (SELECT oid FROM pg_namespace WHERE nspname = 'edupulse')")"
  printf '%s' "$out"
}
FP0=""
# intact WHAT: the previous contents are exactly as they were.
intact() {
  local got
  got=$(fingerprint)
  if [ -n "$FP0" ] && [ "$got" == "$FP0" ]; then ok "$1: the previous data is intact (same rows in every table, same relations, same metadata)"; else fail "$1: the previous data is intact (same rows in every table, same relations, same metadata)" "$(diff <(echo "$FP0") <(echo "$got") | head -n 8)"; fi
}
staging() { q "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%\_\_seedload\_new'"; }
# no_staging WHAT: no staging schema is left; any that is gets dropped, so that the next check
# starts clean.
no_staging() {
  assert_eq "0" "$(staging)" "$1: no staging schema remains"
  local n
  for n in $(q "SELECT nspname FROM pg_namespace WHERE nspname LIKE '%\_\_seedload\_new'"); do q "DROP SCHEMA \"$n\" CASCADE" >/dev/null; done
}
drop_staging() { q "DROP SCHEMA IF EXISTS edupulse__seedload_new CASCADE" >/dev/null; }
# backends of seedload still connected to $DB
seedload_backends() { q "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND application_name = 'seedload'"; }
wait_no_backends() {
  local i
  for ((i = 0; i < 300; i++)); do [ "$(seedload_backends)" = 0 ] && return 0; sleep 0.1; done
  return 1
}

# start_bg ARGS...: seedload generate ARGS in the background; sets BG, BG_OUT. BG is a subshell
# that waits for timeout, which runs seedload; its stderr (bash's "Killed" notice when seedload
# is killed) is dropped, seedload's own output goes to BG_OUT.
BG_OUT=$TMP/bg.out
start_bg() {
  (
    timeout -k 5 300 "$SEEDLOAD" generate "$@" >"$BG_OUT" 2>&1
    exit $?
  ) 2>/dev/null &
  BG=$!
}
# bg_child: seedload's own pid (the child of timeout, the child of BG).
bg_child() {
  local t
  t=$(pgrep -P "$BG" 2>/dev/null | head -n 1)
  [ -n "$t" ] && pgrep -P "$t" 2>/dev/null | head -n 1
}
# wait_for PATTERN: until a seedload backend runs a statement matching the ILIKE PATTERN while
# the background load is alive; 1 when that does not happen within 90 s.
wait_for() {
  local i
  for ((i = 0; i < 1800; i++)); do
    kill -0 "$BG" 2>/dev/null || return 1
    [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND application_name = 'seedload' AND state = 'active' AND ($1)")" -gt 0 ] 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
# wait_bg SECONDS: wait for the background load; sets BG_RC (124 when it had to be killed).
wait_bg() {
  local i
  for ((i = 0; i < $1 * 10; i++)); do kill -0 "$BG" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$BG" 2>/dev/null; then kill -KILL "$(bg_child)" 2>/dev/null; sleep 0.5; kill -KILL "$BG" 2>/dev/null; fi
  wait "$BG" 2>/dev/null
  BG_RC=$?
  BG=""
}
COPYING="query ILIKE 'COPY %'"
POSTLOAD="query ILIKE 'CREATE INDEX%' OR query ILIKE 'CREATE UNIQUE INDEX%' OR query ILIKE 'ANALYZE%' OR query ILIKE 'ALTER TABLE%'"

if ! createdb "$DB" 2>"$TMP/createdb.err"; then
  fail "create a fresh database $DB" "$(cat "$TMP/createdb.err")"
  exit 1
fi
expect_exit 0 "load EduPulse small (the previous data)" sl generate "$PROFILE" --target "postgresql:///$DB" -q
FP0=$(fingerprint)
if [ "$(echo "$FP0" | grep -c ' [0-9a-f]\{32\}$')" -ne 10 ]; then fail "fingerprint of the previous data" "$FP0"; exit 1; fi

# ---------------------------------------------------------------------------- connections
# Unreachable server: a port with no server behind it (Unix socket), and TCP connection refused.
port=${PGPORT:-5432}
while [ -e "${PGHOST:-/tmp}/.s.PGSQL.$((port + 7))" ]; do port=$((port + 1)); done
NOPORT=$((port + 7))
t0=$(now)
expect_exit 3 "unreachable server (socket port $NOPORT): exit 3" sl generate "$PROFILE" --target "host=${PGHOST:-/tmp} port=$NOPORT dbname=$DB"
assert_contains "$LAST_OUT" "port=$NOPORT dbname=$DB" "unreachable server: the message names the target"
assert_contains "$LAST_OUT" "cannot connect" "unreachable server: the message says it cannot connect"
if awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e < 15) }'; then ok "unreachable server: fails promptly"; else fail "unreachable server: fails promptly" "took $(elapsed "$t0") s"; fi
expect_exit 3 "unreachable server (TCP 127.0.0.1:1, refused): exit 3" sl generate "$PROFILE" --target "postgresql://127.0.0.1:1/$DB?connect_timeout=5"
assert_contains "$LAST_OUT" "postgresql://127.0.0.1:1/$DB" "unreachable TCP server: the message names the target"

# Missing database.
expect_exit 3 "missing database: exit 3" sl generate "$PROFILE" --target "postgresql:///nosuchdb_$$"
assert_contains "$LAST_OUT" "database \"nosuchdb_$$\" does not exist" "missing database: libpq's reason is shown"
assert_contains "$LAST_OUT" "postgresql:///nosuchdb_$$" "missing database: the message names the target"
intact "unreachable server and missing database"

# Passwords: a role with a SCRAM password, a pg_hba.conf line for it (the harness's cluster).
hba_file=$(q "SHOW hba_file" 2>/dev/null)
if [ "${SEEDLOAD_PG_EXTERNAL:-}" = 1 ] || [ -z "$hba_file" ] || [ ! -w "$hba_file" ]; then
  skip "password checks (pg_hba.conf not writable here: ${hba_file:-unknown})"
else
  HBA=$hba_file
  HBA_SAVED=$TMP/pg_hba.conf.orig
  cp "$HBA" "$HBA_SAVED"
  { echo "local all $PWROLE scram-sha-256"; cat "$HBA_SAVED"; } >"$HBA"
  q "SET password_encryption = 'scram-sha-256'; CREATE ROLE $PWROLE LOGIN PASSWORD '$PWSECRET'; GRANT CREATE ON DATABASE \"$DB\" TO $PWROLE; SELECT pg_reload_conf()" >/dev/null
  H=${PGHOST:-/tmp}
  # no_secret DESC SECRET WANT_EXIT CMD...: CMD exits WANT_EXIT and SECRET is nowhere in its output.
  no_secret() {
    local desc=$1 secret=$2 code=$3; shift 3
    expect_exit "$code" "$desc: exit $code" "$@"
    assert_not_contains "$LAST_OUT" "$secret" "$desc: the password is not printed"
  }
  # Wrong passwords.
  no_secret "wrong password in a URI" "WRONGpw" 3 sl generate "$PROFILE" --target "postgresql://$PWROLE:WRONGpw@/$DB?host=$H"
  assert_contains "$LAST_OUT" "password authentication failed" "wrong password: the server's reason is shown"
  assert_contains "$LAST_OUT" "$PWROLE:****@" "wrong password: the target is shown with the password masked"
  no_secret "wrong password in key=value" "WRONGpw" 3 sl generate "$PROFILE" --target "host=$H user=$PWROLE password=WRONGpw dbname=$DB"
  no_secret "wrong quoted password with spaces in key=value" "WRONG pw" 3 sl generate "$PROFILE" --target "host=$H user=$PWROLE password='WRONG pw' dbname=$DB"
  no_secret "wrong password in PGPASSWORD" "WRONGpw" 3 env PGPASSWORD=WRONGpw timeout -k 5 60 "$SEEDLOAD" generate "$PROFILE" --target "host=$H user=$PWROLE dbname=$DB"
  no_secret "wrong password in a URI query parameter" "WRONGpw" 3 sl generate "$PROFILE" --target "postgresql:///$DB?host=$H&user=$PWROLE&password=WRONGpw"
  intact "wrong passwords"
  # The right password must not be printed either, whatever happens.
  URI="postgresql://$PWROLE:$PWSECRET@/$DB?host=$H"
  no_secret "correct password in a URI, successful load (--schema pw_edu)" "$PWSECRET" 0 sl generate "$PROFILE" --target "$URI" --schema pw_edu --checksum
  no_secret "correct password, generating again (nothing to do)" "$PWSECRET" 0 sl generate "$PROFILE" --target "$URI" --schema pw_edu
  no_secret "correct password, --schema public refused" "$PWSECRET" 2 sl generate "$PROFILE" --target "$URI" --schema public
  no_secret "correct password, a constraint violation" "$PWSECRET" 3 sl generate "$FIX/bad_check.yaml" --target "$URI" --schema pw_edu
  no_secret "correct password, a failing DDL file" "$PWSECRET" 3 sl generate "$FIX/bad_ddl.yaml" --target "$URI" --schema pw_edu
  no_secret "correct password, missing database" "$PWSECRET" 3 sl generate "$PROFILE" --target "postgresql://$PWROLE:$PWSECRET@/nosuchdb_$$?host=$H"
  no_secret "correct password, unreachable server" "$PWSECRET" 3 sl generate "$PROFILE" --target "postgresql://$PWROLE:$PWSECRET@/$DB?host=$H&port=$NOPORT"
  no_secret "correct password, an invalid URI option" "$PWSECRET" 3 sl generate "$PROFILE" --target "postgresql://$PWROLE:$PWSECRET@/$DB?host=$H&sslmode=bogus"
  no_secret "correct password, an unknown key=value option" "$PWSECRET" 3 sl generate "$PROFILE" --target "host=$H user=$PWROLE password=$PWSECRET dbname=$DB bogus=1"
  # Malformed URIs: libpq's parse errors quote the text they could not parse.
  no_secret "password with a bad %-escape in a URI" "$PWSECRET" 3 sl generate "$PROFILE" --target "postgresql://$PWROLE:$PWSECRET%zz@/$DB?host=$H"
  no_secret "password in a URI with an unterminated [IPv6] host" "$PWSECRET" 3 sl generate "$PROFILE" --target "postgresql://$PWROLE:$PWSECRET@[::1/$DB"
  # A mistyped scheme is not a PostgreSQL target, but its password is still a password.
  no_secret "password in a URI with a mistyped scheme (POSTGRESQL://)" "$PWSECRET" 2 sl generate "$PROFILE" --target "POSTGRESQL://$PWROLE:$PWSECRET@/$DB"
  no_secret "password in a URI with a mistyped scheme (postgresql:/)" "$PWSECRET" 2 sl generate "$PROFILE" --target "postgresql:/$PWROLE:$PWSECRET@/$DB"
  q "DROP SCHEMA IF EXISTS pw_edu CASCADE; DROP SCHEMA IF EXISTS pw_edu__seedload_new CASCADE; REVOKE CREATE ON DATABASE \"$DB\" FROM $PWROLE" >/dev/null
  intact "password checks"
fi

# ---------------------------------------------------------------------------- bad profiles
# A DDL file that fails halfway (line 11, after two statements that worked).
expect_exit 3 "DDL failing halfway: exit 3" sl generate "$FIX/bad_ddl.yaml" --target "postgresql:///$DB" --schema edupulse
assert_contains "$LAST_OUT" "bad_ddl.postgres.sql:11" "DDL failing halfway: the message names file:line"
assert_contains "$LAST_OUT" "no_such_type" "DDL failing halfway: the server's message is shown"
qcheck "DDL failing halfway: nothing of the new schema remains (no parents/items/broken table anywhere)" "0" \
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname IN ('parents', 'items', 'broken', 'idx_parents_name')"
no_staging "DDL failing halfway"
intact "DDL failing halfway"

# A generated row breaking a CHECK: row 5000 (first COPY chunk) and row 77777 (several chunks
# in), the latter over two connections.
expect_exit 3 "row breaking a CHECK: exit 3" sl generate "$FIX/bad_check.yaml" --target "postgresql:///$DB" --schema edupulse
assert_contains "$LAST_OUT" "'items'" "row breaking a CHECK: the message names the table"
assert_contains "$LAST_OUT" "row 5000:" "row breaking a CHECK: the message names the row index (5000)"
assert_contains "$LAST_OUT" "items_score_range" "row breaking a CHECK: the message names the constraint"
no_staging "row breaking a CHECK"
intact "row breaking a CHECK"
expect_exit 3 "row 77777 breaking a CHECK, --jobs 2: exit 3" sl generate "$FIX/bad_check_late.yaml" --target "postgresql:///$DB" --schema edupulse --jobs 2
assert_contains "$LAST_OUT" "row 77777:" "row 77777 breaking a CHECK (--jobs 2): the message names the row index"
assert_contains "$LAST_OUT" "items_score_range" "row 77777 breaking a CHECK (--jobs 2): the message names the constraint"
no_staging "row 77777 breaking a CHECK"
intact "row 77777 breaking a CHECK"

# A post-load unique index that fails after every row is in.
expect_exit 3 "post-load UNIQUE index failing: exit 3" sl generate "$FIX/bad_post.yaml" --target "postgresql:///$DB" --schema edupulse
assert_contains "$LAST_OUT" "bad_post.postgres.sql:14" "post-load index failing: the message names file:line"
assert_contains "$LAST_OUT" "items_label_key" "post-load index failing: the message names the index"
no_staging "post-load index failing"
intact "post-load index failing"

# A profile column the DDL does not create: found after the DDL ran, before any row.
expect_exit 2 "profile column missing from the DDL: exit 2" sl generate "$FIX/missing_col.yaml" --target "postgresql:///$DB" --schema edupulse
assert_contains "$LAST_OUT" "score" "profile column missing from the DDL: the message names the column"
no_staging "profile column missing from the DDL"
intact "profile column missing from the DDL"

# More --jobs connections than the server lets the role open: by default seedload uses the
# connections it gets; an explicit --jobs beyond the limit fails (the DDL has run by then).
LIMROLE=seedload_lim_$$
if q "CREATE ROLE $LIMROLE LOGIN CONNECTION LIMIT 2; GRANT CREATE ON DATABASE \"$DB\" TO $LIMROLE" >/dev/null &&
  [ "$(psql -X -A -t -q -U "$LIMROLE" -d "$DB" -c 'SELECT 1' 2>/dev/null)" = 1 ]; then
  LIM="user=$LIMROLE dbname=$DB"
  expect_exit 0 "connection-limited role: the default --jobs loads with the connections the role may open" sl generate "$PROFILE" --target "$LIM" --schema lim_edu -q
  LIMFP=$(q "SELECT (SELECT count(*) FROM lim_edu.students) || ' ' || 'lim_edu.students'::regclass::oid || ' ' || (SELECT value FROM lim_edu._seedload_meta WHERE key = 'seed')")
  expect_exit 3 "--jobs 4 with a role limited to 2 connections: exit 3" sl generate "$PROFILE" --target "$LIM" --schema lim_edu --jobs 4 --seed 3
  assert_contains "$LAST_OUT" "too many connections" "--jobs beyond the connection limit: the server's reason is shown"
  qcheck "--jobs beyond the connection limit: no staging schema (lim_edu__seedload_new) remains" "0" \
    "SELECT count(*) FROM pg_namespace WHERE nspname = 'lim_edu__seedload_new'"
  assert_eq "$LIMFP" "$(q "SELECT (SELECT count(*) FROM lim_edu.students) || ' ' || 'lim_edu.students'::regclass::oid || ' ' || (SELECT value FROM lim_edu._seedload_meta WHERE key = 'seed')")" \
    "--jobs beyond the connection limit: the previous data of lim_edu is intact"
  q "DROP SCHEMA IF EXISTS lim_edu CASCADE; DROP SCHEMA IF EXISTS lim_edu__seedload_new CASCADE; REVOKE CREATE ON DATABASE \"$DB\" FROM $LIMROLE" >/dev/null
else
  skip "--jobs beyond the connection limit (cannot create a login role with trust access here)"
fi
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $LIMROLE" >/dev/null 2>&1
intact "--jobs beyond the connection limit"

# ---------------------------------------------------------------------------- mid-load faults
# The server stopped mid-load.
if ! server_setup; then
  skip "server stopped mid-load (not the throwaway cluster of tests/run.sh, or no pg_ctl)"
else
  start_bg "$PROFILE" --scenario medium --target "postgresql:///$DB" --jobs 2
  if ! wait_for "$COPYING"; then
    wait_bg 5
    fail "server stopped mid-load: the medium load was copying rows" "$(tail -n 5 "$BG_OUT")"
  else
    t0=$(now)
    server_stop || fail "server stopped mid-load: pg_ctl stop -m immediate"
    wait_bg 30
    took=$(elapsed "$t0")
    assert_eq 3 "$BG_RC" "server stopped mid-load: seedload exits 3"
    if awk -v e="$took" 'BEGIN { exit !(e < 15) }'; then ok "server stopped mid-load: seedload exits promptly (${took}s)"; else fail "server stopped mid-load: seedload exits promptly" "took ${took}s"; fi
    assert_contains "$(cat "$BG_OUT")" "connection" "server stopped mid-load: the message says the connection was lost"
    assert_contains "$(cat "$BG_OUT")" "table '" "server stopped mid-load: the message names the table"
    if server_start; then ok "server restarted"; else fail "server restarted" "$(tail -n 5 "$PGHOST/server.log")"; fi
    intact "server stopped mid-load"
    # The next run — the same dataset as the one in place — removes the leftover staging schema.
    left=$(staging)
    expect_exit 0 "server stopped mid-load: the next generate (same dataset) succeeds" sl generate "$PROFILE" --target "postgresql:///$DB"
    assert_eq "0" "$(staging)" "server stopped mid-load: the next generate removes the leftover staging schema (there were $left)"
    drop_staging
    intact "server stopped mid-load, after the next generate"
  fi
fi

# seedload killed with SIGKILL mid-load.
start_bg "$PROFILE" --scenario medium --target "postgresql:///$DB"
if ! wait_for "$COPYING"; then
  wait_bg 5
  fail "SIGKILL mid-load: the medium load was copying rows" "$(tail -n 5 "$BG_OUT")"
else
  kill -KILL "$(bg_child)"
  wait_bg 10
  assert_eq 137 "$BG_RC" "SIGKILL mid-load: seedload was killed"
  if wait_no_backends; then ok "SIGKILL mid-load: its connections go away"; else fail "SIGKILL mid-load: its connections go away" "$(seedload_backends) still there after 30 s"; fi
  intact "SIGKILL mid-load"
  expect_exit 0 "SIGKILL mid-load: the next generate (--force) succeeds" sl generate "$PROFILE" --target "postgresql:///$DB" --force -q
  no_staging "SIGKILL mid-load, after the next generate"
  drop_staging
  FP0=$(fingerprint)   # --force made new relations; the rows are the same (checked by pg_load)
fi

# SIGKILL while post-load statements run: the next run must not be locked out for long.
start_bg "$PROFILE" --scenario medium --target "postgresql:///$DB"
if ! wait_for "$POSTLOAD"; then
  wait_bg 60
  skip "SIGKILL during the post-load phase (not caught: the load ended with $BG_RC first)"
  [ "$BG_RC" = 0 ] && { expect_exit 0 "restore small" sl generate "$PROFILE" --target "postgresql:///$DB" -q; FP0=$(fingerprint); }
else
  kill -KILL "$(bg_child)"
  wait_bg 10
  intact "SIGKILL during the post-load phase"
  wait_no_backends
  expect_exit 0 "SIGKILL during the post-load phase: the next generate (--force) succeeds" sl generate "$PROFILE" --target "postgresql:///$DB" --force -q
  no_staging "SIGKILL during the post-load phase, after the next generate"
  drop_staging
  FP0=$(fingerprint)
fi

# SIGINT (Ctrl-C) while rows are copied.
start_bg "$PROFILE" --scenario medium --target "postgresql:///$DB" --jobs 2
if ! wait_for "$COPYING"; then
  wait_bg 5
  fail "SIGINT mid-load: the medium load was copying rows" "$(tail -n 5 "$BG_OUT")"
else
  t0=$(now)
  kill -INT "$(bg_child)"
  wait_bg 30
  took=$(elapsed "$t0")
  assert_eq 3 "$BG_RC" "SIGINT while copying: exit 3"
  if awk -v e="$took" 'BEGIN { exit !(e < 5) }'; then ok "SIGINT while copying: exits promptly (${took}s)"; else fail "SIGINT while copying: exits promptly" "took ${took}s"; fi
  assert_contains "$(cat "$BG_OUT")" "interrupted" "SIGINT while copying: the message says it was interrupted"
  no_staging "SIGINT while copying"
  assert_eq 0 "$(seedload_backends)" "SIGINT while copying: no connection of seedload remains"
  intact "SIGINT while copying"
fi
drop_staging

# SIGINT (Ctrl-C) while indexes are built / tables analyzed.
start_bg "$PROFILE" --scenario medium --target "postgresql:///$DB"
if ! wait_for "$POSTLOAD"; then
  wait_bg 60
  skip "SIGINT during the post-load phase (not caught: the load ended with $BG_RC first)"
  [ "$BG_RC" = 0 ] && { expect_exit 0 "restore small" sl generate "$PROFILE" --target "postgresql:///$DB" -q; FP0=$(fingerprint); }
else
  t0=$(now)
  kill -INT "$(bg_child)"
  wait_bg 60
  took=$(elapsed "$t0")
  if [ "$BG_RC" = 0 ]; then
    fail "SIGINT during the post-load phase: exits 3" "it went on: exit 0 ${took}s after SIGINT, the new data swapped in"
  else
    assert_eq 3 "$BG_RC" "SIGINT during the post-load phase: exit 3"
    if awk -v e="$took" 'BEGIN { exit !(e < 5) }'; then ok "SIGINT during the post-load phase: exits promptly (${took}s)"; else fail "SIGINT during the post-load phase: exits promptly" "took ${took}s"; fi
  fi
  no_staging "SIGINT during the post-load phase"
  intact "SIGINT during the post-load phase"
  if [ "$BG_RC" = 0 ]; then
    # It went on and replaced the data: put the previous data back for what follows.
    expect_exit 0 "restore small" sl generate "$PROFILE" --target "postgresql:///$DB" -q
    FP0=$(fingerprint)
  fi
fi
drop_staging

# SIGINT while the final swap waits for a lock: a reader holds edupulse.students open.
HOLDER="application_name = 'seedload_test_holder'"
( PGAPPNAME=seedload_test_holder psql -X -q -d "$DB" -c "BEGIN; SELECT count(*) FROM edupulse.students; SELECT pg_sleep(120); COMMIT" >/dev/null 2>&1 ) &
HOLDER_PID=$!
for ((i = 0; i < 100; i++)); do
  [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE $HOLDER AND query ILIKE '%pg_sleep%'")" = 1 ] && break
  sleep 0.1
done
start_bg "$PROFILE" --target "postgresql:///$DB" --seed 6
if ! wait_for "wait_event_type = 'Lock' AND query ILIKE '%RENAME TO%'"; then
  wait_bg 10
  fail "SIGINT while the swap waits for a lock: the swap was waiting" "exit $BG_RC" "$(tail -n 3 "$BG_OUT")"
else
  t0=$(now)
  kill -INT "$(bg_child)"
  wait_bg 15
  took=$(elapsed "$t0")
  if [ "$BG_RC" = 137 ]; then
    fail "SIGINT while the swap waits for a lock: exits (3) promptly" "still waiting ${took}s after SIGINT; killed with SIGKILL"
  else
    assert_eq 3 "$BG_RC" "SIGINT while the swap waits for a lock: exit 3"
    if awk -v e="$took" 'BEGIN { exit !(e < 5) }'; then ok "SIGINT while the swap waits for a lock: exits promptly (${took}s)"; else fail "SIGINT while the swap waits for a lock: exits promptly" "took ${took}s"; fi
    no_staging "SIGINT while the swap waits for a lock"
  fi
fi
drop_staging
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE $HOLDER" >/dev/null
wait "$HOLDER_PID" 2>/dev/null
intact "SIGINT while the swap waits for a lock"
[ "$BG_RC" = 0 ] && { expect_exit 0 "restore small" sl generate "$PROFILE" --target "postgresql:///$DB" -q; FP0=$(fingerprint); }

# Two concurrent loads of the same profile.
start_bg "$PROFILE" --scenario medium --target "postgresql:///$DB"
if ! wait_for "$COPYING"; then
  wait_bg 5
  fail "concurrent loads: the first (medium) was copying rows" "$(tail -n 5 "$BG_OUT")"
else
  expect_exit 3 "concurrent loads: the second fails (exit 3)" sl generate "$PROFILE" --target "postgresql:///$DB" --seed 5
  assert_contains "$LAST_OUT" "another seedload is loading" "concurrent loads: the second says another seedload is loading"
  wait_bg 120
  assert_eq 0 "$BG_RC" "concurrent loads: the first succeeds"
  [ "$BG_RC" = 0 ] || echo "# $(tail -n 3 "$BG_OUT")"
  qcheck "concurrent loads: the first's dataset (medium) is in place" "medium|10000" \
    "SELECT (SELECT value FROM edupulse._seedload_meta WHERE key = 'scenario'), (SELECT count(*) FROM edupulse.students)"
  no_staging "concurrent loads"
fi

[ "$TEST_FAILS" -eq 0 ]
