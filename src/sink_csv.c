/* sink_csv.c — `csv:DIR`: one RFC 4180 file per table (DIR/<table>.csv). Each file is
 * written under a temporary name and renamed into place only when every table is done, so a
 * failed or interrupted run leaves the directory as it was. With --shard i/N only shard 1
 * carries the header line, so the N files of a table concatenate to the whole table. */
#include "seedload/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct csv_priv {
    char *dir;
    bool created;        /* the directory did not exist before this run */
    char **tmp, **final; /* per table index */
    int fd;
    int cur;
} csv_priv;

static int mkdirs(const char *dir, sl_err *e)
{
    char *p = xstrdup(dir);
    for (char *q = p + 1; *q; q++) {
        if (*q != '/') continue;
        *q = '\0';
        if (mkdir(p, 0777) < 0 && errno != EEXIST) {
            sl_fail(e, SL_EXIT_IO, "csv:%s: cannot create %s: %s", dir, p, strerror(errno));
            free(p);
            return -1;
        }
        *q = '/';
    }
    int rc = 0;
    if (mkdir(p, 0777) < 0 && errno != EEXIST)
        rc =
            sl_fail(e, SL_EXIT_IO, "csv:%s: cannot create the directory: %s", dir, strerror(errno));
    free(p);
    return rc;
}

static int csv_open(sink *s, sl_err *e)
{
    csv_priv *c = s->priv;
    const model *m = s->cfg.m;
    c->created = access(c->dir, F_OK) != 0;
    if (mkdirs(c->dir, e) < 0) return -1;
    struct stat st;
    if (stat(c->dir, &st) < 0 || !S_ISDIR(st.st_mode))
        return sl_fail(e, SL_EXIT_IO, "csv:%s: not a directory", c->dir);
    if (access(c->dir, W_OK) < 0)
        return sl_fail(e, SL_EXIT_IO, "csv:%s: the directory is not writable: %s", c->dir,
                       strerror(errno));
    c->tmp = xcalloc(m->nt, sizeof(char *));
    c->final = xcalloc(m->nt, sizeof(char *));
    for (size_t i = 0; i < m->nt; i++) {
        sbuf b = {0};
        sbuf_printf(&b, "%s/%s.csv", c->dir, m->t[i].name);
        c->final[i] = sbuf_detach(&b);
        struct stat fst;
        if (lstat(c->final[i], &fst) == 0 && S_ISLNK(fst.st_mode)) {
            char *real = realpath(c->final[i], NULL); /* replace what the link points at */
            if (real) {
                free(c->final[i]);
                c->final[i] = real;
            }
        }
        if (stat(c->final[i], &fst) == 0 && !S_ISREG(fst.st_mode))
            return sl_fail(e, SL_EXIT_USAGE, "%s exists and is not a regular file", c->final[i]);
        if (!s->cfg.force && access(c->final[i], F_OK) == 0)
            return sl_fail(e, SL_EXIT_USAGE, "%s already exists; use --force to replace it",
                           c->final[i]);
    }
    return 0;
}

static int csv_table_begin(sink *s, const mtable *t, sl_err *e)
{
    csv_priv *c = s->priv;
    c->tmp[t->idx] = sink_temp_path(c->final[t->idx]);
    c->fd = open(c->tmp[t->idx], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    c->cur = t->idx;
    if (c->fd < 0) {
        free(c->tmp[t->idx]);
        c->tmp[t->idx] = NULL;
        return sl_fail(e, SL_EXIT_IO, "csv:%s: cannot create a file for '%s': %s", c->dir, t->name,
                       strerror(errno));
    }
    if (s->cfg.header && s->cfg.shard_i <= 1) {
        sbuf h = {0};
        enc_csv_header(t, &h);
        int rc = sink_write_all(c->fd, h.p, h.len, c->final[t->idx], e);
        sbuf_free(&h);
        return rc;
    }
    return 0;
}

static int csv_write(sink *s, const mtable *t, uint64_t first, const char *data, size_t len,
                     uint64_t nrows, sl_err *e)
{
    (void)first, (void)nrows;
    csv_priv *c = s->priv;
    return sink_write_all(c->fd, data, len, c->final[t->idx], e);
}

static int csv_table_end(sink *s, const mtable *t, sl_err *e)
{
    csv_priv *c = s->priv;
    int rc = close(c->fd);
    c->fd = -1;
    if (rc < 0) return sl_fail(e, SL_EXIT_IO, "writing %s: %s", c->final[t->idx], strerror(errno));
    return 0;
}

static int csv_commit(sink *s, const table_result *res, sl_err *e)
{
    (void)res;
    csv_priv *c = s->priv;
    for (size_t i = 0; i < s->cfg.m->nt; i++) {
        if (!c->tmp[i]) continue;
        if (rename(c->tmp[i], c->final[i]) < 0)
            return sl_fail(e, SL_EXIT_IO, "cannot move %s into place: %s", c->final[i],
                           strerror(errno));
        free(c->tmp[i]);
        c->tmp[i] = NULL;
    }
    sink_fsync_dir(c->final[0]);
    return 0;
}

static void csv_abort(sink *s)
{
    csv_priv *c = s->priv;
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    for (size_t i = 0; c->tmp && i < s->cfg.m->nt; i++)
        if (c->tmp[i]) {
            unlink(c->tmp[i]);
            free(c->tmp[i]);
            c->tmp[i] = NULL;
        }
    if (c->created) rmdir(c->dir); /* only if still empty: a failed run leaves nothing */
}

static void csv_free(sink *s)
{
    csv_priv *c = s->priv;
    if (!c) return;
    for (size_t i = 0; c->final && i < s->cfg.m->nt; i++) {
        free(c->final[i]);
        free(c->tmp ? c->tmp[i] : NULL);
    }
    free(c->final);
    free(c->tmp);
    free(c->dir);
    free(c);
}

static const sink_ops csv_ops = {"csv",         csv_open,   csv_table_begin, csv_write,
                                 csv_table_end, csv_commit, csv_abort,       csv_free};

int sink_csv_new(const char *dir, sink *s, sl_err *e)
{
    if (!*dir) return sl_fail(e, SL_EXIT_USAGE, "csv: needs a directory (csv:DIR)");
    csv_priv *c = xcalloc(1, sizeof *c);
    c->dir = xstrdup(dir);
    size_t n = strlen(c->dir);
    while (n > 1 && c->dir[n - 1] == '/') c->dir[--n] = '\0';
    c->fd = -1;
    s->priv = c;
    s->ops = &csv_ops;
    s->enc.kind = ENC_CSV;
    return 0;
}
