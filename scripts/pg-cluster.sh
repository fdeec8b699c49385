#!/usr/bin/env bash
# pg-cluster.sh — a throwaway PostgreSQL cluster for seedload's tests (used by tests/run.sh).
#
#   scripts/pg-cluster.sh start DIR    initdb a new cluster in the empty directory DIR and start it,
#                                      listening only on a Unix socket in DIR; on success print
#                                      exactly one line to eval:
#                                        export PGHOST=DIR PGPORT=N PGUSER=postgres PGDATABASE=postgres
#   scripts/pg-cluster.sh stop DIR     stop it (fast, then immediate, then SIGKILL) and rm -rf DIR;
#                                      succeeds when the server is already gone
#   scripts/pg-cluster.sh status DIR   exit 0 when the server is running and accepting connections
#
# Layout of DIR: data/ (PGDATA), server.log (server output), setup.log (initdb/pg_ctl output),
# .s.PGSQL.N (the socket), .seedload-pg-cluster (marker: `stop` never deletes a non-empty
# directory without it).
#
# The cluster is for tests only: fsync, synchronous_commit and full_page_writes are off, auth is
# trust, max_connections=300, shared_buffers=256MB, no TCP listener. initdb and postgres refuse to
# run as root, so as root they run as the `postgres` OS user (or a system user `seedload-pg`,
# created when needed) and DIR is chowned to it.
#
# `start` writes nothing but the export line on success: tests/run.sh captures stdout and stderr
# together and evals them. On failure it stops anything it started, removes data/, keeps the logs
# in DIR, prints their tails to stderr and ends with a one-line "error:" message.
#
# Environment: SEEDLOAD_PG_START_TIMEOUT (seconds to wait for the server, default 30),
# SEEDLOAD_PG_BINDIR (directory holding initdb/pg_ctl/postgres; default: pg_config --bindir if it
# holds a server, else the newest /usr/lib/postgresql/*/bin).
set -Eeuo pipefail

prog=pg-cluster.sh
MARKER=.seedload-pg-cluster
START_TIMEOUT=${SEEDLOAD_PG_START_TIMEOUT:-30}
FIRST_PORT=54320
LAST_PORT=54419

# The caller's connection settings must not leak into initdb/pg_ctl/postgres/pg_isready.
unset PGDATA PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE PGSERVICEFILE \
  PGPASSFILE PGSYSCONFDIR PGCLUSTER PGCTLTIMEOUT PGCONNECT_TIMEOUT PGAPPNAME 2>/dev/null || true
export LC_ALL=C

fail_msg=""
err_line=""
mode=""
created=0     # start: 1 once we have written into DIR
dir=""
srv_user=""   # non-empty when commands must run as another user (we are root)
orig_owner=""

die() { fail_msg="$*"; exit 1; }
usage() {
  echo "usage: $prog start|stop|status DIR" >&2
  trap - EXIT
  exit 2
}

# ---------------------------------------------------------------------------------------------
# helpers

is_server_bindir() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]; }

# find_bindir: print the directory holding the server binaries, or return 1.
find_bindir() {
  local d
  if [ -n "${SEEDLOAD_PG_BINDIR:-}" ]; then
    is_server_bindir "$SEEDLOAD_PG_BINDIR" && { echo "$SEEDLOAD_PG_BINDIR"; return 0; }
    return 1
  fi
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$d" ] && is_server_bindir "$d"; then echo "$d"; return 0; fi
  fi
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    if is_server_bindir "$d"; then echo "$d"; return 0; fi
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV)
  return 1
}

# pg_isready: prefer the server's own copy, else whatever is on PATH.
isready_bin() {
  local b
  if b=$(find_bindir) && [ -x "$b/pg_isready" ]; then echo "$b/pg_isready"; return 0; fi
  command -v pg_isready 2>/dev/null || return 1
}

# as_server CMD...: run CMD as the server user (directly when we are not root).
# as_server_t SECS CMD...: the same, killed after SECS seconds.
run_as_prefix() { # sets the array run_as
  run_as=()
  [ -n "$srv_user" ] || return 0
  if command -v runuser >/dev/null 2>&1; then
    run_as=(runuser -u "$srv_user" --)
  elif command -v setpriv >/dev/null 2>&1; then
    run_as=(setpriv --reuid="$srv_user" --regid="$(id -g "$srv_user")" --init-groups --)
  else
    echo "$prog: need runuser or setpriv (util-linux) to run PostgreSQL as $srv_user" >&2
    return 1
  fi
}
as_server() {
  local run_as
  run_as_prefix || return 1
  "${run_as[@]}" "$@"
}
as_server_t() {
  local run_as secs=$1
  shift
  run_as_prefix || return 1
  timeout -k 5 "$secs" "${run_as[@]}" "$@"
}

# postmaster_pid DATA: the pid recorded in DATA/postmaster.pid (empty when none).
postmaster_pid() {
  local p=""
  [ -r "$1/postmaster.pid" ] && p=$(head -n 1 "$1/postmaster.pid" 2>/dev/null || true)
  case $p in '' | *[!0-9]*) echo "" ;; *) echo "$p" ;; esac
}

# is_postgres_for PID DATA: PID is alive and is a postgres whose command line names DATA
# (the postmaster runs as "postgres -D DATA").
is_postgres_for() {
  local comm a
  local -a args
  [ -n "$1" ] || return 1
  { read -r comm <"/proc/$1/comm"; } 2>/dev/null || return 1
  case $comm in postgres | postmaster) ;; *) return 1 ;; esac
  { mapfile -d '' -t args <"/proc/$1/cmdline"; } 2>/dev/null || return 1
  for a in "${args[@]:1}"; do [ "$a" = "$2" ] && return 0; done
  return 1
}
pid_runs_datadir() { is_postgres_for "$1" "$2"; }

# datadir_pids DATA: every live postgres whose command line names DATA (also finds a postmaster
# that has not written postmaster.pid yet, or whose postmaster.pid is gone).
datadir_pids() {
  local f pid
  for f in /proc/[0-9]*; do
    pid=${f#/proc/}
    [ "$pid" = "$$" ] && continue
    is_postgres_for "$pid" "$1" && echo "$pid"
  done
  return 0
}

# children_of PID: direct children of PID.
children_of() {
  local f s pid ppid
  for f in /proc/[0-9]*/stat; do
    { read -r s <"$f"; } 2>/dev/null || continue
    s=${s##*) }                      # drop "pid (comm) "; the rest is "state ppid ..."
    read -r _ ppid _ <<<"$s"
    if [ "$ppid" = "$1" ]; then pid=${f#/proc/}; echo "${pid%/stat}"; fi
  done
}

# server_alive DATA: some postgres process is running DATA.
server_alive() {
  local pid
  pid=$(postmaster_pid "$1")
  if [ -n "$pid" ] && pid_runs_datadir "$pid" "$1"; then return 0; fi
  [ -n "$(datadir_pids "$1")" ]
}

# wait_gone DATA SECONDS
wait_gone() {
  local i n=$(($2 * 10))
  for ((i = 0; i < n; i++)); do
    server_alive "$1" || return 0
    sleep 0.1
  done
  ! server_alive "$1"
}

# stop_server DIR: stop the cluster in DIR/data however we can. Returns 1 only when a server
# is still running afterwards.
stop_server() {
  local data=$1/data owner pid c
  server_alive "$data" || return 0

  if [ -d "$data" ] && [ "$(id -u)" -eq 0 ]; then
    owner=$(stat -c %U "$data" 2>/dev/null || echo root)
    [ "$owner" != root ] && [ "$owner" != UNKNOWN ] && srv_user=$owner
  fi
  local bindir=""
  bindir=$(find_bindir) || bindir=""
  if [ -n "$bindir" ] && [ -f "$data/postmaster.pid" ]; then
    as_server "$bindir/pg_ctl" -D "$data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
    wait_gone "$data" 2 && return 0
    as_server "$bindir/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
    wait_gone "$data" 2 && return 0
  fi
  # last resort: SIGKILL the postmaster(s) and their children
  for pid in $(postmaster_pid "$data") $(datadir_pids "$data"); do
    pid_runs_datadir "$pid" "$data" || continue
    for c in $(children_of "$pid"); do kill -KILL "$c" 2>/dev/null || true; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait_gone "$data" 5
}

# resolve_dir ARG: absolute, symlink-free path of an existing directory (sets $dir).
resolve_dir() {
  [ -n "$1" ] || usage
  [ -e "$1" ] || die "$1: no such directory"
  [ -d "$1" ] || die "$1: not a directory"
  dir=$(cd "$1" && pwd -P) || die "$1: cannot enter directory"
  [ "$dir" != / ] || die "refusing to use / as the cluster directory"
}

show_log_tails() {
  local f
  for f in "$dir/setup.log" "$dir/server.log"; do
    [ -s "$f" ] || continue
    echo "--- last lines of $f ---"
    tail -n 25 "$f"
  done
}

on_exit() {
  local st=$?
  trap - EXIT
  [ "$st" -eq 0 ] && return 0
  [ "$mode" = status ] && [ -z "$fail_msg" ] && exit "$st"   # "not running" is an answer, not an error
  if [ "$mode" = start ] && [ "$created" = 1 ]; then
    stop_server "$dir" >/dev/null 2>&1 || fail_msg="$fail_msg (and a server in $dir/data could not be stopped)"
    show_log_tails >&2 || true
    # Keep the small logs for diagnosis; drop the data directory and socket files.
    rm -rf "${dir:?}/data" "$dir"/.s.PGSQL.* 2>/dev/null || true
    [ -n "$orig_owner" ] && chown -R "$orig_owner" "$dir" 2>/dev/null || true
  fi
  if [ -z "$fail_msg" ]; then
    if [ "$st" -ge 128 ]; then fail_msg="interrupted"; else fail_msg="unexpected failure (exit $st${err_line:+ at line $err_line})"; fi
  fi
  [ "$mode" = start ] && [ "$created" = 1 ] && fail_msg="$fail_msg; logs kept in $dir"
  echo "$prog: error: $mode: $fail_msg" >&2
  exit "$st"
}
trap on_exit EXIT
trap 'err_line=$LINENO' ERR
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------------------------------------
# commands

cmd_start() {
  resolve_dir "$1"
  local entries
  entries=$(ls -A "$dir") || die "cannot list $dir"
  [ -z "$entries" ] || die "$dir is not empty; start needs a new, empty directory (mktemp -d)"
  [ -w "$dir" ] || die "$dir is not writable"
  case $dir in
    *[!A-Za-z0-9._/+@=-]*) die "$dir: unsupported character in path (allowed: letters, digits and ._/+@=-)" ;;
  esac
  # sun_path holds 107 bytes: "$dir/.s.PGSQL.NNNNN" must fit.
  [ ${#dir} -le 88 ] || die "$dir: path too long for a Unix socket (max 88 characters)"

  local bindir
  bindir=$(find_bindir) ||
    die "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found via pg_config --bindir or /usr/lib/postgresql/*/bin; install postgresql (scripts/deps.sh test)"
  local isready=$bindir/pg_isready
  [ -x "$isready" ] || isready=$(command -v pg_isready) || die "pg_isready not found"

  if [ "$(id -u)" -eq 0 ]; then
    if id -u postgres >/dev/null 2>&1; then
      srv_user=postgres
    else
      srv_user=seedload-pg
      if ! id -u "$srv_user" >/dev/null 2>&1; then
        command -v useradd >/dev/null 2>&1 || die "running as root, no 'postgres' user and no useradd to create '$srv_user'"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
          --shell /usr/sbin/nologin --comment "seedload test PostgreSQL" "$srv_user" >/dev/null 2>&1 ||
          id -u "$srv_user" >/dev/null 2>&1 || die "could not create system user $srv_user"
      fi
    fi
    orig_owner=$(stat -c %u:%g "$dir")
  fi

  created=1
  : >"$dir/$MARKER"
  local setup_log=$dir/setup.log
  : >"$setup_log"
  {
    echo "# $prog start $dir ($(date -u +%FT%TZ))"
    echo "# server binaries: $bindir ($("$bindir/postgres" --version 2>&1 || true))"
    echo "# server user: ${srv_user:-$(id -un)}"
  } >>"$setup_log"

  if [ -n "$srv_user" ]; then
    chown "$srv_user:$(id -gn "$srv_user")" "$dir" || die "could not chown $dir to $srv_user"
    chmod 0700 "$dir"
    # every directory above DIR must be searchable by the server user
    if ! as_server test -x "$dir" -a -w "$dir" 2>>"$setup_log"; then
      local p=$dir
      while [ "$p" != / ]; do
        p=$(dirname "$p")
        if ! as_server test -x "$p" 2>>"$setup_log"; then
          echo "# chmod a+x $p (so $srv_user can reach $dir)" >>"$setup_log"
          chmod a+x "$p" || die "could not make $p searchable for $srv_user"
        fi
      done
      as_server test -x "$dir" -a -w "$dir" 2>>"$setup_log" ||
        die "$srv_user cannot write to $dir (check the permissions of its parent directories)"
    fi
  fi

  local port=$FIRST_PORT
  while [ -e "$dir/.s.PGSQL.$port" ] || [ -e "$dir/.s.PGSQL.$port.lock" ]; do
    port=$((port + 1))
    [ $port -le $LAST_PORT ] || die "no free socket name .s.PGSQL.$FIRST_PORT..$LAST_PORT in $dir"
  done

  echo "# initdb" >>"$setup_log"
  (cd "$dir" && as_server_t 300 "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync) \
    >>"$setup_log" 2>&1 || die "initdb failed (see $setup_log)"

  cat >>"$dir/data/postgresql.conf" <<EOF

# --- seedload test cluster (scripts/pg-cluster.sh): unsafe settings, tests only ---
listen_addresses = ''
port = $port
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
max_connections = 300
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  echo "# pg_ctl start" >>"$setup_log"
  local deadline=$((SECONDS + START_TIMEOUT))
  local st=0
  (cd "$dir" && as_server_t $((START_TIMEOUT + 10)) \
    "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$START_TIMEOUT" start) \
    >>"$setup_log" 2>&1 || st=$?
  if [ $st -ne 0 ]; then
    local why
    why=$(grep -E 'FATAL|PANIC' "$dir/server.log" 2>/dev/null | tail -n 1 | sed -E 's/^.*(FATAL|PANIC): +/\1: /' || true)
    if [ $st -eq 124 ] || grep -q 'did not start in time' "$setup_log"; then
      die "PostgreSQL did not become ready within ${START_TIMEOUT}s${why:+ ($why)}"
    fi
    die "PostgreSQL failed to start${why:+: $why}"
  fi
  until "$isready" -q -h "$dir" -p "$port" -U postgres -d postgres -t 2 >/dev/null 2>&1; do
    if [ $SECONDS -ge $((deadline + 2)) ]; then
      die "PostgreSQL did not accept connections on $dir/.s.PGSQL.$port within ${START_TIMEOUT}s"
    fi
    server_alive "$dir/data" || die "PostgreSQL exited during startup (see $dir/server.log)"
    sleep 0.2
  done
  echo "# ready: socket $dir/.s.PGSQL.$port" >>"$setup_log"

  trap - EXIT
  printf 'export PGHOST=%q PGPORT=%s PGUSER=postgres PGDATABASE=postgres\n' "$dir" "$port"
}

cmd_stop() {
  [ -n "$1" ] || usage
  if [ ! -e "$1" ]; then
    echo "$prog: $1 does not exist; nothing to stop" >&2
    return 0
  fi
  resolve_dir "$1"
  local entries
  entries=$(ls -A "$dir") || die "cannot list $dir"
  if [ ! -e "$dir/$MARKER" ] && [ -n "$entries" ]; then
    die "refusing to delete $dir: it was not made by '$prog start' (no $MARKER)"
  fi
  stop_server "$dir" || die "a server is still running in $dir/data after SIGKILL; not deleting $dir"
  cd /
  rm -rf "$dir" || die "could not remove $dir"
}

cmd_status() {
  [ -n "$1" ] || usage
  if [ ! -d "$1" ]; then echo "not running ($1 does not exist)"; exit 3; fi
  resolve_dir "$1"
  local data=$dir/data pid port isready
  pid=$(postmaster_pid "$data")
  port=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)
  if [ -z "$pid" ] || ! pid_runs_datadir "$pid" "$data"; then
    echo "not running"
    exit 3
  fi
  if isready=$(isready_bin) && [ -n "$port" ] &&
    "$isready" -q -h "$dir" -p "$port" -U postgres -d postgres -t 2 >/dev/null 2>&1; then
    echo "running (pid $pid, socket $dir/.s.PGSQL.$port)"
    exit 0
  fi
  echo "not accepting connections (pid $pid)"
  exit 3
}

[ $# -eq 2 ] || usage
mode=$1
case $mode in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  status) cmd_status "$2" ;;
  *) usage ;;
esac
