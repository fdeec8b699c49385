/* slo.c — parsing and checking service-level objectives (see slo.h). */
#include "seedload/slo.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const struct {
    const char *name;
    double pct; /* -1: not a percentile */
    bool latency;
} metrics[] = {{"p50", 50, true},     {"p90", 90, true},        {"p95", 95, true},
               {"p99", 99, true},     {"p99.9", 99.9, true},    {"p99.99", 99.99, true},
               {"max", 100, true},    {"mean", -1, true},       {"tps", -1, false},
               {"errors", -1, false}, {"error_rate", -1, false}};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

static int metric_index(const char *m)
{
    for (size_t i = 0; i < NMETRICS; i++)
        if (strcmp(metrics[i].name, m) == 0) return (int)i;
    return -1;
}

int slo_parse(const char *spec, slo *out, sl_err *e)
{
    memset(out, 0, sizeof *out);
    const char *q = spec;
    while (isspace((unsigned char)*q)) q++;
    if (!*q) return sl_fail(e, SL_EXIT_USAGE, "--slo: no checks in '%s'", spec);
    char *copy = xstrdup(spec);
    int rc = 0;
    for (char *tok = copy, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next) *next++ = '\0';
        while (isspace((unsigned char)*tok)) tok++;
        size_t tl0 = strlen(tok);
        while (tl0 && isspace((unsigned char)tok[tl0 - 1])) tok[--tl0] = '\0';
        if (!*tok) {
            rc = sl_fail(e, SL_EXIT_USAGE,
                         "--slo: an empty check in '%s' (checks are separated by one comma)", spec);
            break;
        }
        slo_check c = {0};
        snprintf(c.text, sizeof c.text, "%s", tok);
        const char *opp = strpbrk(tok, "<>=");
        if (!opp) {
            rc = sl_fail(e, SL_EXIT_USAGE, "--slo: '%s' needs an operator (<, <=, >, >=, =)",
                         c.text);
            break;
        }
        char left[96];
        size_t ll = (size_t)(opp - tok) < sizeof left - 1 ? (size_t)(opp - tok) : sizeof left - 1;
        memcpy(left, tok, ll);
        left[ll] = '\0';
        while (ll && isspace((unsigned char)left[ll - 1])) left[--ll] = '\0';
        size_t ol = (opp[1] == '=' && opp[0] != '=') ? 2 : 1;
        memcpy(c.op, opp, ol);
        const char *val = opp + ol;
        while (isspace((unsigned char)*val)) val++;
        /* NAME.metric: the last dot that starts a known metric */
        const char *metric = left;
        char *dot = strrchr(left, '.');
        while (dot) {
            if (metric_index(dot + 1) >= 0) break;
            /* p99.9: the dot belongs to the metric */
            char *prev = dot;
            *prev = '\0';
            char *d2 = strrchr(left, '.');
            *prev = '.';
            dot = d2;
        }
        if (dot && metric_index(dot + 1) >= 0 && dot != left) {
            size_t tl = (size_t)(dot - left);
            if (tl >= sizeof c.txn) {
                rc = sl_fail(e, SL_EXIT_USAGE,
                             "--slo: transaction name longer than %zu characters in '%s'",
                             sizeof c.txn - 1, c.text);
                break;
            }
            memcpy(c.txn, left, tl);
            metric = dot + 1;
        }
        int mi = metric_index(metric);
        if (mi < 0) {
            const char *names[NMETRICS];
            for (size_t i = 0; i < NMETRICS; i++) names[i] = metrics[i].name;
            const char *sg = sl_suggest(metric, names, NMETRICS);
            rc =
                sl_fail(e, SL_EXIT_USAGE,
                        "--slo: unknown metric '%s' in '%s'%s%s%s (p50 p90 p95 p99 "
                        "p99.9 p99.99 max mean tps errors error_rate)",
                        metric, c.text, sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
            break;
        }
        snprintf(c.metric, sizeof c.metric, "%s", metrics[mi].name);
        char *end;
        double v = strtod(val, &end);
        if (end == val || !isfinite(v)) {
            rc = sl_fail(e, SL_EXIT_USAGE, "--slo: '%s' needs a number after the operator", c.text);
            break;
        }
        while (isspace((unsigned char)*end)) end++;
        if (metrics[mi].latency) {
            double mul = 1e6; /* milliseconds by default */
            if (!*end || strcmp(end, "ms") == 0)
                mul = 1e6;
            else if (strcmp(end, "us") == 0)
                mul = 1e3;
            else if (strcmp(end, "ns") == 0)
                mul = 1;
            else if (strcmp(end, "s") == 0)
                mul = 1e9;
            else {
                rc = sl_fail(e, SL_EXIT_USAGE, "--slo: unit '%s' in '%s' (ns, us, ms or s)", end,
                             c.text);
                break;
            }
            v *= mul;
        } else if (*end && !(strcmp(end, "%") == 0 && strcmp(c.metric, "error_rate") == 0)) {
            rc =
                sl_fail(e, SL_EXIT_USAGE, "--slo: '%s': %s takes a plain number", c.text, c.metric);
            break;
        }
        c.value = v;
        out->c = xrealloc(out->c, (out->n + 1) * sizeof *out->c);
        out->c[out->n++] = c;
    }
    free(copy);
    if (rc == 0 && out->n == 0) rc = sl_fail(e, SL_EXIT_USAGE, "--slo: no checks in '%s'", spec);
    if (rc < 0) slo_free(out);
    return rc;
}

void slo_free(slo *s)
{
    free(s->c);
    s->c = NULL;
    s->n = 0;
}

int slo_check_names(const slo *s, const char *const *names, size_t n, sl_err *e)
{
    for (size_t i = 0; i < s->n; i++) {
        const char *t = s->c[i].txn;
        if (!t[0]) continue;
        bool found = false;
        for (size_t k = 0; k < n && !found; k++) found = strcmp(names[k], t) == 0;
        if (found) continue;
        const char *sg = sl_suggest(t, names, n);
        return sl_fail(e, SL_EXIT_USAGE,
                       "--slo: '%s' names transaction '%s', which the workload does not have%s%s%s",
                       s->c[i].text, t, sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
    }
    return 0;
}

double slo_value(const slo_check *c, const slo_figures *f)
{
    const hist *h = f->lat;
    double tps = f->tps;
    uint64_t count = f->count, errors = f->errors;
    if (c->txn[0]) {
        h = NULL;
        size_t at = f->ntx;
        for (size_t i = 0; i < f->ntx; i++)
            if (strcmp(f->tx_names[i], c->txn) == 0) h = f->tx_lat[i], at = i;
        if (at == f->ntx) return NAN;
        bool counts = f->tx_count && f->tx_errors;
        count = counts ? f->tx_count[at] : 0;
        errors = counts ? f->tx_errors[at] : 0;
        tps = counts && f->seconds > 0 ? (double)count / f->seconds : NAN;
        if (!counts && (strcmp(c->metric, "errors") == 0 || strcmp(c->metric, "error_rate") == 0))
            return NAN;
    }
    int mi = metric_index(c->metric);
    if (strcmp(c->metric, "tps") == 0) return tps;
    if (strcmp(c->metric, "errors") == 0) return (double)errors;
    if (strcmp(c->metric, "error_rate") == 0)
        return count ? 100.0 * (double)errors / (double)count : 0;
    if (!h || hist_total(h) == 0) return NAN;
    if (strcmp(c->metric, "mean") == 0) return hist_mean(h);
    if (strcmp(c->metric, "max") == 0) return (double)hist_max(h);
    return (double)hist_percentile(h, metrics[mi].pct);
}

bool slo_pass(const slo_check *c, double v)
{
    if (isnan(v)) return false;
    if (strcmp(c->op, "<") == 0) return v < c->value;
    if (strcmp(c->op, "<=") == 0) return v <= c->value;
    if (strcmp(c->op, ">") == 0) return v > c->value;
    if (strcmp(c->op, ">=") == 0) return v >= c->value;
    return v == c->value;
}

void slo_format(const slo_check *c, double v, char *buf, size_t n)
{
    if (isnan(v))
        snprintf(buf, n, "no data");
    else if (metric_index(c->metric) >= 0 && metrics[metric_index(c->metric)].latency)
        snprintf(buf, n, "%.3f ms", v / 1e6);
    else if (strcmp(c->metric, "tps") == 0)
        snprintf(buf, n, "%.1f tps", v);
    else if (strcmp(c->metric, "error_rate") == 0)
        snprintf(buf, n, "%.3f%%", v);
    else
        snprintf(buf, n, "%.0f", v);
}

int slo_eval(const slo *s, const slo_figures *fig, FILE *f)
{
    int failed = 0;
    for (size_t i = 0; i < s->n; i++) {
        double v = slo_value(&s->c[i], fig);
        bool ok = slo_pass(&s->c[i], v);
        failed += !ok;
        if (f) {
            char got[48];
            slo_format(&s->c[i], v, got, sizeof got);
            fprintf(f, "  SLO %-28s %s (measured %s)\n", s->c[i].text, ok ? "ok    " : "BROKEN",
                    got);
        }
    }
    return failed;
}
