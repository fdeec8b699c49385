/* test_stats.c — the statistics behind `seedload compare`: medians, the Mann-Whitney U test
 * against scipy.stats.mannwhitneyu's values (computed with python3's own arithmetic: exact
 * p-values by enumerating every arrangement, asymptotic ones from scipy's formula) and against a
 * brute-force enumeration written here, ties, the smallest attainable p, Holm and Bonferroni,
 * and the verdict function cmp_decide on synthetic per-run metric vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "seedload/stats.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol)) fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

/* ---- a reference exact test by enumeration ---------------------------------------------- */

/* Midrank of v among all values: (number below) + (number equal + 1) / 2. */
static double midrank(double v, const double *all, size_t n)
{
    double below = 0, eq = 0;
    for (size_t i = 0; i < n; i++) below += all[i] < v, eq += all[i] == v;
    return below + (eq + 1) / 2;
}

/* Enumerate every subset of size k of {0..n-1}: count rank sums >= and <= obs. */
static void enum_subsets(const double *r, size_t n, size_t k, size_t start, double sum, double obs,
                         double *ge, double *le, double *total)
{
    if (k == 0) {
        *total += 1;
        *ge += sum >= obs - 1e-9;
        *le += sum <= obs + 1e-9;
        return;
    }
    for (size_t i = start; i + k <= n; i++)
        enum_subsets(r, n, k - 1, i + 1, sum + r[i], obs, ge, le, total);
}

static void ref_exact(const double *x, size_t nx, const double *y, size_t ny, double *pg,
                      double *pl)
{
    double all[32], r[32];
    size_t n = nx + ny;
    assert_true(n <= 32);
    for (size_t i = 0; i < nx; i++) all[i] = x[i];
    for (size_t i = 0; i < ny; i++) all[nx + i] = y[i];
    double obs = 0;
    for (size_t i = 0; i < n; i++) r[i] = midrank(all[i], all, n);
    for (size_t i = 0; i < nx; i++) obs += r[i];
    double ge = 0, le = 0, total = 0;
    enum_subsets(r, n, nx, 0, 0, obs, &ge, &le, &total);
    *pg = ge / total;
    *pl = le / total;
}

/* ---- medians ------------------------------------------------------------------------------ */

static void test_median(void **state)
{
    (void)state;
    double odd[] = {5, 1, 4, 2, 3}, even[] = {10, 1, 7, 3}, one[] = {42};
    near(stats_median(odd, 5), 3, 0, "odd");
    near(stats_median(even, 4), 5, 0, "even: mean of the middle two");
    near(stats_median(one, 1), 42, 0, "one");
    assert_true(isnan(stats_median(odd, 0)));
    assert_true(odd[0] == 5 && odd[1] == 1); /* not sorted in place */
}

/* ---- Mann-Whitney against scipy ----------------------------------------------------------- */

/* scipy's documentation example: males vs females, U = 17; mannwhitneyu(..., method='exact')
 * gives two-sided p = 0.1111111111111111 and method='asymptotic' 0.11134688653314041, i.e.
 * one-sided 'greater' 1/18 and 0.05567344326657024. */
static void test_scipy_doc_example(void **state)
{
    (void)state;
    double males[] = {19, 22, 16, 29, 24}, females[] = {20, 11, 17, 12};
    stats_mwu r;
    assert_int_equal(stats_mann_whitney(males, 5, females, 4, STATS_EXACT, &r), 0);
    near(r.u, 17, 0, "U");
    assert_true(r.exact);
    assert_false(r.ties);
    near(r.p_greater, 0.05555555555555555, 1e-12, "exact greater");
    near(2 * r.p_greater, 0.1111111111111111, 1e-12, "exact two-sided as scipy prints it");
    near(r.p_less, 0.9682539682539683, 1e-12, "exact less");
    assert_int_equal(stats_mann_whitney(males, 5, females, 4, STATS_NORMAL, &r), 0);
    assert_false(r.exact);
    near(r.p_greater, 0.05567344326657024, 1e-12, "asymptotic greater");
    near(2 * r.p_greater, 0.11134688653314041, 1e-12, "asymptotic two-sided as scipy prints it");
    near(r.p_less, 0.9669037101389033, 1e-12, "asymptotic less");
    /* AUTO picks the exact distribution for 9 values */
    assert_int_equal(stats_mann_whitney(males, 5, females, 4, STATS_AUTO, &r), 0);
    assert_true(r.exact);
}

/* More vectors from the python reference (exact: enumeration; normal: scipy's formula with
 * tie correction and continuity correction). */
static void test_known_values(void **state)
{
    (void)state;
    struct {
        double x[8], y[8];
        size_t nx, ny;
        double u, eg, el, ng, nl;
    } v[] = {
        {{5, 6, 7, 8},
         {1, 2, 3, 4},
         4,
         4,
         16,
         0.014285714285714285,
         1.0,
         0.015191410988288755,
         0.9929310152720443},
        {{3.1, 4.5, 2.2, 8.0, 5.5, 6.1, 7.7},
         {1.0, 2.5, 3.3, 4.1},
         7,
         4,
         23,
         0.05454545454545454,
         0.9636363636363636,
         0.05409862376185076,
         0.9636995302750213},
        {{1, 2, 2, 3, 5},
         {2, 3, 3, 4, 6, 6},
         5,
         6,
         7,
         0.9393939393939394,
         0.08658008658008658,
         0.9434750105718386,
         0.08102580718481846},
        /* histogram percentiles: values at bucket edges, many ties */
        {{8191, 8191, 8255, 8191, 8127},
         {8191, 8127, 8127, 8191, 8063, 8127},
         5,
         6,
         23.5,
         0.09956709956709957,
         0.987012987012987,
         0.05801248674311415,
         0.9614811718197686},
    };
    for (size_t i = 0; i < N_OF(v); i++) {
        stats_mwu r;
        char what[64];
        assert_int_equal(stats_mann_whitney(v[i].x, v[i].nx, v[i].y, v[i].ny, STATS_EXACT, &r), 0);
        snprintf(what, sizeof what, "vector %zu U", i);
        near(r.u, v[i].u, 1e-12, what);
        snprintf(what, sizeof what, "vector %zu exact greater", i);
        near(r.p_greater, v[i].eg, 1e-12, what);
        snprintf(what, sizeof what, "vector %zu exact less", i);
        near(r.p_less, v[i].el, 1e-12, what);
        assert_int_equal(stats_mann_whitney(v[i].x, v[i].nx, v[i].y, v[i].ny, STATS_NORMAL, &r), 0);
        snprintf(what, sizeof what, "vector %zu normal greater", i);
        near(r.p_greater, v[i].ng, 1e-12, what);
        snprintf(what, sizeof what, "vector %zu normal less", i);
        near(r.p_less, v[i].nl, 1e-12, what);
    }
}

/* Above STATS_EXACT_MAX values AUTO switches to the normal approximation (scipy's formula). */
static void test_large_samples_normal(void **state)
{
    (void)state;
    double x[30], y[30], xs[30];
    for (int i = 0; i < 30; i++) {
        x[i] = (i * 37) % 101;
        xs[i] = x[i] + 25;
        y[i] = (i * 53) % 97 + 5;
    }
    stats_mwu r;
    assert_int_equal(stats_mann_whitney(x, 30, y, 30, STATS_AUTO, &r), 0);
    assert_false(r.exact);
    near(r.u, 441, 0, "U");
    near(r.p_greater, 0.5558562885364078, 1e-12, "no shift: greater");
    near(r.p_less, 0.44999060695807214, 1e-12, "no shift: less");
    assert_int_equal(stats_mann_whitney(xs, 30, y, 30, STATS_AUTO, &r), 0);
    near(r.u, 642, 0, "U shifted");
    near(r.p_greater, 0.002316278536826633, 1e-12, "shifted: greater");
    near(r.p_less, 0.9977886016152708, 1e-12, "shifted: less");
    /* with ties: 26 values of i % 7 against 28 of i % 5 + 1 */
    double tx[26], ty[28];
    for (int i = 0; i < 26; i++) tx[i] = i % 7;
    for (int i = 0; i < 28; i++) ty[i] = i % 5 + 1;
    assert_int_equal(stats_mann_whitney(tx, 26, ty, 28, STATS_AUTO, &r), 0);
    assert_false(r.exact);
    assert_true(r.ties);
    near(r.u, 350.5, 1e-12, "U with ties");
    near(r.p_greater, 0.5970536372656592, 1e-12, "tie-corrected greater");
    near(r.p_less, 0.4097546765025465, 1e-12, "tie-corrected less");
    /* the exact distribution agrees closely at this size */
    stats_mwu ex;
    assert_int_equal(stats_mann_whitney(xs, 30, y, 30, STATS_EXACT, &ex), 0);
    assert_true(ex.exact);
    near(ex.p_greater, 0.002316278536826633, 5e-4, "exact close to normal at 30 vs 30");
}

/* The exact distribution (with ties) equals a brute-force enumeration, for many small samples
 * drawn from few distinct values, in both argument orders. */
static void test_exact_matches_enumeration(void **state)
{
    (void)state;
    uint64_t s = 12345;
    for (int iter = 0; iter < 300; iter++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t nx = 1 + (s >> 33) % 8, ny = 1 + (s >> 41) % 8;
        int distinct = 2 + (int)((s >> 50) % 6);
        double x[8], y[8];
        for (size_t i = 0; i < nx; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            x[i] = (double)((s >> 33) % (uint64_t)distinct);
        }
        for (size_t i = 0; i < ny; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            y[i] = (double)((s >> 33) % (uint64_t)distinct) + (iter % 3 == 0 ? 0.5 : 0);
        }
        double pg, pl;
        ref_exact(x, nx, y, ny, &pg, &pl);
        stats_mwu r;
        assert_int_equal(stats_mann_whitney(x, nx, y, ny, STATS_EXACT, &r), 0);
        char what[96];
        snprintf(what, sizeof what, "iteration %d (%zu vs %zu): greater", iter, nx, ny);
        near(r.p_greater, pg, 1e-12, what);
        snprintf(what, sizeof what, "iteration %d (%zu vs %zu): less", iter, nx, ny);
        near(r.p_less, pl, 1e-12, what);
        /* swapping the samples swaps the tails */
        stats_mwu sw;
        assert_int_equal(stats_mann_whitney(y, ny, x, nx, STATS_EXACT, &sw), 0);
        near(sw.p_greater, r.p_less, 1e-12, "swapped greater = less");
        near(sw.u, (double)(nx * ny) - r.u, 1e-12, "U_y = nx*ny - U_x");
    }
}

static void test_identical_samples(void **state)
{
    (void)state;
    double c[] = {7, 7, 7, 7, 7}, a[] = {1, 2, 3, 4, 5};
    stats_mwu r;
    /* all values equal: nothing to rank, both p-values 1 (exact and normal) */
    assert_int_equal(stats_mann_whitney(c, 5, c, 5, STATS_EXACT, &r), 0);
    near(r.p_greater, 1, 0, "constant exact greater");
    near(r.p_less, 1, 0, "constant exact less");
    assert_int_equal(stats_mann_whitney(c, 5, c, 5, STATS_NORMAL, &r), 0);
    near(r.p_greater, 1, 0, "constant normal greater");
    near(r.p_less, 1, 0, "constant normal less");
    /* the same sample twice: U = n^2/2, both tails above one half (the observation is central) */
    assert_int_equal(stats_mann_whitney(a, 5, a, 5, STATS_EXACT, &r), 0);
    near(r.u, 12.5, 0, "U of a sample against itself");
    assert_true(r.p_greater > 0.5 && r.p_less > 0.5);
    near(r.p_greater, r.p_less, 1e-15, "symmetric");
}

static void test_bad_input(void **state)
{
    (void)state;
    double a[] = {1, 2}, n[] = {1, NAN};
    stats_mwu r;
    assert_int_equal(stats_mann_whitney(a, 0, a, 2, STATS_AUTO, &r), -1);
    assert_int_equal(stats_mann_whitney(a, 2, a, 0, STATS_AUTO, &r), -1);
    assert_int_equal(stats_mann_whitney(a, 2, n, 2, STATS_AUTO, &r), -1);
    double big[STATS_EXACT_LIMIT + 1];
    for (size_t i = 0; i < N_OF(big); i++) big[i] = (double)i;
    assert_int_equal(stats_mann_whitney(big, 60, big + 60, N_OF(big) - 60, STATS_EXACT, &r), -1);
    assert_int_equal(stats_mann_whitney(big, 60, big + 60, N_OF(big) - 60, STATS_AUTO, &r), 0);
}

static void test_min_p(void **state)
{
    (void)state;
    near(stats_mwu_min_p(3, 3, STATS_AUTO), 1.0 / 20, 1e-15, "3 vs 3: 1/C(6,3)");
    near(stats_mwu_min_p(5, 5, STATS_AUTO), 1.0 / 252, 1e-15, "5 vs 5: 1/C(10,5)");
    near(stats_mwu_min_p(7, 7, STATS_AUTO), 1.0 / 3432, 1e-15, "7 vs 7");
    near(stats_mwu_min_p(2, 9, STATS_AUTO), 1.0 / 55, 1e-15, "2 vs 9");
    near(stats_mwu_min_p(30, 30, STATS_AUTO) / 1.5099296795810756e-11, 1, 1e-9,
         "30 vs 30 (normal)");
    near(stats_mwu_min_p(0, 5, STATS_AUTO), 1, 0, "no runs");
    /* it is what the test gives for complete separation */
    double lo[] = {1, 2, 3, 4, 5}, hi[] = {6, 7, 8, 9, 10};
    stats_mwu r;
    assert_int_equal(stats_mann_whitney(hi, 5, lo, 5, STATS_AUTO, &r), 0);
    near(r.p_greater, stats_mwu_min_p(5, 5, STATS_AUTO), 1e-15,
         "separated samples reach the minimum");
}

static void test_corrections(void **state)
{
    (void)state;
    double p[] = {0.01, 0.04, 0.03, 0.005}, adj[4];
    stats_adjust(p, 4, STATS_HOLM, adj);
    /* sorted 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1 -> running max 0.06 */
    near(adj[0], 0.03, 1e-15, "holm 0.01");
    near(adj[1], 0.06, 1e-15, "holm 0.04 (monotone)");
    near(adj[2], 0.06, 1e-15, "holm 0.03");
    near(adj[3], 0.02, 1e-15, "holm 0.005");
    stats_adjust(p, 4, STATS_BONFERRONI, adj);
    near(adj[0], 0.04, 1e-15, "bonferroni 0.01");
    near(adj[1], 0.16, 1e-15, "bonferroni 0.04");
    near(adj[3], 0.02, 1e-15, "bonferroni 0.005");
    double big[] = {0.5, 0.9};
    stats_adjust(big, 2, STATS_BONFERRONI, adj);
    near(adj[1], 1, 0, "capped at 1");
    stats_adjust(p, 4, STATS_NONE, adj);
    near(adj[2], 0.03, 0, "none");
    /* in place */
    double q[] = {0.02, 0.01};
    stats_adjust(q, 2, STATS_HOLM, q);
    near(q[0], 0.02, 1e-15, "in place: 0.02");
    near(q[1], 0.02, 1e-15, "in place: 0.01*2");
}

/* ---- cmp_decide --------------------------------------------------------------------------- */

static cmp_check chk(const double *b, size_t nb, const double *c, size_t nc, bool hiw, double tol)
{
    cmp_check k = {
        .base = b, .cand = c, .nbase = nb, .ncand = nc, .higher_is_worse = hiw, .tol = tol};
    return k;
}

static void test_decide_regression_and_improvement(void **state)
{
    (void)state;
    double base[] = {100, 102, 101, 103, 99, 100, 104},
           slow[] = {150, 148, 155, 151, 149, 153, 152};
    double tps_b[] = {1000, 1010, 990, 1005, 995}, tps_c[] = {800, 810, 790, 805, 795};
    cmp_check k[3] = {chk(base, 7, slow, 7, true, 0.10), chk(tps_b, 5, tps_c, 5, false, 0.05),
                      chk(slow, 7, base, 7, true, 0.10)};
    assert_int_equal(cmp_decide(k, 3, 0.05, 5, STATS_HOLM), 0);
    assert_int_equal(k[0].verdict, CMP_REGRESSION);
    near(k[0].base_med, 101, 0, "baseline median");
    near(k[0].cand_med, 151, 0, "candidate median");
    near(k[0].change, 151.0 / 101 - 1, 1e-15, "relative change");
    near(k[0].p_worse, 1.0 / 3432, 1e-15, "separated 7 vs 7: exact p = 1/C(14,7)");
    assert_true(k[0].exact);
    assert_int_equal(k[1].verdict, CMP_REGRESSION); /* throughput down 20% */
    near(k[1].change, -0.2, 1e-12, "tps change");
    near(k[1].p_worse, 1.0 / 252, 1e-15, "tps: lower is worse");
    assert_int_equal(k[2].verdict, CMP_IMPROVED);
    assert_string_equal(cmp_verdict_name(k[2].verdict), "improved");
    /* Holm over 3: the adjusted p-values are at least the raw ones */
    assert_true(k[1].p_worse_adj >= k[1].p_worse);
    near(k[1].p_worse_adj, 2.0 / 252, 1e-12, "Holm: the second smallest p times 2");
}

static void test_decide_needs_both(void **state)
{
    (void)state;
    /* completely separated (significant) but only +3%: within tolerance -> pass */
    double b[] = {100, 100.5, 101, 101.5, 102}, c[] = {103, 103.5, 104, 104.5, 105};
    /* +13% median change, but the runs overlap: not significant -> pass */
    double nb[] = {100, 200, 100, 200, 150}, nc[] = {160, 210, 90, 220, 170};
    cmp_check k[2] = {chk(b, 5, c, 5, true, 0.10), chk(nb, 5, nc, 5, true, 0.10)};
    assert_int_equal(cmp_decide(k, 2, 0.05, 5, STATS_HOLM), 0);
    assert_int_equal(k[0].verdict, CMP_PASS);
    assert_true(k[0].p_worse_adj <= 0.05);
    assert_string_equal(k[0].why, "significantly worse, within tolerance");
    assert_int_equal(k[1].verdict, CMP_PASS);
    assert_true(k[1].change > 0.10);
    assert_true(k[1].p_worse_adj > 0.05);
    assert_string_equal(k[1].why, "worse beyond tolerance but not significant");
}

static void test_decide_identical(void **state)
{
    (void)state;
    double a[] = {5, 6, 7, 8, 9, 10}, c[] = {7, 7, 7, 7, 7};
    cmp_check k[2] = {chk(a, 6, a, 6, true, 0.10), chk(c, 5, c, 5, false, 0.0)};
    assert_int_equal(cmp_decide(k, 2, 0.05, 5, STATS_HOLM), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(k[i].verdict, CMP_PASS);
        near(k[i].change, 0, 0, "no change");
        assert_true(k[i].p_worse_adj > 0.5);
    }
    near(k[1].p_worse, 1, 0, "all equal: p = 1");
    near(k[1].p_worse_adj, 1, 0, "all equal: adjusted p = 1");
}

static void test_decide_too_few_runs(void **state)
{
    (void)state;
    double b[] = {100, 101, 102, 103}, c[] = {200, 201, 202, 203, 204};
    cmp_check k[1] = {chk(b, 4, c, 5, true, 0.10)};
    assert_int_equal(cmp_decide(k, 1, 0.05, 5, STATS_HOLM), 0);
    assert_int_equal(k[0].verdict, CMP_INCONCLUSIVE); /* a huge change, but 4 < --min-runs 5 */
    assert_string_equal(k[0].why, "4 baseline runs, fewer than --min-runs 5");
    k[0] = chk(c, 5, b, 4, true, 0.10);
    assert_int_equal(cmp_decide(k, 1, 0.05, 5, STATS_HOLM), 0);
    assert_int_equal(k[0].verdict, CMP_INCONCLUSIVE);
    assert_string_equal(k[0].why, "4 candidate runs, fewer than --min-runs 5");
    /* no runs at all on one side */
    k[0] = chk(b, 0, c, 5, true, 0.10);
    assert_int_equal(cmp_decide(k, 1, 0.05, 1, STATS_HOLM), 0);
    assert_int_equal(k[0].verdict, CMP_INCONCLUSIVE);
    assert_true(isnan(k[0].change));
    /* the same samples with --min-runs 4: decided */
    k[0] = chk(b, 4, c, 5, true, 0.10);
    assert_int_equal(cmp_decide(k, 1, 0.05, 4, STATS_HOLM), 0);
    assert_int_equal(k[0].verdict, CMP_REGRESSION);
}

/* 3 vs 3 runs can give p = 1/20 at best: enough for one check at 0.05, never for three (Holm's
 * first threshold 0.05/3), however large the change. */
static void test_decide_cannot_reach_significance(void **state)
{
    (void)state;
    double b[] = {1, 2, 3}, c[] = {10, 11, 12};
    cmp_check one[1] = {chk(b, 3, c, 3, true, 0.10)};
    assert_int_equal(cmp_decide(one, 1, 0.05, 3, STATS_HOLM), 0);
    assert_int_equal(one[0].verdict, CMP_REGRESSION);
    near(one[0].min_p, 0.05, 1e-15, "min p");
    cmp_check three[3] = {chk(b, 3, c, 3, true, 0.10), chk(b, 3, c, 3, true, 0.10),
                          chk(b, 3, b, 3, true, 0.10)};
    assert_int_equal(cmp_decide(three, 3, 0.05, 3, STATS_HOLM), 0);
    for (int i = 0; i < 3; i++) assert_int_equal(three[i].verdict, CMP_INCONCLUSIVE);
    assert_non_null(strstr(three[0].why, "cannot reach"));
    /* without a correction the level is alpha itself */
    assert_int_equal(cmp_decide(three, 3, 0.05, 3, STATS_NONE), 0);
    assert_int_equal(three[0].verdict, CMP_REGRESSION);
    assert_int_equal(three[2].verdict, CMP_PASS);
}

static void test_decide_tolerance_edges(void **state)
{
    (void)state;
    double b[] = {100, 100, 100, 100, 100}, c10[] = {110, 110, 110, 110, 110},
           c11[] = {111, 111, 111, 111, 111};
    cmp_check k[2] = {chk(b, 5, c10, 5, true, 0.10), chk(b, 5, c11, 5, true, 0.10)};
    assert_int_equal(cmp_decide(k, 2, 0.05, 5, STATS_NONE), 0);
    assert_int_equal(k[0].verdict, CMP_PASS); /* exactly +10%: not beyond */
    assert_int_equal(k[1].verdict, CMP_REGRESSION);
    /* absolute tolerances */
    cmp_check a[2] = {chk(b, 5, c10, 5, true, 10), chk(b, 5, c11, 5, true, 10)};
    a[0].absolute = a[1].absolute = true;
    assert_int_equal(cmp_decide(a, 2, 0.05, 5, STATS_NONE), 0);
    near(a[1].change, 11, 0, "absolute change");
    assert_int_equal(a[0].verdict, CMP_PASS);
    assert_int_equal(a[1].verdict, CMP_REGRESSION);
    /* relative change from zero (an error rate that appears) */
    double z[] = {0, 0, 0, 0, 0}, e[] = {1, 2, 1, 3, 2};
    cmp_check r[1] = {chk(z, 5, e, 5, true, 0.10)};
    assert_int_equal(cmp_decide(r, 1, 0.05, 5, STATS_HOLM), 0);
    assert_true(isinf(r[0].change) && r[0].change > 0);
    assert_int_equal(r[0].verdict, CMP_REGRESSION);
}

static void test_decide_bad_input(void **state)
{
    (void)state;
    double b[] = {1, 2, 3, 4, 5}, n[] = {1, 2, NAN, 4, 5};
    cmp_check k[1] = {chk(b, 5, b, 5, true, 0.1)};
    assert_int_equal(cmp_decide(k, 1, 0, 5, STATS_HOLM), -1);
    assert_int_equal(cmp_decide(k, 1, 1, 5, STATS_HOLM), -1);
    assert_int_equal(cmp_decide(k, 1, NAN, 5, STATS_HOLM), -1);
    k[0] = chk(b, 5, n, 5, true, 0.1);
    assert_int_equal(cmp_decide(k, 1, 0.05, 5, STATS_HOLM), -1);
    k[0] = chk(b, 5, b, 5, true, -0.1);
    assert_int_equal(cmp_decide(k, 1, 0.05, 5, STATS_HOLM), -1);
    assert_int_equal(cmp_decide(NULL, 0, 0.05, 5, STATS_HOLM), 0);
}

/* The family grows, the correction bites: a p that passes alone fails among many checks. */
static void test_decide_family_size(void **state)
{
    (void)state;
    double b[] = {10, 11, 12, 13, 14, 15},
           c[] = {12.5, 14.5, 15.5, 16.5, 17.5, 18.5}; /* U = 32 of 36 */
    cmp_check k[6];
    for (int i = 0; i < 6; i++) k[i] = chk(b, 6, b, 6, true, 0.10);
    k[0] = chk(b, 6, c, 6, true, 0.10);
    assert_int_equal(cmp_decide(k, 1, 0.05, 5, STATS_HOLM), 0);
    double p = k[0].p_worse;
    near(p, 12.0 / 924, 1e-15, "P(U >= 32) for 6 vs 6");
    assert_true(p < 0.05 && p * 6 > 0.05);
    assert_int_equal(k[0].verdict, CMP_REGRESSION);
    assert_int_equal(cmp_decide(k, 6, 0.05, 5, STATS_HOLM), 0);
    assert_int_equal(k[0].verdict, CMP_PASS);
    near(k[0].p_worse_adj, 6 * p, 1e-12, "Holm: the smallest p times the family size");
    assert_int_equal(cmp_decide(k, 6, 0.05, 5, STATS_BONFERRONI), 0);
    assert_int_equal(k[0].verdict, CMP_PASS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_scipy_doc_example),
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_large_samples_normal),
        cmocka_unit_test(test_exact_matches_enumeration),
        cmocka_unit_test(test_identical_samples),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_min_p),
        cmocka_unit_test(test_corrections),
        cmocka_unit_test(test_decide_regression_and_improvement),
        cmocka_unit_test(test_decide_needs_both),
        cmocka_unit_test(test_decide_identical),
        cmocka_unit_test(test_decide_too_few_runs),
        cmocka_unit_test(test_decide_cannot_reach_significance),
        cmocka_unit_test(test_decide_tolerance_edges),
        cmocka_unit_test(test_decide_bad_input),
        cmocka_unit_test(test_decide_family_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
