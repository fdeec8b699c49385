/* sink_sqlite.c — `sqlite:PATH`, the embedded default. The dataset is built in a temporary
 * file beside PATH: schema from the profile's sqlite.sql, rows through prepared multi-row
 * INSERTs in one transaction (journal in memory, foreign keys not enforced row by row),
 * post-load statements (indexes) after the rows, then foreign_key_check (every reference,
 * once), quick_check, ANALYZE and the journal mode the
 * DDL asked for. Only then is it renamed over PATH, so PATH is either the old file or the
 * complete new one. A metadata table records what the file holds. */
#include "seedload/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define META_TABLE  "_seedload_meta"
#define META_TABLES "_seedload_tables"

typedef struct lite_priv {
    char *path, *tmp;
    sqlite3 *db;
    sql_script *ddl;
    char *journal_mode; /* from the DDL's PRAGMA journal_mode, applied at the end */
    sqlite3_stmt *batch, *single;
    size_t batch_rows;
    bool in_txn;
} lite_priv;

/* Ctrl-C interrupts whatever SQLite is doing (an index build, quick_check, ANALYZE). */
static int stop_requested(void *arg)
{
    (void)arg;
    return sl_stop != 0;
}

static int lite_err(sink *s, sl_err *e, const char *what)
{
    lite_priv *l = s->priv;
    int code = sqlite3_errcode(l->db);
    if (code == SQLITE_INTERRUPT || sl_stop)
        return sl_fail(e, SL_EXIT_IO, "%s: interrupted; the previous file is unchanged", s->where);
    return sl_fail(e, SL_EXIT_IO, "%s: %s: %s", s->where, what,
                   code == SQLITE_FULL ? "the disk is full" : sqlite3_errmsg(l->db));
}

static int exec(sink *s, const char *sql, sl_err *e)
{
    lite_priv *l = s->priv;
    char *msg = NULL;
    if (sl_stop)
        return sl_fail(e, SL_EXIT_IO, "%s: interrupted; the previous file is unchanged", s->where);
    if (sqlite3_exec(l->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (sqlite3_errcode(l->db) == SQLITE_INTERRUPT) {
            sqlite3_free(msg);
            return sl_fail(e, SL_EXIT_IO, "%s: interrupted; the previous file is unchanged",
                           s->where);
        }
        sl_fail(e, SL_EXIT_IO, "%s: %s: %s", s->where, sql,
                sqlite3_errcode(l->db) == SQLITE_FULL ? "the disk is full" : (msg ? msg : "error"));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* The dataset id stored in an existing file, or NULL (not a seedload file). */
static char *existing_dataset(const char *path)
{
    sqlite3 *db = NULL;
    char *id = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT value FROM " META_TABLE " WHERE key = 'dataset_id'", -1,
                               &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            id = xstrdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return id;
}

static bool pragma_is(const char *sql, const char *name)
{
    const char *p = sql + 6; /* after "PRAGMA" */
    while (*p == ' ' || *p == '\t' || *p == '\n') p++;
    size_t n = strlen(name);
    return strncasecmp(p, name, n) == 0 && !(p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z'));
}

static int lite_open(sink *s, sl_err *e)
{
    lite_priv *l = s->priv;
    const model *m = s->cfg.m;
    struct stat st;
    if (stat(l->path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return sl_fail(e, SL_EXIT_USAGE, "%s is a directory", l->path);
        char *id = existing_dataset(l->path);
        bool same = id && strcmp(id, s->cfg.dataset_id) == 0;
        free(id);
        if (same && !s->cfg.force) return 1;
        if (!s->cfg.force)
            return sl_fail(e, SL_EXIT_USAGE,
                           "%s already exists and holds other data; use --force to replace it",
                           l->path);
    }
    if (sink_load_ddl(m, DIALECT_SQLITE, &l->ddl, e) < 0) return -1;
    l->tmp = sink_temp_path(l->path);
    unlink(l->tmp);
    if (sqlite3_open_v2(l->tmp, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        int rc = sl_fail(e, SL_EXIT_IO, "%s: cannot create %s: %s", s->where, l->tmp,
                         l->db ? sqlite3_errmsg(l->db) : "out of memory");
        sqlite3_close(l->db);
        l->db = NULL;
        free(l->tmp);
        l->tmp = NULL;
        return rc;
    }
    sqlite3_progress_handler(l->db, 10000, stop_requested, NULL);
    /* The DDL's PRAGMAs first (page_size must precede any table); journal mode and
     * synchronous wait until the end. The load keeps its rollback journal in memory: pages
     * appended to a new file are not journaled, so it costs next to nothing, and a failed
     * statement still rolls back cleanly. No fsync until the end: a failure discards the
     * whole temporary file anyway. */
    for (size_t i = 0; i < l->ddl->n; i++) {
        const sql_stmt *q = &l->ddl->st[i];
        if (!q->is_pragma) continue;
        if (pragma_is(q->sql, "journal_mode")) {
            const char *eq = strchr(q->sql, '=');
            if (eq) {
                free(l->journal_mode);
                l->journal_mode = xstrdup(eq + 1);
            }
            continue;
        }
        if (pragma_is(q->sql, "synchronous") || pragma_is(q->sql, "optimize")) continue;
        if (exec(s, q->sql, e) < 0) return -1;
    }
    if (exec(s,
             "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA locking_mode = "
             "EXCLUSIVE; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; "
             "PRAGMA foreign_keys = OFF",
             e) < 0)
        return -1;
    /* Foreign keys are not enforced row by row (a parent lookup per child row: 9% of the
     * insert time): foreign_key_check proves every reference once before COMMIT and names
     * the rows that break one. That also loads foreign-key cycles without deferral. */
    if (exec(s, "BEGIN", e) < 0) return -1;
    l->in_txn = true;
    for (size_t i = 0; i < l->ddl->n; i++) {
        const sql_stmt *q = &l->ddl->st[i];
        if (q->is_pragma || q->post_load) continue;
        char *msg = NULL;
        if (sqlite3_exec(l->db, q->sql, NULL, NULL, &msg) != SQLITE_OK) {
            sl_fail(e, SL_EXIT_IO, "%s:%d: %s", l->ddl->path, q->line, msg ? msg : "error");
            sqlite3_free(msg);
            return -1;
        }
    }
    return 0;
}

static sqlite3_stmt *prepare_insert(sink *s, const mtable *t, size_t rows, sl_err *e)
{
    lite_priv *l = s->priv;
    sbuf q = {0};
    char nb[256];
    sbuf_adds(&q, "INSERT INTO ");
    enc_ident(&q, sqlite_table_name(t->name, nb, sizeof nb));
    sbuf_adds(&q, " (");
    for (size_t j = 0; j < t->nout; j++) {
        if (j) sbuf_addc(&q, ',');
        enc_ident(&q, t->cols[t->out[j]].name);
    }
    sbuf_adds(&q, ") VALUES ");
    for (size_t r = 0; r < rows; r++) {
        sbuf_adds(&q, r ? ",(" : "(");
        for (size_t j = 0; j < t->nout; j++) sbuf_adds(&q, j ? ",?" : "?");
        sbuf_addc(&q, ')');
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, q.p, (int)q.len, &st, NULL) != SQLITE_OK) {
        sl_fail(e, SL_EXIT_IO, "%s: table '%s': %s", s->where, t->name, sqlite3_errmsg(l->db));
        st = NULL;
    }
    sbuf_free(&q);
    return st;
}

static int lite_table_begin(sink *s, const mtable *t, sl_err *e)
{
    lite_priv *l = s->priv;
    sqlite3_finalize(l->batch);
    sqlite3_finalize(l->single);
    l->batch = l->single = NULL;
    if (t->nout == 0) return 0;
    /* Many rows per statement pays more than any PRAGMA (see ANCHORS); stay under SQLite's
     * limit of 32766 parameters. */
    size_t rows = 32766 / t->nout;
    if (rows > 100) rows = 100;
    if (rows < 1) rows = 1;
    l->batch_rows = rows;
    if (!(l->single = prepare_insert(s, t, 1, e))) return -1;
    if (rows > 1 && !(l->batch = prepare_insert(s, t, rows, e))) return -1;
    return 0;
}

/* Bind one row's values (ENC_BIN) starting at parameter `base`; returns the bytes read. */
static size_t bind_row(sqlite3_stmt *st, int base, size_t ncols, const char *p)
{
    const char *start = p;
    for (size_t j = 0; j < ncols; j++) {
        int idx = base + (int)j;
        switch (*p++) {
        case BIN_NULL: sqlite3_bind_null(st, idx); break;
        case BIN_INT: {
            int64_t v;
            memcpy(&v, p, 8);
            p += 8;
            sqlite3_bind_int64(st, idx, v);
            break;
        }
        case BIN_REAL: {
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
    return (size_t)(p - start);
}

static int row_failed(sink *s, const mtable *t, uint64_t row, sl_err *e)
{
    lite_priv *l = s->priv;
    int code = sqlite3_errcode(l->db);
    if (sl_stop || code == SQLITE_INTERRUPT)
        return sl_fail(e, SL_EXIT_IO,
                       "%s: interrupted while loading '%s'; the previous file is unchanged",
                       s->where, t->name);
    return sl_fail(e, SL_EXIT_IO, "%s: table '%s', row %" PRIu64 ": %s", s->where, t->name, row,
                   code == SQLITE_FULL ? "the disk is full" : sqlite3_errmsg(l->db));
}

static int lite_write(sink *s, const mtable *t, uint64_t first, const char *data, size_t len,
                      uint64_t nrows, sl_err *e)
{
    lite_priv *l = s->priv;
    const char *p = data, *end = data + len;
    uint64_t r = 0;
    size_t nc = t->nout;
    while (r + l->batch_rows <= nrows && l->batch) {
        const char *batch_start = p;
        for (size_t k = 0; k < l->batch_rows; k++)
            p += bind_row(l->batch, (int)(k * nc) + 1, nc, p);
        int rc = sqlite3_step(l->batch);
        sqlite3_reset(l->batch);
        if (rc != SQLITE_DONE) {
            if (rc == SQLITE_FULL || rc == SQLITE_IOERR) return row_failed(s, t, first + r, e);
            /* Replay the batch row by row to name the row that broke the constraint (the
             * failed statement changed nothing). */
            p = batch_start;
            for (size_t k = 0; k < l->batch_rows; k++) {
                p += bind_row(l->single, 1, nc, p);
                int rc1 = sqlite3_step(l->single);
                sqlite3_reset(l->single);
                if (rc1 != SQLITE_DONE) return row_failed(s, t, first + r + k, e);
            }
            return row_failed(s, t, first + r, e);
        }
        r += l->batch_rows;
    }
    for (; r < nrows; r++) {
        p += bind_row(l->single, 1, nc, p);
        int rc = sqlite3_step(l->single);
        sqlite3_reset(l->single);
        if (rc != SQLITE_DONE) return row_failed(s, t, first + r, e);
    }
    if (p != end)
        return sl_fail(e, SL_EXIT_IO, "%s: internal error: encoded rows do not match", s->where);
    return 0;
}

static int lite_table_end(sink *s, const mtable *t, sl_err *e)
{
    (void)t, (void)e;
    lite_priv *l = s->priv;
    sqlite3_finalize(l->batch);
    sqlite3_finalize(l->single);
    l->batch = l->single = NULL;
    return 0;
}

static int write_meta(sink *s, const table_result *res, sl_err *e)
{
    lite_priv *l = s->priv;
    const model *m = s->cfg.m;
    if (exec(s,
             "CREATE TABLE " META_TABLE " (key TEXT PRIMARY KEY, value TEXT);"
             "CREATE TABLE " META_TABLES " (name TEXT PRIMARY KEY, sql_name TEXT, rows INTEGER, "
             "checksum TEXT, load_order INTEGER)",
             e) < 0)
        return -1;
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(l->db, "INSERT INTO " META_TABLE " VALUES (?, ?)", -1, &st, NULL);
    char scale[64], seed[32], when[64];
    snprintf(scale, sizeof scale, "%.17g", m->scale);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)m->seed);
    snprintf(when, sizeof when, "%.0f", sl_wall_time());
    const char *kv[][2] = {{"dataset_id", s->cfg.dataset_id},
                           {"profile", m->p->name},
                           {"profile_path", m->p->path},
                           {"scenario", s->cfg.scenario},
                           {"scale", scale},
                           {"seed", seed},
                           {"seedload_version", SL_VERSION},
                           {"data_format", SL_STR(SL_DATA_FORMAT)},
                           {"checksums", s->cfg.digest ? "yes" : "no"},
                           {"generated_at", when}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        sqlite3_bind_text(st, 1, kv[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kv[i][1], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return lite_err(s, e, "writing metadata");
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_prepare_v2(l->db, "INSERT INTO " META_TABLES " VALUES (?, ?, ?, ?, ?)", -1, &st, NULL);
    for (size_t oi = 0; oi < m->nt; oi++) {
        const mtable *t = &m->t[m->order[oi]];
        char hex[33], nb[256];
        enc_digest_hex(&res[t->idx].digest, hex);
        sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, sqlite_table_name(t->name, nb, sizeof nb), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)res[t->idx].rows);
        if (s->cfg.digest)
            sqlite3_bind_text(st, 4, hex, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 4);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)oi);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return lite_err(s, e, "writing metadata");
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

/* Run a check PRAGMA; fail with its first rows unless it answers `ok_answer` (or nothing). */
static int check_pragma(sink *s, const char *sql, const char *ok_answer, sl_err *e)
{
    lite_priv *l = s->priv;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK) return lite_err(s, e, sql);
    sbuf bad = {0};
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int nc = sqlite3_column_count(st);
        const char *first = (const char *)sqlite3_column_text(st, 0);
        if (ok_answer && first && strcmp(first, ok_answer) == 0) continue;
        if (rows++ < 5) {
            sbuf_adds(&bad, "\n  ");
            for (int i = 0; i < nc; i++) {
                const char *v = (const char *)sqlite3_column_text(st, i);
                sbuf_printf(&bad, "%s%s", i ? " | " : "", v ? v : "NULL");
            }
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sbuf_free(&bad);
        return lite_err(s, e, sql);
    }
    if (rows) {
        sl_fail(e, SL_EXIT_IO, "%s: %s found %d problem%s:%s", s->where, sql, rows,
                rows == 1 ? "" : "s", bad.p);
        sbuf_free(&bad);
        return -1;
    }
    sbuf_free(&bad);
    return 0;
}

/* One line for a foreign_key_check row: "shop row 3: region_code = 'X3' has no match in
 * region(code)". A WITHOUT ROWID table has no row number (rowid NULL): "a row of shop". */
static void fk_describe(sqlite3 *db, const char *tbl, const sqlite3_int64 *rowid,
                        const char *parent, int fkid, sbuf *out)
{
    sqlite3_stmt *st = NULL;
    sbuf from = {0}, to = {0}, shown = {0};
    if (sqlite3_prepare_v2(db,
                           "SELECT \"from\", \"to\" FROM pragma_foreign_key_list(?1) WHERE id = ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, fkid);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *f = (const char *)sqlite3_column_text(st, 0);
            const char *t = (const char *)sqlite3_column_text(st, 1);
            sbuf_printf(&from, "%s%s", from.len ? ", " : "", f ? f : "?");
            if (t) sbuf_printf(&to, "%s%s", to.len ? ", " : "", t);
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (from.len && rowid && !strchr(from.p, ',')) {
        char *q = sqlite3_mprintf("SELECT quote(\"%w\") FROM \"%w\" WHERE rowid = ?1", from.p, tbl);
        if (q && sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, *rowid);
            if (sqlite3_step(st) == SQLITE_ROW)
                sbuf_printf(&shown, " = %s", (const char *)sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
        sqlite3_free(q);
    }
    if (rowid)
        sbuf_printf(out, "\n  %s row %lld: ", tbl, (long long)*rowid);
    else
        sbuf_printf(out, "\n  a row of %s: ", tbl);
    sbuf_printf(out, "%s%s has no match in %s%s%s%s", from.len ? from.p : "a foreign key",
                shown.len ? shown.p : "", parent, to.len ? "(" : "", to.len ? to.p : "",
                to.len ? ")" : "");
    sbuf_free(&from);
    sbuf_free(&to);
    sbuf_free(&shown);
}

/* Every reference, checked once after the load (foreign keys are not enforced per row). */
static int fk_check(sink *s, sl_err *e)
{
    lite_priv *l = s->priv;
    sqlite3_stmt *st = NULL;
    const char *sql = "PRAGMA foreign_key_check";
    if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK) return lite_err(s, e, sql);
    sbuf bad = {0};
    int64_t rows = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows++ >= 5) continue;
        const char *tbl = (const char *)sqlite3_column_text(st, 0);
        const char *parent = (const char *)sqlite3_column_text(st, 2);
        bool has_rowid = sqlite3_column_type(st, 1) != SQLITE_NULL; /* before any conversion */
        sqlite3_int64 rowid = sqlite3_column_int64(st, 1);
        fk_describe(l->db, tbl ? tbl : "?", has_rowid ? &rowid : NULL, parent ? parent : "?",
                    sqlite3_column_int(st, 3), &bad);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sbuf_free(&bad);
        return lite_err(s, e, sql);
    }
    if (rows) {
        sl_fail(e, SL_EXIT_IO, "%s: %" PRId64 " row%s break%s a foreign key:%s%s", s->where, rows,
                rows == 1 ? "" : "s", rows == 1 ? "s" : "", bad.p, rows > 5 ? "\n  ..." : "");
        sbuf_free(&bad);
        return -1;
    }
    sbuf_free(&bad);
    return 0;
}

static int lite_commit(sink *s, const table_result *res, sl_err *e)
{
    lite_priv *l = s->priv;
    for (size_t i = 0; i < l->ddl->n; i++) {
        const sql_stmt *q = &l->ddl->st[i];
        if (!q->post_load) continue;
        char *msg = NULL;
        if (sl_stop) return lite_err(s, e, "post-load");
        if (sqlite3_exec(l->db, q->sql, NULL, NULL, &msg) != SQLITE_OK) {
            if (sqlite3_errcode(l->db) == SQLITE_INTERRUPT) {
                sqlite3_free(msg);
                return lite_err(s, e, "post-load");
            }
            sl_fail(e, SL_EXIT_IO, "%s:%d: %s", l->ddl->path, q->line,
                    sqlite3_errcode(l->db) == SQLITE_FULL ? "the disk is full"
                                                          : (msg ? msg : "error"));
            sqlite3_free(msg);
            return -1;
        }
    }
    if (fk_check(s, e) < 0) return -1;
    if (write_meta(s, res, e) < 0) return -1;
    if (exec(s, "COMMIT", e) < 0) return -1;
    l->in_txn = false;
    /* quick_check reads every page and checks NOT NULL and CHECK constraints; the full
     * integrity_check would also compare every index with its table, which in a file SQLite
     * itself just wrote in one transaction costs 5x as much (8.7 s vs 1.8 s on EduPulse
     * medium) to find nothing. */
    if (check_pragma(s, "PRAGMA quick_check", "ok", e) < 0) return -1;
    if (exec(s, "PRAGMA analysis_limit = 1000; ANALYZE", e) < 0) return -1;
    if (l->journal_mode) {
        sbuf q = {0};
        sbuf_printf(&q, "PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = %s", l->journal_mode);
        int rc = exec(s, q.p, e);
        sbuf_free(&q);
        if (rc < 0) return -1;
    }
    if (sl_stop) return lite_err(s, e, "finishing");
    if (sqlite3_close(l->db) != SQLITE_OK) return lite_err(s, e, "closing");
    l->db = NULL;
    int fd = open(l->tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) < 0) {
        int err = errno;
        if (fd >= 0) close(fd);
        return sl_fail(e, SL_EXIT_IO, "%s: flushing to disk: %s", s->where, strerror(err));
    }
    close(fd);
    if (rename(l->tmp, l->path) < 0)
        return sl_fail(e, SL_EXIT_IO, "%s: cannot move the new database into place: %s", s->where,
                       strerror(errno));
    free(l->tmp);
    l->tmp = NULL;
    /* The old file's WAL and index belong to the old database. */
    sbuf side = {0};
    sbuf_printf(&side, "%s-wal", l->path);
    unlink(side.p);
    sbuf_clear(&side);
    sbuf_printf(&side, "%s-shm", l->path);
    unlink(side.p);
    sbuf_free(&side);
    sink_fsync_dir(l->path);
    return 0;
}

static void lite_abort(sink *s)
{
    lite_priv *l = s->priv;
    sqlite3_finalize(l->batch);
    sqlite3_finalize(l->single);
    l->batch = l->single = NULL;
    if (l->db) sqlite3_close_v2(l->db);
    l->db = NULL;
    if (l->tmp) {
        static const char *const sfx[] = {"", "-journal", "-wal", "-shm"};
        for (size_t i = 0; i < 4; i++) {
            sbuf p = {0};
            sbuf_printf(&p, "%s%s", l->tmp, sfx[i]);
            unlink(p.p);
            sbuf_free(&p);
        }
        free(l->tmp);
        l->tmp = NULL;
    }
}

static void lite_free(sink *s)
{
    lite_priv *l = s->priv;
    if (!l) return;
    lite_abort(s);
    sql_script_free(l->ddl);
    free(l->journal_mode);
    free(l->path);
    free(l);
}

static const sink_ops lite_ops = {"sqlite",       lite_open,   lite_table_begin, lite_write,
                                  lite_table_end, lite_commit, lite_abort,       lite_free};

int sink_sqlite_new(const char *path, sink *s, sl_err *e)
{
    if (!*path) return sl_fail(e, SL_EXIT_USAGE, "sqlite: needs a file name (sqlite:PATH)");
    lite_priv *l = xcalloc(1, sizeof *l);
    l->path = xstrdup(path);
    s->priv = l;
    s->ops = &lite_ops;
    s->enc.kind = ENC_BIN;
    return 0;
}
