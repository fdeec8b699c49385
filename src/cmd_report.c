/* cmd_report.c — `seedload report FILE.json [FILE2.json ...] -o OUT.html [--title T]`: results
 * (format "seedload-result", bench/merge output) and capacity sweeps (format "seedload-sweep",
 * `seedload sweep` output) turned into one self-contained HTML page (docs/report.md).
 *
 * This file reads and checks the inputs and writes the figures the page draws as one JSON
 * object: histograms are decoded here (results.c) and every percentile recomputed from them,
 * so the page shows what `seedload hist` would say. report_html.c wraps that object in the
 * page. */
#include "seedload/cli.h"
#include "seedload/report.h"
#include "seedload/report_html.h"
#include "seedload/results.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SWEEP_FORMAT  "seedload-sweep"
#define SWEEP_VERSION 1

static void usage(FILE *f)
{
    fputs("usage: seedload report FILE.json [FILE2.json ...] -o OUT.html [--title T]\n"
          "One self-contained HTML page (no network needed to view it) of bench/merge results and\n"
          "sweeps: latency percentile distributions on a log scale (one curve per run, overlaid),\n"
          "throughput and p99 over time, per-transaction and per-statement tables, errors, the\n"
          "configuration and environment; for a sweep the throughput-latency curve with the SLO\n"
          "line and the knee, the steps and the answer.\n"
          "  -o, --output FILE   where to write the page (- for stdout)\n"
          "      --title T       the page's title (default: profile and workload)\n"
          "Exit codes: 0 written, 2 bad usage or malformed input, 3 cannot read or write.\n",
          f);
}

/* ---- a sweep document ------------------------------------------------------------------- */

typedef struct sw_step {
    const jv *obj; /* borrowed from the sweep's root */
    res_doc *doc;  /* the step's run, read as a one-run result */
} sw_step;

typedef struct sweep {
    char *name;
    jv *root;
    sw_step *steps;
    size_t nsteps;
} sweep;

static void sweep_free(sweep *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nsteps; i++) res_free(s->steps[i].doc);
    free(s->steps);
    jv_free(s->root);
    free(s->name);
    free(s);
}

static const char *kind_name(const jv *v)
{
    static const char *const names[] = {"null",     "a boolean", "a number",
                                        "a string", "an array",  "an object"};
    return v ? names[v->kind] : "nothing";
}

/* v must be absent or one of the kinds in mask (bit per jv_kind). */
static int want(const char *name, const char *path, const jv *v, unsigned mask, const char *what,
                sl_err *e)
{
    if (!v || (mask & (1u << v->kind))) return 0;
    return sl_fail(e, SL_EXIT_USAGE, "%s: %s: expected %s, found %s", name, path, what,
                   kind_name(v));
}

#define K(k) (1u << (k))

/* Nesting depth of a tree (a scalar is 0). The JSON writer keeps its comma bookkeeping for 63
 * levels, so what is copied into the page must stay well below that. */
static int jdepth(const jv *v)
{
    int d = 0;
    for (size_t i = 0; v && i < v->n; i++) {
        int x = jdepth(v->items[i]);
        if (x > d) d = x;
    }
    return v && (v->kind == JV_ARR || v->kind == JV_OBJ) ? d + 1 : 0;
}

/* Copy v as JSON text into j (numbers keep their source text where it is an integer). */
static void emit_jv(jw *j, const jv *v, bool mask_target);

static void emit_num(jw *j, const jv *v)
{
    const char *s = v->str;
    bool integer = s && *s && strspn(s + (*s == '-'), "0123456789") == strlen(s + (*s == '-'));
    if (integer) {
        errno = 0;
        char *end;
        if (*s == '-') {
            long long x = strtoll(s, &end, 10);
            if (!errno && !*end) {
                jw_int(j, x);
                return;
            }
        } else {
            unsigned long long x = strtoull(s, &end, 10);
            if (!errno && !*end) {
                jw_uint(j, x);
                return;
            }
        }
    }
    jw_num(j, v->num);
}

static void emit_jv(jw *j, const jv *v, bool mask_target)
{
    if (!v) {
        jw_null(j);
        return;
    }
    switch (v->kind) {
    case JV_NULL: jw_null(j); break;
    case JV_BOOL: jw_bool(j, v->b); break;
    case JV_NUM: emit_num(j, v); break;
    case JV_STR: jw_str(j, v->str); break;
    case JV_ARR:
        jw_arr(j);
        for (size_t i = 0; i < v->n; i++) emit_jv(j, v->items[i], false);
        jw_end_arr(j);
        break;
    case JV_OBJ:
        jw_obj(j);
        for (size_t i = 0; i < v->n; i++) {
            jw_key(j, v->keys[i]);
            /* A connection string in a hand-made or foreign file may still hold a password. */
            if (mask_target && strcmp(v->keys[i], "target") == 0 && v->items[i]->kind == JV_STR) {
                char *m = sl_mask_conninfo(v->items[i]->str);
                jw_str(j, m);
                free(m);
            } else
                emit_jv(j, v->items[i], false);
        }
        jw_end_obj(j);
        break;
    }
}

/* Read the step's "run" as a one-run result: the result reader checks and decodes it exactly
 * as it does a bench result's runs[0]; its messages then name steps[i].run. */
static int step_run(const char *name, const jv *cfg, const jv *run, size_t i, res_doc **out,
                    sl_err *e)
{
    sbuf t = {0};
    jw j;
    jw_init(&j, &t, false);
    jw_obj(&j);
    jw_kstr(&j, "format", RES_FORMAT);
    jw_kint(&j, "version", RES_VERSION);
    jw_key(&j, "config");
    jw_obj(&j);
    /* Only the fields the result reader binds, and only when they have its types. */
    static const char *const keys[] = {"profile", "workload", "dialect"};
    for (size_t k = 0; k < 3; k++) {
        const char *s = jv_str(jv_get(cfg, keys[k]));
        if (s) jw_kstr(&j, keys[k], s);
    }
    jw_end_obj(&j);
    jw_key(&j, "runs");
    jw_arr(&j);
    emit_jv(&j, run, false);
    jw_end_arr(&j);
    jw_end_obj(&j);
    int rc = res_parse(name, t.p, t.len, out, e);
    sbuf_free(&t);
    if (rc < 0) {
        /* "name: runs[0].x: ..." -> "name: steps[i].run.x: ..." */
        char *at = strstr(e->msg, "runs[0]");
        if (at) {
            sbuf m = {0};
            sbuf_add(&m, e->msg, (size_t)(at - e->msg));
            sbuf_printf(&m, "steps[%zu].run%s", i, at + strlen("runs[0]"));
            snprintf(e->msg, sizeof e->msg, "%.*s", (int)(sizeof e->msg - 1), m.p);
            sbuf_free(&m);
        }
    }
    return rc;
}

/* Check a sweep's shape: what the page reads must have the documented types. */
static int sweep_read(const char *name, jv *root, sweep **out, sl_err *e)
{
    *out = NULL;
    sweep *s = xcalloc(1, sizeof *s);
    s->name = xstrdup(name);
    s->root = root;
    char p[96];
    const jv *ver = jv_get(root, "version"), *cfg = jv_get(root, "config"),
             *steps = jv_get(root, "steps");
    const jv *ans = jv_get(root, "answer");
    if (!ver || ver->kind != JV_NUM || jv_int(ver, -1) != SWEEP_VERSION) {
        sl_fail(e, SL_EXIT_USAGE, "%s: version: %s is not a sweep version this seedload reads (%d)",
                name, ver && ver->kind == JV_NUM ? ver->str : kind_name(ver), SWEEP_VERSION);
        goto fail;
    }
    if (jdepth(root) > 32) {
        sl_fail(e, SL_EXIT_USAGE, "%s: nested too deeply (at most 32 levels)", name);
        goto fail;
    }
    if (!cfg || !steps) {
        sl_fail(e, SL_EXIT_USAGE, "%s: %s: missing", name, !cfg ? "config" : "steps");
        goto fail;
    }
    if (want(name, "config", cfg, K(JV_OBJ), "an object", e) < 0 ||
        want(name, "steps", steps, K(JV_ARR), "an array", e) < 0 ||
        want(name, "environment", jv_get(root, "environment"), K(JV_OBJ), "an object", e) < 0 ||
        want(name, "answer", ans, K(JV_OBJ) | K(JV_NULL), "an object", e) < 0 ||
        want(name, "config.mode", jv_get(cfg, "mode"), K(JV_STR), "a string", e) < 0 ||
        want(name, "config.slo", jv_get(cfg, "slo"), K(JV_STR) | K(JV_NULL), "a string or null",
             e) < 0)
        goto fail;
    s->steps = xcalloc(steps->n ? steps->n : 1, sizeof *s->steps);
    for (size_t i = 0; i < steps->n; i++) {
        const jv *st = steps->items[i];
        snprintf(p, sizeof p, "steps[%zu]", i);
        if (want(name, p, st, K(JV_OBJ), "an object", e) < 0) goto fail;
        static const char *const nums[] = {"clients", "rate", "scale"};
        for (size_t k = 0; k < 3; k++) {
            snprintf(p, sizeof p, "steps[%zu].%s", i, nums[k]);
            if (want(name, p, jv_get(st, nums[k]), K(JV_NUM) | K(JV_NULL), "a number or null", e) <
                0)
                goto fail;
        }
        snprintf(p, sizeof p, "steps[%zu].slo_met", i);
        if (want(name, p, jv_get(st, "slo_met"), K(JV_BOOL) | K(JV_NULL), "a boolean or null", e) <
            0)
            goto fail;
        snprintf(p, sizeof p, "steps[%zu].slo", i);
        if (want(name, p, jv_get(st, "slo"), K(JV_ARR) | K(JV_NULL), "an array", e) < 0) goto fail;
        snprintf(p, sizeof p, "steps[%zu].scenario", i);
        if (want(name, p, jv_get(st, "scenario"), K(JV_STR) | K(JV_NULL), "a string or null", e) <
            0)
            goto fail;
        const jv *run = jv_get(st, "run");
        if (!run) {
            sl_fail(e, SL_EXIT_USAGE, "%s: steps[%zu].run: missing", name, i);
            goto fail;
        }
        s->steps[i].obj = st;
        if (step_run(name, cfg, run, i, &s->steps[i].doc, e) < 0) goto fail;
        s->nsteps++;
    }
    /* The answer's step indices point at steps. */
    static const char *const marks[] = {"max_load", "knee"};
    for (size_t k = 0; ans && ans->kind == JV_OBJ && k < 2; k++) {
        const jv *m = jv_get(ans, marks[k]);
        snprintf(p, sizeof p, "answer.%s", marks[k]);
        if (want(name, p, m, K(JV_OBJ) | K(JV_NULL), "an object or null", e) < 0) goto fail;
        if (!m || m->kind != JV_OBJ) continue;
        const jv *si = jv_get(m, "step");
        int64_t idx = si && si->kind == JV_NUM && si->num == floor(si->num) ? jv_int(si, -1) : -1;
        if (idx < 0 || (size_t)idx >= steps->n) {
            sl_fail(e, SL_EXIT_USAGE,
                    "%s: answer.%s.step: expected a step index (0..%zu), found %s", name, marks[k],
                    steps->n ? steps->n - 1 : 0,
                    si && si->kind == JV_NUM ? si->str : kind_name(si));
            goto fail;
        }
    }
    if (ans && ans->kind == JV_OBJ &&
        want(name, "answer.text", jv_get(ans, "text"), K(JV_STR) | K(JV_NULL), "a string", e) < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    s->root = NULL; /* the caller still owns root on failure */
    sweep_free(s);
    return -1;
}

/* ---- the figures the page draws ----------------------------------------------------------- */

/* count, min, mean, stddev, p50 ... max of h (ns), or null. */
static void w_summary(jw *j, const char *key, const hist *h)
{
    jw_key(j, key);
    if (!h) {
        jw_null(j);
        return;
    }
    int64_t n = hist_total(h);
    jw_obj(j);
    jw_kint(j, "count", n);
    jw_kint(j, "min", n ? hist_min(h) : 0);
    jw_knum(j, "mean", hist_mean(h));
    jw_knum(j, "stddev", hist_stddev(h));
    static const struct {
        const char *k;
        double p;
    } pct[] = {{"p50", 50}, {"p90", 90}, {"p99", 99}, {"p99.9", 99.9}, {"p99.99", 99.99}};
    for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++)
        jw_kint(j, pct[i].k, hist_percentile(h, pct[i].p));
    jw_kint(j, "max", hist_max(h));
    jw_end_obj(j);
}

/* The percentile distribution as HdrHistogram's .hgrm lists it (5 reporting ticks per half
 * distance, as `seedload hist --hgrm`), less its final 100% level: [[percentile, ns], ...].
 * That level has 1/(1-p) = inf and so no place on the plot; the level before it is already at
 * the maximum. */
static void w_pdist(jw *j, const hist *h)
{
    jw_key(j, "pdist");
    jw_arr(j);
    if (h && hist_total(h) > 0) {
        hist_iter it;
        hist_iter_percentiles(&it, h, 5);
        while (hist_iter_next(&it)) {
            if (!(it.percentile < 100.0)) continue;
            jw_arr(j);
            jw_num(j, it.percentile);
            jw_int(j, it.highest_equiv);
            jw_end_arr(j);
        }
    }
    jw_end_arr(j);
}

static void w_run(jw *j, const res_run *r, const char *label, bool full)
{
    jw_obj(j);
    jw_kstr(j, "label", label);
    jw_knum(j, "started_at", r->started_at);
    jw_knum(j, "seconds", r->seconds);
    jw_kbool(j, "interrupted", r->interrupted);
    jw_kbool(j, "rate_met", r->rate_met);
    jw_key(j, "transactions"), jw_uint(j, r->transactions);
    jw_knum(j, "tps", r->tps);
    jw_key(j, "errors"), jw_uint(j, r->errors);
    jw_key(j, "retries"), jw_uint(j, r->retries);
    jw_key(j, "reconnects"), jw_uint(j, r->reconnects);
    jw_key(j, "late"), jw_uint(j, r->late);
    jw_key(j, "skipped"), jw_uint(j, r->skipped);
    w_summary(j, "latency", r->lat);
    w_summary(j, "service", r->svc);
    w_summary(j, "lag", r->lag && hist_total(r->lag) ? r->lag : NULL);
    w_pdist(j, r->lat);
    if (full) {
        jw_key(j, "txns");
        jw_arr(j);
        for (size_t t = 0; t < r->ntx; t++) {
            const res_txn *x = &r->tx[t];
            jw_obj(j);
            jw_kstr(j, "name", x->name);
            jw_key(j, "count"), jw_uint(j, x->count);
            jw_knum(j, "tps", x->tps);
            jw_key(j, "errors"), jw_uint(j, x->errors);
            jw_key(j, "retries"), jw_uint(j, x->retries);
            w_summary(j, "latency", x->lat);
            jw_key(j, "stmts");
            jw_arr(j);
            for (size_t s = 0; s < x->nst; s++) {
                jw_obj(j);
                jw_kstr(j, "name", x->st[s].name);
                jw_kstr(j, "sql", x->st[s].sql);
                jw_key(j, "errors"), jw_uint(j, x->st[s].errors);
                w_summary(j, "latency", x->st[s].lat);
                jw_end_obj(j);
            }
            jw_end_arr(j);
            jw_end_obj(j);
        }
        jw_end_arr(j);
        jw_key(j, "errors_list");
        jw_arr(j);
        for (size_t k = 0; k < r->nerr; k++) {
            jw_obj(j);
            jw_kstr(j, "code", r->err[k].code);
            jw_kstr(j, "txn", r->err[k].txn);
            jw_kstr(j, "stmt", r->err[k].stmt);
            jw_key(j, "count"), jw_uint(j, r->err[k].count);
            jw_kstr(j, "message", r->err[k].message);
            jw_end_obj(j);
        }
        jw_end_arr(j);
    }
    jw_key(j, "intervals");
    jw_arr(j);
    for (size_t k = 0; k < r->nivl; k++) {
        const res_ivl *v = &r->ivl[k];
        jw_obj(j);
        jw_knum(j, "t", v->t);
        jw_key(j, "count"), jw_uint(j, v->count);
        jw_knum(j, "tps", v->tps);
        jw_key(j, "errors"), jw_uint(j, v->errors);
        jw_kint(j, "p50", v->p50);
        jw_kint(j, "p99", v->p99);
        jw_kint(j, "max", v->max);
        jw_kbool(j, "exact", v->pct_exact);
        jw_end_obj(j);
    }
    jw_end_arr(j);
    jw_end_obj(j);
}

static void w_result(jw *j, const res_doc *d, bool several_files)
{
    jw_obj(j);
    jw_kstr(j, "file", d->name);
    jw_kstr(j, "seedload_version", d->seedload_version);
    jw_key(j, "config");
    emit_jv(j, d->config, true);
    jw_key(j, "environments");
    emit_jv(j, d->environments, false);
    jw_key(j, "merged_files");
    emit_jv(j, d->merged_files, false);
    jw_kbool(j, "forced", d->forced);
    jw_key(j, "runs");
    jw_arr(j);
    for (size_t i = 0; i < d->nruns; i++) {
        sbuf l = {0};
        if (several_files) sbuf_adds(&l, d->name);
        if (d->nruns > 1) sbuf_printf(&l, "%srun %zu", several_files ? " " : "", i + 1);
        if (!l.len) sbuf_adds(&l, d->name);
        w_run(j, &d->runs[i], l.p, true);
        sbuf_free(&l);
    }
    jw_end_arr(j);
    jw_end_obj(j);
}

static void w_sweep(jw *j, const sweep *s)
{
    const jv *root = s->root;
    jw_obj(j);
    jw_kstr(j, "file", s->name);
    jw_kstr(j, "seedload_version", jv_str(jv_get(root, "seedload_version")));
    jw_key(j, "config");
    emit_jv(j, jv_get(root, "config"), true);
    jw_key(j, "environment");
    emit_jv(j, jv_get(root, "environment"), false);
    jw_key(j, "steps");
    jw_arr(j);
    for (size_t i = 0; i < s->nsteps; i++) {
        const jv *st = s->steps[i].obj;
        jw_obj(j);
        static const char *const keys[] = {"clients",  "rate",    "scale",
                                           "scenario", "slo_met", "slo"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            jw_key(j, keys[k]);
            emit_jv(j, jv_get(st, keys[k]), false);
        }
        char label[64];
        snprintf(label, sizeof label, "step %zu", i + 1);
        jw_key(j, "run");
        w_run(j, &s->steps[i].doc->runs[0], label, false);
        jw_end_obj(j);
    }
    jw_end_arr(j);
    jw_key(j, "answer");
    emit_jv(j, jv_get(root, "answer"), false);
    jw_end_obj(j);
}

/* "edupulse / dashboard" from the first input that names them. */
static void default_title(sbuf *t, res_doc *const *docs, size_t nd, sweep *const *sw, size_t ns)
{
    const char *prof = NULL, *wl = NULL;
    if (nd)
        prof = docs[0]->profile, wl = docs[0]->workload;
    else if (ns) {
        const jv *cfg = jv_get(sw[0]->root, "config");
        prof = jv_str(jv_get(cfg, "profile")), wl = jv_str(jv_get(cfg, "workload"));
    }
    sbuf_printf(t, "seedload %s", ns && !nd ? "capacity" : "report");
    if (prof || wl)
        sbuf_printf(t, ": %s%s%s", prof ? prof : "", prof && wl ? " / " : "", wl ? wl : "");
}

int cmd_report(int argc, char **argv)
{
    static const struct option lopts[] = {{"output", required_argument, NULL, 'o'},
                                          {"title", required_argument, NULL, 't'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    const char *out = NULL, *title = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 't': title = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return SL_EXIT_USAGE;
        }
    }
    size_t n = optind < argc ? (size_t)(argc - optind) : 0;
    if (n == 0) {
        fprintf(stderr, "seedload: report needs at least one result or sweep file\n");
        usage(stderr);
        return SL_EXIT_USAGE;
    }
    if (!out) {
        fprintf(stderr, "seedload: report needs -o OUT.html (- for stdout)\n");
        return SL_EXIT_USAGE;
    }
    res_doc **docs = xcalloc(n, sizeof *docs);
    sweep **sw = xcalloc(n, sizeof *sw);
    size_t nd = 0, ns = 0;
    sbuf data = {0}, page = {0}, tbuf = {0};
    sl_err e = {0};
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const char *path = argv[optind + (int)i];
        const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
        char *text = NULL;
        size_t len = 0;
        if (res_slurp(path, &text, &len, &e) < 0) {
            rc = app_error(&e);
            goto done;
        }
        jv *root = jv_parse(name, text, len, &e);
        const char *fmt = root ? jv_str(jv_get(root, "format")) : NULL;
        if (root && fmt && strcmp(fmt, SWEEP_FORMAT) == 0) {
            if (sweep_read(name, root, &sw[ns], &e) < 0) {
                jv_free(root);
                free(text);
                rc = app_error(&e);
                goto done;
            }
            ns++;
        } else if (root && fmt && strcmp(fmt, RES_FORMAT) == 0) {
            jv_free(root);
            if (res_parse(name, text, len, &docs[nd], &e) < 0) {
                free(text);
                rc = app_error(&e);
                goto done;
            }
            nd++;
        } else {
            if (root)
                sl_fail(&e, SL_EXIT_USAGE,
                        "%s: neither a seedload result nor a sweep (expected an object with "
                        "\"format\": "
                        "\"%s\" or \"%s\")",
                        name, RES_FORMAT, SWEEP_FORMAT);
            jv_free(root);
            free(text);
            rc = app_error(&e);
            goto done;
        }
        free(text);
    }
    if (title)
        sbuf_adds(&tbuf, title);
    else
        default_title(&tbuf, docs, nd, sw, ns);

    jw j;
    jw_init(&j, &data, false);
    jw_obj(&j);
    jw_kstr(&j, "title", tbuf.p);
    jw_kstr(&j, "generator", "seedload " SL_VERSION);
    jw_key(&j, "files");
    jw_arr(&j);
    for (size_t i = 0; i < n; i++) jw_str(&j, argv[optind + (int)i]);
    jw_end_arr(&j);
    jw_key(&j, "results");
    jw_arr(&j);
    for (size_t i = 0; i < nd; i++) w_result(&j, docs[i], nd > 1);
    jw_end_arr(&j);
    jw_key(&j, "sweeps");
    jw_arr(&j);
    for (size_t i = 0; i < ns; i++) w_sweep(&j, sw[i]);
    jw_end_arr(&j);
    jw_end_obj(&j);

    report_html_page(&page, tbuf.p, data.p, data.len);
    if (report_write_file(out, page.p, page.len, &e) < 0) {
        rc = app_error(&e);
        goto done;
    }
    if (strcmp(out, "-") != 0)
        printf("seedload report: %zu result%s, %zu sweep%s -> %s (%zu bytes)\n", nd,
               nd == 1 ? "" : "s", ns, ns == 1 ? "" : "s", out, page.len);
done:
    sbuf_free(&data);
    sbuf_free(&page);
    sbuf_free(&tbuf);
    for (size_t i = 0; i < nd; i++) res_free(docs[i]);
    for (size_t i = 0; i < ns; i++) sweep_free(sw[i]);
    free(docs);
    free(sw);
    return rc;
}
