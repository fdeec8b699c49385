/* results.c — reading a results document back (docs/results.md), merging documents from
 * several machines exactly, and writing one. The reader walks the jv tree with a path for
 * messages; histograms are decoded from their HdrHistogram V2 base64 form, counts are read
 * from their integer text so they stay exact beyond 2^53. */
#include "seedload/results.h"
#include "seedload/report.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- reading files ---------------------------------------------------------------------- */

int res_slurp(const char *path, char **out, size_t *len, sl_err *e)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return sl_fail(e, SL_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
    sbuf b = {0};
    char tmp[65536];
    size_t n;
    errno = 0;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) sbuf_add(&b, tmp, n);
    int bad = ferror(f), err = errno;
    if (!is_stdin) fclose(f);
    if (bad) {
        sbuf_free(&b);
        /* fread on a directory fails with EISDIR. */
        return sl_fail(e, SL_EXIT_IO, "%s: cannot read: %s", path,
                       err ? strerror(err) : "read error");
    }
    if (len) *len = b.len;
    *out = sbuf_detach(&b);
    return 0;
}

/* ---- the parse context: file name, error, JSON path ------------------------------------- */

typedef struct pctx {
    const char *name;
    sl_err *e;
} pctx;

/* Fail with "name: path.key: message". key may be NULL. */
static int pfail(pctx *c, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int pfail(pctx *c, const char *path, const char *key, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bool dot = path && *path && key;
    return sl_fail(c->e, SL_EXIT_USAGE, "%s: %s%s%s: %s", c->name, path ? path : "", dot ? "." : "",
                   key ? key : "", msg);
}

static const char *kind_name(const jv *v)
{
    switch (v->kind) {
    case JV_NULL: return "null";
    case JV_BOOL: return "a boolean";
    case JV_NUM: return "a number";
    case JV_STR: return "a string";
    case JV_ARR: return "an array";
    case JV_OBJ: return "an object";
    }
    return "?";
}

/* Exact integer text (optionally negative, no fraction or exponent). */
static bool int_text(const char *s)
{
    if (*s == '-') s++;
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

static int want_kind(pctx *c, const char *path, const char *key, const jv *v, jv_kind k,
                     const char *what)
{
    if (v->kind == k) return 0;
    return pfail(c, path, key, "expected %s, found %s", what, kind_name(v));
}

/* Optional fields: absent leaves *out untouched (the caller sets the default); present with
 * the wrong type fails. req makes absence an error. */
static int get_u64(pctx *c, const jv *o, const char *path, const char *key, bool req, uint64_t *out)
{
    const jv *v = jv_get(o, key);
    if (!v) return req ? pfail(c, path, key, "missing") : 0;
    if (want_kind(c, path, key, v, JV_NUM, "an integer") < 0) return -1;
    if (!int_text(v->str) || v->str[0] == '-')
        return pfail(c, path, key, "expected a non-negative integer, found %s", v->str);
    errno = 0;
    char *end;
    unsigned long long x = strtoull(v->str, &end, 10);
    if (errno || *end) return pfail(c, path, key, "integer %s is out of range", v->str);
    *out = x;
    return 0;
}

static int get_i64(pctx *c, const jv *o, const char *path, const char *key, bool req, int64_t *out)
{
    const jv *v = jv_get(o, key);
    if (!v) return req ? pfail(c, path, key, "missing") : 0;
    if (want_kind(c, path, key, v, JV_NUM, "an integer") < 0) return -1;
    if (!int_text(v->str)) return pfail(c, path, key, "expected an integer, found %s", v->str);
    errno = 0;
    char *end;
    long long x = strtoll(v->str, &end, 10);
    if (errno || *end) return pfail(c, path, key, "integer %s is out of range", v->str);
    *out = x;
    return 0;
}

static int get_num(pctx *c, const jv *o, const char *path, const char *key, bool req, double *out)
{
    const jv *v = jv_get(o, key);
    if (!v) return req ? pfail(c, path, key, "missing") : 0;
    if (v->kind == JV_NULL) return 0; /* the writer turns NaN/inf into null */
    if (want_kind(c, path, key, v, JV_NUM, "a number") < 0) return -1;
    if (!isfinite(v->num)) return pfail(c, path, key, "number %s is out of range", v->str);
    *out = v->num;
    return 0;
}

static int get_bool(pctx *c, const jv *o, const char *path, const char *key, bool *out)
{
    const jv *v = jv_get(o, key);
    if (!v) return 0;
    if (want_kind(c, path, key, v, JV_BOOL, "true or false") < 0) return -1;
    *out = v->b;
    return 0;
}

/* A string or null; *out is a copy (NULL for null/absent). */
static int get_strdup(pctx *c, const jv *o, const char *path, const char *key, bool req, char **out)
{
    *out = NULL;
    const jv *v = jv_get(o, key);
    if (!v) return req ? pfail(c, path, key, "missing") : 0;
    if (v->kind == JV_NULL && !req) return 0;
    if (want_kind(c, path, key, v, JV_STR, "a string") < 0) return -1;
    *out = xstrdup(v->str);
    return 0;
}

static int get_container(pctx *c, const jv *o, const char *path, const char *key, bool req,
                         jv_kind k, const jv **out)
{
    *out = NULL;
    const jv *v = jv_get(o, key);
    if (!v) return req ? pfail(c, path, key, "missing") : 0;
    if (want_kind(c, path, key, v, k, k == JV_OBJ ? "an object" : "an array") < 0) return -1;
    *out = v;
    return 0;
}

/* A JSON path for messages (truncated when absurdly long). */
static void mkpath(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void mkpath(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
}

/* ---- histograms ------------------------------------------------------------------------- */

hist *res_hist_decode(const char *name, const char *path, const jv *obj, sl_err *e)
{
    pctx c = {.name = name, .e = e};
    if (!obj || obj->kind != JV_OBJ) {
        pfail(&c, path, NULL, "expected a histogram object, found %s",
              obj ? kind_name(obj) : "nothing");
        return NULL;
    }
    const jv *b = jv_get(obj, "hist");
    if (!b) {
        pfail(&c, path, "hist", "missing (the histogram itself)");
        return NULL;
    }
    if (b->kind == JV_NULL) {
        pfail(&c, path, "hist", "null: the writer could not encode this histogram");
        return NULL;
    }
    if (want_kind(&c, path, "hist", b, JV_STR, "a base64 string") < 0) return NULL;
    sl_err de = {0};
    hist *h = hist_decode_b64(b->str, strlen(b->str), &de);
    if (!h) {
        pfail(&c, path, "hist", "%s", de.msg);
        return NULL;
    }
    uint64_t count = 0;
    const jv *cv = jv_get(obj, "count");
    if (cv) {
        if (get_u64(&c, obj, path, "count", false, &count) < 0) {
            hist_free(h);
            return NULL;
        }
        if ((int64_t)count != hist_total(h)) {
            pfail(&c, path, "count", "%" PRIu64 " but the histogram holds %" PRId64 " values",
                  count, hist_total(h));
            hist_free(h);
            return NULL;
        }
    }
    return h;
}

static int get_hist(pctx *c, const jv *o, const char *path, const char *key, bool req, hist **out)
{
    *out = NULL;
    const jv *v = jv_get(o, key);
    if (!v || v->kind == JV_NULL) return req ? pfail(c, path, key, "missing") : 0;
    char sub[512];
    mkpath(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
    *out = res_hist_decode(c->name, sub, v, c->e);
    return *out ? 0 : -1;
}

/* ---- a copy of a jv tree ---------------------------------------------------------------- */

static jv *jdup(const jv *v)
{
    jv *d = xcalloc(1, sizeof *d);
    d->kind = v->kind;
    d->b = v->b;
    d->num = v->num;
    d->str = v->str ? xstrdup(v->str) : NULL;
    d->n = v->n;
    if (v->n) {
        d->items = xcalloc(v->n, sizeof *d->items);
        for (size_t i = 0; i < v->n; i++) d->items[i] = jdup(v->items[i]);
        if (v->keys) {
            d->keys = xcalloc(v->n, sizeof *d->keys);
            for (size_t i = 0; i < v->n; i++) d->keys[i] = xstrdup(v->keys[i]);
        }
    }
    return d;
}

static jv *jarr_new(void)
{
    jv *a = xcalloc(1, sizeof *a);
    a->kind = JV_ARR;
    return a;
}

/* Append item (ownership passes to a). */
static void jarr_push(jv *a, jv *item)
{
    a->items = xrealloc(a->items, (a->n + 1) * sizeof *a->items);
    a->items[a->n++] = item;
}

static jv *jstr_new(const char *s)
{
    jv *v = xcalloc(1, sizeof *v);
    v->kind = JV_STR;
    v->str = xstrdup(s);
    return v;
}

/* ---- parsing ---------------------------------------------------------------------------- */

static void stmt_free(res_stmt *s)
{
    free(s->name);
    free(s->sql);
    hist_free(s->lat);
}

static void txn_free(res_txn *t)
{
    free(t->name);
    hist_free(t->lat);
    hist_free(t->svc);
    for (size_t i = 0; i < t->nst; i++) stmt_free(&t->st[i]);
    free(t->st);
}

static void run_free(res_run *r)
{
    hist_free(r->lat);
    hist_free(r->svc);
    hist_free(r->lag);
    for (size_t i = 0; i < r->ntx; i++) txn_free(&r->tx[i]);
    free(r->tx);
    for (size_t i = 0; i < r->nerr; i++) {
        free(r->err[i].code);
        free(r->err[i].txn);
        free(r->err[i].stmt);
        free(r->err[i].message);
    }
    free(r->err);
    free(r->ivl);
}

void res_free(res_doc *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nruns; i++) run_free(&d->runs[i]);
    free(d->runs);
    free(d->name);
    free(d->seedload_version);
    jv_free(d->config);
    jv_free(d->environments);
    jv_free(d->merged_files);
    free(d);
}

static int parse_txn(pctx *c, const jv *o, const char *path, res_txn *t)
{
    if (want_kind(c, path, NULL, o, JV_OBJ, "an object") < 0) return -1;
    if (get_strdup(c, o, path, "name", true, &t->name) < 0 ||
        get_u64(c, o, path, "count", false, &t->count) < 0 ||
        get_num(c, o, path, "tps", false, &t->tps) < 0 ||
        get_u64(c, o, path, "errors", false, &t->errors) < 0 ||
        get_u64(c, o, path, "retries", false, &t->retries) < 0 ||
        get_hist(c, o, path, "latency", true, &t->lat) < 0 ||
        get_hist(c, o, path, "service", false, &t->svc) < 0)
        return -1;
    const jv *st;
    if (get_container(c, o, path, "statements", false, JV_ARR, &st) < 0) return -1;
    if (!st) return 0;
    t->st = xcalloc(st->n ? st->n : 1, sizeof *t->st);
    for (size_t k = 0; k < st->n; k++) {
        char sp[512];
        mkpath(sp, sizeof sp, "%s.statements[%zu]", path, k);
        res_stmt *s = &t->st[t->nst++];
        const jv *so = st->items[k];
        if (want_kind(c, sp, NULL, so, JV_OBJ, "an object") < 0 ||
            get_strdup(c, so, sp, "name", true, &s->name) < 0 ||
            get_strdup(c, so, sp, "sql", false, &s->sql) < 0 ||
            get_u64(c, so, sp, "errors", false, &s->errors) < 0 ||
            get_hist(c, so, sp, "latency", true, &s->lat) < 0)
            return -1;
    }
    return 0;
}

static int parse_run(pctx *c, const jv *o, const char *path, res_run *r)
{
    if (want_kind(c, path, NULL, o, JV_OBJ, "an object") < 0) return -1;
    const jv *s;
    if (get_num(c, o, path, "started_at", false, &r->started_at) < 0 ||
        get_num(c, o, path, "seconds", false, &r->seconds) < 0 ||
        get_bool(c, o, path, "interrupted", &r->interrupted) < 0 ||
        get_container(c, o, path, "summary", true, JV_OBJ, &s) < 0)
        return -1;
    char sp[512];
    mkpath(sp, sizeof sp, "%s.summary", path);
    if (get_u64(c, s, sp, "transactions", true, &r->transactions) < 0 ||
        get_num(c, s, sp, "tps", false, &r->tps) < 0 ||
        get_u64(c, s, sp, "errors", false, &r->errors) < 0 ||
        get_u64(c, s, sp, "retries", false, &r->retries) < 0 ||
        get_u64(c, s, sp, "reconnects", false, &r->reconnects) < 0 ||
        get_u64(c, s, sp, "late", false, &r->late) < 0 ||
        get_u64(c, s, sp, "skipped", false, &r->skipped) < 0 ||
        get_bool(c, s, sp, "rate_met", &r->rate_met) < 0)
        return -1;
    const jv *unit = jv_get(o, "latency_unit");
    if (unit && (unit->kind != JV_STR || strcmp(unit->str, "ns") != 0))
        return pfail(c, path, "latency_unit", "this seedload reads latencies in \"ns\" only");
    if (get_hist(c, o, path, "latency", true, &r->lat) < 0 ||
        get_hist(c, o, path, "service", false, &r->svc) < 0 ||
        get_hist(c, o, path, "lag", false, &r->lag) < 0)
        return -1;
    const jv *a;
    if (get_container(c, o, path, "transactions", false, JV_ARR, &a) < 0) return -1;
    if (a) {
        r->tx = xcalloc(a->n ? a->n : 1, sizeof *r->tx);
        for (size_t i = 0; i < a->n; i++) {
            mkpath(sp, sizeof sp, "%s.transactions[%zu]", path, i);
            if (parse_txn(c, a->items[i], sp, &r->tx[r->ntx++]) < 0) return -1;
        }
    }
    if (get_container(c, o, path, "errors", false, JV_ARR, &a) < 0) return -1;
    if (a) {
        r->err = xcalloc(a->n ? a->n : 1, sizeof *r->err);
        for (size_t i = 0; i < a->n; i++) {
            mkpath(sp, sizeof sp, "%s.errors[%zu]", path, i);
            res_error *x = &r->err[r->nerr++];
            const jv *eo = a->items[i];
            if (want_kind(c, sp, NULL, eo, JV_OBJ, "an object") < 0 ||
                get_strdup(c, eo, sp, "code", false, &x->code) < 0 ||
                get_strdup(c, eo, sp, "transaction", false, &x->txn) < 0 ||
                get_strdup(c, eo, sp, "statement", false, &x->stmt) < 0 ||
                get_strdup(c, eo, sp, "message", false, &x->message) < 0 ||
                get_u64(c, eo, sp, "count", false, &x->count) < 0)
                return -1;
            if (!x->code) x->code = xstrdup("");
        }
    }
    if (get_container(c, o, path, "intervals", false, JV_ARR, &a) < 0) return -1;
    if (a) {
        r->ivl = xcalloc(a->n ? a->n : 1, sizeof *r->ivl);
        for (size_t i = 0; i < a->n; i++) {
            mkpath(sp, sizeof sp, "%s.intervals[%zu]", path, i);
            res_ivl *f = &r->ivl[r->nivl++];
            const jv *io = a->items[i];
            f->pct_exact = true;
            if (want_kind(c, sp, NULL, io, JV_OBJ, "an object") < 0 ||
                get_num(c, io, sp, "t", false, &f->t) < 0 ||
                get_u64(c, io, sp, "count", false, &f->count) < 0 ||
                get_num(c, io, sp, "tps", false, &f->tps) < 0 ||
                get_u64(c, io, sp, "errors", false, &f->errors) < 0 ||
                get_i64(c, io, sp, "p50", false, &f->p50) < 0 ||
                get_i64(c, io, sp, "p99", false, &f->p99) < 0 ||
                get_i64(c, io, sp, "max", false, &f->max) < 0 ||
                get_bool(c, io, sp, "percentiles_exact", &f->pct_exact) < 0)
                return -1;
        }
    }
    return 0;
}

/* Nesting depth of a tree (a scalar is 0). The writer indents at most 63 levels deep. */
static int jdepth(const jv *v)
{
    int d = 0;
    for (size_t i = 0; i < v->n; i++) {
        int x = jdepth(v->items[i]);
        if (x > d) d = x;
    }
    return v->kind == JV_ARR || v->kind == JV_OBJ ? d + 1 : 0;
}

static const char *cfg_str(const jv *cfg, const char *key)
{
    return jv_str(jv_get(cfg, key));
}

/* Fill the borrowed configuration fields from d->config. */
static int bind_config(pctx *c, res_doc *d)
{
    const jv *cfg = d->config;
    static const char *const strs[] = {"profile", "scenario", "workload", "dialect"};
    for (size_t i = 0; i < 4; i++) {
        const jv *v = jv_get(cfg, strs[i]);
        if (v && v->kind != JV_STR && v->kind != JV_NULL)
            return pfail(c, "config", strs[i], "expected a string, found %s", kind_name(v));
    }
    d->profile = cfg_str(cfg, "profile");
    d->scenario = cfg_str(cfg, "scenario");
    d->workload = cfg_str(cfg, "workload");
    d->dialect = cfg_str(cfg, "dialect");
    const jv *seed = jv_get(cfg, "seed");
    if (seed) {
        if (seed->kind != JV_NUM || !int_text(seed->str))
            return pfail(c, "config", "seed", "expected an integer");
        d->seed = seed->str;
    }
    if (get_num(c, cfg, "config", "scale", false, &d->scale) < 0 ||
        get_num(c, cfg, "config", "rate", false, &d->rate) < 0 ||
        get_i64(c, cfg, "config", "clients", false, &d->clients) < 0 ||
        get_i64(c, cfg, "config", "threads", false, &d->threads) < 0)
        return -1;
    return 0;
}

int res_parse(const char *name, const char *text, size_t len, res_doc **out, sl_err *e)
{
    *out = NULL;
    pctx c = {.name = name, .e = e};
    jv *root = jv_parse(name, text, len, e);
    if (!root) return -1;
    res_doc *d = xcalloc(1, sizeof *d);
    d->name = xstrdup(name);
    const char *fmt = jv_str(jv_get(root, "format"));
    if (root->kind != JV_OBJ || !fmt || strcmp(fmt, RES_FORMAT) != 0) {
        sl_fail(e, SL_EXIT_USAGE,
                "%s: not a seedload result (expected an object with \"format\": \"%s\")", name,
                RES_FORMAT);
        goto fail;
    }
    int64_t version = 0;
    if (get_i64(&c, root, "", "version", true, &version) < 0) goto fail;
    if (version != RES_VERSION) {
        pfail(&c, "", "version", "%" PRId64 " is not a results version this seedload reads (%d)",
              version, RES_VERSION);
        goto fail;
    }
    if (get_strdup(&c, root, "", "seedload_version", false, &d->seedload_version) < 0) goto fail;
    const jv *cfg, *env, *runs, *merged;
    if (get_container(&c, root, "", "config", true, JV_OBJ, &cfg) < 0 ||
        get_container(&c, root, "", "environment", false, JV_OBJ, &env) < 0 ||
        get_container(&c, root, "", "merged", false, JV_OBJ, &merged) < 0 ||
        get_container(&c, root, "", "runs", true, JV_ARR, &runs) < 0)
        goto fail;
    if (jdepth(cfg) > 16 || (env && jdepth(env) > 16) || (merged && jdepth(merged) > 17)) {
        pfail(&c, "",
              jdepth(cfg) > 16          ? "config"
              : env && jdepth(env) > 16 ? "environment"
                                        : "merged",
              "nested too deeply (at most 16 levels)");
        goto fail;
    }
    d->config = jdup(cfg);
    if (bind_config(&c, d) < 0) goto fail;
    /* Environments: a merged document lists every machine's; a bench result has one. */
    const jv *envs = NULL, *files = NULL;
    if (merged) {
        if (get_container(&c, merged, "merged", "environments", false, JV_ARR, &envs) < 0 ||
            get_container(&c, merged, "merged", "files", false, JV_ARR, &files) < 0 ||
            get_bool(&c, merged, "merged", "forced", &d->forced) < 0)
            goto fail;
        for (size_t i = 0; envs && i < envs->n; i++)
            if (envs->items[i]->kind != JV_OBJ) {
                char p[64];
                mkpath(p, sizeof p, "merged.environments[%zu]", i);
                pfail(&c, p, NULL, "expected an object, found %s", kind_name(envs->items[i]));
                goto fail;
            }
        for (size_t i = 0; files && i < files->n; i++)
            if (files->items[i]->kind != JV_STR) {
                char p[64];
                mkpath(p, sizeof p, "merged.files[%zu]", i);
                pfail(&c, p, NULL, "expected a string, found %s", kind_name(files->items[i]));
                goto fail;
            }
        d->merged_files = files ? jdup(files) : jarr_new();
    }
    if (envs)
        d->environments = jdup(envs);
    else {
        d->environments = jarr_new();
        if (env) jarr_push(d->environments, jdup(env));
    }
    if (runs->n == 0) {
        pfail(&c, "", "runs", "empty: the result holds no run");
        goto fail;
    }
    d->runs = xcalloc(runs->n, sizeof *d->runs);
    for (size_t i = 0; i < runs->n; i++) {
        char p[64];
        mkpath(p, sizeof p, "runs[%zu]", i);
        if (parse_run(&c, runs->items[i], p, &d->runs[d->nruns++]) < 0) goto fail;
    }
    jv_free(root);
    *out = d;
    return 0;
fail:
    jv_free(root);
    res_free(d);
    return -1;
}

int res_read_file(const char *path, res_doc **out, sl_err *e)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    if (res_slurp(path, &text, &len, e) < 0) return -1;
    int rc = res_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, text, len, out, e);
    free(text);
    return rc;
}

const res_txn *res_find_txn(const res_run *r, const char *name)
{
    for (size_t i = 0; i < r->ntx; i++)
        if (strcmp(r->tx[i].name, name) == 0) return &r->tx[i];
    return NULL;
}

/* ---- comparing and merging -------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

const char *res_config_diff(const res_doc *a, const res_doc *b)
{
    if (!str_eq(a->profile, b->profile)) return "profile";
    if (!str_eq(a->scenario, b->scenario)) return "scenario";
    if (a->scale != b->scale) return "scale";
    if (!str_eq(a->seed, b->seed)) return "seed";
    if (!str_eq(a->workload, b->workload)) return "workload";
    if (!str_eq(a->dialect, b->dialect)) return "dialect";
    return NULL;
}

/* The value of a configuration field for a message. */
static void field_text(const res_doc *d, const char *field, char *buf, size_t n)
{
    const jv *v = jv_get(d->config, field);
    if (!v)
        snprintf(buf, n, "(absent)");
    else if (v->kind == JV_STR)
        snprintf(buf, n, "'%s'", v->str);
    else if (v->kind == JV_NUM)
        snprintf(buf, n, "%s", v->str);
    else
        snprintf(buf, n, "%s", kind_name(v));
}

typedef struct mctx {
    hist *proto; /* the configuration every merged histogram takes */
    int64_t dropped;
    int64_t mismatched;
} mctx;

/* dst += src (src may be NULL). dst is created from proto when NULL. */
static void hadd(mctx *m, hist **dst, const hist *src)
{
    if (!src) return;
    if (!*dst) *dst = hist_dup_empty(m->proto);
    if (hist_lowest_trackable(src) != hist_lowest_trackable(*dst) ||
        hist_highest_trackable(src) != hist_highest_trackable(*dst) ||
        hist_sigfigs(src) != hist_sigfigs(*dst))
        m->mismatched++;
    m->dropped += hist_add(*dst, src);
}

static res_txn *txn_slot(res_run *r, const char *name)
{
    for (size_t i = 0; i < r->ntx; i++)
        if (strcmp(r->tx[i].name, name) == 0) return &r->tx[i];
    r->tx = xrealloc(r->tx, (r->ntx + 1) * sizeof *r->tx);
    res_txn *t = &r->tx[r->ntx++];
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    return t;
}

static res_stmt *stmt_slot(res_txn *t, const res_stmt *like)
{
    for (size_t i = 0; i < t->nst; i++)
        if (strcmp(t->st[i].name, like->name) == 0) return &t->st[i];
    t->st = xrealloc(t->st, (t->nst + 1) * sizeof *t->st);
    res_stmt *s = &t->st[t->nst++];
    memset(s, 0, sizeof *s);
    s->name = xstrdup(like->name);
    s->sql = like->sql ? xstrdup(like->sql) : NULL;
    return s;
}

static void merge_errors(res_run *into, const res_run *from)
{
    for (size_t i = 0; i < from->nerr; i++) {
        const res_error *x = &from->err[i];
        res_error *y = NULL;
        for (size_t j = 0; j < into->nerr && !y; j++)
            if (strcmp(into->err[j].code, x->code) == 0 && str_eq(into->err[j].txn, x->txn) &&
                str_eq(into->err[j].stmt, x->stmt))
                y = &into->err[j];
        if (!y) {
            into->err = xrealloc(into->err, (into->nerr + 1) * sizeof *into->err);
            y = &into->err[into->nerr++];
            memset(y, 0, sizeof *y);
            y->code = xstrdup(x->code);
            y->txn = x->txn ? xstrdup(x->txn) : NULL;
            y->stmt = x->stmt ? xstrdup(x->stmt) : NULL;
        }
        if (!y->message && x->message) y->message = xstrdup(x->message);
        y->count += x->count;
    }
}

static void merge_intervals(res_run *into, const res_run *from)
{
    size_t held = into->nivl; /* slots that already hold another machine's figures */
    if (from->nivl > into->nivl) {
        into->ivl = xrealloc(into->ivl, from->nivl * sizeof *into->ivl);
        into->nivl = from->nivl;
    }
    for (size_t i = 0; i < from->nivl; i++) {
        res_ivl *a = &into->ivl[i];
        const res_ivl *b = &from->ivl[i];
        if (i >= held) {
            *a = *b;
            continue;
        }
        /* Counts add up exactly; without the interval histograms the percentiles of the union
         * can only be bounded: each input has 99% of its values at or below its p99, so the
         * union has 99% at or below the largest p99 (likewise p50). max is exact. */
        if (b->t > a->t) a->t = b->t;
        a->count += b->count;
        a->errors += b->errors;
        a->tps += b->tps;
        if (b->p50 > a->p50) a->p50 = b->p50;
        if (b->p99 > a->p99) a->p99 = b->p99;
        if (b->max > a->max) a->max = b->max;
        a->pct_exact = false;
    }
}

static void merge_run(mctx *m, res_run *into, const res_run *from, bool first)
{
    if (first || from->started_at < into->started_at) into->started_at = from->started_at;
    if (from->seconds > into->seconds) into->seconds = from->seconds;
    into->interrupted |= from->interrupted;
    into->rate_met = first ? from->rate_met : into->rate_met && from->rate_met;
    into->transactions += from->transactions;
    into->tps += from->tps;
    into->errors += from->errors;
    into->retries += from->retries;
    into->reconnects += from->reconnects;
    into->late += from->late;
    into->skipped += from->skipped;
    hadd(m, &into->lat, from->lat);
    hadd(m, &into->svc, from->svc);
    hadd(m, &into->lag, from->lag);
    for (size_t i = 0; i < from->ntx; i++) {
        const res_txn *x = &from->tx[i];
        res_txn *y = txn_slot(into, x->name);
        y->count += x->count;
        y->errors += x->errors;
        y->retries += x->retries;
        y->tps += x->tps;
        hadd(m, &y->lat, x->lat);
        hadd(m, &y->svc, x->svc);
        for (size_t k = 0; k < x->nst; k++) {
            res_stmt *s = stmt_slot(y, &x->st[k]);
            s->errors += x->st[k].errors;
            hadd(m, &s->lat, x->st[k].lat);
        }
    }
    merge_errors(into, from);
    merge_intervals(into, from);
}

/* Sum an integer configuration field of every document into the copy of the configuration. */
static void set_config_num(jv *cfg, const char *key, double v, bool integer)
{
    for (size_t i = 0; i < cfg->n; i++) {
        if (strcmp(cfg->keys[i], key) != 0) continue;
        jv *x = cfg->items[i];
        free(x->str);
        sbuf b = {0};
        if (integer)
            sbuf_printf(&b, "%lld", (long long)v);
        else
            sbuf_printf(&b, "%.17g", v);
        x->kind = JV_NUM;
        x->num = v;
        x->str = sbuf_detach(&b);
        return;
    }
}

int res_merge(res_doc *const *docs, size_t n, const char *const *names, bool force, res_doc **out,
              sl_err *e)
{
    *out = NULL;
    if (n == 0) return sl_fail(e, SL_EXIT_USAGE, "merge: no results to merge");
    const res_doc *a = docs[0];
    size_t nruns = a->nruns;
    for (size_t i = 1; i < n; i++) {
        const char *f = res_config_diff(a, docs[i]);
        if (f && !force) {
            char va[256], vb[256];
            field_text(a, f, va, sizeof va);
            field_text(docs[i], f, vb, sizeof vb);
            return sl_fail(
                e, SL_EXIT_USAGE,
                "%s and %s differ in config.%s (%s vs %s): they measured different things; "
                "--force merges them anyway",
                a->name, docs[i]->name, f, va, vb);
        }
        if (docs[i]->nruns != a->nruns && !force)
            return sl_fail(
                e, SL_EXIT_USAGE,
                "%s holds %zu run%s but %s holds %zu: runs merge by position; --force merges "
                "the runs they have",
                a->name, a->nruns, a->nruns == 1 ? "" : "s", docs[i]->name, docs[i]->nruns);
        if (docs[i]->nruns > nruns) nruns = docs[i]->nruns;
    }
    res_doc *d = xcalloc(1, sizeof *d);
    d->name = xstrdup("merged");
    d->seedload_version = xstrdup(SL_VERSION);
    d->config = jdup(a->config);
    d->environments = jarr_new();
    d->merged_files = jarr_new();
    d->forced = false;
    for (size_t i = 0; i < n; i++) {
        const res_doc *x = docs[i];
        for (size_t k = 0; k < x->environments->n; k++)
            jarr_push(d->environments, jdup(x->environments->items[k]));
        jarr_push(d->merged_files, jstr_new(names && names[i] ? names[i] : x->name));
        d->forced |= x->forced || (i > 0 && (res_config_diff(a, x) || x->nruns != a->nruns));
        d->clients += x->clients;
        d->threads += x->threads;
        d->rate += x->rate;
    }
    /* The machines ran at the same time against one server: the load was their sum. */
    set_config_num(d->config, "clients", (double)d->clients, true);
    set_config_num(d->config, "threads", (double)d->threads, true);
    set_config_num(d->config, "rate", d->rate, false);
    res_doc tmp = {.config = d->config};
    pctx c = {.name = "merged", .e = e};
    bind_config(&c, &tmp); /* cannot fail: the first document's config passed the same check */
    d->profile = tmp.profile;
    d->scenario = tmp.scenario;
    d->workload = tmp.workload;
    d->dialect = tmp.dialect;
    d->seed = tmp.seed;
    d->scale = tmp.scale;

    mctx m = {.proto = a->runs[0].lat};
    d->runs = xcalloc(nruns, sizeof *d->runs);
    d->nruns = nruns;
    for (size_t r = 0; r < nruns; r++) {
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            if (r >= docs[i]->nruns) continue;
            merge_run(&m, &d->runs[r], &docs[i]->runs[r], first);
            first = false;
        }
    }
    e->code = 0;
    e->msg[0] = '\0';
    if (m.mismatched || m.dropped) {
        snprintf(e->msg, sizeof e->msg,
                 "warning: %" PRId64 " histogram%s configured differently from %s's were merged at "
                 "bucket resolution%s; %" PRId64 " value%s did not fit and were dropped",
                 m.mismatched, m.mismatched == 1 ? "" : "s", a->name,
                 m.mismatched ? " (not exact)" : "", m.dropped, m.dropped == 1 ? "" : "s");
    }
    *out = d;
    return 0;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* A number from its text: integers stay exact at any width that fits 64 bits. */
static void emit_num(jw *j, const jv *v)
{
    if (v->str && int_text(v->str)) {
        errno = 0;
        char *end;
        if (v->str[0] == '-') {
            long long x = strtoll(v->str, &end, 10);
            if (!errno && !*end) {
                jw_int(j, x);
                return;
            }
        } else {
            unsigned long long x = strtoull(v->str, &end, 10);
            if (!errno && !*end) {
                jw_uint(j, x);
                return;
            }
        }
    }
    jw_num(j, v->num);
}

static void emit(jw *j, const jv *v)
{
    switch (v->kind) {
    case JV_NULL: jw_null(j); break;
    case JV_BOOL: jw_bool(j, v->b); break;
    case JV_NUM: emit_num(j, v); break;
    case JV_STR: jw_str(j, v->str); break;
    case JV_ARR:
        jw_arr(j);
        for (size_t i = 0; i < v->n; i++) emit(j, v->items[i]);
        jw_end_arr(j);
        break;
    case JV_OBJ:
        jw_obj(j);
        for (size_t i = 0; i < v->n; i++) {
            jw_key(j, v->keys[i]);
            emit(j, v->items[i]);
        }
        jw_end_obj(j);
        break;
    }
}

/* An absent histogram is written empty, so the output always has the documented shape. */
static void whist(jw *j, const char *key, const hist *h, const hist *proto)
{
    jw_key(j, key);
    if (h) {
        report_json_hist(j, h);
        return;
    }
    hist *z = hist_dup_empty(proto);
    report_json_hist(j, z);
    hist_free(z);
}

static void write_run(jw *j, const res_run *r)
{
    jw_obj(j);
    jw_knum(j, "started_at", r->started_at);
    jw_knum(j, "seconds", r->seconds);
    jw_kbool(j, "interrupted", r->interrupted);
    jw_key(j, "summary");
    jw_obj(j);
    jw_key(j, "transactions"), jw_uint(j, r->transactions);
    jw_knum(j, "tps", r->tps);
    jw_key(j, "errors"), jw_uint(j, r->errors);
    jw_key(j, "retries"), jw_uint(j, r->retries);
    jw_key(j, "reconnects"), jw_uint(j, r->reconnects);
    jw_key(j, "late"), jw_uint(j, r->late);
    jw_key(j, "skipped"), jw_uint(j, r->skipped);
    jw_kbool(j, "rate_met", r->rate_met);
    jw_end_obj(j);
    jw_kstr(j, "latency_unit", "ns");
    whist(j, "latency", r->lat, r->lat);
    whist(j, "service", r->svc, r->lat);
    whist(j, "lag", r->lag, r->lat);
    jw_key(j, "transactions");
    jw_arr(j);
    for (size_t i = 0; i < r->ntx; i++) {
        const res_txn *t = &r->tx[i];
        jw_obj(j);
        jw_kstr(j, "name", t->name);
        jw_key(j, "count"), jw_uint(j, t->count);
        jw_knum(j, "tps", t->tps);
        jw_key(j, "errors"), jw_uint(j, t->errors);
        jw_key(j, "retries"), jw_uint(j, t->retries);
        whist(j, "latency", t->lat, r->lat);
        whist(j, "service", t->svc, r->lat);
        jw_key(j, "statements");
        jw_arr(j);
        for (size_t k = 0; k < t->nst; k++) {
            const res_stmt *s = &t->st[k];
            jw_obj(j);
            jw_kstr(j, "name", s->name);
            jw_kstr(j, "sql", s->sql);
            jw_key(j, "errors"), jw_uint(j, s->errors);
            whist(j, "latency", s->lat, r->lat);
            jw_end_obj(j);
        }
        jw_end_arr(j);
        jw_end_obj(j);
    }
    jw_end_arr(j);
    jw_key(j, "errors");
    jw_arr(j);
    for (size_t i = 0; i < r->nerr; i++) {
        const res_error *x = &r->err[i];
        jw_obj(j);
        jw_kstr(j, "code", x->code);
        jw_kstr(j, "transaction", x->txn);
        jw_kstr(j, "statement", x->stmt);
        jw_key(j, "count"), jw_uint(j, x->count);
        jw_kstr(j, "message", x->message);
        jw_end_obj(j);
    }
    jw_end_arr(j);
    jw_key(j, "intervals");
    jw_arr(j);
    for (size_t i = 0; i < r->nivl; i++) {
        const res_ivl *f = &r->ivl[i];
        jw_obj(j);
        jw_knum(j, "t", f->t);
        jw_key(j, "count"), jw_uint(j, f->count);
        jw_knum(j, "tps", f->tps);
        jw_key(j, "errors"), jw_uint(j, f->errors);
        jw_kint(j, "p50", f->p50);
        jw_kint(j, "p99", f->p99);
        jw_kint(j, "max", f->max);
        if (!f->pct_exact) jw_kbool(j, "percentiles_exact", false);
        jw_end_obj(j);
    }
    jw_end_arr(j);
    jw_end_obj(j);
}

void res_write(sbuf *out, const res_doc *d)
{
    jw j;
    jw_init(&j, out, true);
    jw_obj(&j);
    jw_kstr(&j, "format", RES_FORMAT);
    jw_kint(&j, "version", RES_VERSION);
    jw_kstr(&j, "seedload_version", d->seedload_version ? d->seedload_version : SL_VERSION);
    jw_key(&j, "config");
    emit(&j, d->config);
    jw_key(&j, "environment");
    if (d->environments && d->environments->n)
        emit(&j, d->environments->items[0]);
    else {
        jw_obj(&j);
        jw_end_obj(&j);
    }
    if (d->merged_files) {
        jw_key(&j, "merged");
        jw_obj(&j);
        jw_key(&j, "files");
        emit(&j, d->merged_files);
        jw_key(&j, "environments");
        if (d->environments)
            emit(&j, d->environments);
        else {
            jw_arr(&j);
            jw_end_arr(&j);
        }
        jw_kbool(&j, "forced", d->forced);
        jw_end_obj(&j);
    }
    jw_key(&j, "runs");
    jw_arr(&j);
    for (size_t i = 0; i < d->nruns; i++) write_run(&j, &d->runs[i]);
    jw_end_arr(&j);
    jw_end_obj(&j);
    sbuf_addc(out, '\n');
}
