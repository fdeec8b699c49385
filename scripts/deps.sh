#!/usr/bin/env bash
# deps.sh [build|test|bench] — make sure the Debian packages seedload needs are installed.
# As root, installs what is missing with apt-get; otherwise prints the exact apt-get line and
# exits 1. Used by `make demo` (build), `make check` (test) and `make bench` (bench).
set -euo pipefail
mode=${1:-test}

build_pkgs="gcc make pkg-config libpq-dev libsqlite3-dev libyaml-dev zlib1g-dev"
test_pkgs="$build_pkgs libcmocka-dev sqlite3 postgresql postgresql-client chromium nodejs"
bench_pkgs="$test_pkgs sysbench hyperfine jq time"
case $mode in
  build) want=$build_pkgs ;;
  test)  want=$test_pkgs ;;
  bench) want=$bench_pkgs ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case $st in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "seedload: missing Debian packages:$missing" >&2
  echo "install them with:  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "seedload: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends $missing >/dev/null
