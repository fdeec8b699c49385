/* app.c — what the subcommands share: loading a profile and its schema, printing every
 * diagnostic, resolving scenarios, compiling the model, and naming the dataset. */
#include "seedload/cli.h"
#include "seedload/load.h"
#include "gen_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int app_error(const sl_err *e)
{
    fprintf(stderr, "seedload: %s\n", e->msg);
    return e->code ? e->code : SL_EXIT_IO;
}

static void print_diag(const profile *p)
{
    if (p && p->diag.out.len) fputs(p->diag.out.p, stderr);
}

int app_load(const char *path, app_profile *ap)
{
    memset(ap, 0, sizeof *ap);
    sl_err e = {0};
    if (prof_load(path, &ap->p, &e) < 0) {
        if (!ap->p || !ap->p->diag.errors) {
            print_diag(ap->p);
            return app_error(&e);
        }
        /* The structure has errors, but the YAML parsed: compile what there is too, so that
         * one run lists the generators' problems as well. */
        if (ap->p->doc && ap->p->ntables) {
            sql_script *ddl = NULL;
            schema *sch = NULL;
            sl_err e2 = {0};
            if (ap->p->sql_sqlite &&
                sql_script_load(ap->p->sql_sqlite, DIALECT_SQLITE, &ddl, &e2) == 0)
                schema_from_sqlite(ddl, &sch, &e2);
            model *m = NULL;
            model_build(ap->p, sch, 1, ap->p->seed, &m, &e2);
            model_free(m);
            schema_free(sch);
            sql_script_free(ddl);
        }
        print_diag(ap->p);
        fprintf(stderr, "seedload: %s: %d error%s\n", path, ap->p->diag.errors,
                ap->p->diag.errors == 1 ? "" : "s");
        return SL_EXIT_USAGE;
    }
    if (ap->p->sql_sqlite) {
        if (sql_script_load(ap->p->sql_sqlite, DIALECT_SQLITE, &ap->ddl, &e) < 0 ||
            schema_from_sqlite(ap->ddl, &ap->sch, &e) < 0) {
            print_diag(ap->p);
            /* A missing or broken schema file is a problem of the profile. */
            e.code = SL_EXIT_USAGE;
            return app_error(&e);
        }
    }
    if (ap->p->sql_postgres) {
        sql_script *pg = NULL;
        if (sql_script_load(ap->p->sql_postgres, DIALECT_POSTGRES, &pg, &e) < 0) {
            e.code = SL_EXIT_USAGE;
            return app_error(&e);
        }
        sql_script_free(pg);
    }
    return 0;
}

void app_free(app_profile *ap)
{
    schema_free(ap->sch);
    sql_script_free(ap->ddl);
    prof_free(ap->p);
    memset(ap, 0, sizeof *ap);
}

int app_scenario(const profile *p, const char *scenario, double scale_opt, double *scale,
                 const char **name)
{
    const prof_scenario *sc = NULL;
    if (scenario) {
        sc = prof_scenario_find(p, scenario);
        if (!sc) {
            sbuf names = {0};
            const char *cands[64];
            size_t n = 0;
            for (size_t i = 0; i < p->nscenarios; i++) {
                sbuf_printf(&names, "%s%s", i ? ", " : "", p->scenarios[i].name);
                if (n < 64) cands[n++] = p->scenarios[i].name;
            }
            const char *sg = sl_suggest(scenario, cands, n);
            fprintf(stderr, "seedload: %s has no scenario '%s'%s%s%s (it has: %s)\n", p->path,
                    scenario, sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "",
                    names.len ? names.p : "none");
            sbuf_free(&names);
            return SL_EXIT_USAGE;
        }
    } else if (scale_opt <= 0 && p->default_scenario) {
        sc = prof_scenario_find(p, p->default_scenario);
    }
    *scale = sc ? sc->scale : 1;
    *name = sc ? sc->name : p->nscenarios ? "custom" : "default";
    if (scale_opt > 0) {
        *scale = scale_opt;
        if (!scenario) *name = "custom";
    }
    return 0;
}

int app_model(app_profile *ap, double scale, uint64_t seed, model **out)
{
    sl_err e = {0};
    int errs0 = ap->p->diag.errors;
    size_t len0 = ap->p->diag.out.len;
    int rc = model_build(ap->p, ap->sch, scale, seed, out, &e);
    if (ap->p->diag.out.len > len0) fputs(ap->p->diag.out.p + len0, stderr);
    /* Diagnostics are printed once; keep the buffer for the next compile clean. */
    ap->p->diag.out.len = len0;
    if (ap->p->diag.out.p) ap->p->diag.out.p[len0] = '\0';
    if (rc < 0) {
        fprintf(stderr, "seedload: %s\n", e.msg);
        ap->p->diag.errors = errs0;
        model_free(*out);
        *out = NULL;
        return SL_EXIT_USAGE;
    }
    return 0;
}

static void hash_file(uint64_t *h, const char *path)
{
    char *text;
    size_t len;
    sl_err e;
    if (path && sl_read_file(path, &text, &len, &e) == 0) {
        *h = sl_hash64(text, len, *h);
        free(text);
    } else {
        *h = sl_mix64(*h + 1);
    }
}

char *app_dataset_id(const model *m, const char *scenario)
{
    uint64_t h1 = 0x5eed10adULL ^ m->p->text_hash;
    hash_file(&h1, m->p->sql_sqlite);
    hash_file(&h1, m->p->sql_postgres);
    for (size_t i = 0; i < m->dicts->n; i++) {
        const dict *d = m->dicts->d[i];
        h1 = sl_hash64(d->name, strlen(d->name), h1);
        for (size_t j = 0; j < d->n; j++) h1 = sl_hash64(d->w[j], d->len[j], h1);
    }
    char buf[512];
    snprintf(buf, sizeof buf, "scenario=%s scale=%.17g seed=%llu format=%d", scenario, m->scale,
             (unsigned long long)m->seed, SL_DATA_FORMAT);
    uint64_t a = sl_hash64(buf, strlen(buf), h1);
    uint64_t b = sl_mix64(a ^ h1);
    sbuf s = {0};
    sbuf_printf(&s, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
    return sbuf_detach(&s);
}

int app_generate_to(app_profile *ap, const char *target, double scale, const char *scname,
                    uint64_t seed, int threads, int jobs, const char *pg_schema)
{
    model *m = NULL;
    int rc = app_model(ap, scale, seed, &m);
    if (rc) return rc;
    char *dataset = app_dataset_id(m, scname);
    sink_cfg cfg = {.m = m,
                    .scenario = scname,
                    .force = true,
                    .header = true,
                    .digest = true,
                    .quiet = true,
                    .jobs = jobs,
                    .pg_schema = pg_schema,
                    .dialect = DIALECT_SQLITE,
                    .shard_i = 1,
                    .shard_n = 1,
                    .dataset_id = dataset};
    sink *s = NULL;
    sl_err e = {0};
    table_result *res = xcalloc(m->nt, sizeof *res);
    if (sink_new(target, &cfg, &s, &e) < 0) {
        rc = app_error(&e);
    } else {
        load_opts lo = {.threads = threads < 1 ? 1 : threads, .progress = false};
        if (load_run(s, &lo, res, &e) < 0) rc = app_error(&e);
    }
    sink_free(s);
    free(res);
    free(dataset);
    model_free(m);
    return rc;
}
