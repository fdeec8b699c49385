/* stats.c — medians, the Mann-Whitney U test, multiple-comparison corrections and the compare
 * verdict (see stats.h and docs/ci.md for the method and why it was chosen). */
#include "seedload/stats.h"

#include "seedload/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double stats_median(const double *x, size_t n)
{
    if (n == 0) return NAN;
    double *s = xmalloc(n * sizeof *s);
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}

/* A value and the sample it came from, for ranking. */
typedef struct tagged {
    double v;
    int from_x;
} tagged;

static int cmp_tagged(const void *a, const void *b)
{
    return cmp_double(&((const tagged *)a)->v, &((const tagged *)b)->v);
}

/* The upper tail of the standard normal distribution. */
static double norm_sf(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}

static double clamp01(double p)
{
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* The exact permutation distribution of the doubled rank sum of k values drawn without
 * replacement from the N doubled ranks w[] (integers: midranks times two). Returns
 * P(S >= s_obs) and P(S <= s_obs) for the k-subset whose sum is s_obs. Counts are kept as
 * doubles: C(100, 50) ~ 1e29 overflows every integer type, and 16 significant digits are
 * plenty for a p-value. */
static void exact_tails(const long *w, size_t N, size_t k, long s_obs, double *ge, double *le)
{
    long total = 0;
    for (size_t i = 0; i < N; i++) total += w[i];
    size_t width = (size_t)total + 1;
    double *dp = xcalloc((k + 1) * width, sizeof *dp);
    dp[0] = 1; /* dp[j * width + s]: subsets of j values with doubled rank sum s */
    long reach = 0;
    for (size_t i = 0; i < N; i++) {
        reach += w[i];
        size_t top = i + 1 < k ? i + 1 : k;
        for (size_t j = top; j >= 1; j--) {
            double *to = dp + j * width, *from = dp + (j - 1) * width;
            for (long s = reach; s >= w[i]; s--) to[s] += from[s - w[i]];
        }
    }
    double all = 0, g = 0, l = 0;
    const double *row = dp + k * width;
    for (long s = 0; s <= total; s++) {
        if (row[s] == 0) continue;
        all += row[s];
        if (s >= s_obs) g += row[s];
        if (s <= s_obs) l += row[s];
    }
    free(dp);
    *ge = clamp01(g / all);
    *le = clamp01(l / all);
}

int stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny, stats_method m,
                       stats_mwu *out)
{
    memset(out, 0, sizeof *out);
    if (nx == 0 || ny == 0) return -1;
    size_t N = nx + ny;
    if (m == STATS_EXACT && N > STATS_EXACT_LIMIT) return -1;
    tagged *t = xmalloc(N * sizeof *t);
    for (size_t i = 0; i < nx; i++) t[i] = (tagged){x[i], 1};
    for (size_t i = 0; i < ny; i++) t[nx + i] = (tagged){y[i], 0};
    for (size_t i = 0; i < N; i++)
        if (isnan(t[i].v)) {
            free(t);
            return -1;
        }
    qsort(t, N, sizeof *t, cmp_tagged);
    /* Doubled midranks: a tie group at 0-based positions a..b has midrank (a+1 + b+1)/2. */
    long *w = xmalloc(N * sizeof *w);
    long sx = 0;         /* doubled rank sum of x */
    double tie_term = 0; /* sum of t^3 - t over tie groups */
    for (size_t a = 0; a < N;) {
        size_t b = a;
        while (b + 1 < N && t[b + 1].v == t[a].v) b++;
        double tg = (double)(b - a + 1);
        if (b > a) {
            out->ties = true;
            tie_term += tg * tg * tg - tg;
        }
        for (size_t i = a; i <= b; i++) {
            w[i] = (long)(a + b + 2);
            if (t[i].from_x) sx += w[i];
        }
        a = b + 1;
    }
    double dnx = (double)nx, dny = (double)ny, dN = (double)N;
    out->u = (double)sx / 2 - dnx * (dnx + 1) / 2;
    bool exact = m == STATS_EXACT || (m == STATS_AUTO && N <= STATS_EXACT_MAX);
    if (exact) {
        /* The smaller sample's distribution is cheaper; x's rank sum is the total minus y's. */
        if (nx <= ny) {
            exact_tails(w, N, nx, sx, &out->p_greater, &out->p_less);
        } else {
            long total = (long)(N * (N + 1)); /* doubled: N(N+1)/2 * 2 */
            double ge, le;
            exact_tails(w, N, ny, total - sx, &ge, &le);
            out->p_greater = le; /* x's sum large <=> y's sum small */
            out->p_less = ge;
        }
        out->exact = true;
    } else {
        double mu = dnx * dny / 2;
        double var = dnx * dny / 12 * ((dN + 1) - tie_term / (dN * (dN - 1)));
        if (var <= 0) {
            out->p_greater = out->p_less = 1;
        } else {
            double sd = sqrt(var);
            out->z = (out->u - mu - 0.5) / sd;
            out->p_greater = clamp01(norm_sf(out->z));
            out->p_less = clamp01(norm_sf((dnx * dny - out->u - mu - 0.5) / sd));
        }
    }
    free(w);
    free(t);
    return 0;
}

double stats_mwu_min_p(size_t nx, size_t ny, stats_method m)
{
    if (nx == 0 || ny == 0) return 1;
    size_t N = nx + ny;
    bool exact = m == STATS_EXACT || (m == STATS_AUTO && N <= STATS_EXACT_MAX);
    if (exact) {
        /* One arrangement out of C(N, nx). */
        size_t k = nx < ny ? nx : ny;
        double c = 1;
        for (size_t i = 1; i <= k; i++) c = c * (double)(N - k + i) / (double)i;
        return 1 / c;
    }
    double dnx = (double)nx, dny = (double)ny;
    double sd = sqrt(dnx * dny * ((double)N + 1) / 12);
    return clamp01(norm_sf((dnx * dny / 2 - 0.5) / sd));
}

/* Indices sorted by p, ascending (stable for equal p). */
typedef struct pidx {
    double p;
    size_t i;
} pidx;

static int cmp_pidx(const void *a, const void *b)
{
    const pidx *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

void stats_adjust(const double *p, size_t m, stats_correction c, double *adj)
{
    if (m == 0) return;
    if (c == STATS_NONE) {
        for (size_t i = 0; i < m; i++) adj[i] = clamp01(p[i]);
        return;
    }
    if (c == STATS_BONFERRONI) {
        for (size_t i = 0; i < m; i++) adj[i] = clamp01(p[i] * (double)m);
        return;
    }
    /* Holm: the k-th smallest p (k from 0) is compared with alpha / (m - k); the adjusted value
     * is the running maximum of (m - k) p_(k), so that adj <= alpha reproduces the step-down
     * rule "reject in order until the first p above its threshold". */
    pidx *s = xmalloc(m * sizeof *s);
    for (size_t i = 0; i < m; i++) s[i] = (pidx){p[i], i};
    qsort(s, m, sizeof *s, cmp_pidx);
    double run = 0;
    for (size_t k = 0; k < m; k++) {
        double v = clamp01((double)(m - k) * s[k].p);
        if (v > run) run = v;
        adj[s[k].i] = run;
    }
    free(s);
}

const char *cmp_verdict_name(cmp_verdict v)
{
    switch (v) {
    case CMP_PASS: return "pass";
    case CMP_IMPROVED: return "improved";
    case CMP_REGRESSION: return "regression";
    case CMP_INCONCLUSIVE: return "inconclusive";
    }
    return "?";
}

int cmp_decide(cmp_check *checks, size_t n, double alpha, size_t min_runs, stats_correction c)
{
    if (!(alpha > 0 && alpha < 1)) return -1;
    for (size_t i = 0; i < n; i++) {
        const cmp_check *k = &checks[i];
        for (size_t j = 0; j < k->nbase; j++)
            if (isnan(k->base[j])) return -1;
        for (size_t j = 0; j < k->ncand; j++)
            if (isnan(k->cand[j])) return -1;
        if (isnan(k->tol) || k->tol < 0) return -1;
    }
    if (n == 0) return 0;
    double *pw = xmalloc(n * sizeof *pw), *pb = xmalloc(n * sizeof *pb);
    double *aw = xmalloc(n * sizeof *aw), *ab = xmalloc(n * sizeof *ab);
    for (size_t i = 0; i < n; i++) {
        cmp_check *k = &checks[i];
        k->base_med = stats_median(k->base, k->nbase);
        k->cand_med = stats_median(k->cand, k->ncand);
        if (k->nbase == 0 || k->ncand == 0)
            k->change = NAN;
        else if (k->absolute)
            k->change = k->cand_med - k->base_med;
        else if (k->base_med != 0)
            k->change = k->cand_med / k->base_med - 1;
        else
            k->change = k->cand_med == 0 ? 0 : k->cand_med > 0 ? INFINITY : -INFINITY;
        k->p_worse = k->p_better = 1;
        k->exact = false;
        stats_mwu r;
        if (k->nbase > 0 && k->ncand > 0 &&
            stats_mann_whitney(k->cand, k->ncand, k->base, k->nbase, STATS_AUTO, &r) == 0) {
            k->p_worse = k->higher_is_worse ? r.p_greater : r.p_less;
            k->p_better = k->higher_is_worse ? r.p_less : r.p_greater;
            k->exact = r.exact;
        }
        k->min_p = stats_mwu_min_p(k->ncand, k->nbase, STATS_AUTO);
        bool enough = k->nbase >= min_runs && k->ncand >= min_runs && k->nbase > 0 && k->ncand > 0;
        /* A check that cannot be tested stays in the family (so adding such checks never makes
         * the others more lenient) with the least significant p. */
        pw[i] = enough ? k->p_worse : 1;
        pb[i] = enough ? k->p_better : 1;
    }
    stats_adjust(pw, n, c, aw);
    stats_adjust(pb, n, c, ab);
    /* The strictest per-test level of the procedure: Holm's first step and Bonferroni's only
     * one are alpha / n. A smallest attainable p above it means no outcome of this test could
     * ever be significant, whatever the data. */
    double level = c == STATS_NONE ? alpha : alpha / (double)n;
    for (size_t i = 0; i < n; i++) {
        cmp_check *k = &checks[i];
        k->p_worse_adj = aw[i];
        k->p_better_adj = ab[i];
        if (k->nbase < min_runs || k->ncand < min_runs || k->nbase == 0 || k->ncand == 0) {
            k->verdict = CMP_INCONCLUSIVE;
            if (k->nbase < min_runs || k->nbase == 0)
                snprintf(k->why, sizeof k->why, "%zu baseline run%s, fewer than --min-runs %zu",
                         k->nbase, k->nbase == 1 ? "" : "s", min_runs);
            else
                snprintf(k->why, sizeof k->why, "%zu candidate run%s, fewer than --min-runs %zu",
                         k->ncand, k->ncand == 1 ? "" : "s", min_runs);
            continue;
        }
        if (k->min_p > level) {
            k->verdict = CMP_INCONCLUSIVE;
            snprintf(k->why, sizeof k->why,
                     "%zu vs %zu runs cannot reach p <= %.3g (smallest possible p %.3g): more runs "
                     "needed",
                     k->nbase, k->ncand, level, k->min_p);
            continue;
        }
        double worse = k->higher_is_worse ? k->change : -k->change; /* > 0: in the bad direction */
        const double eps = 1e-12; /* 10% is 10%, not 10.0000000001% */
        bool beyond_bad = worse > k->tol + eps, beyond_good = -worse > k->tol + eps;
        if (beyond_bad && k->p_worse_adj <= alpha) {
            k->verdict = CMP_REGRESSION;
            snprintf(k->why, sizeof k->why, "worse beyond tolerance and significant");
        } else if (beyond_good && k->p_better_adj <= alpha) {
            k->verdict = CMP_IMPROVED;
            snprintf(k->why, sizeof k->why, "better beyond tolerance and significant");
        } else {
            k->verdict = CMP_PASS;
            if (beyond_bad)
                snprintf(k->why, sizeof k->why, "worse beyond tolerance but not significant");
            else if (beyond_good)
                snprintf(k->why, sizeof k->why, "better beyond tolerance but not significant");
            else if (k->p_worse_adj <= alpha)
                snprintf(k->why, sizeof k->why, "significantly worse, within tolerance");
            else
                snprintf(k->why, sizeof k->why, "within tolerance");
        }
    }
    free(pw);
    free(pb);
    free(aw);
    free(ab);
    return 0;
}
