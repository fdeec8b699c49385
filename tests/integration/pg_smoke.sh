#!/usr/bin/env bash
# pg_smoke.sh — the PostgreSQL the tests run against is reachable and, when tests/run.sh started
# it (scripts/pg-cluster.sh), configured as a throwaway test cluster: Unix socket only, fsync off,
# room for many clients. With SEEDLOAD_PG_EXTERNAL=1 (a server you provide through PG*
# variables) only connectivity is checked.
. "${SEEDLOAD_ROOT:-$(pwd)}/tests/lib.sh"

need_pg || exit 0

# q SQL: run one statement, unaligned tuples-only; prints the result (or the error) and returns
# psql's status, so a failing query can never look like an empty answer.
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1" 2>&1; }

# qcheck DESC WANT SQL: the query succeeds and returns exactly WANT.
qcheck() {
  local desc=$1 want=$2 sql=$3 got st
  got=$(q "$sql"); st=$?
  if [ $st -ne 0 ]; then
    fail "$desc" "query: $sql" "psql exit: $st" "$(echo "$got" | tail -n 5)"
  else
    assert_eq "$want" "$got" "$desc"
  fi
}

qcheck "psql connects and runs select 1" "1" "select 1"

if [ "${SEEDLOAD_PG_EXTERNAL:-}" = 1 ]; then
  skip "no-TCP-listener check (SEEDLOAD_PG_EXTERNAL=1: server not started by the harness)"
  skip "fsync=off check (SEEDLOAD_PG_EXTERNAL=1: server not started by the harness)"
  skip "max_connections check (SEEDLOAD_PG_EXTERNAL=1: server not started by the harness)"
else
  qcheck "server listens on no TCP port (listen_addresses is empty)" "" "show listen_addresses"
  qcheck "connection goes through the Unix socket" "t" "select inet_server_addr() is null"
  qcheck "fsync is off in the test cluster" "off" "show fsync"
  qcheck "max_connections is at least 300 (bench tests open many clients)" "t" \
    "select current_setting('max_connections')::int >= 300"
fi

[ "$TEST_FAILS" -eq 0 ]
