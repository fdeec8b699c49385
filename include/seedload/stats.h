/* stats.h — the statistics behind `seedload compare` (docs/ci.md): medians, the Mann-Whitney U
 * test (exact permutation distribution for small samples, ties included; the normal
 * approximation with tie and continuity correction for larger ones), Holm-Bonferroni and
 * Bonferroni corrections, and cmp_decide, the pure verdict function that turns per-run metric
 * vectors of a baseline and a candidate into pass / regression / improved / inconclusive.
 *
 * Nothing here allocates beyond its own call, reads files or prints: every function is a pure
 * function of its arguments, so the unit tests (tests/unit/test_stats.c) pin it down. */
#ifndef SEEDLOAD_STATS_H
#define SEEDLOAD_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* The median of n values (the mean of the two middle ones when n is even); NaN when n == 0.
 * x is not modified. */
double stats_median(const double *x, size_t n);

typedef enum {
    STATS_AUTO,   /* exact when nx + ny <= STATS_EXACT_MAX, normal approximation otherwise */
    STATS_EXACT,  /* the permutation distribution of the rank sum (fails above STATS_EXACT_LIMIT) */
    STATS_NORMAL, /* normal approximation with tie correction and continuity correction */
} stats_method;

/* AUTO uses the exact distribution up to this many values in total. */
#define STATS_EXACT_MAX 50
/* EXACT refuses more values than this (time grows as n^4, memory as n^3). */
#define STATS_EXACT_LIMIT 100

/* The outcome of a Mann-Whitney U test of x against y. */
typedef struct stats_mwu {
    double u;         /* U of x: the number of pairs (x_i, y_j) with x_i > y_j, ties counting 1/2 */
    double p_greater; /* one-sided p-value for "x tends to be greater than y" (scipy's
                         alternative='greater' with x first) */
    double p_less;    /* one-sided p-value for "x tends to be less than y" */
    double z;         /* the normal approximation's statistic for 'greater' (0 when exact) */
    bool exact;       /* the exact distribution was used */
    bool ties;        /* some values were tied (the exact distribution is then conditional on
                         the tie pattern, the normal one tie-corrected) */
} stats_mwu;

/* Mann-Whitney U test of x (nx values) against y (ny values), both one-sided p-values at once.
 * The exact distribution is the permutation distribution of x's rank sum (midranks for ties),
 * so it is exact with ties too; the normal approximation matches scipy.stats.mannwhitneyu(x, y,
 * method='asymptotic', use_continuity=True). When every value is equal, both p-values are 1.
 * Returns 0, or -1 when nx or ny is 0, a value is NaN, or EXACT is asked for more than
 * STATS_EXACT_LIMIT values. */
int stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny, stats_method m,
                       stats_mwu *out);

/* The smallest one-sided p-value the test (with method m, AUTO as stats_mann_whitney picks it)
 * can give for samples of nx and ny values without ties: when every x is above every y. With
 * 3 and 3 values it is 1/20 = 0.05, so a test at 0.05/3 can never be significant. */
double stats_mwu_min_p(size_t nx, size_t ny, stats_method m);

/* Multiple-comparison corrections: adjusted p-values adj[0..m) (each in [0, 1]) such that
 * rejecting every hypothesis with adj[i] <= alpha keeps the family-wise error rate at alpha.
 * HOLM is Holm's step-down procedure (uniformly more powerful than BONFERRONI, same guarantee);
 * NONE copies p. adj may alias p. */
typedef enum { STATS_HOLM, STATS_BONFERRONI, STATS_NONE } stats_correction;
void stats_adjust(const double *p, size_t m, stats_correction c, double *adj);

/* ---- the compare verdict ------------------------------------------------------------------ */

typedef enum { CMP_PASS, CMP_IMPROVED, CMP_REGRESSION, CMP_INCONCLUSIVE } cmp_verdict;

/* "pass", "improved", "regression", "inconclusive". */
const char *cmp_verdict_name(cmp_verdict v);

/* One metric check: inputs, then what cmp_decide fills in. */
typedef struct cmp_check {
    /* inputs (borrowed) */
    const double *base, *cand; /* one value per run */
    size_t nbase, ncand;
    bool higher_is_worse; /* latency, error rate: true; throughput: false */
    bool absolute;        /* tol is an absolute difference (in the metric's unit), not a fraction */
    double tol;           /* >= 0: allowed change in the bad direction (0.10 = 10%) */
    /* outputs */
    double base_med, cand_med;
    double change;            /* cand_med/base_med - 1 (relative) or cand_med - base_med (absolute);
                                 +inf when a relative change starts from 0 */
    double p_worse, p_better; /* one-sided Mann-Whitney p-values (unadjusted) */
    double p_worse_adj, p_better_adj; /* after the correction over all checks */
    double min_p;                     /* smallest p these sample sizes allow */
    bool exact;                       /* exact distribution used */
    cmp_verdict verdict;
    char why[160]; /* a short reason: "within tolerance", "not significant", "3 baseline runs <
                      --min-runs 5" */
} cmp_check;

/* Decide n checks as one family.
 *
 * For each check: the medians and their change; one-sided Mann-Whitney p-values that the
 * candidate is worse / better (method AUTO); those p-values adjusted with c over the n checks
 * (checks with too few runs count in the family with p = 1).
 *   - fewer than min_runs values on either side, or a smallest attainable p above alpha / n
 *     (alpha for NONE): INCONCLUSIVE — the data cannot support a verdict either way;
 *   - the change is beyond tol in the bad direction AND p_worse_adj <= alpha: REGRESSION;
 *   - the change is beyond tol in the good direction AND p_better_adj <= alpha: IMPROVED;
 *   - otherwise PASS (why says whether the change was within tolerance or not significant).
 * "Beyond" is strict: a change of exactly tol passes. Returns 0, or -1 when alpha is not in
 * (0, 1) or a check has NaN values (then no check is decided). */
int cmp_decide(cmp_check *checks, size_t n, double alpha, size_t min_runs, stats_correction c);

#endif
