/* sink_pg.c — PostgreSQL target: an atomic refresh loaded over several connections.
 *
 *   1. a control connection takes an advisory lock for the profile's schemas, and says
 *      "already identical" when the schemas' metadata holds this dataset;
 *   2. the DDL builds the schemas under staging names (<schema>__seedload_new) in one
 *      transaction; the COPY format of each table is chosen (binary when every column type
 *      has a binary form, text otherwise);
 *   3. --jobs connections each COPY whole chunks (one COPY per chunk, so an error names its
 *      row and the load needs no long transaction), tables one after another in load order;
 *   4. post-load statements (indexes, keys), metadata and ANALYZE run in the staging schemas;
 *   5. one short transaction drops the old schemas and renames the staging ones into place.
 * Until step 5 commits nothing a reader can see has changed; a failure or kill at any point
 * leaves the old schemas as they were (a leftover staging schema is dropped by the next run).
 * docs/postgres.md explains the method and its costs. */
#include "seedload/pgddl.h"
#include "seedload/pgutil.h"
#include "seedload/sink.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define JOBQ         2
#define STAGE_SUFFIX "__seedload_new"

typedef struct pgchunk {
    int table;
    uint64_t first, nrows;
    char *data;
    size_t len;
} pgchunk;

struct pg_priv;

typedef struct pgjob {
    struct pg_priv *pp;
    PGconn *conn;
    pthread_t th;
    bool started, busy, quit;
    pgchunk *q[JOBQ];
    int qh, qn;
} pgjob;

typedef struct pg_priv {
    char *conninfo;
    PGconn *ctl;
    sql_script *ddl;
    bool qualified;        /* the DDL names its schemas itself */
    char **final, **stage; /* the profile's schemas and their staging names */
    size_t nsch;
    char **rel_schema_stage; /* per table: staging schema */
    char **rel_name;         /* per table: relation name */
    char **copy_sql;         /* per table */
    enc_pgtable *pgt;        /* per table */
    bool *serial;            /* per table: load its chunks in order on one connection */
    bool locked, staged;
    int64_t lock_key;
    pgjob *jobs;
    int njobs;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    bool failed;
    sl_err err;
} pg_priv;

static const char *const meta_table = "_seedload_meta";
static const char *const meta_tables = "_seedload_tables";

/* ---- schemas and names ---------------------------------------------------------------- */

/* PostgreSQL names hold 63 bytes; longer ones are cut silently, which would make the staging
 * name collide with the final one. */
#define PG_NAME_MAX 63

static int add_schema(pg_priv *pp, const char *name)
{
    for (size_t i = 0; i < pp->nsch; i++)
        if (strcmp(pp->final[i], name) == 0) return 0;
    pp->final = xrealloc(pp->final, (pp->nsch + 1) * sizeof(char *));
    pp->stage = xrealloc(pp->stage, (pp->nsch + 1) * sizeof(char *));
    pp->final[pp->nsch] = xstrdup(name);
    sbuf b = {0};
    size_t len = strlen(name);
    if (len + strlen(STAGE_SUFFIX) <= PG_NAME_MAX) {
        sbuf_printf(&b, "%s%s", name, STAGE_SUFFIX);
    } else {
        /* A long name keeps its first 40 bytes and a hash of the whole, so the staging name
         * fits and still differs from every final name. */
        sbuf_add(&b, name, 40);
        sbuf_printf(&b, "_%08x%s", (unsigned)(sl_hash64(name, len, 0x5c4e) & 0xffffffffu),
                    STAGE_SUFFIX);
    }
    pp->stage[pp->nsch++] = sbuf_detach(&b);
    return 0;
}

static int stage_of(const pg_priv *pp, const char *final)
{
    for (size_t i = 0; i < pp->nsch; i++)
        if (strcmp(pp->final[i], final) == 0) return (int)i;
    return -1;
}

/* Read postgres: {schema: X} or {schemas: [a, b]} (default: one schema named after the
 * profile), and place every table. */
static int plan_schemas(sink *s, sl_err *e)
{
    pg_priv *pp = s->priv;
    const model *m = s->cfg.m;
    const ynode *opt = m->p->postgres;
    const ynode *list = opt ? yn_get(opt, "schemas") : NULL;
    const ynode *one = opt ? yn_get(opt, "schema") : NULL;
    if (list) {
        if (!yn_is_seq(list) || list->n == 0)
            return sl_fail(e, SL_EXIT_USAGE, "%s: postgres.schemas must be a list of schema names",
                           m->p->path);
        pp->qualified = true;
        for (size_t i = 0; i < list->n; i++) {
            if (!yn_is_scalar(list->items[i]))
                return sl_fail(e, SL_EXIT_USAGE, "%s:%d: a schema name", m->p->path,
                               list->items[i]->line);
            add_schema(pp, list->items[i]->str);
        }
        for (size_t i = 0; i < pp->nsch; i++)
            if (strlen(pp->final[i]) > PG_NAME_MAX)
                return sl_fail(e, SL_EXIT_USAGE,
                               "schema name '%s' is longer than PostgreSQL's %d bytes",
                               pp->final[i], PG_NAME_MAX);
    } else {
        const char *name = s->cfg.pg_schema             ? s->cfg.pg_schema
                           : (one && yn_is_scalar(one)) ? one->str
                                                        : m->p->name;
        if (strcmp(name, "public") == 0)
            return sl_fail(e, SL_EXIT_USAGE,
                           "the schema 'public' cannot be replaced atomically (it holds other "
                           "objects); load into a schema of its own, e.g. --schema %s",
                           m->p->name);
        if (strlen(name) > PG_NAME_MAX)
            return sl_fail(e, SL_EXIT_USAGE,
                           "schema name '%s' is longer than PostgreSQL's %d bytes", name,
                           PG_NAME_MAX);
        add_schema(pp, name);
    }
    pp->rel_schema_stage = xcalloc(m->nt, sizeof(char *));
    pp->rel_name = xcalloc(m->nt, sizeof(char *));
    for (size_t i = 0; i < m->nt; i++) {
        const char *tn = m->t[i].name, *dot = strchr(tn, '.');
        if (pp->qualified) {
            if (!dot)
                return sl_fail(
                    e, SL_EXIT_USAGE,
                    "%s: table '%s' needs its schema (e.g. %s.%s): postgres.schemas is set",
                    m->p->path, tn, pp->final[0], tn);
            char *sc = xstrndup(tn, (size_t)(dot - tn));
            int k = stage_of(pp, sc);
            free(sc);
            if (k < 0)
                return sl_fail(e, SL_EXIT_USAGE,
                               "%s: table '%s': its schema is not in postgres.schemas", m->p->path,
                               tn);
            pp->rel_schema_stage[i] = pp->stage[k];
            pp->rel_name[i] = xstrdup(dot + 1);
        } else {
            if (dot)
                return sl_fail(e, SL_EXIT_USAGE,
                               "%s: table '%s' names a schema; list the profile's schemas in "
                               "postgres: {schemas: [...]}",
                               m->p->path, tn);
            pp->rel_schema_stage[i] = pp->stage[0];
            pp->rel_name[i] = xstrdup(tn);
        }
    }
    return 0;
}

static void qualified_name(sbuf *b, const char *nsp, const char *rel)
{
    pg_ident(b, nsp);
    sbuf_addc(b, '.');
    pg_ident(b, rel);
}

/* The statement as it must run while building the staging schemas. */
static char *staged_sql(const pg_priv *pp, const char *sql)
{
    if (!pp->qualified) return xstrdup(sql);
    return pgddl_rename_schemas(sql, (const char *const *)pp->final, (const char *const *)pp->stage,
                                pp->nsch);
}

static int set_search_path(const pg_priv *pp, PGconn *c, sl_err *e)
{
    sbuf q = {0};
    sbuf_adds(&q, "SET search_path TO ");
    if (!pp->qualified) {
        pg_ident(&q, pp->stage[0]);
        sbuf_adds(&q, ", ");
    }
    sbuf_adds(&q, "public");
    int rc = pg_exec(c, q.p, e);
    sbuf_free(&q);
    return rc;
}

/* ---- loading connections ----------------------------------------------------------------- */

static void job_error(pgjob *j, const pgchunk *ch, PGresult *r)
{
    pg_priv *pp = j->pp;
    sbuf b = {0};
    pg_describe_error(r, j->conn, &b);
    /* CONTEXT: COPY students, line 17[, column gpa: "..."] — line counts tuples from 1. */
    uint64_t row = ch->first;
    const char *ctx = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
    const char *ln = ctx ? strstr(ctx, ", line ") : NULL;
    bool have_row = false;
    if (ln) {
        unsigned long long k = strtoull(ln + 7, NULL, 10);
        if (k >= 1 && k <= ch->nrows) {
            row = ch->first + k - 1;
            have_row = true;
        }
    }
    pthread_mutex_lock(&pp->mu);
    if (!pp->failed) {
        pp->failed = true;
        const char *tname = pp->rel_name[ch->table];
        if (PQstatus(j->conn) == CONNECTION_BAD)
            sl_fail(&pp->err, SL_EXIT_IO,
                    "lost the connection to PostgreSQL while loading table '%s': %s", tname, b.p);
        else if (have_row)
            sl_fail(&pp->err, SL_EXIT_IO, "table '%s', row %" PRIu64 ": %s", tname, row, b.p);
        else
            sl_fail(&pp->err, SL_EXIT_IO, "table '%s', rows %" PRIu64 "..%" PRIu64 ": %s", tname,
                    ch->first, ch->first + ch->nrows - 1, b.p);
    }
    pthread_mutex_unlock(&pp->mu);
    sbuf_free(&b);
}

static void run_copy(pgjob *j, const pgchunk *ch)
{
    pg_priv *pp = j->pp;
    PGresult *r = PQexec(j->conn, pp->copy_sql[ch->table]);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        job_error(j, ch, r);
        PQclear(r);
        return;
    }
    PQclear(r);
    bool bin = pp->pgt[ch->table].binary;
    int ok = 1;
    if (bin) {
        sbuf h = {0};
        enc_pg_header(&h);
        ok = PQputCopyData(j->conn, h.p, (int)h.len);
        sbuf_free(&h);
    }
    /* libpq takes at most INT_MAX bytes per call; chunks are far smaller. */
    if (ok == 1 && ch->len) ok = PQputCopyData(j->conn, ch->data, (int)ch->len);
    if (ok == 1 && bin) ok = PQputCopyData(j->conn, "\xff\xff", 2);
    if (ok == 1) ok = PQputCopyEnd(j->conn, NULL);
    bool reported = false;
    while ((r = PQgetResult(j->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !reported) {
            job_error(j, ch, r);
            reported = true;
        }
        PQclear(r);
        if (PQstatus(j->conn) == CONNECTION_BAD) break;
    }
    if (ok != 1 && !reported) job_error(j, ch, NULL);
}

static void *job_main(void *arg)
{
    pgjob *j = arg;
    pg_priv *pp = j->pp;
    pthread_mutex_lock(&pp->mu);
    for (;;) {
        while (!j->quit && j->qn == 0) pthread_cond_wait(&pp->cv_work, &pp->mu);
        if (j->qn == 0) break;
        pgchunk *ch = j->q[j->qh];
        j->qh = (j->qh + 1) % JOBQ;
        j->qn--;
        j->busy = true;
        bool skip = pp->failed;
        pthread_mutex_unlock(&pp->mu);
        if (!skip) run_copy(j, ch);
        free(ch->data);
        free(ch);
        pthread_mutex_lock(&pp->mu);
        j->busy = false;
        pthread_cond_broadcast(&pp->cv_done);
    }
    pthread_mutex_unlock(&pp->mu);
    return NULL;
}

static void stop_jobs(pg_priv *pp, bool cancel)
{
    if (!pp->jobs) return;
    pthread_mutex_lock(&pp->mu);
    for (int i = 0; i < pp->njobs; i++) pp->jobs[i].quit = true;
    pthread_cond_broadcast(&pp->cv_work);
    pthread_mutex_unlock(&pp->mu);
    for (int i = 0; i < pp->njobs; i++) {
        pgjob *j = &pp->jobs[i];
        if (cancel && j->conn) {
            PGcancel *c = PQgetCancel(j->conn);
            char buf[256];
            if (c) PQcancel(c, buf, sizeof buf), PQfreeCancel(c);
        }
        if (j->started) pthread_join(j->th, NULL);
        j->started = false;
        for (; j->qn > 0; j->qn--) {
            pgchunk *ch = j->q[j->qh];
            j->qh = (j->qh + 1) % JOBQ;
            free(ch->data);
            free(ch);
        }
        PQfinish(j->conn);
        j->conn = NULL;
    }
    free(pp->jobs);
    pp->jobs = NULL;
    pp->njobs = 0;
}

static int start_jobs(sink *s, sl_err *e)
{
    pg_priv *pp = s->priv;
    bool flexible = s->cfg.jobs < 0;
    int n = flexible ? -s->cfg.jobs : s->cfg.jobs < 1 ? 1 : s->cfg.jobs;
    pp->jobs = xcalloc((size_t)n, sizeof *pp->jobs);
    pp->njobs = n;
    for (int i = 0; i < n; i++) {
        pgjob *j = &pp->jobs[i];
        j->pp = pp;
        if (!(j->conn = pg_connect(pp->conninfo, e))) {
            if (flexible && i > 0) { /* the default count, not the user's: load with fewer */
                pp->njobs = i;
                *e = (sl_err){0};
                return 0;
            }
            return -1;
        }
        /* Durability comes from the final swap, which commits synchronously (and WAL is
         * flushed in order), so the staging loads need not wait for the disk. */
        if (pg_exec(j->conn, "SET synchronous_commit = off", e) < 0 ||
            set_search_path(pp, j->conn, e) < 0)
            return -1;
        if (pthread_create(&j->th, NULL, job_main, j) != 0)
            return sl_fail(e, SL_EXIT_IO, "cannot start a loading thread");
        j->started = true;
    }
    return 0;
}

/* ---- the sink ----------------------------------------------------------------------------- */

static int ctl_fail(sink *s, sl_err *e)
{
    sl_err_prefix(e, "%s", s->where);
    return -1;
}

static int check_existing(sink *s, sl_err *e)
{
    pg_priv *pp = s->priv;
    /* Which of the final schemas exist, and what does the metadata say? */
    int present = 0;
    for (size_t i = 0; i < pp->nsch; i++) {
        const char *prm[1] = {pp->final[i]};
        PGresult *r = pg_query(pp->ctl, "SELECT 1 FROM pg_namespace WHERE nspname = $1", 1, prm, e);
        if (!r) return ctl_fail(s, e);
        present += PQntuples(r) > 0;
        PQclear(r);
    }
    if (!present) return 0;
    sbuf q = {0};
    sbuf_adds(&q, "SELECT value FROM ");
    qualified_name(&q, pp->final[0], meta_table);
    sbuf_adds(&q, " WHERE key = 'dataset_id'");
    sbuf reg = {0};
    qualified_name(&reg, pp->final[0], meta_table);
    const char *prm[1] = {reg.p};
    PGresult *r = pg_query(pp->ctl, "SELECT to_regclass($1) IS NOT NULL", 1, prm, e);
    sbuf_free(&reg);
    if (!r) {
        sbuf_free(&q);
        return ctl_fail(s, e);
    }
    bool has_meta = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    char *id = NULL;
    if (has_meta) {
        r = pg_query(pp->ctl, q.p, 0, NULL, e);
        if (r && PQntuples(r) == 1) id = xstrdup(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    sbuf_free(&q);
    if (!has_meta && !s->cfg.force) {
        free(id);
        return sl_fail(
            e, SL_EXIT_USAGE,
            "%s: schema '%s' exists and was not made by seedload; use --force to replace it",
            s->where, pp->final[0]);
    }
    bool same = id && strcmp(id, s->cfg.dataset_id) == 0 && present == (int)pp->nsch;
    free(id);
    return same && !s->cfg.force ? 1 : 0;
}

static int drop_stage(pg_priv *pp, sl_err *e)
{
    for (size_t i = 0; i < pp->nsch; i++) {
        sbuf q = {0};
        sbuf_adds(&q, "DROP SCHEMA IF EXISTS ");
        pg_ident(&q, pp->stage[i]);
        sbuf_adds(&q, " CASCADE");
        int rc = pg_exec(pp->ctl, q.p, e);
        sbuf_free(&q);
        if (rc < 0) return -1;
    }
    return 0;
}

static int run_ddl(sink *s, bool post, sl_err *e)
{
    pg_priv *pp = s->priv;
    for (size_t i = 0; i < pp->ddl->n; i++) {
        const sql_stmt *st = &pp->ddl->st[i];
        if (st->post_load != post) continue;
        char *sql = staged_sql(pp, st->sql);
        int rc = pg_exec_interruptible(pp->ctl, sql, e);
        free(sql);
        if (rc < 0) {
            sl_err_prefix(e, "%s: %s:%d", s->where, pp->ddl->path, st->line);
            return -1;
        }
    }
    return 0;
}

/* Column types of each staging table: binary COPY where every column allows it. */
static int plan_copy(sink *s, sl_err *e)
{
    pg_priv *pp = s->priv;
    const model *m = s->cfg.m;
    pp->pgt = xcalloc(m->nt, sizeof *pp->pgt);
    pp->copy_sql = xcalloc(m->nt, sizeof(char *));
    pp->serial = xcalloc(m->nt, sizeof(bool));
    for (size_t i = 0; i < m->nt; i++) {
        /* Rows that refer to earlier rows of their own table must find them committed: such a
         * table loads chunk after chunk on one connection. */
        const mtable *t = &m->t[i];
        char nb[256];
        const char *own = sqlite_table_name(t->name, nb, sizeof nb);
        for (size_t f = 0; t->sch && f < t->sch->nfk; f++)
            if (strcasecmp(t->sch->fk_tables[f], own) == 0) pp->serial[i] = true;
        for (size_t c = 0; c < t->ncols; c++)
            if (t->cols[c].g && gen_is_self_ref(t->cols[c].g)) pp->serial[i] = true;
    }
    for (size_t i = 0; i < m->nt; i++) {
        const mtable *t = &m->t[i];
        sbuf rel = {0};
        qualified_name(&rel, pp->rel_schema_stage[i], pp->rel_name[i]);
        const char *prm[1] = {rel.p};
        PGresult *r = pg_query(pp->ctl,
                               "SELECT a.attname, t.typname, t.typtype FROM pg_attribute a JOIN "
                               "pg_type t ON t.oid = a.atttypid WHERE a.attrelid = to_regclass($1) "
                               "AND a.attnum > 0 AND NOT a.attisdropped",
                               1, prm, e);
        if (!r) {
            sbuf_free(&rel);
            return ctl_fail(s, e);
        }
        if (PQntuples(r) == 0) {
            PQclear(r);
            sbuf_free(&rel);
            return sl_fail(e, SL_EXIT_USAGE, "table '%s' is not created by %s", t->name,
                           m->p->sql_postgres);
        }
        enc_pgtable *pt = &pp->pgt[i];
        pt->types = xcalloc(t->nout ? t->nout : 1, 1);
        pt->binary = true;
        for (size_t k = 0; k < t->nout; k++) {
            const mcol *c = &t->cols[t->out[k]];
            int found = -1;
            for (int row = 0; row < PQntuples(r); row++)
                if (strcmp(PQgetvalue(r, row, 0), c->name) == 0) found = row;
            if (found < 0) {
                PQclear(r);
                sbuf_free(&rel);
                return sl_fail(e, SL_EXIT_USAGE, "column '%s' of table '%s' is not created by %s",
                               c->name, t->name, m->p->sql_postgres);
            }
            pgt p = enc_pg_type(PQgetvalue(r, found, 1), PQgetvalue(r, found, 2)[0]);
            pt->types[k] = (uint8_t)p;
            if (!enc_pg_compatible(c->type, p)) pt->binary = false;
        }
        PQclear(r);
        sbuf q = {0};
        sbuf_adds(&q, "COPY ");
        sbuf_add(&q, rel.p, rel.len);
        sbuf_adds(&q, " (");
        for (size_t k = 0; k < t->nout; k++) {
            if (k) sbuf_adds(&q, ", ");
            pg_ident(&q, t->cols[t->out[k]].name);
        }
        sbuf_printf(&q, ") FROM STDIN (FORMAT %s)", pt->binary ? "binary" : "text");
        pp->copy_sql[i] = sbuf_detach(&q);
        sbuf_free(&rel);
    }
    s->enc.pg = pp->pgt;
    return 0;
}

/* Say who holds the lock: often a killed seedload whose server session is still finishing
 * an index build. */
static int lock_holder(sink *s, const char *key, sl_err *e)
{
    pg_priv *pp = s->priv;
    const char *prm[1] = {key};
    PGresult *r =
        pg_query(pp->ctl,
                 "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''), "
                 "left(coalesce(a.query, ''), 80), coalesce(extract(epoch FROM now() - "
                 "a.query_start)::int, 0) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = "
                 "l.pid WHERE l.locktype = 'advisory' AND l.granted AND "
                 "((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint LIMIT 1",
                 1, prm, NULL);
    if (r && PQntuples(r) == 1)
        sl_fail(e, SL_EXIT_IO,
                "%s: another seedload is loading schema '%s' right now (server process %s, %s, "
                "running for %s s: %s). If that seedload was killed, its server session is still "
                "finishing; wait for it or end it with SELECT pg_terminate_backend(%s)",
                s->where, pp->final[0], PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 2),
                PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 0));
    else
        sl_fail(e, SL_EXIT_IO, "%s: another seedload is loading schema '%s' right now", s->where,
                pp->final[0]);
    PQclear(r);
    return -1;
}

/* Objects outside the profile's schemas that depend on them would be dropped with them by the
 * swap (DROP SCHEMA ... CASCADE): refuse unless --force, and say which. */
static int outside_dependents(sink *s, sl_err *e)
{
    pg_priv *pp = s->priv;
    sbuf arr = {0};
    sbuf_addc(&arr, '{');
    for (size_t i = 0; i < pp->nsch; i++) {
        if (i) sbuf_addc(&arr, ',');
        sbuf_addc(&arr, '"');
        for (const char *c = pp->final[i]; *c; c++) {
            if (*c == '"' || *c == '\\') sbuf_addc(&arr, '\\');
            sbuf_addc(&arr, *c);
        }
        sbuf_addc(&arr, '"');
    }
    sbuf_addc(&arr, '}');
    const char *prm[1] = {arr.p};
    PGresult *r = pg_query(
        pp->ctl,
        "WITH ours AS (SELECT oid FROM pg_namespace WHERE nspname = ANY($1::text[])), "
        "objs AS (SELECT 'pg_class'::regclass AS cls, c.oid FROM pg_class c WHERE c.relnamespace "
        "IN (SELECT oid FROM ours) "
        "UNION ALL SELECT 'pg_type'::regclass, t.oid FROM pg_type t WHERE t.typnamespace IN "
        "(SELECT oid FROM ours) "
        "UNION ALL SELECT 'pg_proc'::regclass, p.oid FROM pg_proc p WHERE p.pronamespace IN "
        "(SELECT oid FROM ours)), "
        "deps AS (SELECT d.classid, d.objid, d.objsubid, CASE d.classid "
        "  WHEN 'pg_class'::regclass THEN (SELECT relnamespace FROM pg_class WHERE oid = d.objid) "
        "  WHEN 'pg_rewrite'::regclass THEN (SELECT c.relnamespace FROM pg_rewrite w JOIN pg_class "
        "c ON c.oid = w.ev_class WHERE w.oid = d.objid) "
        "  WHEN 'pg_constraint'::regclass THEN (SELECT coalesce(c.relnamespace, k.connamespace) "
        "FROM pg_constraint k LEFT JOIN pg_class c ON c.oid = k.conrelid WHERE k.oid = d.objid) "
        "  WHEN 'pg_trigger'::regclass THEN (SELECT c.relnamespace FROM pg_trigger g JOIN pg_class "
        "c ON c.oid = g.tgrelid WHERE g.oid = d.objid) "
        "  WHEN 'pg_attrdef'::regclass THEN (SELECT c.relnamespace FROM pg_attrdef a JOIN pg_class "
        "c ON c.oid = a.adrelid WHERE a.oid = d.objid) "
        "  WHEN 'pg_type'::regclass THEN (SELECT typnamespace FROM pg_type WHERE oid = d.objid) "
        "  WHEN 'pg_proc'::regclass THEN (SELECT pronamespace FROM pg_proc WHERE oid = d.objid) "
        "END AS nsp "
        "  FROM pg_depend d JOIN objs o ON d.refclassid = o.cls AND d.refobjid = o.oid WHERE "
        "d.deptype = 'n') "
        "SELECT DISTINCT pg_describe_object(classid, objid, 0) FROM deps "
        "WHERE nsp IS NOT NULL AND nsp NOT IN (SELECT oid FROM ours) ORDER BY 1 LIMIT 20",
        1, prm, e);
    sbuf_free(&arr);
    if (!r) return ctl_fail(s, e);
    int n = PQntuples(r);
    if (n > 0 && !s->cfg.force) {
        sbuf list = {0};
        for (int i = 0; i < n; i++) sbuf_printf(&list, "%s%s", i ? "; " : "", PQgetvalue(r, i, 0));
        sl_fail(e, SL_EXIT_USAGE,
                "%s: replacing schema '%s' would also drop objects outside the profile's schemas "
                "that depend on it: %s. Use --force to replace it anyway",
                s->where, pp->final[0], list.p);
        sbuf_free(&list);
        PQclear(r);
        return -1;
    }
    if (n > 0)
        for (int i = 0; i < n; i++)
            fprintf(
                stderr,
                "seedload: warning: the refresh drops %s (it depends on the profile's schemas)\n",
                PQgetvalue(r, i, 0));
    PQclear(r);
    return 0;
}

static int pg_open(sink *s, sl_err *e)
{
    pg_priv *pp = s->priv;
    if (plan_schemas(s, e) < 0) return -1;
    if (sink_load_ddl(s->cfg.m, DIALECT_POSTGRES, &pp->ddl, e) < 0) return -1;
    if (!(pp->ctl = pg_connect(pp->conninfo, e))) return -1;
    if (PQserverVersion(pp->ctl) < 110000)
        return sl_fail(e, SL_EXIT_IO, "%s: PostgreSQL %d is too old (11 or later is needed)",
                       s->where, PQserverVersion(pp->ctl) / 10000);
    /* The catalog queries below are estimated expensive enough to be JIT-compiled, which
     * costs ~75 ms and saves nothing on catalogs this small. */
    if (pg_exec(pp->ctl, "SET jit = off", e) < 0) return ctl_fail(s, e);
    /* One loader per set of schemas at a time. */
    sbuf key = {0};
    sbuf_adds(&key, "seedload");
    for (size_t i = 0; i < pp->nsch; i++) sbuf_printf(&key, ":%s", pp->final[i]);
    pp->lock_key = (int64_t)sl_hash64(key.p, key.len, 0x10c6);
    sbuf_free(&key);
    char kbuf[32];
    snprintf(kbuf, sizeof kbuf, "%lld", (long long)pp->lock_key);
    const char *prm[1] = {kbuf};
    PGresult *r = pg_query(pp->ctl, "SELECT pg_try_advisory_lock($1::bigint)", 1, prm, e);
    if (!r) return ctl_fail(s, e);
    pp->locked = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!pp->locked) return lock_holder(s, kbuf, e);
    /* Leftovers of an interrupted run go first, whatever happens next. */
    if (drop_stage(pp, e) < 0) return ctl_fail(s, e);
    int ex = check_existing(s, e);
    if (ex != 0) return ex;
    if (outside_dependents(s, e) < 0) return -1;
    /* The schema objects, in one transaction: a failing statement leaves nothing behind. */
    if (pg_exec(pp->ctl, "BEGIN", e) < 0) return ctl_fail(s, e);
    pp->staged = true;
    if (!pp->qualified) {
        sbuf q = {0};
        sbuf_adds(&q, "CREATE SCHEMA ");
        pg_ident(&q, pp->stage[0]);
        int rc = pg_exec(pp->ctl, q.p, e);
        sbuf_free(&q);
        if (rc < 0) return ctl_fail(s, e);
    }
    if (set_search_path(pp, pp->ctl, e) < 0 || run_ddl(s, false, e) < 0 ||
        pg_exec(pp->ctl, "COMMIT", e) < 0) {
        pg_exec(pp->ctl, "ROLLBACK", NULL);
        return -1;
    }
    if (plan_copy(s, e) < 0) return -1;
    return start_jobs(s, e);
}

static int pg_table_begin(sink *s, const mtable *t, sl_err *e)
{
    (void)s, (void)t, (void)e;
    return 0;
}

static int job_failed(sink *s, sl_err *e)
{
    pg_priv *pp = s->priv;
    *e = pp->err;
    sl_err_prefix(e, "%s", s->where);
    return -1;
}

static int pg_write(sink *s, const mtable *t, uint64_t first, const char *data, size_t len,
                    uint64_t nrows, sl_err *e)
{
    pg_priv *pp = s->priv;
    pgchunk *ch = xmalloc(sizeof *ch);
    ch->table = t->idx;
    ch->first = first;
    ch->nrows = nrows;
    ch->len = len;
    ch->data = xmalloc(len ? len : 1);
    memcpy(ch->data, data, len);
    pthread_mutex_lock(&pp->mu);
    for (;;) {
        if (pp->failed) break;
        /* The connection with the shortest queue takes the chunk (the first one always, for a
         * table whose rows refer to its earlier rows). */
        pgjob *best = NULL;
        for (int i = 0; i < (pp->serial[t->idx] ? 1 : pp->njobs); i++) {
            pgjob *j = &pp->jobs[i];
            if (j->qn < JOBQ && (!best || j->qn + j->busy < best->qn + best->busy)) best = j;
        }
        if (best) {
            best->q[(best->qh + best->qn) % JOBQ] = ch;
            best->qn++;
            ch = NULL;
            pthread_cond_broadcast(&pp->cv_work);
            break;
        }
        pthread_cond_wait(&pp->cv_done, &pp->mu);
    }
    bool failed = pp->failed;
    pthread_mutex_unlock(&pp->mu);
    if (ch) {
        free(ch->data);
        free(ch);
    }
    return failed ? job_failed(s, e) : 0;
}

/* Wait until every connection has finished what it was given. */
static int drain(sink *s, sl_err *e)
{
    pg_priv *pp = s->priv;
    pthread_mutex_lock(&pp->mu);
    for (;;) {
        bool idle = true;
        for (int i = 0; i < pp->njobs; i++) idle &= pp->jobs[i].qn == 0 && !pp->jobs[i].busy;
        if (idle || pp->failed) break;
        pthread_cond_wait(&pp->cv_done, &pp->mu);
    }
    bool failed = pp->failed;
    pthread_mutex_unlock(&pp->mu);
    return failed ? job_failed(s, e) : 0;
}

static int pg_table_end(sink *s, const mtable *t, sl_err *e)
{
    (void)t;
    /* Tables load one after another: a child's foreign keys see a complete parent. */
    return drain(s, e);
}

static int write_meta(sink *s, const table_result *res, sl_err *e)
{
    pg_priv *pp = s->priv;
    const model *m = s->cfg.m;
    sbuf q = {0};
    sbuf_adds(&q, "CREATE TABLE ");
    qualified_name(&q, pp->stage[0], meta_table);
    sbuf_adds(&q, " (key text PRIMARY KEY, value text); CREATE TABLE ");
    qualified_name(&q, pp->stage[0], meta_tables);
    sbuf_adds(
        &q, " (name text PRIMARY KEY, sql_name text, rows bigint, checksum text, load_order int)");
    int rc = pg_exec(pp->ctl, q.p, e);
    sbuf_clear(&q);
    if (rc < 0) goto out;
    char scale[64], seed[32], when[64];
    snprintf(scale, sizeof scale, "%.17g", m->scale);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)m->seed);
    snprintf(when, sizeof when, "%.0f", sl_wall_time());
    sbuf schemas = {0};
    for (size_t i = 0; i < pp->nsch; i++) sbuf_printf(&schemas, "%s%s", i ? "," : "", pp->final[i]);
    const char *kv[][2] = {{"dataset_id", s->cfg.dataset_id},
                           {"profile", m->p->name},
                           {"profile_path", m->p->path},
                           {"scenario", s->cfg.scenario},
                           {"scale", scale},
                           {"seed", seed},
                           {"seedload_version", SL_VERSION},
                           {"data_format", SL_STR(SL_DATA_FORMAT)},
                           {"schemas", schemas.p},
                           {"checksums", s->cfg.digest ? "yes" : "no"},
                           {"generated_at", when}};
    sbuf_adds(&q, "INSERT INTO ");
    qualified_name(&q, pp->stage[0], meta_table);
    sbuf_adds(&q, " VALUES ($1, $2)");
    for (size_t i = 0; i < sizeof kv / sizeof kv[0] && rc == 0; i++) {
        PGresult *r = pg_query(pp->ctl, q.p, 2, kv[i], e);
        if (!r) rc = -1;
        PQclear(r);
    }
    sbuf_free(&schemas);
    sbuf_clear(&q);
    sbuf_adds(&q, "INSERT INTO ");
    qualified_name(&q, pp->stage[0], meta_tables);
    sbuf_adds(&q, " VALUES ($1, $2, $3, $4, $5)");
    for (size_t oi = 0; oi < m->nt && rc == 0; oi++) {
        const mtable *t = &m->t[m->order[oi]];
        char hex[33], rows[32], ord[32];
        enc_digest_hex(&res[t->idx].digest, hex);
        snprintf(rows, sizeof rows, "%" PRIu64, res[t->idx].rows);
        snprintf(ord, sizeof ord, "%zu", oi);
        sbuf sql_name = {0};
        const char *dot = strchr(t->name, '.');
        if (dot)
            sbuf_adds(&sql_name, t->name);
        else
            sbuf_printf(&sql_name, "%s.%s", pp->final[0], t->name);
        const char *prm[5] = {t->name, sql_name.p, rows, s->cfg.digest ? hex : NULL, ord};
        PGresult *r = pg_query(pp->ctl, q.p, 5, prm, e);
        if (!r) rc = -1;
        PQclear(r);
        sbuf_free(&sql_name);
    }
out:
    sbuf_free(&q);
    return rc;
}

static int pg_commit(sink *s, const table_result *res, sl_err *e)
{
    pg_priv *pp = s->priv;
    const model *m = s->cfg.m;
    if (drain(s, e) < 0) return -1;
    stop_jobs(pp, false);
    if (sl_stop)
        return sl_fail(e, SL_EXIT_IO, "%s: interrupted; the old data is unchanged", s->where);
    if (pg_exec(pp->ctl, "SET maintenance_work_mem = '256MB'", e) < 0) return ctl_fail(s, e);
    if (run_ddl(s, true, e) < 0) return -1;
    if (write_meta(s, res, e) < 0) return ctl_fail(s, e);
    for (size_t i = 0; i < m->nt; i++) {
        sbuf q = {0};
        sbuf_adds(&q, "ANALYZE ");
        qualified_name(&q, pp->rel_schema_stage[i], pp->rel_name[i]);
        int rc = pg_exec_interruptible(pp->ctl, q.p, e);
        sbuf_free(&q);
        if (rc < 0) return ctl_fail(s, e);
    }
    /* The swap: the only moment readers see a change, and they see all of it at once. */
    sbuf q = {0};
    sbuf_adds(&q, "BEGIN; SET LOCAL lock_timeout = '100ms';");
    for (size_t i = 0; i < pp->nsch; i++) {
        sbuf_adds(&q, " DROP SCHEMA IF EXISTS ");
        pg_ident(&q, pp->final[i]);
        sbuf_adds(&q, " CASCADE; ALTER SCHEMA ");
        pg_ident(&q, pp->stage[i]);
        sbuf_adds(&q, " RENAME TO ");
        pg_ident(&q, pp->final[i]);
        sbuf_addc(&q, ';');
    }
    /* Routine bodies were built with staging names; now that the schemas carry their final
     * names, the original definitions replace them (same OIDs: triggers keep pointing at
     * them). Still inside the swap transaction. */
    if (pp->qualified)
        for (size_t i = 0; i < pp->ddl->n; i++)
            if (pgddl_is_routine(pp->ddl->st[i].sql)) {
                char *r = pgddl_or_replace(pp->ddl->st[i].sql);
                sbuf_adds(&q, " ");
                sbuf_adds(&q, r);
                sbuf_addc(&q, ';');
                free(r);
            }
    sbuf_adds(&q, " COMMIT");
    /* The swap needs exclusive locks on the old tables. Waiting for them in one long attempt
     * would queue every new reader behind it and ignore Ctrl-C; instead try for 100 ms at a
     * time, step back, and try again, for up to 5 minutes. */
    int rc = -1;
    uint64_t t0 = sl_now_ns();
    for (int attempt = 0;; attempt++) {
        if (sl_stop) {
            sl_fail(e, SL_EXIT_IO, "interrupted while waiting to replace the old schemas");
            break;
        }
        rc = pg_exec(pp->ctl, q.p, e);
        if (rc == 0) break;
        pg_exec(pp->ctl, "ROLLBACK", NULL);
        if (!strstr(e->msg, "55P03") || sl_now_ns() - t0 > 300000000000ULL) break;
        struct timespec ts = {0, (attempt < 10 ? 100 : 500) * 1000000L};
        nanosleep(&ts, NULL);
    }
    sbuf_free(&q);
    if (rc < 0) {
        sl_err_prefix(e, "%s: replacing the old schemas (the old data is unchanged)", s->where);
        return -1;
    }
    pp->staged = false;
    return 0;
}

static void pg_abort(sink *s)
{
    pg_priv *pp = s->priv;
    stop_jobs(pp, true);
    if (pp->ctl && PQstatus(pp->ctl) == CONNECTION_OK) {
        if (PQtransactionStatus(pp->ctl) != PQTRANS_IDLE) pg_exec(pp->ctl, "ROLLBACK", NULL);
        if (pp->staged) drop_stage(pp, NULL);
    }
    pp->staged = false;
}

static void pg_free(sink *s)
{
    pg_priv *pp = s->priv;
    if (!pp) return;
    stop_jobs(pp, true);
    if (pp->ctl) {
        if (pp->locked && PQstatus(pp->ctl) == CONNECTION_OK) {
            char kbuf[32];
            snprintf(kbuf, sizeof kbuf, "%lld", (long long)pp->lock_key);
            const char *prm[1] = {kbuf};
            PQclear(pg_query(pp->ctl, "SELECT pg_advisory_unlock($1::bigint)", 1, prm, NULL));
        }
        PQfinish(pp->ctl);
    }
    const model *m = s->cfg.m;
    for (size_t i = 0; i < m->nt; i++) {
        if (pp->rel_name) free(pp->rel_name[i]);
        if (pp->copy_sql) free(pp->copy_sql[i]);
        if (pp->pgt) free(pp->pgt[i].types);
    }
    free(pp->rel_name);
    free(pp->rel_schema_stage);
    free(pp->copy_sql);
    free(pp->pgt);
    free(pp->serial);
    for (size_t i = 0; i < pp->nsch; i++) {
        free(pp->final[i]);
        free(pp->stage[i]);
    }
    free(pp->final);
    free(pp->stage);
    sql_script_free(pp->ddl);
    pthread_mutex_destroy(&pp->mu);
    pthread_cond_destroy(&pp->cv_work);
    pthread_cond_destroy(&pp->cv_done);
    free(pp->conninfo);
    free(pp);
}

static const sink_ops pg_ops = {"postgresql", pg_open,   pg_table_begin, pg_write,
                                pg_table_end, pg_commit, pg_abort,       pg_free};

int sink_pg_new(const char *conninfo, sink *s, sl_err *e)
{
    (void)e;
    pg_priv *pp = xcalloc(1, sizeof *pp);
    pp->conninfo = xstrdup(conninfo);
    pthread_mutex_init(&pp->mu, NULL);
    pthread_cond_init(&pp->cv_work, NULL);
    pthread_cond_init(&pp->cv_done, NULL);
    s->priv = pp;
    s->ops = &pg_ops;
    s->enc.kind = ENC_PG;
    return 0;
}
