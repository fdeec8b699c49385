/* sqlite_loop.c — the "plain C loop" peer of `seedload generate --target sqlite:...`.
 *
 * It loads CSV files (as `seedload generate --target csv:DIR` writes them: a header line,
 * RFC 4180 quoting, an empty unquoted field is NULL, "" is the empty string) into SQLite
 * the way a careful hand-written loader would: one transaction, one prepared INSERT per
 * table (one row per statement unless --rows-per-insert says otherwise), the same PRAGMAs
 * seedload uses, tables created first and indexes after the rows.
 *
 * What is timed: the CSV files are read and parsed into typed values in memory *before* the
 * clock starts (integers and reals as numbers where the column's affinity is numeric, text
 * otherwise — what seedload itself binds), so the timed part is only: open the database,
 * create the tables, prepare, bind + step every row, create the indexes, COMMIT, and (with
 * --checks) the same end-of-load work seedload does: foreign_key_check before COMMIT,
 * quick_check and ANALYZE (analysis_limit=1000) after. Each phase is timed on its own.
 * Foreign keys are off during the inserts, as in seedload (which proves them once with
 * foreign_key_check); --pragma 'foreign_keys = ON' enforces them row by row.
 *
 * usage: sqlite_loop --db PATH --pre PRE.sql --post POST.sql --csv DIR
 *                    [--rows-per-insert N] [--journal MEMORY|OFF] [--checks] [--full-check]
 *                    [--pragma 'NAME = VALUE']... TABLE[:SQLNAME] ...   (tables in load order)
 *
 * PRE.sql holds the statements to run before the rows (CREATE TABLE, triggers), POST.sql
 * the CREATE INDEX statements (bench/load_sqlite.sh splits sql/<system>/sqlite.sql so).
 * --pragma adds a PRAGMA after the standard ones (for experiments: foreign_keys = ON,
 * threads = 2, ...); --full-check runs PRAGMA integrity_check instead of quick_check.
 * Output: one line of key=value pairs on stdout. Exit 0 on success, 1 on any error. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

enum { T_NULL = 0, T_INT = 1, T_REAL = 2, T_TEXT = 3 };
enum { AFF_TEXT, AFF_NUMERIC, AFF_INTEGER, AFF_REAL, AFF_BLOB };

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

typedef struct table {
    const char *name, *sql_name;
    char **cols;
    int ncols;
    int *aff;
    buf rows; /* encoded: per value a tag byte, then 8 bytes (int/real) or u32 len + bytes */
    uint64_t nrows;
} table;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sqlite_loop: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc_(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) die("out of memory");
    return p;
}

static void buf_reserve(buf *b, size_t extra)
{
    if (b->len + extra <= b->cap) return;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->len + extra) cap *= 2;
    b->p = xrealloc_(b->p, cap);
    b->cap = cap;
}

static void buf_add(buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) die("%s: %s", path, strerror(errno));
    buf b = {0};
    for (;;) {
        buf_reserve(&b, 1 << 20);
        size_t n = fread(b.p + b.len, 1, b.cap - b.len, f);
        b.len += n;
        if (n == 0) break;
    }
    if (ferror(f)) die("%s: read error", path);
    fclose(f);
    buf_reserve(&b, 1);
    b.p[b.len] = '\0';
    *len = b.len;
    return b.p;
}

/* SQLite's column affinity rules (https://sqlite.org/datatype3.html, 3.1). */
static int affinity(const char *decl)
{
    char u[256];
    size_t n = 0;
    for (; decl && decl[n] && n < sizeof u - 1; n++)
        u[n] = (char)(decl[n] >= 'a' && decl[n] <= 'z' ? decl[n] - 32 : decl[n]);
    u[n] = '\0';
    if (strstr(u, "INT")) return AFF_INTEGER;
    if (strstr(u, "CHAR") || strstr(u, "CLOB") || strstr(u, "TEXT")) return AFF_TEXT;
    if (n == 0 || strstr(u, "BLOB")) return AFF_BLOB;
    if (strstr(u, "REAL") || strstr(u, "FLOA") || strstr(u, "DOUB")) return AFF_REAL;
    return AFF_NUMERIC;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        die("%.200s: %s", sql, msg ? msg : sqlite3_errmsg(db));
}

static void quote_ident(buf *b, const char *name)
{
    buf_add(b, "\"", 1);
    for (const char *p = name; *p; p++) {
        if (*p == '"') buf_add(b, "\"", 1);
        buf_add(b, p, 1);
    }
    buf_add(b, "\"", 1);
}

/* One CSV field starting at *pp (RFC 4180); its unescaped text goes to `field`. Returns 1 if
 * the field was quoted. *pp is left after the separator; *eol tells whether it was a newline. */
static int csv_field(const char **pp, const char *end, buf *field, int *eol)
{
    const char *p = *pp;
    field->len = 0;
    int quoted = 0;
    if (p < end && *p == '"') {
        quoted = 1;
        p++;
        for (;;) {
            if (p >= end) die("unterminated quoted CSV field");
            if (*p == '"') {
                if (p + 1 < end && p[1] == '"') {
                    buf_add(field, "\"", 1);
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            const char *q = memchr(p, '"', (size_t)(end - p));
            if (!q) q = end;
            buf_add(field, p, (size_t)(q - p));
            p = q;
        }
    } else {
        const char *s = p;
        while (p < end && *p != ',' && *p != '\n' && *p != '\r') p++;
        buf_add(field, s, (size_t)(p - s));
    }
    *eol = 1;
    if (p < end && *p == ',') {
        *eol = 0;
        p++;
    } else if (p < end && *p == '\r') {
        p++;
        if (p < end && *p == '\n') p++;
    } else if (p < end && *p == '\n') {
        p++;
    } else if (p < end) {
        die("bad CSV: unexpected character after a quoted field");
    }
    *pp = p;
    return quoted;
}

/* Encode one field as the value seedload would bind for a column of this affinity. */
static void encode_value(buf *out, const buf *f, int quoted, int aff)
{
    unsigned char tag;
    if (!quoted && f->len == 0) {
        tag = T_NULL;
        buf_add(out, &tag, 1);
        return;
    }
    if (!quoted && (aff == AFF_INTEGER || aff == AFF_REAL || aff == AFF_NUMERIC) && f->len < 64) {
        char tmp[64];
        memcpy(tmp, f->p, f->len);
        tmp[f->len] = '\0';
        char *e;
        errno = 0;
        long long i = strtoll(tmp, &e, 10);
        if (!errno && *e == '\0' && e != tmp) {
            int64_t v = i;
            tag = T_INT;
            buf_add(out, &tag, 1);
            buf_add(out, &v, 8);
            return;
        }
        errno = 0;
        double d = strtod(tmp, &e);
        if (!errno && *e == '\0' && e != tmp &&
            (tmp[0] == '-' || (tmp[0] >= '0' && tmp[0] <= '9'))) {
            tag = T_REAL;
            buf_add(out, &tag, 1);
            buf_add(out, &d, 8);
            return;
        }
    }
    tag = T_TEXT;
    uint32_t n = (uint32_t)f->len;
    buf_add(out, &tag, 1);
    buf_add(out, &n, 4);
    buf_add(out, f->p, f->len);
}

/* Read DIR/<name>.csv; the header names the columns (looked up in `meta` for affinity). */
static void parse_table(table *t, const char *dir, sqlite3 *meta)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", dir, t->name);
    size_t len;
    char *text = read_file(path, &len);
    const char *p = text, *end = text + len;
    buf f = {0};
    int eol = 0;
    /* Header. */
    while (!eol) {
        if (p >= end) die("%s: no header line", path);
        csv_field(&p, end, &f, &eol);
        t->cols = xrealloc_(t->cols, (size_t)(t->ncols + 1) * sizeof *t->cols);
        t->cols[t->ncols] = strndup(f.p ? f.p : "", f.len);
        t->ncols++;
    }
    t->aff = xrealloc_(NULL, (size_t)t->ncols * sizeof *t->aff);
    for (int j = 0; j < t->ncols; j++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(meta, "SELECT type FROM pragma_table_info(?) WHERE name = ?", -1,
                               &st, NULL) != SQLITE_OK)
            die("pragma_table_info: %s", sqlite3_errmsg(meta));
        sqlite3_bind_text(st, 1, t->sql_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, t->cols[j], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            die("%s: column '%s' is not in table '%s' of the schema", path, t->cols[j],
                t->sql_name);
        t->aff[j] = affinity((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    /* Rows. */
    while (p < end) {
        for (int j = 0; j < t->ncols; j++) {
            if (p >= end) die("%s: row %llu is short", path, (unsigned long long)t->nrows + 1);
            int quoted = csv_field(&p, end, &f, &eol);
            if (eol != (j == t->ncols - 1))
                die("%s: row %llu does not have %d fields", path, (unsigned long long)t->nrows + 1,
                    t->ncols);
            encode_value(&t->rows, &f, quoted, t->aff[j]);
        }
        t->nrows++;
    }
    free(f.p);
    free(text);
}

static sqlite3_stmt *prepare_insert(sqlite3 *db, const table *t, size_t rows)
{
    buf q = {0};
    buf_add(&q, "INSERT INTO ", 12);
    quote_ident(&q, t->sql_name);
    buf_add(&q, " (", 2);
    for (int j = 0; j < t->ncols; j++) {
        if (j) buf_add(&q, ",", 1);
        quote_ident(&q, t->cols[j]);
    }
    buf_add(&q, ") VALUES ", 9);
    for (size_t r = 0; r < rows; r++) {
        buf_add(&q, r ? ",(" : "(", r ? 2 : 1);
        for (int j = 0; j < t->ncols; j++) buf_add(&q, j ? ",?" : "?", j ? 2 : 1);
        buf_add(&q, ")", 1);
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, q.p, (int)q.len, &st, NULL) != SQLITE_OK)
        die("prepare INSERT for %s: %s", t->sql_name, sqlite3_errmsg(db));
    free(q.p);
    return st;
}

static const char *bind_row(sqlite3_stmt *st, int base, int ncols, const char *p)
{
    for (int j = 0; j < ncols; j++) {
        int idx = base + j;
        switch (*p++) {
        case T_NULL: sqlite3_bind_null(st, idx); break;
        case T_INT: {
            int64_t v;
            memcpy(&v, p, 8);
            p += 8;
            sqlite3_bind_int64(st, idx, v);
            break;
        }
        case T_REAL: {
            double v;
            memcpy(&v, p, 8);
            p += 8;
            sqlite3_bind_double(st, idx, v);
            break;
        }
        default: {
            uint32_t n;
            memcpy(&n, p, 4);
            sqlite3_bind_text(st, idx, p + 4, (int)n, SQLITE_STATIC);
            p += 4 + n;
        }
        }
    }
    return p;
}

static void step(sqlite3 *db, sqlite3_stmt *st, const table *t, uint64_t row)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        die("table %s, row %llu: %s", t->sql_name, (unsigned long long)row, sqlite3_errmsg(db));
}

/* Run a check PRAGMA; any row (other than `ok`) is a failure. */
static void check(sqlite3 *db, const char *sql, const char *ok)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die("%s: %s", sql, sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (ok && v && strcmp(v, ok) == 0) continue;
        die("%s reports a problem: %s", sql, v ? v : "NULL");
    }
    if (rc != SQLITE_DONE) die("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

static void usage(void)
{
    fputs("usage: sqlite_loop --db PATH --pre PRE.sql --post POST.sql --csv DIR\n"
          "                   [--rows-per-insert N] [--journal MEMORY|OFF] [--checks] "
          "[--full-check]\n"
          "                   [--pragma 'NAME = VALUE']... TABLE[:SQLNAME] ...   (in load order)\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dbpath = NULL, *pre_path = NULL, *post_path = NULL, *dir = NULL;
    const char *journal = "MEMORY";
    size_t rpi = 1;
    int checks = 0, quick = 1;
    buf extra = {0}; /* --pragma statements */
    table *ts = NULL;
    int nt = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--checks") == 0) {
            checks = 1;
            continue;
        }
        if (strcmp(a, "--full-check") == 0) {
            quick = 0;
            continue;
        }
        if (a[0] == '-' && a[1] == '-') {
            if (i + 1 >= argc) usage();
            const char *v = argv[++i];
            if (strcmp(a, "--db") == 0)
                dbpath = v;
            else if (strcmp(a, "--pre") == 0)
                pre_path = v;
            else if (strcmp(a, "--post") == 0)
                post_path = v;
            else if (strcmp(a, "--csv") == 0)
                dir = v;
            else if (strcmp(a, "--journal") == 0)
                journal = v;
            else if (strcmp(a, "--pragma") == 0) {
                buf_add(&extra, "PRAGMA ", 7);
                buf_add(&extra, v, strlen(v));
                buf_add(&extra, ";", 1);
            } else if (strcmp(a, "--rows-per-insert") == 0) {
                char *e;
                long n = strtol(v, &e, 10);
                if (*e || n < 1 || n > 1000) die("--rows-per-insert: 1..1000, not '%s'", v);
                rpi = (size_t)n;
            } else
                usage();
            continue;
        }
        ts = xrealloc_(ts, (size_t)(nt + 1) * sizeof *ts);
        memset(&ts[nt], 0, sizeof ts[nt]);
        char *name = strdup(a), *colon = strchr(name, ':');
        if (colon) *colon = '\0';
        ts[nt].name = name;
        ts[nt].sql_name = colon ? colon + 1 : name;
        nt++;
    }
    if (!dbpath || !pre_path || !post_path || !dir || nt == 0) usage();
    if (strcasecmp(journal, "MEMORY") != 0 && strcasecmp(journal, "OFF") != 0)
        die("--journal: MEMORY or OFF, not '%s'", journal);
    size_t len;
    char *pre = read_file(pre_path, &len), *post = read_file(post_path, &len);

    /* Untimed: parse every CSV file into typed values, with affinities from the schema. */
    double t0 = now_s();
    sqlite3 *meta = NULL;
    if (sqlite3_open(":memory:", &meta) != SQLITE_OK) die("sqlite3_open(:memory:) failed");
    exec(meta, pre);
    uint64_t total_rows = 0;
    size_t total_bytes = 0;
    for (int i = 0; i < nt; i++) {
        parse_table(&ts[i], dir, meta);
        total_rows += ts[i].nrows;
        total_bytes += ts[i].rows.len;
    }
    sqlite3_close(meta);
    double parse_s = now_s() - t0;

    /* Timed. */
    unlink(dbpath);
    double c0 = cpu_s(), w0 = now_s();
    sqlite3 *db = NULL;
    if (sqlite3_open(dbpath, &db) != SQLITE_OK) die("%s: %s", dbpath, sqlite3_errmsg(db));
    char pragmas[512];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode = %s; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
             " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF",
             journal);
    exec(db, pragmas);
    if (extra.len) {
        buf_add(&extra, "", 1);
        exec(db, extra.p);
    }
    exec(db, "BEGIN");
    exec(db, pre);
    for (int i = 0; i < nt; i++) {
        table *t = &ts[i];
        size_t rows = rpi;
        if ((size_t)t->ncols * rows > 32766) rows = 32766 / (size_t)t->ncols;
        if (rows < 1) rows = 1;
        sqlite3_stmt *single = prepare_insert(db, t, 1);
        sqlite3_stmt *batch = rows > 1 ? prepare_insert(db, t, rows) : NULL;
        const char *p = t->rows.p;
        uint64_t r = 0;
        if (batch)
            for (; r + rows <= t->nrows; r += rows) {
                for (size_t k = 0; k < rows; k++)
                    p = bind_row(batch, (int)k * t->ncols + 1, t->ncols, p);
                step(db, batch, t, r);
            }
        for (; r < t->nrows; r++) {
            p = bind_row(single, 1, t->ncols, p);
            step(db, single, t, r);
        }
        sqlite3_finalize(single);
        sqlite3_finalize(batch);
    }
    double w1 = now_s();
    exec(db, post);
    double w2 = now_s(), c2 = cpu_s();
    double fk_s = 0, integ_s = 0, analyze_s = 0;
    if (checks) {
        check(db, "PRAGMA foreign_key_check", NULL);
        fk_s = now_s() - w2;
    }
    double w3 = now_s(), c3 = cpu_s();
    exec(db, "COMMIT");
    double w4 = now_s(), c4 = cpu_s();
    if (checks) {
        check(db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check", "ok");
        double w5 = now_s();
        integ_s = w5 - w4;
        exec(db, "PRAGMA analysis_limit = 1000; ANALYZE");
        analyze_s = now_s() - w5;
    }
    if (sqlite3_close(db) != SQLITE_OK) die("close: %s", sqlite3_errmsg(db));
    double wall = now_s() - w0, cpu = cpu_s() - c0;
    double load_s = w4 - w0 - fk_s; /* tables + rows + indexes + COMMIT */
    double load_cpu = (c4 - c0) - (c3 - c2);
    printf(
        "rows=%llu encoded_bytes=%zu rows_per_insert=%zu journal=%s%s%s parse_s=%.3f insert_s=%.3f "
        "index_s=%.3f commit_s=%.3f fkcheck_s=%.3f integrity_s=%.3f analyze_s=%.3f "
        "load_s=%.3f load_cpu_s=%.3f total_s=%.3f cpu_s=%.3f load_rows_per_s=%.0f\n",
        (unsigned long long)total_rows, total_bytes, rpi, journal,
        quick ? " check=quick" : " check=integrity", extra.len ? " pragmas=yes" : "", parse_s,
        w1 - w0, w2 - w1, w4 - w3, fk_s, integ_s, analyze_s, load_s, load_cpu, wall, cpu,
        (double)total_rows / load_s);
    for (int i = 0; i < nt; i++) {
        for (int j = 0; j < ts[i].ncols; j++) free(ts[i].cols[j]);
        free(ts[i].cols);
        free(ts[i].aff);
        free(ts[i].rows.p);
        free((char *)ts[i].name);
    }
    free(ts);
    free(extra.p);
    free(pre);
    free(post);
    return 0;
}
