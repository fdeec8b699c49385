/* cmd_compare.c — `seedload compare BASELINE.json CANDIDATE.json`: a CI verdict on whether the
 * candidate is slower than the baseline. Per-run metrics (latency percentiles from each run's
 * histogram, tps and error rate from its summary) are compared across the runs of the two
 * results: a regression needs both a change of the median beyond the tolerance and a
 * significant one-sided Mann-Whitney U test, corrected for the number of checks (stats.h;
 * the method and its measured false-alarm rate are in docs/ci.md). Writes a table, JUnit XML
 * and a Markdown summary. Exit codes: 0 pass, 1 regression or broken objective, 2 bad usage or
 * refused (different configurations), 3 I/O error, 4 inconclusive. */
#include "compare_internal.h"
#include "seedload/cli.h"
#include "seedload/report.h"
#include "seedload/results.h"
#include "seedload/slo.h"
#include "seedload/stats.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* The verdict "inconclusive": distinct from pass, failure, usage and I/O (docs/ci.md). */
#define CMP_EXIT_INCONCLUSIVE 4
#define DEFAULT_TOLERANCES    "p99=10%,p50=10%,tps=5%"

static void usage(FILE *f)
{
    fputs("usage: seedload compare BASELINE.json CANDIDATE.json [options]\n"
          "       seedload compare BASE1.json BASE2.json ... vs CAND1.json CAND2.json ...\n"
          "Is the candidate slower than the baseline? Each run (bench --repeat N) gives one\n"
          "value per metric; a metric regresses when the median over runs moved beyond its\n"
          "tolerance in the bad direction AND a one-sided Mann-Whitney U test over the runs is\n"
          "significant at --alpha, corrected for the number of checks (docs/ci.md).\n"
          "The files on one side of 'vs' are pooled (a file named vs: write ./vs).\n"
          "  -m, --max-regression L  comma-separated METRIC=TOL checks\n"
          "                          (default " DEFAULT_TOLERANCES ")\n"
          "                          METRIC: p50 p90 p95 p99 p99.9 p99.99 mean max tps\n"
          "                          error_rate, or TRANSACTION.METRIC; TOL: a percentage\n"
          "                          (10%), for latencies a time (2ms), for tps a number of\n"
          "                          tps, for error_rate percentage points (0.5%)\n"
          "  -a, --alpha A           significance level of all checks together (default 0.05)\n"
          "      --correction C      holm (default), bonferroni or none\n"
          "      --min-runs N        fewer runs on either side is inconclusive (default 5)\n"
          "  -x, --transaction NAME  check that transaction instead of all transactions\n"
          "      --slo CHECKS        also check objectives on the candidate ('p99<20ms')\n"
          "      --force             compare even when the configurations differ\n"
          "      --junit FILE        write JUnit XML (a testcase per check), Jenkins/GitLab\n"
          "      --markdown FILE     write a Markdown summary for a pull-request comment\n"
          "  -q, --quiet             print only the verdict line\n"
          "Exit codes: 0 pass (improvements included), 1 regression or broken objective,\n"
          "2 bad usage or different configurations, 3 cannot read or write a file,\n"
          "4 inconclusive (too few runs to decide; never a guess).\n",
          f);
}

/* ---- metrics ------------------------------------------------------------------------------ */

const cmp_metric cmp_metrics[] = {
    {"p50", 50, M_PCT},     {"p90", 90, M_PCT},       {"p95", 95, M_PCT},  {"p99", 99, M_PCT},
    {"p99.9", 99.9, M_PCT}, {"p99.99", 99.99, M_PCT}, {"mean", 0, M_MEAN}, {"max", 100, M_MAX},
    {"tps", 0, M_TPS},      {"error_rate", 0, M_ERR}};
#define NMETRICS (sizeof cmp_metrics / sizeof cmp_metrics[0])

static int metric_index(const char *m)
{
    for (size_t i = 0; i < NMETRICS; i++)
        if (strcmp(cmp_metrics[i].name, m) == 0) return (int)i;
    return -1;
}

bool cmp_is_latency(int mi)
{
    return cmp_metrics[mi].kind == M_PCT || cmp_metrics[mi].kind == M_MEAN ||
           cmp_metrics[mi].kind == M_MAX;
}

static void specs_free(specs *ss)
{
    for (size_t i = 0; i < ss->n; i++) free(ss->s[i].txn), free(ss->s[i].label);
    free(ss->s);
    ss->s = NULL;
    ss->n = 0;
}

/* Parse "p99=10%,NAME.p50=2ms,tps=5%" into ss (appending; a later METRIC replaces an earlier). */
static int parse_tolerances(const char *list, specs *ss, sl_err *e)
{
    char *copy = xstrdup(list);
    int rc = 0;
    for (char *tok = copy, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next) *next++ = '\0';
        while (*tok == ' ') tok++;
        size_t tl = strlen(tok);
        while (tl && tok[tl - 1] == ' ') tok[--tl] = '\0';
        if (!*tok) continue;
        char *eq = strrchr(tok, '=');
        if (!eq || eq == tok) {
            rc = sl_fail(e, SL_EXIT_USAGE,
                         "--max-regression: '%s' is not METRIC=TOLERANCE (e.g. p99=10%%)", tok);
            break;
        }
        *eq = '\0';
        const char *left = tok, *tv = eq + 1;
        /* NAME.METRIC: the metric is the longest known suffix after a dot (p99.9 holds one). */
        char *txn = NULL;
        const char *mname = left;
        if (metric_index(left) < 0)
            for (const char *d = strchr(left, '.'); d; d = strchr(d + 1, '.'))
                if (d > left && metric_index(d + 1) >= 0) {
                    txn = xstrndup(left, (size_t)(d - left));
                    mname = d + 1;
                    break;
                }
        int mi = metric_index(mname);
        if (mi < 0) {
            const char *names[NMETRICS];
            for (size_t i = 0; i < NMETRICS; i++) names[i] = cmp_metrics[i].name;
            const char *sg = sl_suggest(mname, names, NMETRICS);
            rc = sl_fail(e, SL_EXIT_USAGE,
                         "--max-regression: unknown metric '%s'%s%s%s (p50 p90 p95 p99 p99.9 "
                         "p99.99 mean max "
                         "tps error_rate, or TRANSACTION.METRIC)",
                         mname, sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
            free(txn);
            break;
        }
        char *end;
        errno = 0;
        double v = strtod(tv, &end);
        if (end == tv || errno || !isfinite(v) || v < 0) {
            rc = sl_fail(e, SL_EXIT_USAGE,
                         "--max-regression: '%s=%s' needs a non-negative tolerance", left, tv);
            free(txn);
            break;
        }
        bool absolute = false;
        double tol = v;
        if (cmp_metrics[mi].kind == M_ERR) {
            /* Error rates are percentages already: a tolerance is in percentage points. */
            if (*end && strcmp(end, "%") != 0)
                end = (char *)"bad";
            else
                absolute = true, end = (char *)"";
        } else if (strcmp(end, "%") == 0) {
            tol = v / 100;
            end = (char *)"";
        } else if (cmp_is_latency(mi)) {
            double mul = strcmp(end, "ns") == 0   ? 1
                         : strcmp(end, "us") == 0 ? 1e3
                         : strcmp(end, "ms") == 0 ? 1e6
                         : strcmp(end, "s") == 0  ? 1e9
                                                  : 0;
            if (mul == 0)
                end = (char *)"bad";
            else
                absolute = true, tol = v * mul, end = (char *)"";
        } else if (!*end) {
            absolute = true; /* tps=500: at most 500 tps fewer */
        }
        if (*end) {
            rc = sl_fail(e, SL_EXIT_USAGE, "--max-regression: '%s=%s': write a percentage (10%%)%s",
                         left, tv,
                         cmp_is_latency(mi)              ? " or a time (2ms, 500us)"
                         : cmp_metrics[mi].kind == M_ERR ? " (percentage points of the error rate)"
                                                         : " or a number of tps");
            free(txn);
            break;
        }
        spec *s = NULL;
        for (size_t i = 0; i < ss->n && !s; i++)
            if (ss->s[i].metric == mi &&
                ((!txn && !ss->s[i].txn) || (txn && ss->s[i].txn && !strcmp(txn, ss->s[i].txn))))
                s = &ss->s[i];
        if (s) {
            free(txn);
        } else {
            ss->s = xrealloc(ss->s, (ss->n + 1) * sizeof *ss->s);
            s = &ss->s[ss->n++];
            s->txn = txn;
            s->metric = mi;
            sbuf lb = {0};
            sbuf_printf(&lb, "%s%s%s", txn ? txn : "", txn ? "." : "", cmp_metrics[mi].name);
            s->label = sbuf_detach(&lb);
        }
        s->absolute = absolute;
        s->tol = tol;
    }
    free(copy);
    if (rc == 0 && ss->n == 0)
        rc = sl_fail(e, SL_EXIT_USAGE, "--max-regression: no checks in '%s'", list);
    return rc;
}

/* The values of metric mi of transaction txn (NULL: all) in every run of docs, one per run that
 * has data for it (a transaction that did not run or has no successful execution in a run gives
 * no latency for that run). Returns how many were written to out. */
static size_t collect(res_doc *const *docs, size_t ndocs, const char *txn, int mi, double *out)
{
    size_t k = 0;
    for (size_t d = 0; d < ndocs; d++)
        for (size_t r = 0; r < docs[d]->nruns; r++) {
            const res_run *run = &docs[d]->runs[r];
            const hist *h = run->lat;
            double tps = run->tps;
            uint64_t count = run->transactions, errors = run->errors;
            if (txn) {
                const res_txn *t = res_find_txn(run, txn);
                if (!t) continue;
                h = t->lat, tps = t->tps, count = t->count, errors = t->errors;
            }
            switch (cmp_metrics[mi].kind) {
            case M_TPS: out[k++] = tps; break;
            case M_ERR:
                if (count) out[k++] = 100.0 * (double)errors / (double)count;
                break;
            default:
                if (!h || hist_total(h) == 0) break;
                out[k++] = cmp_metrics[mi].kind == M_MEAN ? hist_mean(h)
                           : cmp_metrics[mi].kind == M_MAX
                               ? (double)hist_max(h)
                               : (double)hist_percentile(h, cmp_metrics[mi].pct);
            }
        }
    return k;
}

/* Does any run of docs have transaction name? */
static bool has_txn(res_doc *const *docs, size_t n, const char *name)
{
    for (size_t d = 0; d < n; d++)
        for (size_t r = 0; r < docs[d]->nruns; r++)
            if (res_find_txn(&docs[d]->runs[r], name)) return true;
    return false;
}

static int no_txn(res_doc *const *docs, size_t n, const char *name, const char *which)
{
    const char *cands[256];
    size_t nc = 0;
    for (size_t d = 0; d < n; d++)
        for (size_t r = 0; r < docs[d]->nruns; r++)
            for (size_t t = 0; t < docs[d]->runs[r].ntx && nc < 256; t++)
                cands[nc++] = docs[d]->runs[r].tx[t].name;
    const char *sg = sl_suggest(name, cands, nc);
    fprintf(stderr, "seedload: the %s (%s) has no transaction '%s'%s%s%s\n", which, docs[0]->name,
            name, sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
    return SL_EXIT_USAGE;
}

/* ---- configurations ------------------------------------------------------------------------ */

static bool jv_equal(const jv *a, const jv *b)
{
    if (!a || !b) return !a && !b;
    if (a->kind != b->kind || a->n != b->n) return false;
    switch (a->kind) {
    case JV_NULL: return true;
    case JV_BOOL: return a->b == b->b;
    case JV_NUM: return a->num == b->num;
    case JV_STR: return strcmp(a->str, b->str) == 0;
    case JV_ARR:
    case JV_OBJ:
        for (size_t i = 0; i < a->n; i++)
            if ((a->keys && strcmp(a->keys[i], b->keys[i]) != 0) ||
                !jv_equal(a->items[i], b->items[i]))
                return false;
        return true;
    }
    return false;
}

static void jv_text(const jv *v, char *buf, size_t n)
{
    if (!v)
        snprintf(buf, n, "(absent)");
    else if (v->kind == JV_STR)
        snprintf(buf, n, "'%s'", v->str);
    else if (v->kind == JV_NUM)
        snprintf(buf, n, "%s", v->str);
    else if (v->kind == JV_NULL)
        snprintf(buf, n, "null");
    else if (v->kind == JV_BOOL)
        snprintf(buf, n, "%s", v->b ? "true" : "false");
    else
        snprintf(buf, n, "(%s)", v->kind == JV_ARR ? "an array" : "an object");
}

static const jv *env_of(const res_doc *d)
{
    return d->environments && d->environments->n ? d->environments->items[0] : NULL;
}

/* What makes two results measure different things (refused unless --force) and what only
 * deserves a note (another machine). */
static const char *const config_fields[] = {
    "profile", "scenario", "scale",     "seed",       "workload",
    "dialect", "clients",  "threads",   "rate",       "arrivals",
    "think_s", "warmup_s", "max_lag_s", "duration_s", "transactions_per_client"};
static const char *const env_refuse[] = {"server_version"};
static const char *const env_note[] = {"hostname", "cpu_model", "cores", "kernel"};

/* Append "  field: A (a.json) vs B (b.json)" lines for every field in which b differs from a;
 * returns how many. */
static int diff_docs(const res_doc *a, const res_doc *b, sbuf *out, bool notes)
{
    int n = 0;
    char va[200], vb[200];
    if (!notes)
        for (size_t i = 0; i < sizeof config_fields / sizeof config_fields[0]; i++) {
            const jv *x = jv_get(a->config, config_fields[i]),
                     *y = jv_get(b->config, config_fields[i]);
            if (jv_equal(x, y)) continue;
            jv_text(x, va, sizeof va);
            jv_text(y, vb, sizeof vb);
            sbuf_printf(out, "  config.%s: %s (%s) vs %s (%s)\n", config_fields[i], va, a->name, vb,
                        b->name);
            n++;
        }
    const char *const *f = notes ? env_note : env_refuse;
    size_t nf =
        notes ? sizeof env_note / sizeof env_note[0] : sizeof env_refuse / sizeof env_refuse[0];
    for (size_t i = 0; i < nf; i++) {
        const jv *x = jv_get(env_of(a), f[i]), *y = jv_get(env_of(b), f[i]);
        if (jv_equal(x, y)) continue;
        jv_text(x, va, sizeof va);
        jv_text(y, vb, sizeof vb);
        sbuf_printf(out, "  environment.%s: %s (%s) vs %s (%s)\n", f[i], va, a->name, vb, b->name);
        n++;
    }
    return n;
}

/* ---- formatting ----------------------------------------------------------------------------- */

/* ---- the command ---------------------------------------------------------------------------- */

/* The candidate's figures, all runs together, for --slo. */
static void slo_values(const side *c, const slo *obj, double *out)
{
    hist *all = hist_dup_empty(c->docs[0]->runs[0].lat);
    uint64_t count = 0, errors = 0;
    double secs = 0;
    const char **names = NULL;
    hist **lats = NULL;
    uint64_t *tc = NULL, *te = NULL;
    size_t ntx = 0;
    for (size_t d = 0; d < c->n; d++)
        for (size_t r = 0; r < c->docs[d]->nruns; r++) {
            const res_run *run = &c->docs[d]->runs[r];
            hist_add(all, run->lat);
            count += run->transactions, errors += run->errors, secs += run->seconds;
            for (size_t t = 0; t < run->ntx; t++) {
                size_t j = 0;
                while (j < ntx && strcmp(names[j], run->tx[t].name) != 0) j++;
                if (j == ntx) {
                    names = xrealloc(names, (ntx + 1) * sizeof *names);
                    lats = xrealloc(lats, (ntx + 1) * sizeof *lats);
                    tc = xrealloc(tc, (ntx + 1) * sizeof *tc);
                    te = xrealloc(te, (ntx + 1) * sizeof *te);
                    names[ntx] = run->tx[t].name;
                    tc[ntx] = te[ntx] = 0;
                    lats[ntx++] = hist_dup_empty(all);
                }
                hist_add(lats[j], run->tx[t].lat);
                tc[j] += run->tx[t].count;
                te[j] += run->tx[t].errors;
            }
        }
    slo_figures fig = {.lat = all,
                       .tps = secs > 0 ? (double)count / secs : 0,
                       .count = count,
                       .errors = errors,
                       .ntx = ntx,
                       .tx_names = names,
                       .tx_lat = (const hist *const *)lats,
                       .tx_count = tc,
                       .tx_errors = te,
                       .seconds = secs};
    for (size_t i = 0; i < obj->n; i++) out[i] = slo_value(&obj->c[i], &fig);
    for (size_t j = 0; j < ntx; j++) hist_free(lats[j]);
    free(lats);
    free(tc);
    free(te);
    free(names);
    hist_free(all);
}

static int read_side(char **paths, size_t n, side *s, sl_err *e)
{
    s->docs = xcalloc(n, sizeof *s->docs);
    for (size_t i = 0; i < n; i++) {
        if (res_read_file(paths[i], &s->docs[i], e) < 0) return -1;
        s->n++;
        s->runs += s->docs[i]->nruns;
    }
    return 0;
}

static void side_free(side *s)
{
    for (size_t i = 0; i < s->n; i++) res_free(s->docs[i]);
    free(s->docs);
}

int cmd_compare(int argc, char **argv)
{
    static const struct option lopts[] = {{"max-regression", required_argument, NULL, 'm'},
                                          {"alpha", required_argument, NULL, 'a'},
                                          {"min-runs", required_argument, NULL, 'n'},
                                          {"force", no_argument, NULL, 'f'},
                                          {"junit", required_argument, NULL, 'J'},
                                          {"markdown", required_argument, NULL, 'M'},
                                          {"transaction", required_argument, NULL, 'x'},
                                          {"correction", required_argument, NULL, 'C'},
                                          {"slo", required_argument, NULL, 'O'},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    const char *junit = NULL, *markdown = NULL, *txn_opt = NULL;
    double alpha = 0.05;
    long min_runs = 5;
    bool force = false, quiet = false, have_tol = false;
    stats_correction corr = STATS_HOLM;
    specs ss = {0};
    slo obj = {0};
    bool have_slo = false;
    side base = {0}, cand = {0};
    cmp_check *k = NULL;
    double **vals = NULL;
    double *slo_val = NULL;
    sl_err e = {0};
    int rc = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:a:x:qh", lopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'm':
            if (parse_tolerances(optarg, &ss, &e) < 0) {
                rc = app_error(&e);
                goto out;
            }
            have_tol = true;
            break;
        case 'a':
            errno = 0;
            alpha = strtod(optarg, &end);
            if (*end || errno || !(alpha > 0 && alpha < 1)) {
                fprintf(
                    stderr,
                    "seedload: --alpha must be a number between 0 and 1 (exclusive), not '%s'\n",
                    optarg);
                rc = SL_EXIT_USAGE;
                goto out;
            }
            break;
        case 'n':
            min_runs = strtol(optarg, &end, 10);
            if (*end || min_runs < 1 || min_runs > 100000) {
                fprintf(stderr,
                        "seedload: --min-runs must be a whole number of at least 1, not '%s'\n",
                        optarg);
                rc = SL_EXIT_USAGE;
                goto out;
            }
            break;
        case 'f': force = true; break;
        case 'J': junit = optarg; break;
        case 'M': markdown = optarg; break;
        case 'x': txn_opt = optarg; break;
        case 'C':
            if (strcmp(optarg, "holm") == 0)
                corr = STATS_HOLM;
            else if (strcmp(optarg, "bonferroni") == 0)
                corr = STATS_BONFERRONI;
            else if (strcmp(optarg, "none") == 0)
                corr = STATS_NONE;
            else {
                fprintf(stderr, "seedload: --correction is holm, bonferroni or none, not '%s'\n",
                        optarg);
                rc = SL_EXIT_USAGE;
                goto out;
            }
            break;
        case 'O':
            if (have_slo) slo_free(&obj);
            if (slo_parse(optarg, &obj, &e) < 0) {
                rc = app_error(&e);
                goto out;
            }
            have_slo = true;
            break;
        case 'q': quiet = true; break;
        case 'h': usage(stdout); goto out;
        default:
            usage(stderr);
            rc = SL_EXIT_USAGE;
            goto out;
        }
    }
    /* BASELINE CANDIDATE, or BASE... vs CAND... */
    int npos = argc - optind, vs = -1;
    for (int i = optind; i < argc; i++)
        if (strcmp(argv[i], "vs") == 0) {
            if (vs >= 0)
                vs = -2;
            else
                vs = i;
        }
    char **bp, **cp;
    size_t nb, nc;
    if (vs >= 0) {
        bp = argv + optind, nb = (size_t)(vs - optind);
        cp = argv + vs + 1, nc = (size_t)(argc - vs - 1);
    } else {
        bp = argv + optind, nb = npos == 2 ? 1 : 0;
        cp = argv + optind + 1, nc = npos == 2 ? 1 : 0;
    }
    if (vs == -2 || nb == 0 || nc == 0) {
        fprintf(stderr,
                "seedload: compare needs BASELINE.json CANDIDATE.json (or BASE... vs CAND...)\n");
        usage(stderr);
        rc = SL_EXIT_USAGE;
        goto out;
    }
    if (!have_tol && parse_tolerances(DEFAULT_TOLERANCES, &ss, &e) < 0) {
        rc = app_error(&e);
        goto out;
    }
    if (read_side(bp, nb, &base, &e) < 0 || read_side(cp, nc, &cand, &e) < 0) {
        rc = app_error(&e);
        goto out;
    }
    /* Same thing measured? Every file against the first baseline. */
    {
        sbuf d = {0}, notes = {0};
        int nd = 0;
        for (size_t i = 0; i < base.n + cand.n; i++) {
            const res_doc *x = i < base.n ? base.docs[i] : cand.docs[i - base.n];
            if (x == base.docs[0]) continue;
            nd += diff_docs(base.docs[0], x, &d, false);
            diff_docs(base.docs[0], x, &notes, true);
        }
        if (nd && !force) {
            fprintf(stderr,
                    "seedload: refusing to compare results that measured different things (%d "
                    "differing field%s):\n%s"
                    "seedload: --force compares them anyway\n",
                    nd, nd == 1 ? "" : "s", d.p);
            sbuf_free(&d);
            sbuf_free(&notes);
            rc = SL_EXIT_USAGE;
            goto out;
        }
        if (nd)
            fprintf(stderr,
                    "seedload: warning: comparing despite different configurations (--force):\n%s",
                    d.p);
        if (notes.len)
            fprintf(stderr, "seedload: note: the results come from different machines:\n%s",
                    notes.p);
        for (size_t i = 0; i < base.n + cand.n; i++) {
            const res_doc *x = i < base.n ? base.docs[i] : cand.docs[i - base.n];
            bool intr = false;
            for (size_t r = 0; r < x->nruns; r++) intr |= x->runs[r].interrupted;
            if (intr) fprintf(stderr, "seedload: warning: %s holds an interrupted run\n", x->name);
        }
        sbuf_free(&d);
        sbuf_free(&notes);
    }
    /* Transactions named by --transaction or NAME.METRIC must be in both. */
    for (size_t i = 0; i < ss.n; i++) {
        if (!ss.s[i].txn && txn_opt) {
            ss.s[i].txn = xstrdup(txn_opt);
            free(ss.s[i].label);
            sbuf lb = {0};
            sbuf_printf(&lb, "%s.%s", txn_opt, cmp_metrics[ss.s[i].metric].name);
            ss.s[i].label = sbuf_detach(&lb);
        }
        const char *t = ss.s[i].txn;
        if (!t) continue;
        if (!has_txn(base.docs, base.n, t)) {
            rc = no_txn(base.docs, base.n, t, "baseline");
            goto out;
        }
        if (!has_txn(cand.docs, cand.n, t)) {
            rc = no_txn(cand.docs, cand.n, t, "candidate");
            goto out;
        }
    }
    /* An objective naming a transaction the candidate lacks would only ever read "no data". */
    for (size_t i = 0; have_slo && i < obj.n; i++)
        if (obj.c[i].txn[0] && !has_txn(cand.docs, cand.n, obj.c[i].txn)) {
            rc = no_txn(cand.docs, cand.n, obj.c[i].txn, "candidate");
            goto out;
        }
    k = xcalloc(ss.n, sizeof *k);
    vals = xcalloc(2 * ss.n, sizeof *vals);
    for (size_t i = 0; i < ss.n; i++) {
        const spec *s = &ss.s[i];
        vals[2 * i] = xcalloc(base.runs + 1, sizeof **vals);
        vals[2 * i + 1] = xcalloc(cand.runs + 1, sizeof **vals);
        k[i].base = vals[2 * i];
        k[i].cand = vals[2 * i + 1];
        k[i].nbase = collect(base.docs, base.n, s->txn, s->metric, vals[2 * i]);
        k[i].ncand = collect(cand.docs, cand.n, s->txn, s->metric, vals[2 * i + 1]);
        k[i].higher_is_worse = cmp_metrics[s->metric].kind != M_TPS;
        k[i].absolute = s->absolute;
        k[i].tol = s->tol;
    }
    if (cmp_decide(k, ss.n, alpha, (size_t)min_runs, corr) < 0) {
        fprintf(stderr, "seedload: compare: a metric has no usable value\n");
        rc = SL_EXIT_USAGE;
        goto out;
    }
    outcome o = {.base = &base,
                 .cand = &cand,
                 .ss = &ss,
                 .k = k,
                 .alpha = alpha,
                 .corr = corr,
                 .min_runs = (size_t)min_runs,
                 .obj = have_slo ? &obj : NULL};
    for (size_t i = 0; i < ss.n; i++) {
        o.nreg += k[i].verdict == CMP_REGRESSION;
        o.nimp += k[i].verdict == CMP_IMPROVED;
        o.ninc += k[i].verdict == CMP_INCONCLUSIVE;
    }
    if (have_slo) {
        slo_val = xcalloc(obj.n, sizeof *slo_val);
        slo_values(&cand, &obj, slo_val);
        o.slo_val = slo_val;
        for (size_t i = 0; i < obj.n; i++) o.slo_broken += !slo_pass(&obj.c[i], slo_val[i]);
    }
    /* The verdict: any regression or broken objective fails; otherwise anything undecided makes
     * the whole inconclusive; otherwise pass. */
    char first[512] = "";
    size_t nlist = 0;
    sbuf line = {0};
    if (o.nreg || o.slo_broken) {
        o.verdict = "regression";
        rc = SL_EXIT_CHECK;
        sbuf_adds(&line, "REGRESSION:");
        for (size_t i = 0; i < ss.n; i++)
            if (k[i].verdict == CMP_REGRESSION) {
                ctext t;
                cmp_fmt_check(&ss.s[i], &k[i], &t);
                sbuf_printf(&line, "%s %s %s (tolerance %s, p%s%s)", nlist++ ? "," : "",
                            ss.s[i].label, t.change, t.tol, t.p[0] == '<' ? "" : "=", t.p);
            }
        for (size_t i = 0; have_slo && i < obj.n; i++)
            if (!slo_pass(&obj.c[i], slo_val[i]))
                sbuf_printf(&line, "%s objective %s broken", nlist++ ? "," : "", obj.c[i].text);
    } else if (o.ninc) {
        o.verdict = "inconclusive";
        rc = CMP_EXIT_INCONCLUSIVE;
        for (size_t i = 0; i < ss.n && !first[0]; i++)
            if (k[i].verdict == CMP_INCONCLUSIVE) snprintf(first, sizeof first, "%s", k[i].why);
        sbuf_printf(
            &line,
            "INCONCLUSIVE: %zu of %zu checks undecided (%s); run bench with a larger --repeat",
            o.ninc, ss.n, first);
    } else {
        o.verdict = "pass";
        sbuf_printf(&line, "PASS: no regression in %zu check%s", ss.n, ss.n == 1 ? "" : "s");
        if (o.nimp) {
            sbuf_adds(&line, "; improved:");
            for (size_t i = 0; i < ss.n; i++)
                if (k[i].verdict == CMP_IMPROVED) {
                    ctext t;
                    cmp_fmt_check(&ss.s[i], &k[i], &t);
                    sbuf_printf(&line, "%s %s %s", nlist++ ? "," : "", ss.s[i].label, t.change);
                }
        }
    }
    snprintf(o.line, sizeof o.line, "%s", line.p);
    sbuf_free(&line);
    if (!quiet) cmp_write_table(stdout, &o);
    printf("verdict: %s\n", o.line);
    fflush(stdout);
    if (junit) {
        sbuf x = {0};
        cmp_write_junit(&x, &o);
        if (report_write_file(junit, x.p, x.len, &e) < 0) rc = app_error(&e);
        sbuf_free(&x);
    }
    if (markdown) {
        sbuf x = {0};
        cmp_write_markdown(&x, &o);
        if (report_write_file(markdown, x.p, x.len, &e) < 0) rc = app_error(&e);
        sbuf_free(&x);
    }
out:
    if (vals)
        for (size_t i = 0; i < 2 * ss.n; i++) free(vals[i]);
    free(vals);
    free(k);
    free(slo_val);
    side_free(&base);
    side_free(&cand);
    specs_free(&ss);
    slo_free(&obj);
    return rc;
}
