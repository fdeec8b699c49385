/* sink.c — choosing a sink from a target string, and what the file-based sinks share:
 * temporary names beside the final path, complete writes, and directory fsync. */
#include "seedload/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int sink_new(const char *target, const sink_cfg *cfg, sink **out, sl_err *e)
{
    *out = NULL;
    sink *s = xcalloc(1, sizeof *s);
    s->cfg = *cfg;
    s->enc.digest = cfg->digest;
    int rc;
    if (strncmp(target, "sqlite:", 7) == 0) {
        s->where = xstrdup(target);
        rc = sink_sqlite_new(target + 7, s, e);
    } else if (strncmp(target, "csv:", 4) == 0) {
        s->where = xstrdup(target);
        rc = sink_csv_new(target + 4, s, e);
    } else if (strncmp(target, "sql:", 4) == 0) {
        s->where = xstrdup(target);
        rc = sink_sql_new(target + 4, s, e);
    } else if (strncmp(target, "postgresql://", 13) == 0 ||
               strncmp(target, "postgres://", 11) == 0 || strchr(target, '=') != NULL) {
        s->where = sl_mask_conninfo(target);
        rc = sink_pg_new(target, s, e);
    } else {
        s->where = sl_mask_conninfo(target);
        rc = sl_fail(e, SL_EXIT_USAGE,
                     "unknown target '%s': use sqlite:PATH, csv:DIR, sql:FILE, or a PostgreSQL "
                     "connection (postgresql://... or 'host=... dbname=...')",
                     s->where);
    }
    if (rc < 0) {
        sink_free(s);
        return -1;
    }
    if (cfg->shard_n > 1 && s->enc.kind != ENC_CSV) {
        sink_free(s);
        return sl_fail(e, SL_EXIT_USAGE,
                       "--shard makes a disjoint slice of CSV files; use it with a csv: target");
    }
    *out = s;
    return 0;
}

void sink_free(sink *s)
{
    if (!s) return;
    if (s->ops && s->ops->free) s->ops->free(s);
    if (s->enc.insert_heads) {
        for (size_t i = 0; i < s->cfg.m->nt; i++) free(s->enc.insert_heads[i]);
        free(s->enc.insert_heads);
    }
    free(s->where);
    free(s);
}

int sink_write_all(int fd, const char *data, size_t len, const char *what, sl_err *e)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return sl_fail(e, SL_EXIT_IO, "writing %s: %s", what, strerror(errno));
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

char *sink_temp_path(const char *final_path)
{
    char *d = xstrdup(final_path), *b = xstrdup(final_path);
    sbuf s = {0};
    sbuf_printf(&s, "%s/.%s.seedload-tmp-%ld", dirname(d), basename(b), (long)getpid());
    free(d);
    free(b);
    return sbuf_detach(&s);
}

int sink_fsync_dir(const char *path_in_dir)
{
    char *d = xstrdup(path_in_dir);
    int fd = open(dirname(d), O_RDONLY | O_DIRECTORY);
    free(d);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int sink_load_ddl(const model *m, sql_dialect d, sql_script **out, sl_err *e)
{
    const char *path = d == DIALECT_SQLITE ? m->p->sql_sqlite : m->p->sql_postgres;
    if (!path)
        return sl_fail(e, SL_EXIT_USAGE, "%s: the profile names no %s schema file (schema: %s:)",
                       m->p->path, d == DIALECT_SQLITE ? "SQLite" : "PostgreSQL",
                       d == DIALECT_SQLITE ? "sqlite" : "postgres");
    return sql_script_load(path, d, out, e);
}
