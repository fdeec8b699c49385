/* cmd_compare.c — `seedload compare BASELINE.json CANDIDATE.json`: a CI verdict on whether the
 * candidate is slower than the baseline. Per-run metrics (latency percentiles from each run's
 * histogram, tps and error rate from its summary) are compared across the runs of the two
 * results: a regression needs both a change of the median beyond the tolerance and a
 * significant one-sided Mann-Whitney U test, corrected for the number of checks (stats.h;
 * the method and its measured false-alarm rate are in docs/ci.md). Writes a table, JUnit XML
 * and a Markdown summary. Exit codes: 0 pass, 1 regression or broken objective, 2 bad usage or
 * refused (different configurations), 3 I/O error, 4 inconclusive. */
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

typedef enum { M_PCT, M_MEAN, M_MAX, M_TPS, M_ERR } mkind;

static const struct {
    const char *name;
    double pct;
    mkind kind;
} metrics[] = {{"p50", 50, M_PCT},      {"p90", 90, M_PCT},     {"p95", 95, M_PCT},
               {"p99", 99, M_PCT},      {"p99.9", 99.9, M_PCT}, {"p99.99", 99.99, M_PCT},
               {"mean", 0, M_MEAN},     {"max", 100, M_MAX},    {"tps", 0, M_TPS},
               {"error_rate", 0, M_ERR}};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

static int metric_index(const char *m)
{
    for (size_t i = 0; i < NMETRICS; i++)
        if (strcmp(metrics[i].name, m) == 0) return (int)i;
    return -1;
}

static bool is_latency(int mi)
{
    return metrics[mi].kind == M_PCT || metrics[mi].kind == M_MEAN || metrics[mi].kind == M_MAX;
}

/* One requested check: a metric of all transactions (txn NULL) or of one, with its tolerance. */
typedef struct spec {
    char *txn;
    int metric;
    bool absolute;
    double tol; /* fraction, or absolute: ns, tps or percentage points */
    char *label;
} spec;

typedef struct specs {
    spec *s;
    size_t n;
} specs;

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
            for (size_t i = 0; i < NMETRICS; i++) names[i] = metrics[i].name;
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
        if (metrics[mi].kind == M_ERR) {
            /* Error rates are percentages already: a tolerance is in percentage points. */
            if (*end && strcmp(end, "%") != 0)
                end = (char *)"bad";
            else
                absolute = true, end = (char *)"";
        } else if (strcmp(end, "%") == 0) {
            tol = v / 100;
            end = (char *)"";
        } else if (is_latency(mi)) {
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
                         is_latency(mi)              ? " or a time (2ms, 500us)"
                         : metrics[mi].kind == M_ERR ? " (percentage points of the error rate)"
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
            sbuf_printf(&lb, "%s%s%s", txn ? txn : "", txn ? "." : "", metrics[mi].name);
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
            switch (metrics[mi].kind) {
            case M_TPS: out[k++] = tps; break;
            case M_ERR:
                if (count) out[k++] = 100.0 * (double)errors / (double)count;
                break;
            default:
                if (!h || hist_total(h) == 0) break;
                out[k++] = metrics[mi].kind == M_MEAN ? hist_mean(h)
                           : metrics[mi].kind == M_MAX
                               ? (double)hist_max(h)
                               : (double)hist_percentile(h, metrics[mi].pct);
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

static int no_txn(res_doc *const *docs, size_t n, const char *name, const char *side)
{
    const char *cands[256];
    size_t nc = 0;
    for (size_t d = 0; d < n; d++)
        for (size_t r = 0; r < docs[d]->nruns; r++)
            for (size_t t = 0; t < docs[d]->runs[r].ntx && nc < 256; t++)
                cands[nc++] = docs[d]->runs[r].tx[t].name;
    const char *sg = sl_suggest(name, cands, nc);
    fprintf(stderr, "seedload: the %s (%s) has no transaction '%s'%s%s%s\n", side, docs[0]->name,
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

/* A latency unit fit for v (ns). */
static void lat_unit(double v, const char **u, double *div)
{
    double a = fabs(v);
    if (a >= 1e9)
        *u = "s", *div = 1e9;
    else if (a >= 1e6)
        *u = "ms", *div = 1e6;
    else if (a >= 1e3)
        *u = "us", *div = 1e3;
    else
        *u = "ns", *div = 1;
}

/* A check's figures as text: baseline and candidate medians (in one unit), change, tolerance,
 * p-value. */
typedef struct ctext {
    char base[32], cand[32], change[32], tol[32], p[16];
} ctext;

static void fmt_p(double p, char *buf, size_t n)
{
    if (isnan(p))
        snprintf(buf, n, "-");
    else if (p < 0.0001)
        snprintf(buf, n, "<0.0001");
    else
        snprintf(buf, n, "%.4f", p);
}

/* The p-value shown: adjusted, one-sided in the direction of the change (worse when none). */
static double shown_p(const cmp_check *k)
{
    double worse = k->higher_is_worse ? k->change : -k->change;
    return worse < 0 ? k->p_better_adj : k->p_worse_adj;
}

static void fmt_check(const spec *s, const cmp_check *k, ctext *t)
{
    int mi = s->metric;
    if (is_latency(mi)) {
        const char *u;
        double div;
        lat_unit(fmax(fabs(k->base_med), fabs(k->cand_med)), &u, &div);
        snprintf(t->base, sizeof t->base, "%#.4g %s", k->base_med / div, u);
        snprintf(t->cand, sizeof t->cand, "%#.4g %s", k->cand_med / div, u);
        if (s->absolute) {
            lat_unit(s->tol, &u, &div);
            snprintf(t->tol, sizeof t->tol, "+%g %s", s->tol / div, u);
            lat_unit(k->change, &u, &div);
            snprintf(t->change, sizeof t->change, "%+.4g %s", k->change / div, u);
        }
    } else if (metrics[mi].kind == M_TPS) {
        snprintf(t->base, sizeof t->base, "%.1f tps", k->base_med);
        snprintf(t->cand, sizeof t->cand, "%.1f tps", k->cand_med);
        if (s->absolute) {
            snprintf(t->tol, sizeof t->tol, "-%g tps", s->tol);
            snprintf(t->change, sizeof t->change, "%+.1f tps", k->change);
        }
    } else {
        snprintf(t->base, sizeof t->base, "%.3f%%", k->base_med);
        snprintf(t->cand, sizeof t->cand, "%.3f%%", k->cand_med);
        snprintf(t->tol, sizeof t->tol, "+%g pp", s->tol);
        snprintf(t->change, sizeof t->change, "%+.3f pp", k->change);
    }
    if (!s->absolute) {
        snprintf(t->tol, sizeof t->tol, "%s%g%%", k->higher_is_worse ? "+" : "-", s->tol * 100);
        if (isinf(k->change))
            snprintf(t->change, sizeof t->change, "%s", k->change > 0 ? "+inf" : "-inf");
        else
            snprintf(t->change, sizeof t->change, "%+.1f%%", k->change * 100);
    }
    if (isnan(k->change)) snprintf(t->change, sizeof t->change, "-");
    if (k->nbase == 0) snprintf(t->base, sizeof t->base, "-");
    if (k->ncand == 0) snprintf(t->cand, sizeof t->cand, "-");
    fmt_p(k->verdict == CMP_INCONCLUSIVE && (k->nbase == 0 || k->ncand == 0) ? NAN : shown_p(k),
          t->p, sizeof t->p);
}

/* One sentence with the figures of a check (JUnit messages, the verdict line). */
static void describe(const spec *s, const cmp_check *k, double alpha, char *buf, size_t n)
{
    ctext t;
    fmt_check(s, k, &t);
    if (k->verdict == CMP_INCONCLUSIVE) {
        snprintf(buf, n, "inconclusive: %s: %s", s->label, k->why);
        return;
    }
    double p = shown_p(k);
    snprintf(buf, n,
             "%s %s: median %s -> %s (%s, tolerance %s); one-sided Mann-Whitney p%s%s (adjusted) "
             "%s alpha %g: %s",
             s->label, cmp_verdict_name(k->verdict), t.base, t.cand, t.change, t.tol,
             t.p[0] == '<' ? "" : "=", t.p, p <= alpha ? "<=" : ">", alpha, k->why);
}

/* Per-run values, for the JUnit details. */
static void values_text(sbuf *b, const char *what, const double *v, size_t n)
{
    sbuf_printf(b, "%s (%zu runs):", what, n);
    for (size_t i = 0; i < n; i++) sbuf_printf(b, " %.10g", v[i]);
    sbuf_addc(b, '\n');
}

/* XML text: &<>"' escaped, characters XML 1.0 forbids (controls, bad UTF-8) replaced by U+FFFD;
 * in attributes tab and newlines are kept as character references. */
static void xml_esc(sbuf *b, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            switch (c) {
            case '&': sbuf_adds(b, "&amp;"); break;
            case '<': sbuf_adds(b, "&lt;"); break;
            case '>': sbuf_adds(b, "&gt;"); break;
            case '"': sbuf_adds(b, "&quot;"); break;
            case '\'': sbuf_adds(b, "&apos;"); break;
            case '\t':
            case '\n':
            case '\r':
                if (attr)
                    sbuf_printf(b, "&#%u;", c);
                else
                    sbuf_addc(b, (char)c);
                break;
            default:
                if (c < 0x20 || c == 0x7f)
                    sbuf_adds(b, "\xEF\xBF\xBD");
                else
                    sbuf_addc(b, (char)c);
            }
            p++;
            continue;
        }
        /* A well-formed UTF-8 sequence of an XML character is copied; anything else is one
         * replacement character per bad byte. */
        int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
        unsigned cp = len == 4 ? c & 7 : len == 3 ? c & 15 : c & 31;
        bool okseq = len > 0 && c < 0xF5;
        for (int i = 1; okseq && i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                okseq = false;
            else
                cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (okseq && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
                                    cp == 0xFFFF)) ||
                      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
            okseq = false;
        if (okseq) {
            sbuf_add(b, p, (size_t)len);
            p += len;
        } else {
            sbuf_adds(b, "\xEF\xBF\xBD");
            p++;
        }
    }
}

/* Markdown table cell text: what would break the table or render as markup is escaped. */
static void md_esc(sbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '|': sbuf_adds(b, "\\|"); break;
        case '<': sbuf_adds(b, "&lt;"); break;
        case '>': sbuf_adds(b, "&gt;"); break;
        case '&': sbuf_adds(b, "&amp;"); break;
        case '\n':
        case '\r':
        case '\t': sbuf_addc(b, ' '); break;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '#':
            sbuf_addc(b, '\\');
            sbuf_addc(b, *s);
            break;
        default: sbuf_addc(b, *s);
        }
    }
}

/* ---- the command ---------------------------------------------------------------------------- */

typedef struct side {
    res_doc **docs;
    size_t n, runs;
} side;

/* Everything decided, for the writers. */
typedef struct outcome {
    const side *base, *cand;
    const specs *ss;
    cmp_check *k;
    double alpha;
    stats_correction corr;
    size_t min_runs;
    size_t nreg, nimp, ninc;
    const slo *obj;
    double *slo_val; /* per objective; NULL without --slo */
    size_t slo_broken;
    const char *verdict; /* "pass", "regression", "inconclusive" */
    char line[1024];     /* the one-line verdict */
} outcome;

static const char *corr_name(stats_correction c)
{
    return c == STATS_HOLM ? "Holm" : c == STATS_BONFERRONI ? "Bonferroni" : "no";
}

static void side_names(sbuf *b, const side *s)
{
    for (size_t i = 0; i < s->n; i++) sbuf_printf(b, "%s%s", i ? "," : "", s->docs[i]->name);
}

static void write_table(FILE *f, const outcome *o)
{
    const res_doc *a = o->base->docs[0];
    char more_b[48] = "", more_c[48] = "";
    if (o->base->n > 1) snprintf(more_b, sizeof more_b, " and %zu more", o->base->n - 1);
    if (o->cand->n > 1) snprintf(more_c, sizeof more_c, " and %zu more", o->cand->n - 1);
    fprintf(f, "seedload compare: baseline %s%s (%zu runs) vs candidate %s%s (%zu runs)\n", a->name,
            more_b, o->base->runs, o->cand->docs[0]->name, more_c, o->cand->runs);
    fprintf(f,
            "  profile %s, scenario %s, workload %s, %s, %lld clients; medians over runs, "
            "one-sided Mann-Whitney U,\n"
            "  %s correction over %zu check%s at alpha %g, --min-runs %zu\n\n",
            a->profile ? a->profile : "?", a->scenario ? a->scenario : "?",
            a->workload ? a->workload : "?", a->dialect ? a->dialect : "?", (long long)a->clients,
            corr_name(o->corr), o->ss->n, o->ss->n == 1 ? "" : "s", o->alpha, o->min_runs);
    int w = 6;
    for (size_t i = 0; i < o->ss->n; i++)
        if ((int)strlen(o->ss->s[i].label) > w) w = (int)strlen(o->ss->s[i].label);
    fprintf(f, "  %-*s %13s %13s %9s %9s %8s  %s\n", w, "metric", "baseline", "candidate", "change",
            "tolerance", "p-value", "verdict");
    for (size_t i = 0; i < o->ss->n; i++) {
        ctext t;
        fmt_check(&o->ss->s[i], &o->k[i], &t);
        fprintf(f, "  %-*s %13s %13s %9s %9s %8s  %-12s %s\n", w, o->ss->s[i].label, t.base, t.cand,
                t.change, t.tol, t.p, cmp_verdict_name(o->k[i].verdict), o->k[i].why);
    }
    if (o->obj) {
        fprintf(f, "\n  objectives on the candidate (all %zu runs together):\n", o->cand->runs);
        for (size_t i = 0; i < o->obj->n; i++) {
            char got[48];
            slo_format(&o->obj->c[i], o->slo_val[i], got, sizeof got);
            fprintf(f, "  SLO %-28s %s (measured %s)\n", o->obj->c[i].text,
                    slo_pass(&o->obj->c[i], o->slo_val[i]) ? "ok    " : "BROKEN", got);
        }
    }
    fputc('\n', f);
}

static void write_junit(sbuf *b, const outcome *o)
{
    const char *wl = o->base->docs[0]->workload ? o->base->docs[0]->workload : "unknown";
    size_t nslo = o->obj ? o->obj->n : 0;
    size_t tests = o->ss->n + nslo, failures = o->nreg + o->slo_broken, skipped = o->ninc;
    char stamp[32] = "1970-01-01T00:00:00";
    time_t now = time(NULL);
    struct tm tmv;
    if (gmtime_r(&now, &tmv)) strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tmv);
    char host[256] = "localhost";
    if (gethostname(host, sizeof host - 1) != 0) snprintf(host, sizeof host, "localhost");
    sbuf cls = {0};
    sbuf_adds(&cls, "seedload.compare.");
    xml_esc(&cls, wl, true);
    sbuf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sbuf_printf(b,
                "<testsuites name=\"seedload compare\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                "skipped=\"%zu\" time=\"0\">\n",
                tests, failures, skipped);
    sbuf_printf(b,
                "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                "skipped=\"%zu\" time=\"0\" timestamp=\"%s\" hostname=\"",
                cls.p, tests, failures, skipped, stamp);
    xml_esc(b, host, true);
    sbuf_adds(b, "\">\n    <properties>\n");
    sbuf names = {0};
    side_names(&names, o->base);
    sbuf_adds(b, "      <property name=\"baseline\" value=\"");
    xml_esc(b, names.p, true);
    sbuf_clear(&names);
    side_names(&names, o->cand);
    sbuf_adds(b, "\"/>\n      <property name=\"candidate\" value=\"");
    xml_esc(b, names.p, true);
    sbuf_free(&names);
    sbuf_printf(b,
                "\"/>\n      <property name=\"alpha\" value=\"%g\"/>\n      <property "
                "name=\"correction\" value=\"%s\"/>\n"
                "      <property name=\"min_runs\" value=\"%zu\"/>\n      <property "
                "name=\"verdict\" value=\"%s\"/>\n    </properties>\n",
                o->alpha, corr_name(o->corr), o->min_runs, o->verdict);
    char msg[1024];
    for (size_t i = 0; i < o->ss->n; i++) {
        const spec *s = &o->ss->s[i];
        const cmp_check *k = &o->k[i];
        sbuf_adds(b, "    <testcase name=\"");
        xml_esc(b, s->label, true);
        sbuf_printf(b, "\" classname=\"%s\" time=\"0\">\n", cls.p);
        describe(s, k, o->alpha, msg, sizeof msg);
        sbuf detail = {0};
        values_text(&detail, "baseline", k->base, k->nbase);
        values_text(&detail, "candidate", k->cand, k->ncand);
        sbuf_printf(
            &detail,
            "p-values: worse %.6g (adjusted %.6g), better %.6g (adjusted %.6g); %s distribution\n",
            k->p_worse, k->p_worse_adj, k->p_better, k->p_better_adj,
            k->exact ? "exact" : "normal");
        if (k->verdict == CMP_REGRESSION) {
            sbuf_adds(b, "      <failure message=\"");
            xml_esc(b, msg, true);
            sbuf_adds(b, "\" type=\"regression\">");
            xml_esc(b, detail.p, false);
            sbuf_adds(b, "</failure>\n");
        } else if (k->verdict == CMP_INCONCLUSIVE) {
            sbuf_adds(b, "      <skipped message=\"");
            xml_esc(b, msg, true);
            sbuf_adds(b, "\"/>\n");
        }
        sbuf_adds(b, "      <system-out>");
        xml_esc(b, msg, false);
        sbuf_addc(b, '\n');
        xml_esc(b, detail.p, false);
        sbuf_adds(b, "</system-out>\n    </testcase>\n");
        sbuf_free(&detail);
    }
    for (size_t i = 0; i < nslo; i++) {
        const slo_check *c = &o->obj->c[i];
        char got[48];
        slo_format(c, o->slo_val[i], got, sizeof got);
        sbuf_adds(b, "    <testcase name=\"slo ");
        xml_esc(b, c->text, true);
        sbuf_printf(b, "\" classname=\"%s\" time=\"0\">\n", cls.p);
        if (!slo_pass(c, o->slo_val[i])) {
            snprintf(msg, sizeof msg, "objective %s broken: measured %s on the candidate", c->text,
                     got);
            sbuf_adds(b, "      <failure message=\"");
            xml_esc(b, msg, true);
            sbuf_adds(b, "\" type=\"slo\">");
            xml_esc(b, msg, false);
            sbuf_adds(b, "</failure>\n");
        }
        sbuf_adds(b, "    </testcase>\n");
    }
    sbuf_adds(b, "  </testsuite>\n</testsuites>\n");
    sbuf_free(&cls);
}

static void write_markdown(sbuf *b, const outcome *o)
{
    const res_doc *a = o->base->docs[0];
    const char *icon = !strcmp(o->verdict, "regression") ? "\xE2\x9D\x8C"          /* cross */
                       : !strcmp(o->verdict, "pass")     ? "\xE2\x9C\x85"          /* check */
                                                         : "\xE2\x9A\xA0\xEF\xB8\x8F"; /* warning */
    sbuf_printf(b, "### %s seedload compare: %s\n\n", icon, o->verdict);
    md_esc(b, o->line);
    sbuf_adds(b, "\n\nProfile ");
    md_esc(b, a->profile ? a->profile : "?");
    sbuf_adds(b, ", workload ");
    md_esc(b, a->workload ? a->workload : "?");
    sbuf_printf(b, " (%s, %lld clients, scenario ", a->dialect ? a->dialect : "?",
                (long long)a->clients);
    md_esc(b, a->scenario ? a->scenario : "?");
    sbuf_printf(b, "); baseline %zu runs, candidate %zu runs.\n\n", o->base->runs, o->cand->runs);
    sbuf_adds(b, "| metric | baseline | candidate | change | tolerance | p-value | verdict |\n"
                 "|:--|--:|--:|--:|--:|--:|:--|\n");
    for (size_t i = 0; i < o->ss->n; i++) {
        ctext t;
        const cmp_check *k = &o->k[i];
        fmt_check(&o->ss->s[i], k, &t);
        sbuf_adds(b, "| ");
        md_esc(b, o->ss->s[i].label);
        sbuf_printf(b, " | %s | %s | %s | %s | %s | ", t.base, t.cand, t.change, t.tol, t.p);
        if (k->verdict == CMP_REGRESSION)
            sbuf_adds(b, "**regression**");
        else
            md_esc(b, cmp_verdict_name(k->verdict));
        if (k->verdict == CMP_INCONCLUSIVE) {
            sbuf_adds(b, ": ");
            md_esc(b, k->why);
        }
        sbuf_adds(b, " |\n");
    }
    if (o->obj) {
        sbuf_adds(b, "\n| objective (candidate) | measured | |\n|:--|--:|:--|\n");
        for (size_t i = 0; i < o->obj->n; i++) {
            char got[48];
            slo_format(&o->obj->c[i], o->slo_val[i], got, sizeof got);
            sbuf_adds(b, "| ");
            md_esc(b, o->obj->c[i].text);
            sbuf_printf(b, " | %s | %s |\n", got,
                        slo_pass(&o->obj->c[i], o->slo_val[i]) ? "ok" : "**broken**");
        }
    }
    sbuf_printf(b,
                "\n<sub>Medians over runs; a regression needs a change beyond the tolerance and a "
                "significant "
                "one-sided Mann-Whitney U test (%s correction over %zu checks, alpha %g). seedload "
                "%s.</sub>\n",
                corr_name(o->corr), o->ss->n, o->alpha, SL_VERSION);
}

/* The candidate's figures, all runs together, for --slo. */
static void slo_values(const side *c, const slo *obj, double *out)
{
    hist *all = hist_dup_empty(c->docs[0]->runs[0].lat);
    uint64_t count = 0, errors = 0;
    double secs = 0;
    const char **names = NULL;
    hist **lats = NULL;
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
                    names[ntx] = run->tx[t].name;
                    lats[ntx++] = hist_dup_empty(all);
                }
                hist_add(lats[j], run->tx[t].lat);
            }
        }
    slo_figures fig = {.lat = all,
                       .tps = secs > 0 ? (double)count / secs : 0,
                       .count = count,
                       .errors = errors,
                       .ntx = ntx,
                       .tx_names = names,
                       .tx_lat = (const hist *const *)lats};
    for (size_t i = 0; i < obj->n; i++) out[i] = slo_value(&obj->c[i], &fig);
    for (size_t j = 0; j < ntx; j++) hist_free(lats[j]);
    free(lats);
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
            sbuf_printf(&lb, "%s.%s", txn_opt, metrics[ss.s[i].metric].name);
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
        k[i].higher_is_worse = metrics[s->metric].kind != M_TPS;
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
                fmt_check(&ss.s[i], &k[i], &t);
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
                    fmt_check(&ss.s[i], &k[i], &t);
                    sbuf_printf(&line, "%s %s %s", nlist++ ? "," : "", ss.s[i].label, t.change);
                }
        }
    }
    snprintf(o.line, sizeof o.line, "%s", line.p);
    sbuf_free(&line);
    if (!quiet) write_table(stdout, &o);
    printf("verdict: %s\n", o.line);
    fflush(stdout);
    if (junit) {
        sbuf x = {0};
        write_junit(&x, &o);
        if (report_write_file(junit, x.p, x.len, &e) < 0) rc = app_error(&e);
        sbuf_free(&x);
    }
    if (markdown) {
        sbuf x = {0};
        write_markdown(&x, &o);
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
