/* target.c — reading back what `generate` recorded in a target (its _seedload_meta and
 * _seedload_tables), in SQLite or PostgreSQL. */
#include "seedload/target.h"
#include "seedload/enc.h"
#include "seedload/pgutil.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int target_parse(const char *target, sql_dialect *d, const char **where, sl_err *e)
{
    if (strncmp(target, "sqlite:", 7) == 0 && target[7]) {
        *d = DIALECT_SQLITE;
        *where = target + 7;
        return 0;
    }
    if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0 ||
        strchr(target, '=')) {
        *d = DIALECT_POSTGRES;
        *where = target;
        return 0;
    }
    char *masked = sl_mask_conninfo(target);
    sl_fail(e, SL_EXIT_USAGE,
            "target '%s' is not a database: use sqlite:PATH or a PostgreSQL connection "
            "(postgresql://... or 'host=... dbname=...')",
            masked);
    free(masked);
    return -1;
}

char *target_pg_schemas(const profile *p, const char *schema_opt)
{
    const ynode *opt = p->postgres;
    const ynode *list = opt ? yn_get(opt, "schemas") : NULL;
    const ynode *one = opt ? yn_get(opt, "schema") : NULL;
    sbuf b = {0};
    if (yn_is_seq(list)) {
        for (size_t i = 0; i < list->n; i++) {
            if (i) sbuf_adds(&b, ", ");
            enc_ident(&b, yn_is_scalar(list->items[i]) ? list->items[i]->str : "?");
        }
    } else {
        enc_ident(&b, schema_opt ? schema_opt : yn_is_scalar(one) ? one->str : p->name);
    }
    return sbuf_detach(&b);
}

static void add_table(target_meta *m, const char *name, uint64_t rows, const char *checksum)
{
    m->tables = xrealloc(m->tables, (m->ntables + 1) * sizeof(char *));
    m->rows = xrealloc(m->rows, (m->ntables + 1) * sizeof(uint64_t));
    m->checksums = xrealloc(m->checksums, (m->ntables + 1) * sizeof(char *));
    m->tables[m->ntables] = xstrdup(name);
    m->checksums[m->ntables] = checksum && *checksum ? xstrdup(checksum) : NULL;
    m->rows[m->ntables++] = rows;
}

static void set_kv(target_meta *m, const char *k, const char *v)
{
    if (!v) return;
    if (strcmp(k, "profile") == 0)
        m->profile = xstrdup(v);
    else if (strcmp(k, "scenario") == 0)
        m->scenario = xstrdup(v);
    else if (strcmp(k, "dataset_id") == 0)
        m->dataset_id = xstrdup(v);
    else if (strcmp(k, "scale") == 0)
        m->scale = strtod(v, NULL);
    else if (strcmp(k, "seed") == 0)
        m->seed = strtoull(v, NULL, 10);
}

/* where: what to name in the message; target: what to pass to generate's --target. */
static int no_meta(const char *where, const char *target, sl_err *e)
{
    return sl_fail(e, SL_EXIT_USAGE,
                   "%s holds no seedload metadata (_seedload_meta): it was not made by "
                   "`seedload generate`. Run `seedload generate PROFILE --target %s` first",
                   where, target);
}

static int meta_sqlite(const char *path, target_meta *m, sl_err *e)
{
    sqlite3 *db = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT)
        return sl_fail(
            e, SL_EXIT_USAGE,
            "sqlite:%s does not exist. Run `seedload generate PROFILE --target sqlite:%s` first",
            path, path);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc =
            sl_fail(e, SL_EXIT_IO, "sqlite:%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return rc;
    }
    snprintf(m->server_version, sizeof m->server_version, "SQLite %s", sqlite3_libversion());
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT key, value FROM _seedload_meta", -1, &st, NULL) !=
        SQLITE_OK) {
        sqlite3_close(db);
        sbuf w = {0};
        sbuf_printf(&w, "sqlite:%s", path);
        int rc = no_meta(w.p, w.p, e);
        sbuf_free(&w);
        return rc;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        set_kv(m, (const char *)sqlite3_column_text(st, 0),
               (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db,
                           "SELECT name, rows, checksum FROM _seedload_tables ORDER BY load_order",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW)
            add_table(m, (const char *)sqlite3_column_text(st, 0),
                      (uint64_t)sqlite3_column_int64(st, 1),
                      (const char *)sqlite3_column_text(st, 2));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return 0;
}

static char *first_schema(const char *schemas)
{
    /* "\"a\", \"b\"" → a */
    const char *p = schemas;
    if (*p == '"') p++;
    size_t n = strcspn(p, "\",");
    return xstrndup(p, n);
}

static int meta_pg(const char *conninfo, const char *schemas, target_meta *m, sl_err *e)
{
    PGconn *c = pg_connect(conninfo, e);
    if (!c) return -1;
    const char *ver = PQparameterStatus(c, "server_version");
    snprintf(m->server_version, sizeof m->server_version, "PostgreSQL %s", ver ? ver : "?");
    char *s0 = first_schema(schemas);
    sbuf q = {0};
    sbuf_adds(&q, "SELECT key, value FROM ");
    enc_ident(&q, s0);
    sbuf_adds(&q, "._seedload_meta");
    sl_err e2 = {0};
    PGresult *r = pg_query(c, q.p, 0, NULL, &e2);
    int rc = 0;
    if (!r && !strstr(e2.msg, "SQLSTATE 42P01") && !strstr(e2.msg, "SQLSTATE 3F000")) {
        *e = e2; /* not a missing table: permissions, a broken server... say what it was */
        rc = -1;
    } else if (!r) {
        char *masked = sl_mask_conninfo(conninfo);
        sbuf w = {0};
        sbuf_printf(&w, "%s (schema %s)", masked, s0);
        rc = no_meta(w.p, masked, e);
        sbuf_free(&w);
        free(masked);
    } else {
        for (int i = 0; i < PQntuples(r); i++) set_kv(m, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
        PQclear(r);
        sbuf_clear(&q);
        sbuf_adds(&q, "SELECT name, rows, checksum FROM ");
        enc_ident(&q, s0);
        sbuf_adds(&q, "._seedload_tables ORDER BY load_order");
        r = pg_query(c, q.p, 0, NULL, &e2);
        for (int i = 0; r && i < PQntuples(r); i++)
            add_table(m, PQgetvalue(r, i, 0), strtoull(PQgetvalue(r, i, 1), NULL, 10),
                      PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2));
        PQclear(r);
    }
    free(s0);
    sbuf_free(&q);
    PQfinish(c);
    return rc;
}

int target_meta_read(sql_dialect d, const char *where, const char *pg_schemas, target_meta *out,
                     sl_err *e)
{
    memset(out, 0, sizeof *out);
    return d == DIALECT_SQLITE ? meta_sqlite(where, out, e) : meta_pg(where, pg_schemas, out, e);
}

void target_meta_free(target_meta *m)
{
    for (size_t i = 0; i < m->ntables; i++) {
        free(m->tables[i]);
        free(m->checksums[i]);
    }
    free(m->checksums);
    free(m->tables);
    free(m->rows);
    free(m->profile);
    free(m->scenario);
    free(m->dataset_id);
    memset(m, 0, sizeof *m);
}

/* Run q (one row, one integer column) against the target; writable opens SQLite for writing
 * and waits for its lock. *found is false when the answer is NULL or there is no row. */
static int scalar(sql_dialect d, const char *where, const char *pg_schemas, const char *q,
                  bool writable, int64_t *out, bool *found, sl_err *e)
{
    *out = 0;
    *found = false;
    int rc = 0;
    if (d == DIALECT_SQLITE) {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        if (sqlite3_open_v2(where, &db, writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
                            NULL) != SQLITE_OK ||
            sqlite3_busy_timeout(db, 10000) != SQLITE_OK ||
            sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
            rc = sl_fail(e, SL_EXIT_IO, "sqlite:%s: %s: %s", where, q,
                         db ? sqlite3_errmsg(db) : "cannot open");
        } else {
            int step = sqlite3_step(st);
            if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                *out = sqlite3_column_int64(st, 0);
                *found = true;
            } else if (step != SQLITE_ROW && step != SQLITE_DONE) {
                rc = sl_fail(e, SL_EXIT_IO, "sqlite:%s: %s: %s", where, q, sqlite3_errmsg(db));
            }
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        return rc;
    }
    PGconn *c = pg_connect(where, e);
    if (!c) return -1;
    sbuf sp = {0};
    sbuf_printf(&sp, "SET search_path TO %s, public", pg_schemas);
    PGresult *r = NULL;
    if (pg_exec(c, sp.p, e) < 0 || !(r = pg_query(c, q, 0, NULL, e)))
        rc = -1;
    else if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
        *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        *found = true;
    }
    PQclear(r);
    sbuf_free(&sp);
    PQfinish(c);
    return rc;
}

int target_max(sql_dialect d, const char *where, const char *pg_schemas, const char *table,
               const char *column, int64_t *out, bool *found, sl_err *e)
{
    sbuf q = {0};
    sbuf_adds(&q, "SELECT max(");
    enc_ident(&q, column);
    sbuf_adds(&q, ") FROM ");
    enc_table_name(&q, table, d);
    int rc = scalar(d, where, pg_schemas, q.p, false, out, found, e);
    sbuf_free(&q);
    return rc;
}

int target_next_run(sql_dialect d, const char *where, const char *pg_schemas, uint64_t *run,
                    sl_err *e)
{
    /* One statement, so concurrent runs each get their own number. */
    sbuf q = {0};
    sbuf_adds(&q, "INSERT INTO ");
    if (d == DIALECT_POSTGRES) {
        char *s0 = first_schema(pg_schemas);
        enc_ident(&q, s0);
        sbuf_addc(&q, '.');
        free(s0);
    }
    sbuf_adds(&q,
              "_seedload_meta AS m (key, value) VALUES ('bench_runs', '1') ON CONFLICT (key) DO "
              "UPDATE SET "
              "value = CAST(CAST(m.value AS bigint) + 1 AS text) RETURNING CAST(value AS bigint)");
    int64_t v;
    bool found;
    int rc = scalar(d, where, pg_schemas, q.p, true, &v, &found, e);
    sbuf_free(&q);
    if (rc == 0 && (!found || v < 1))
        rc = sl_fail(e, SL_EXIT_IO, "cannot number this run in _seedload_meta");
    *run = rc == 0 ? (uint64_t)v : 0;
    return rc;
}
