# bench/load_sqlite.sh — loading EduPulse `medium` into SQLite three ways, side by side.
# Sourced by bench/run.sh (run it as `bench/run.sh load_sqlite`); uses run.sh's helpers.
#
#   (a) seedload  `seedload generate PROFILE --scenario medium --target sqlite:X.db --force -q
#                 --threads 2`: generates every value, loads, builds the indexes, then runs
#                 foreign_key_check, quick_check and ANALYZE, fsyncs and renames.
#   (b) .import   the sqlite3 CLI: `.import --csv --skip 1` of the same rows, from CSV files
#                 seedload wrote beforehand (not timed), one table after another in load order
#                 inside one transaction; tables from the DDL first, its CREATE INDEX
#                 statements after the rows (as seedload does). Note: .import stores an empty
#                 field as '' where seedload stores NULL (sqlite3 3.40 has no option for it).
#   (c) C loop    bench/sqlite_loop.c: the same CSV files parsed into typed values in memory
#                 *before* its clock starts, then one prepared single-row INSERT per table in
#                 one transaction, indexes after; its time is only the SQLite work.
#
# All three use the same schema (sql/<system>/sqlite.sql, split into tables and indexes by
# running it in a private :memory: database) and the PRAGMAs seedload uses for the load:
# journal_mode=MEMORY, synchronous=OFF, locking_mode=EXCLUSIVE, temp_store=MEMORY,
# cache_size=-262144 (256 MiB), foreign_keys=OFF (seedload proves every reference once with
# foreign_key_check at the end; the peers do not check them at all). Databases live in $WORK (tmpfs when it has
# room) for all three. The order of the three rotates from one repetition to the next.
#
# seedload's own time is split into phases by a tiny LD_PRELOAD shim (compiled here when cc
# exists) that timestamps sqlite3_exec/prepare/finalize — nothing is changed in seedload.
# The C loop runs the same end-of-load checks as seedload in repetition 1 (--checks), and
# `PRAGMA integrity_check` etc. are also timed with the sqlite3 CLI on seedload's result.
# Goals (the issue's): seedload >= 1.5x .import's rows/s; seedload >= 0.8x the C loop's.
# Environment: LOAD_PROFILE (default profiles/edupulse.yaml), LOAD_SCENARIO (medium),
# LOAD_THREADS (2), LOAD_DDL (default: the profile's schema: sqlite: file).

# shellcheck shell=bash disable=SC2016,SC2034,SC2154,SC2015,SC2012
# (sourced by run.sh: its helpers and variables are defined there; $-strings in single quotes are eval'd later)

load_profile=${LOAD_PROFILE:-$ROOT/profiles/edupulse.yaml}
load_scenario=${LOAD_SCENARIO:-medium}
load_threads=${LOAD_THREADS:-2}
csvdir="$WORK/data.loadcsv"
db_sl="$WORK/data.seedload.db"
db_imp="$WORK/data.import.db"
db_c="$WORK/data.cloop.db"
PRAGMAS="PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF;"

[ -n "$SQLITE_LOOP" ] || { log "load_sqlite needs bench/sqlite_loop (make it with 'make bench', or install cc and libsqlite3-dev)"; exit 1; }

# The schema file the profile names (schema: / sqlite: PATH, relative to the profile).
if [ -n "${LOAD_DDL:-}" ]; then
  ddl=$LOAD_DDL
else
  rel=$(awk '/^schema:/ { s = 1; next } s && /^[^ #]/ { s = 0 } s && $1 == "sqlite:" { print $2; exit }' "$load_profile")
  [ -n "$rel" ] || { log "cannot find 'schema: sqlite:' in $load_profile (set LOAD_DDL)"; exit 1; }
  ddl="$(dirname "$load_profile")/$rel"
fi
[ -r "$ddl" ] || { log "cannot read the schema $ddl"; exit 1; }

log "## load_sqlite: ${load_profile#"$ROOT"/} --scenario $load_scenario into SQLite, schema ${ddl#"$ROOT"/}"
log "   databases and CSV on $WORK_FS ($WORK); $REPS repetitions, order rotated; medians [min-max]"

# ---------------------------------------------------------------- preparation (not timed)
# Tables and indexes, as two scripts.
sqlite3 -bail :memory: ".read $ddl" \
  "SELECT sql || ';' FROM sqlite_master WHERE type <> 'index' AND sql IS NOT NULL ORDER BY rowid" >"$WORK/pre.sql"
sqlite3 -bail :memory: ".read $ddl" \
  "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid" >"$WORK/post.sql"
if grep -qi '^[[:space:]]*pragma' "$ddl"; then
  log "   note: $ddl has PRAGMAs; the peers do not apply them (seedload does, except journal_mode/synchronous)"
fi
log "   schema: $(grep -c '^CREATE TABLE' "$WORK/pre.sql") tables (with their PRIMARY KEY/UNIQUE autoindexes) before the rows, $(grep -ci '^CREATE .*INDEX' "$WORK/post.sql") CREATE INDEX after"

# The load order and SQLite table names, from a tiny seedload database.
"$SL" generate "$load_profile" --scale 0.01 --target "sqlite:$WORK/data.order.db" --force -q
sqlite3 "$WORK/data.order.db" "SELECT name || ':' || sql_name FROM _seedload_tables ORDER BY load_order" >"$WORK/order.txt"
mapfile -t tables <"$WORK/order.txt"
rm -f "$WORK/data.order.db"

# The rows, as CSV (with per-table row counts from seedload's summary).
rm -rf "$csvdir"
"$SL" generate "$load_profile" --scenario "$load_scenario" --target "csv:$csvdir" --threads 2 >"$WORK/summary.txt"
rows=$(awk '$1 == "total" { print $2 }' "$WORK/summary.txt")
[ -n "$rows" ] || { log "cannot read the row count from seedload's summary"; exit 1; }
log "   $rows rows in ${#tables[@]} tables; load order: $(sed 's/:.*//' "$WORK/order.txt" | tr '\n' ' ')"

# .import maps CSV fields to columns by position: the header must list the table's columns.
for t in "${tables[@]}"; do
  name=${t%%:*} sql=${t#*:}
  h=$(head -1 "$csvdir/$name.csv")
  c=$(sqlite3 :memory: ".read $WORK/pre.sql" "SELECT group_concat(name, ',') FROM pragma_table_info('$sql')")
  [ "$h" = "$c" ] || { log "$name.csv: header '$h' is not the table's column list '$c'; .import would misplace values"; exit 1; }
done

{
  echo "$PRAGMAS"
  echo "BEGIN;"
  echo ".read $WORK/pre.sql"
  for t in "${tables[@]}"; do echo ".import --csv --skip 1 $csvdir/${t%%:*}.csv ${t#*:}"; done
  echo ".read $WORK/post.sql"
  echo "COMMIT;"
} >"$WORK/import.sql"

# Each database must hold every row.
verify_db() {
  local db=$1 who=$2 t name sql want got
  for t in "${tables[@]}"; do
    name=${t%%:*} sql=${t#*:}
    want=$(awk -v n="$name" '$1 == n { print $2 }' "$WORK/summary.txt")
    got=$(sqlite3 "$db" "SELECT count(*) FROM \"$sql\"")
    [ "$want" = "$got" ] || { log "$who: table $sql has $got rows, expected $want"; return 1; }
  done
}

# The phase shim (optional): timestamps of sqlite3_exec and of prepare..finalize of
# INSERT/CREATE INDEX/PRAGMA/COMMIT/ANALYZE statements, written to $SQLTRACE_OUT.
shim=""
if command -v cc >/dev/null 2>&1; then
  cat >"$WORK/sqltrace.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef int (*exec_cb)(void *, int, char **, char **);
static FILE *out;
static double t0;
static int depth;
static struct { sqlite3_stmt *st; double t; char sql[96]; } open_[64];
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
__attribute__((constructor)) static void init(void)
{
    const char *p = getenv("SQLTRACE_OUT");
    t0 = now();
    if (p) out = fopen(p, "w");
    unsetenv("LD_PRELOAD");
}
__attribute__((destructor)) static void fini(void)
{
    if (out) fprintf(out, "end %.6f %.6f -\n", now() - t0, now() - t0), fclose(out);
}
static void clip(char *d, size_t n, const char *s)
{
    size_t i = 0;
    while (*s == ' ' || *s == '\n' || *s == '\t') s++;
    for (; s[i] && i + 1 < n; i++) d[i] = (s[i] == '\n' || s[i] == '\t') ? ' ' : s[i];
    d[i] = '\0';
}
static int traced(const char *s)
{
    static const char *const kw[] = {"CREATE INDEX", "CREATE UNIQUE INDEX", "PRAGMA", "COMMIT",
                                     "ANALYZE", "INSERT", "BEGIN", "END"};
    while (*s == ' ' || *s == '\n' || *s == '\t') s++;
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strncasecmp(s, kw[i], strlen(kw[i])) == 0) return 1;
    return 0;
}
int sqlite3_exec(sqlite3 *db, const char *sql, exec_cb cb, void *arg, char **err)
{
    static int (*real)(sqlite3 *, const char *, exec_cb, void *, char **);
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "sqlite3_exec");
    double a = now();
    depth++;
    int rc = real(db, sql, cb, arg, err);
    depth--;
    if (out && depth == 0) {
        char b[96];
        clip(b, sizeof b, sql ? sql : "");
        fprintf(out, "exec %.6f %.6f %s\n", a - t0, now() - t0, b);
    }
    return rc;
}
static void remember(sqlite3_stmt **pst, const char *sql, double a)
{
    if (!out || depth || !pst || !*pst || !sql || !traced(sql)) return;
    for (int i = 0; i < 64; i++)
        if (!open_[i].st) {
            open_[i].st = *pst;
            open_[i].t = a - t0;
            clip(open_[i].sql, sizeof open_[i].sql, sql);
            return;
        }
}
int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail)
{
    static int (*real)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "sqlite3_prepare_v2");
    double a = now();
    int rc = real(db, sql, n, st, tail);
    remember(st, sql, a);
    return rc;
}
int sqlite3_finalize(sqlite3_stmt *st)
{
    static int (*real)(sqlite3_stmt *);
    if (!real) *(void **)&real = dlsym(RTLD_NEXT, "sqlite3_finalize");
    int rc = real(st);
    if (out && st)
        for (int i = 0; i < 64; i++)
            if (open_[i].st == st) {
                fprintf(out, "stmt %.6f %.6f %s\n", open_[i].t, now() - t0, open_[i].sql);
                open_[i].st = NULL;
                break;
            }
    return rc;
}
EOF
  if cc -shared -fPIC -O2 -o "$WORK/sqltrace.so" "$WORK/sqltrace.c" -ldl 2>"$WORK/shim.err"; then
    shim="$WORK/sqltrace.so"
  else
    log "   (no phase split for seedload: the LD_PRELOAD shim did not compile)"
  fi
else
  log "   (no phase split for seedload: no C compiler for the LD_PRELOAD shim)"
fi

# Phases of one seedload run from its trace, as key=value pairs (seconds).
phases() {
  awk '
    { kind = $1; a = $2; b = $3; $1 = $2 = $3 = ""; sql = toupper(substr($0, 4)) }
    kind == "end" { end = a; next }
    sql ~ /^INSERT INTO "/ { if (ins0 == "" || a < ins0) ins0 = a; if (b > ins1) ins1 = b; next }
    sql ~ /^BEGIN/ { begin = a; next }
    sql ~ /^CREATE (UNIQUE )?INDEX/ { if (ins1 != "" && a >= ins1) { if (idx0 == "") idx0 = a; idx1 = b }; next }
    sql ~ /^PRAGMA FOREIGN_KEY_CHECK/ { fk = b - a; next }
    sql ~ /^PRAGMA INTEGRITY_CHECK/ || sql ~ /^PRAGMA QUICK_CHECK/ { ic = b - a; icend = b; next }
    sql ~ /^COMMIT/ { commit = b - a; next }
    sql ~ /ANALYZE/ { an = b - a; anend = b; next }
    END {
      if (ins0 == "" || idx0 == "" || end == "") { print "phases=none"; exit }
      last = anend > icend ? anend : icend
      printf "setup_s=%.3f rows_s=%.3f index_s=%.3f fkcheck_s=%.3f commit_s=%.3f integrity_s=%.3f analyze_s=%.3f tail_s=%.3f checks_s=%.3f\n",
        ins0, ins1 - ins0, idx1 - idx0, fk, commit, ic, an, end - last, fk + ic + an
    }' "$1"
}

run_seedload() {
  local r=$1 BEFORE_RUN='rm -f "$db_sl"'
  if [ -n "$shim" ]; then
    timed "seedload rep=$r" env LD_PRELOAD="$shim" SQLTRACE_OUT="$WORK/trace.txt" \
      "$SL" generate "$load_profile" --scenario "$load_scenario" --target "sqlite:$db_sl" \
      --force -q --threads "$load_threads"
    sed -i "\$s/\$/ $(phases "$WORK/trace.txt")/" "$RAW"
  else
    timed "seedload rep=$r" "$SL" generate "$load_profile" --scenario "$load_scenario" \
      --target "sqlite:$db_sl" --force -q --threads "$load_threads"
  fi
  verify_db "$db_sl" seedload
}

run_import() {
  local r=$1 BEFORE_RUN='rm -f "$db_imp"'
  timed "import rep=$r" sqlite3 -bail "$db_imp" ".read $WORK/import.sql"
  # .import reports bad rows on stderr and goes on: any message is a failure here.
  if grep -v '^\(memory\|exclusive\)$' "$WORK/last.err" | grep -q .; then
    log ".import complained:"; head -5 "$WORK/last.err" | tee -a "$RAW"; return 1
  fi
  verify_db "$db_imp" .import
  rm -f "$db_imp"
}

run_cloop() {
  local r=$1 extra=() BEFORE_RUN='rm -f "$db_c"'
  [ "$r" -eq 1 ] && extra=(--checks)
  timed "cloop rep=$r" "$SQLITE_LOOP" --db "$db_c" --pre "$WORK/pre.sql" --post "$WORK/post.sql" \
    --csv "$csvdir" "${extra[@]}" "${tables[@]}"
  sed -i "\$s/\$/ $(tr '\n' ' ' <"$WORK/last.out" | sed 's/ *$//')/" "$RAW"
  verify_db "$db_c" "C loop"
  rm -f "$db_c"
}

# ---------------------------------------------------------------- the runs
for r in $(seq 1 "$REPS"); do
  case $(((r - 1) % 3)) in
    0) order="seedload import cloop" ;;
    1) order="import cloop seedload" ;;
    2) order="cloop seedload import" ;;
  esac
  for m in $order; do "run_$m" "$r"; done
  if [ "$r" -eq 1 ]; then
    # The end-of-load work, timed with the sqlite3 CLI on seedload's result (a copy: ANALYZE
    # writes). The cache is cold here; inside seedload it is warm.
    cp "$db_sl" "$WORK/data.check.db"
    for q in "PRAGMA foreign_key_check" "PRAGMA integrity_check" "PRAGMA quick_check" "PRAGMA analysis_limit = 1000; ANALYZE"; do
      t=$(printf 'PRAGMA cache_size = -262144;\n.timer on\n%s;\n' "$q" | sqlite3 "$WORK/data.check.db" 2>&1 |
        awk '/^Run Time/ { r += $4; u += $6; s += $8 } END { printf "real=%.3f user=%.3f sys=%.3f", r, u, s }')
      echo "cli-check $(echo "$q" | tr ' ;=' '___' | tr -s _) $t" >>"$RAW"
    done
    rm -f "$WORK/data.check.db"
  fi
done
ls -l "$db_sl" | awk '{ printf "seedload database size: %.0f MB\n", $5 / 1e6 }' >>"$RAW"
rm -f "$db_sl"

# Where the time goes (PROFILE=1): perf split by thread for seedload, and variants of the C
# loop that show what seedload could change (one run each).
if [ "$PROFILE" = 1 ]; then
  if [ "$HAVE_PERF" = 1 ]; then
    rm -f "$db_sl"
    perf record -q -o "$WORK/perf.data" -- "$SL" generate "$load_profile" --scenario "$load_scenario" \
      --target "sqlite:$db_sl" --force -q --threads "$load_threads" 2>/dev/null
    {
      echo "# perf (cpu-clock samples), seedload --threads $load_threads: share per thread (the main thread is the SQLite writer)"
      perf report -i "$WORK/perf.data" --no-children --sort pid -g none --stdio 2>/dev/null | top 10
      echo "# perf: share per thread and library"
      perf report -i "$WORK/perf.data" --no-children --sort pid,dso -g none --stdio 2>/dev/null | top 12
      echo "# perf: top symbols"
      perf report -i "$WORK/perf.data" --no-children --sort dso,symbol -g none --stdio 2>/dev/null | top 30
    } >>"$RAW"
    rm -f "$db_sl" "$WORK/perf.data"
  fi
  BEFORE_RUN='rm -f "$db_c"'
  for v in "--rows-per-insert 100" "--pragma foreign_keys=ON" "--journal OFF" "--checks" "--checks --full-check"; do
    # shellcheck disable=SC2086
    timed "variant cloop $v" "$SQLITE_LOOP" --db "$db_c" --pre "$WORK/pre.sql" --post "$WORK/post.sql" \
      --csv "$csvdir" $v "${tables[@]}"
    sed -i "\$s/\$/ $(tr '\n' ' ' <"$WORK/last.out" | sed 's/ *$//')/" "$RAW"
  done
  rm -f "$db_c"
fi
rm -rf "$csvdir"

# ---------------------------------------------------------------- summary
med() { field "$1" "$RAW" "$2" | median; }
rng() { field "$1" "$RAW" "$2" | minmax; }
qmed() { qfield "$1" "$RAW" "$2" | median; }
qn() { qfield "$1" "$RAW" "$2" | count; }
# seedload's wall time minus its end-of-load checks, per run (all runs, or quiet ones with q=1)
sl_nochecks() {
  awk -v q="${1:-0}" -v lim="$QUIET_OTHER" 'index($0, "seedload rep=") == 1 {
    w = c = o = ""; for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "wall") w = kv[2]; if (kv[1] == "checks_s") c = kv[2]; if (kv[1] == "other_cpu") o = kv[2] }
    if (w != "" && c != "" && (!q || o <= lim * w)) printf "%.3f\n", w - c }' "$RAW"
}
sl_w=$(med wall "seedload rep=");   sl_q=$(qmed wall "seedload rep=")
imp_w=$(med wall "import rep=");    imp_q=$(qmed wall "import rep=")
c_w=$(med load_s "cloop rep=");     c_q=$(qmed load_s "cloop rep=")
sl_load=""; sl_loadq=""
if [ -n "$shim" ]; then
  sl_checks=$(med checks_s "seedload rep=")
  sl_load=$(sl_nochecks 0 | median)
  sl_loadq=$(sl_nochecks 1 | median)
fi
qcell() { if [ "$2" -gt 0 ]; then echo "$1 ($2)"; else echo "– (0)"; fi; }
log ""
log "load_sqlite summary: $rows rows, seedload --threads $load_threads, data on $WORK_FS"
log "(quiet runs: other processes used at most $(awk -v q="$QUIET_OTHER" 'BEGIN { printf "%.0f", q * 100 }')% of a CPU during the run; their count in brackets)"
log "| method | time s: median [min-max] | quiet runs: median (n) | CPU s | rows/s (all; quiet) | seedload's rows/s ÷ this (all; quiet) |"
log "|---|---|---|---|---|---|"
log "| (a) seedload generate (all of it: generate, load, indexes, checks, ANALYZE) | $sl_w [$(rng wall "seedload rep=")] | $(qcell "$sl_q" "$(qn wall "seedload rep=")") | $(med cpu "seedload rep=") | $(fdiv "$rows" "$sl_w" %.0f); $(fdiv "$rows" "$sl_q" %.0f) | 1.00 |"
if [ -n "$sl_load" ]; then
  log "| (a') seedload without its end-of-load checks (wall − quick_check − foreign_key_check − ANALYZE) | $sl_load | $(qcell "$sl_loadq" "$(sl_nochecks 1 | count)") | | $(fdiv "$rows" "$sl_load" %.0f); $(fdiv "$rows" "$sl_loadq" %.0f) | |"
fi
log "| (b) sqlite3 .import (load + indexes) | $imp_w [$(rng wall "import rep=")] | $(qcell "$imp_q" "$(qn wall "import rep=")") | $(med cpu "import rep=") | $(fdiv "$rows" "$imp_w" %.0f); $(fdiv "$rows" "$imp_q" %.0f) | $(fdiv "$imp_w" "$sl_w"); $(fdiv "$imp_q" "$sl_q") |"
log "| (c) C loop, 1-row INSERT (load + indexes; CSV parsed before the clock) | $c_w [$(rng load_s "cloop rep=")] | $(qcell "$c_q" "$(qn load_s "cloop rep=")") | $(med load_cpu_s "cloop rep=") | $(fdiv "$rows" "$c_w" %.0f); $(fdiv "$rows" "$c_q" %.0f) | $(fdiv "$c_w" "$sl_w"); $(fdiv "$c_q" "$sl_q") |"
c1_total=$(field total_s "$RAW" "cloop rep=1 ")
log "| (c') C loop + the same checks as seedload (rep 1 only) | $c1_total | | $(field cpu_s "$RAW" "cloop rep=1 ") | $(fdiv "$rows" "$c1_total" %.0f) | $(fdiv "$c1_total" "$(field wall "$RAW" "seedload rep=1 ")") (vs seedload rep 1) |"
log ""
log "goal seedload >= 1.5x .import:  all runs $(fdiv "$imp_w" "$sl_w")x, quiet runs $(fdiv "$imp_q" "$sl_q")x$([ -n "$sl_load" ] && echo "; seedload without its checks: $(fdiv "$imp_w" "$sl_load")x, quiet $(fdiv "$imp_q" "$sl_loadq")x")"
log "goal seedload >= 0.8x C loop:   all runs $(fdiv "$c_w" "$sl_w")x, quiet runs $(fdiv "$c_q" "$sl_q")x$([ -n "$sl_load" ] && echo "; seedload without its checks: $(fdiv "$c_w" "$sl_load")x, quiet $(fdiv "$c_q" "$sl_loadq")x")"
log "same work (C loop + seedload's checks, rep 1 of each): $(fdiv "$c1_total" "$(field wall "$RAW" "seedload rep=1 ")")x"
if [ -n "$shim" ]; then
  log ""
  log "seedload's time by phase (medians, s; from the LD_PRELOAD trace):"
  log "| setup | rows (generate + INSERT) | CREATE INDEX | foreign_key_check | COMMIT | quick_check | ANALYZE | close+fsync+rename | checks share |"
  log "|---|---|---|---|---|---|---|---|---|"
  log "| $(med setup_s "seedload rep=") | $(med rows_s "seedload rep=") | $(med index_s "seedload rep=") | $(med fkcheck_s "seedload rep=") | $(med commit_s "seedload rep=") | $(med integrity_s "seedload rep=") | $(med analyze_s "seedload rep=") | $(med tail_s "seedload rep=") | $(fdiv "$(awk -v c="$sl_checks" 'BEGIN { print c * 100 }')" "$sl_w" %.0f)% |"
fi
log ""
log "C loop phases (medians, s): INSERT $(med insert_s "cloop rep=") · CREATE INDEX $(med index_s "cloop rep=") · COMMIT $(med commit_s "cloop rep=")"
log "C loop rep 1 checks (warm cache, like seedload): foreign_key_check $(field fkcheck_s "$RAW" "cloop rep=1 ") · quick_check $(field integrity_s "$RAW" "cloop rep=1 ") · ANALYZE $(field analyze_s "$RAW" "cloop rep=1 ")"
log "sqlite3 CLI on seedload's result (cold cache): $(awk '/^cli-check/ { printf "%s %s  ", $2, $3 }' "$RAW")"
if [ "$PROFILE" = 1 ]; then
  log ""
  log "C loop variants (one run each; load = rows + indexes + COMMIT):"
  awk '/^variant cloop/ { v = $0; sub(/ *wall=.*/, "", v); sub(/^variant cloop /, "", v)
         for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
         printf "  %-28s insert %ss  index %ss  load %ss  checks %ss\n", v, f["insert_s"], f["index_s"], f["load_s"], f["fkcheck_s"] + f["integrity_s"] + f["analyze_s"] }' "$RAW" | tee -a "$RAW"
fi
log ""
log "$(noise_line)"
