/* sink_sql.c — `sql:FILE`: one script that loads the whole dataset into an empty database.
 * --dialect sqlite: `sqlite3 db < FILE` (multi-row INSERTs in one transaction);
 * --dialect postgres: `psql -f FILE` (COPY ... FROM stdin blocks in one transaction).
 * The schema's post-load statements (indexes, ...) come after the rows. `sql:-` writes to
 * standard output; any other FILE is written under a temporary name and renamed at the end. */
#include "seedload/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct sql_priv {
    char *file, *tmp;
    int fd;
    sql_script *ddl;
    sbuf b;
} sql_priv;

static int flush(sink *s, sl_err *e)
{
    sql_priv *q = s->priv;
    int rc = sink_write_all(q->fd, q->b.p ? q->b.p : "", q->b.len, q->file, e);
    sbuf_clear(&q->b);
    return rc;
}

static void add_stmt(sbuf *b, const sql_stmt *st)
{
    sbuf_adds(b, st->sql);
    sbuf_adds(b, ";\n");
}

static int sql_open(sink *s, sl_err *e)
{
    sql_priv *q = s->priv;
    const model *m = s->cfg.m;
    sql_dialect d = s->cfg.dialect;
    if (sink_load_ddl(m, d, &q->ddl, e) < 0) return -1;
    struct stat st;
    bool special = stat(q->file, &st) == 0 && !S_ISREG(st.st_mode);
    if (strcmp(q->file, "-") == 0) {
        q->fd = STDOUT_FILENO;
    } else if (special) {
        /* A device or a pipe (/dev/stdout, a FIFO) is written in place: there is nothing to
         * replace atomically, and replacing the node itself would be wrong. */
        if (S_ISDIR(st.st_mode)) return sl_fail(e, SL_EXIT_USAGE, "sql:%s is a directory", q->file);
        q->fd = open(q->file, O_WRONLY | O_CLOEXEC);
        if (q->fd < 0)
            return sl_fail(e, SL_EXIT_IO, "sql:%s: cannot open: %s", q->file, strerror(errno));
    } else {
        /* A symbolic link is followed: the file it points at is the one replaced. */
        char *real = realpath(q->file, NULL);
        if (real) {
            free(q->file);
            q->file = real;
        }
        if (!s->cfg.force && access(q->file, F_OK) == 0)
            return sl_fail(e, SL_EXIT_USAGE, "%s already exists; use --force to replace it",
                           q->file);
        q->tmp = sink_temp_path(q->file);
        q->fd = open(q->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (q->fd < 0) {
            int err = errno;
            free(q->tmp);
            q->tmp = NULL;
            return sl_fail(e, SL_EXIT_IO, "sql:%s: cannot create the file: %s", q->file,
                           strerror(err));
        }
    }
    sbuf *b = &q->b;
    sbuf_printf(b, "-- seedload %s: profile %s, scenario %s, scale %g, seed %llu\n", SL_VERSION,
                m->p->name, s->cfg.scenario, m->scale, (unsigned long long)m->seed);
    if (d == DIALECT_POSTGRES) {
        sbuf_adds(b, "-- load with: psql -v ON_ERROR_STOP=1 -f FILE (into an empty database)\n"
                     "\\set ON_ERROR_STOP on\n"
                     "SET client_encoding = 'UTF8';\nSET TimeZone = 'UTC';\n"
                     "SET standard_conforming_strings = on;\nBEGIN;\n");
        for (size_t i = 0; i < q->ddl->n; i++)
            if (!q->ddl->st[i].post_load) add_stmt(b, &q->ddl->st[i]);
    } else {
        sbuf_adds(b, "-- load with: sqlite3 DB < FILE (into an empty database)\n");
        for (size_t i = 0; i < q->ddl->n; i++) /* PRAGMAs cannot run inside a transaction */
            if (q->ddl->st[i].is_pragma) add_stmt(b, &q->ddl->st[i]);
        sbuf_adds(b, "PRAGMA foreign_keys = ON;\nBEGIN;\n");
        for (size_t i = 0; i < q->ddl->n; i++)
            if (!q->ddl->st[i].post_load && !q->ddl->st[i].is_pragma) add_stmt(b, &q->ddl->st[i]);
        /* One INSERT head per table: INSERT INTO "t" ("a", ...) VALUES */
        s->enc.insert_heads = xcalloc(m->nt, sizeof(char *));
        for (size_t i = 0; i < m->nt; i++) {
            sbuf h = {0};
            sbuf_adds(&h, "INSERT INTO ");
            enc_table_name(&h, m->t[i].name, DIALECT_SQLITE);
            sbuf_adds(&h, " (");
            for (size_t j = 0; j < m->t[i].nout; j++) {
                if (j) sbuf_adds(&h, ", ");
                enc_ident(&h, m->t[i].cols[m->t[i].out[j]].name);
            }
            sbuf_adds(&h, ") VALUES");
            s->enc.insert_heads[i] = sbuf_detach(&h);
        }
    }
    return flush(s, e);
}

static int sql_table_begin(sink *s, const mtable *t, sl_err *e)
{
    sql_priv *q = s->priv;
    if (s->cfg.dialect != DIALECT_POSTGRES) return 0;
    sbuf_adds(&q->b, "COPY ");
    enc_table_name(&q->b, t->name, DIALECT_POSTGRES);
    sbuf_adds(&q->b, " (");
    for (size_t j = 0; j < t->nout; j++) {
        if (j) sbuf_adds(&q->b, ", ");
        enc_ident(&q->b, t->cols[t->out[j]].name);
    }
    sbuf_adds(&q->b, ") FROM stdin;\n");
    return flush(s, e);
}

static int sql_write(sink *s, const mtable *t, uint64_t first, const char *data, size_t len,
                     uint64_t nrows, sl_err *e)
{
    (void)t, (void)first, (void)nrows;
    sql_priv *q = s->priv;
    return sink_write_all(q->fd, data, len, q->file, e);
}

static int sql_table_end(sink *s, const mtable *t, sl_err *e)
{
    (void)t;
    sql_priv *q = s->priv;
    if (s->cfg.dialect != DIALECT_POSTGRES) return 0;
    sbuf_adds(&q->b, "\\.\n");
    return flush(s, e);
}

static int sql_commit(sink *s, const table_result *res, sl_err *e)
{
    (void)res;
    sql_priv *q = s->priv;
    for (size_t i = 0; i < q->ddl->n; i++)
        if (q->ddl->st[i].post_load) add_stmt(&q->b, &q->ddl->st[i]);
    sbuf_adds(&q->b, "COMMIT;\nANALYZE;\n");
    if (flush(s, e) < 0) return -1;
    if (!q->tmp) { /* stdout or a device: written in place */
        if (q->fd != STDOUT_FILENO && close(q->fd) < 0) {
            q->fd = -1;
            return sl_fail(e, SL_EXIT_IO, "writing %s: %s", q->file, strerror(errno));
        }
        if (q->fd != STDOUT_FILENO) q->fd = -1;
        return 0;
    }
    if (fsync(q->fd) < 0 || close(q->fd) < 0) {
        q->fd = -1;
        return sl_fail(e, SL_EXIT_IO, "writing %s: %s", q->file, strerror(errno));
    }
    q->fd = -1;
    if (rename(q->tmp, q->file) < 0)
        return sl_fail(e, SL_EXIT_IO, "cannot move %s into place: %s", q->file, strerror(errno));
    free(q->tmp);
    q->tmp = NULL;
    sink_fsync_dir(q->file);
    return 0;
}

static void sql_abort(sink *s)
{
    sql_priv *q = s->priv;
    if (q->fd >= 0 && q->fd != STDOUT_FILENO) close(q->fd);
    q->fd = -1;
    if (q->tmp) {
        unlink(q->tmp);
        free(q->tmp);
        q->tmp = NULL;
    }
}

static void sql_free(sink *s)
{
    sql_priv *q = s->priv;
    if (!q) return;
    if (q->fd >= 0 && q->fd != STDOUT_FILENO) close(q->fd);
    free(q->tmp);
    free(q->file);
    sql_script_free(q->ddl);
    sbuf_free(&q->b);
    free(q);
}

static const sink_ops sql_ops = {"sql",         sql_open,   sql_table_begin, sql_write,
                                 sql_table_end, sql_commit, sql_abort,       sql_free};

int sink_sql_new(const char *file, sink *s, sl_err *e)
{
    if (!*file)
        return sl_fail(e, SL_EXIT_USAGE, "sql: needs a file name (sql:FILE, or sql:- for stdout)");
    sql_priv *q = xcalloc(1, sizeof *q);
    q->file = xstrdup(file);
    q->fd = -1;
    s->priv = q;
    s->ops = &sql_ops;
    s->enc.kind = s->cfg.dialect == DIALECT_POSTGRES ? ENC_COPY_TEXT : ENC_SQL_INSERT;
    s->enc.rows_per_insert = 500;
    return 0;
}
