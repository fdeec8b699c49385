/* test_slo.c — the objective language of `--slo` (bench, sweep, compare): slo_parse (every
 * metric, operator and unit, per-transaction prefixes, whitespace, several checks, and the error
 * for each kind of malformed check, naming the offending piece), slo_value against made-up
 * figures whose answers are known exactly (a real HDR histogram holding values below 2048 ns,
 * where every bucket is exactly 1 ns wide), slo_pass at the boundaries (p99<20ms is broken at
 * exactly 20 ms, p99<=20ms is not; tps>=1000 at 1000 passes; NaN never passes), slo_eval's
 * count and printed lines, and slo_format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "seedload/hist.h"
#include "seedload/slo.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define HMAX    3600000000000LL /* 1 hour in ns, as bench's histograms */

/* ---- made-up figures ------------------------------------------------------------------------
 *
 * All transactions: 50 x 100 ns, 40 x 200 ns, 9 x 1000 ns, 1 x 2000 ns (100 values, all below
 * 2048 ns, so each is its own bucket and every figure is exact):
 *   p50 = 100 (cumulative 50 reaches round(.50*100) = 50), p90 = 200 (90), p95 = 1000 (95 <= 99),
 *   p99 = 1000 (99), p99.9 = p99.99 = max = 2000 (round(99.9) = 100), mean = 24000/100 = 240.
 * tps 1000, 200 transactions of which 5 failed: error_rate = 2.5 %.
 * Transactions: course_grades (10 x 500 ns), recent_attendance (3 ms: p99 is the top of its
 * bucket, hist_highest_equiv), a.b (a dotted name; 7 x 700 ns), empty (no values). */
typedef struct fx {
    hist *all, *cg, *ra, *ab, *empty;
    const char *names[4];
    const hist *lats[4];
    uint64_t counts[4], errs[4];
    slo_figures f;
} fx;

static hist *newh(void)
{
    hist *h = hist_new(1, HMAX, 3);
    assert_non_null(h);
    return h;
}

static int setup(void **state)
{
    fx *x = calloc(1, sizeof *x);
    if (!x) return -1;
    x->all = newh(), x->cg = newh(), x->ra = newh(), x->ab = newh(), x->empty = newh();
    assert_true(hist_record_n(x->all, 100, 50));
    assert_true(hist_record_n(x->all, 200, 40));
    assert_true(hist_record_n(x->all, 1000, 9));
    assert_true(hist_record(x->all, 2000));
    assert_true(hist_record_n(x->cg, 500, 10));
    assert_true(hist_record_n(x->ra, 3000000, 4));
    assert_true(hist_record_n(x->ab, 700, 7));
    x->names[0] = "course_grades", x->lats[0] = x->cg;
    x->names[1] = "recent_attendance", x->lats[1] = x->ra;
    x->names[2] = "a.b", x->lats[2] = x->ab;
    x->names[3] = "empty", x->lats[3] = x->empty;
    x->f = (slo_figures){.lat = x->all,
                         .tps = 1000,
                         .count = 200,
                         .errors = 5,
                         .ntx = 4,
                         .tx_names = x->names,
                         .tx_lat = x->lats,
                         .tx_count = x->counts,
                         .tx_errors = x->errs,
                         .seconds = 0.2};
    /* course_grades: 12 transactions, 2 of them failed (its histogram holds the 10 that
     * succeeded); the others without errors. */
    x->counts[0] = 12, x->errs[0] = 2;
    x->counts[1] = 4, x->counts[2] = 7;
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    hist_free(x->all), hist_free(x->cg), hist_free(x->ra), hist_free(x->ab), hist_free(x->empty);
    free(x);
    return 0;
}

/* Parse spec, which must succeed with n checks. */
static void parse_ok(const char *spec, slo *s, size_t n)
{
    sl_err e = {0};
    int rc = slo_parse(spec, s, &e);
    if (rc != 0) fail_msg("slo_parse('%s') failed: %s", spec, e.msg);
    if (s->n != n) fail_msg("slo_parse('%s'): %zu checks, want %zu", spec, s->n, n);
    assert_non_null(s->c);
}

/* Parse spec, which must fail with SL_EXIT_USAGE, leave nothing behind, and say every one of
 * the (NULL-terminated) pieces. */
static void parse_bad(const char *spec, ...)
{
    sl_err e = {0};
    slo s = {.c = NULL, .n = 77}; /* stale: slo_parse must reset it */
    int rc = slo_parse(spec, &s, &e);
    if (rc >= 0) {
        slo_free(&s);
        fail_msg("slo_parse('%s') succeeded; want an error", spec);
    }
    if (e.code != SL_EXIT_USAGE)
        fail_msg("slo_parse('%s'): code %d, want %d (%s)", spec, e.code, SL_EXIT_USAGE, e.msg);
    if (s.n != 0 || s.c != NULL) fail_msg("slo_parse('%s') failed but left %zu checks", spec, s.n);
    if (strncmp(e.msg, "--slo: ", 7) != 0)
        fail_msg("slo_parse('%s'): message '%s' does not start with '--slo: '", spec, e.msg);
    va_list ap;
    va_start(ap, spec);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        if (!strstr(e.msg, want)) {
            va_end(ap);
            fail_msg("slo_parse('%s'): message '%s' lacks '%s'", spec, e.msg, want);
        }
    va_end(ap);
}

static void is_check(const slo_check *c, const char *txn, const char *metric, const char *op,
                     double value, const char *text)
{
    assert_string_equal(c->txn, txn);
    assert_string_equal(c->metric, metric);
    assert_string_equal(c->op, op);
    if (c->value != value) fail_msg("'%s': value %.17g, want %.17g", c->text, c->value, value);
    if (text) assert_string_equal(c->text, text);
}

/* ---- parsing: what is accepted ------------------------------------------------------------ */

static void test_parse_every_metric_and_operator(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *metric, *op;
        double value;
    } cases[] = {
        {"p50<20ms", "p50", "<", 20e6},
        {"p90<=1.5ms", "p90", "<=", 1.5e6},
        {"p95>1us", "p95", ">", 1e3},
        {"p99>=3ns", "p99", ">=", 3},
        {"p99.9<2s", "p99.9", "<", 2e9},
        {"p99.99=250", "p99.99", "=", 250e6},
        {"max<1s", "max", "<", 1e9},
        {"mean<0.5ms", "mean", "<", 5e5},
        {"tps>=1000", "tps", ">=", 1000},
        {"tps>1e3", "tps", ">", 1000},
        {"tps<=12.5", "tps", "<=", 12.5},
        {"errors=0", "errors", "=", 0},
        {"errors<=5", "errors", "<=", 5},
        {"error_rate<1%", "error_rate", "<", 1},
        {"error_rate<=0.5", "error_rate", "<=", 0.5},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        slo s;
        parse_ok(cases[i].spec, &s, 1);
        is_check(&s.c[0], "", cases[i].metric, cases[i].op, cases[i].value, cases[i].spec);
        slo_free(&s);
    }
}

static void test_parse_units(void **state)
{
    (void)state;
    /* The same 20 ms in every unit; a bare number is milliseconds. */
    static const char *const same[] = {"p99<20ms", "p99<20000us", "p99<20000000ns", "p99<0.02s",
                                       "p99<20",   "p99<20 ms",   "p99<2e1ms",      "p99<+20ms"};
    for (size_t i = 0; i < N_OF(same); i++) {
        slo s;
        parse_ok(same[i], &s, 1);
        is_check(&s.c[0], "", "p99", "<", 20000000.0, same[i]);
        slo_free(&s);
    }
    /* Fractions of every unit. */
    static const struct {
        const char *spec;
        double ns;
    } frac[] = {{"max<1.5s", 1.5e9},
                {"max<0.25ms", 250000},
                {"max<2.5us", 2500},
                {"max<7ns", 7},
                {"mean<0.001", 1000}};
    for (size_t i = 0; i < N_OF(frac); i++) {
        slo s;
        parse_ok(frac[i].spec, &s, 1);
        is_check(&s.c[0], "", s.c[0].metric, "<", frac[i].ns, frac[i].spec);
        slo_free(&s);
    }
    /* Percent only for error_rate, and it changes nothing: 1% == 1. */
    slo a, b;
    parse_ok("error_rate<1%", &a, 1);
    parse_ok("error_rate<1", &b, 1);
    assert_true(a.c[0].value == b.c[0].value && a.c[0].value == 1);
    slo_free(&a);
    slo_free(&b);
}

static void test_parse_whitespace(void **state)
{
    (void)state;
    slo s;
    parse_ok("  p99 < 20ms", &s, 1);
    is_check(&s.c[0], "", "p99", "<", 20e6, "p99 < 20ms");
    slo_free(&s);
    parse_ok("\tp99\t<=\t20\tms", &s, 1);
    is_check(&s.c[0], "", "p99", "<=", 20e6, NULL);
    slo_free(&s);
    parse_ok("p99<20ms, errors = 0,  tps >= 1000", &s, 3);
    is_check(&s.c[0], "", "p99", "<", 20e6, "p99<20ms");
    is_check(&s.c[1], "", "errors", "=", 0, "errors = 0");
    is_check(&s.c[2], "", "tps", ">=", 1000, "tps >= 1000");
    slo_free(&s);
    parse_ok("course_grades.p99 <= 5 us", &s, 1);
    is_check(&s.c[0], "course_grades", "p99", "<=", 5000, NULL);
    slo_free(&s);
}

/* Whitespace after a value is as harmless as whitespace before it: 'p99<20ms , errors=0' is
 * the same objective as 'p99<20ms, errors=0'. */
static void test_parse_trailing_whitespace(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *metric;
        double value;
        size_t n;
    } cases[] = {{"p99<20ms ", "p99", 20e6, 1},
                 {"p99 < 20ms , errors=0", "p99", 20e6, 2},
                 {"p99<20ms\t,tps>=1000", "p99", 20e6, 2},
                 {"p99<20ms\n", "p99", 20e6, 1},
                 {"max < 2 s ", "max", 2e9, 1},
                 {"error_rate<1% ", "error_rate", 1, 1},
                 {"tps>=1000 ", "tps", 1000, 1}};
    for (size_t i = 0; i < N_OF(cases); i++) {
        slo s;
        parse_ok(cases[i].spec, &s, cases[i].n);
        assert_string_equal(s.c[0].metric, cases[i].metric);
        if (s.c[0].value != cases[i].value)
            fail_msg("'%s': value %.17g, want %.17g", cases[i].spec, s.c[0].value, cases[i].value);
        slo_free(&s);
    }
}

static void test_parse_several(void **state)
{
    (void)state;
    slo s;
    parse_ok("p99<20ms,errors=0,tps>=1000", &s, 3);
    is_check(&s.c[0], "", "p99", "<", 20e6, "p99<20ms");
    is_check(&s.c[1], "", "errors", "=", 0, "errors=0");
    is_check(&s.c[2], "", "tps", ">=", 1000, "tps>=1000");
    slo_free(&s);
    parse_ok("course_grades.p99<5ms,p99.9<50ms,error_rate<1%,max<=2s,mean<1ms,p50<1", &s, 6);
    is_check(&s.c[0], "course_grades", "p99", "<", 5e6, "course_grades.p99<5ms");
    is_check(&s.c[1], "", "p99.9", "<", 50e6, "p99.9<50ms");
    is_check(&s.c[2], "", "error_rate", "<", 1, "error_rate<1%");
    is_check(&s.c[3], "", "max", "<=", 2e9, "max<=2s");
    is_check(&s.c[4], "", "mean", "<", 1e6, "mean<1ms");
    is_check(&s.c[5], "", "p50", "<", 1e6, "p50<1");
    slo_free(&s);
    /* A second slo_free is harmless; so is freeing a zeroed slo. */
    slo_free(&s);
    slo z = {0};
    slo_free(&z);
    assert_null(z.c);
}

static void test_parse_transaction_prefix(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *txn, *metric, *op;
        double value;
    } cases[] = {
        {"course_grades.p99<5ms", "course_grades", "p99", "<", 5e6},
        {"course_grades.p99.9<5ms", "course_grades", "p99.9", "<",
         5e6}, /* the dot of p99.9 stays */
        {"course_grades.p99.99>=5ms", "course_grades", "p99.99", ">=", 5e6},
        {"course_grades.max<=1s", "course_grades", "max", "<=", 1e9},
        {"course_grades.mean<1ms", "course_grades", "mean", "<", 1e6},
        {"course_grades.p50=500ns", "course_grades", "p50", "=", 500},
        {"a.b.p99<5ms", "a.b", "p99", "<", 5e6}, /* the last dot that starts a metric */
        {"a.b.p99.9>5ms", "a.b", "p99.9", ">", 5e6},
        {"p99.p99<1", "p99", "p99", "<", 1e6}, /* a transaction called p99 */
        {"tx.9.p50<1", "tx.9", "p50", "<", 1e6},
        {"p99.9<5ms", "", "p99.9", "<", 5e6}, /* no prefix */
        {"p99.99<5ms", "", "p99.99", "<", 5e6},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        slo s;
        parse_ok(cases[i].spec, &s, 1);
        is_check(&s.c[0], cases[i].txn, cases[i].metric, cases[i].op, cases[i].value,
                 cases[i].spec);
        slo_free(&s);
    }
}

/* ---- parsing: what is refused, and what the message names ------------------------------- */

static void test_parse_errors(void **state)
{
    (void)state;
    /* no operator */
    parse_bad("p99 20ms", "'p99 20ms'", "needs an operator", NULL);
    parse_bad("p99", "'p99'", "needs an operator", NULL);
    /* no number, or not a number */
    parse_bad("p99<", "'p99<'", "needs a number after the operator", NULL);
    parse_bad("p99<ms", "'p99<ms'", "needs a number", NULL);
    parse_bad("tps>=", "'tps>='", "needs a number", NULL);
    parse_bad("p99<inf", "'p99<inf'", "needs a number", NULL);
    parse_bad("p99<nan", "'p99<nan'", "needs a number", NULL);
    parse_bad("errors=", "'errors='", "needs a number", NULL);
    /* an operator that is not one of < <= > >= = */
    parse_bad("p99=<20ms", "'p99=<20ms'", "needs a number", NULL);
    parse_bad("p99<<20ms", "'p99<<20ms'", "needs a number", NULL);
    parse_bad("p99==20ms", "'p99==20ms'", "needs a number", NULL);
    parse_bad("p99< =20ms", "'p99< =20ms'", "needs a number", NULL);
    parse_bad("p99!=20ms", "'p99!=20ms'", NULL);
    /* a bad unit: named, with the units there are */
    parse_bad("p99<20xs", "unit 'xs'", "'p99<20xs'", "ns, us, ms or s", NULL);
    parse_bad("p99<20MS", "unit 'MS'", "'p99<20MS'", NULL);
    parse_bad("p99<20m", "unit 'm'", NULL);
    parse_bad("p99<20ms5", "unit 'ms5'", NULL);
    parse_bad("p99<20sec", "unit 'sec'", NULL);
    parse_bad("mean<5%", "unit '%'", "'mean<5%'", NULL);
    /* units on plain numbers */
    parse_bad("tps>=1000tps", "'tps>=1000tps'", "tps takes a plain number", NULL);
    parse_bad("tps>=1000/s", "tps takes a plain number", NULL);
    parse_bad("errors=0%", "'errors=0%'", "errors takes a plain number", NULL);
    parse_bad("error_rate<1ms", "'error_rate<1ms'", "error_rate takes a plain number", NULL);
    /* unknown metrics: named, a suggestion when one is close, and the list */
    parse_bad("p98<20ms", "unknown metric 'p98'", "'p98<20ms'", "did you mean 'p9", NULL);
    parse_bad("P99<20ms", "unknown metric 'P99'", "did you mean 'p99'?", NULL);
    parse_bad("erors=0", "unknown metric 'erors'", "did you mean 'errors'?", NULL);
    parse_bad("error rate<1%", "unknown metric 'error rate'", "did you mean 'error_rate'?", NULL);
    parse_bad("error-rate<1", "unknown metric 'error-rate'", "did you mean 'error_rate'?", NULL);
    parse_bad("mea<5ms", "unknown metric 'mea'", "did you mean 'mean'?", NULL);
    parse_bad("latency<5ms", "unknown metric 'latency'",
              "(p50 p90 p95 p99 p99.9 p99.99 max mean tps errors error_rate)", NULL);
    parse_bad("p 99<5ms", "unknown metric 'p 99'", NULL);
    parse_bad(".p99<5ms", "'.p99<5ms'", NULL);
    parse_bad("course_grades.p98<5ms", "'course_grades.p98<5ms'", "unknown metric", NULL);
    parse_bad("<5ms", "'<5ms'", NULL);
    /* nothing at all */
    parse_bad("", "no checks", NULL);
    parse_bad("   ", "no checks", NULL);
    parse_bad(",", "empty check", NULL);
    /* a comma inside a number splits the check: the stray piece is named */
    parse_bad("tps>=1,000", "'000'", "needs an operator", NULL);
    /* one bad check among good ones: that one is named, nothing is kept */
    parse_bad("p99<20ms,p98<5ms,errors=0", "'p98<5ms'", NULL);
    parse_bad("p99<20ms,errors=0,tps>=", "'tps>='", NULL);
    parse_bad("p99<20ms,errors=0,error_rate<1ms", "'error_rate<1ms'", NULL);
}

/* An empty check — two commas in a row, or a trailing comma — is a typo, refused like the
 * empty steps of `sweep --clients 1,,2` / `1,2,` are. */
static void test_parse_empty_checks(void **state)
{
    (void)state;
    parse_bad("p99<20ms,", "p99<20ms,", NULL);
    parse_bad("p99<20ms,,errors=0", "p99<20ms,,errors=0", NULL);
    parse_bad(",p99<20ms", ",p99<20ms", NULL);
    parse_bad("p99<20ms, ,errors=0", NULL);
}

/* The same metric twice is legitimate (a range); an exact duplicate is at least harmless: both
 * are kept and agree, or it is refused by name. */
static void test_parse_duplicates(void **state)
{
    fx *x = *state;
    slo s;
    parse_ok("p99>=500ns,p99<=1us", &s, 2);
    assert_int_equal(slo_eval(&s, &x->f, NULL), 0); /* p99 = 1000 ns: inside */
    slo_free(&s);
    parse_ok("p99>1us,p99<=1us", &s, 2);
    assert_int_equal(slo_eval(&s, &x->f, NULL), 1);
    slo_free(&s);
    sl_err e = {0};
    if (slo_parse("p99<20ms,p99<20ms", &s, &e) == 0) {
        assert_int_equal(s.n, 2);
        is_check(&s.c[0], "", "p99", "<", 20e6, "p99<20ms");
        is_check(&s.c[1], "", "p99", "<", 20e6, "p99<20ms");
        assert_int_equal(slo_eval(&s, &x->f, NULL), 0);
        slo_free(&s);
    } else {
        assert_int_equal(e.code, SL_EXIT_USAGE);
        assert_non_null(strstr(e.msg, "p99<20ms"));
        assert_int_equal(s.n, 0);
    }
}

/* A per-transaction prefix on a count reads that transaction's own figures, never the
 * totals: course_grades ran 12 transactions in 0.2 s (60 tps), 2 failed (16.7%). Without
 * per-transaction counts in the figures the value is unknown (NaN), not the total. */
static void test_parse_prefix_on_a_count(void **state)
{
    fx *x = *state;
    static const struct {
        const char *spec;
        double want;
        bool pass;
    } c[] = {{"course_grades.tps>=5000", 60, false},
             {"course_grades.tps>=60", 60, true},
             {"course_grades.errors=0", 2, false},
             {"recent_attendance.errors=0", 0, true},
             {"course_grades.error_rate<1%", 100.0 * 2 / 12, false},
             {"a.b.error_rate<1%", 0, true}};
    for (size_t i = 0; i < N_OF(c); i++) {
        slo s;
        parse_ok(c[i].spec, &s, 1);
        double v = slo_value(&s.c[0], &x->f);
        if (fabs(v - c[i].want) > 1e-9) fail_msg("'%s' reads %g, want %g", c[i].spec, v, c[i].want);
        assert_int_equal(slo_pass(&s.c[0], v), c[i].pass);
        slo_figures nocounts = x->f;
        nocounts.tx_count = nocounts.tx_errors = NULL;
        assert_true(isnan(slo_value(&s.c[0], &nocounts)));
        slo_free(&s);
    }
}

/* A long transaction name is either checked against that transaction, or refused by name —
 * never cut short, which would make the objective read "no data" and always fail. */
static void test_parse_long_transaction_name(void **state)
{
    (void)state;
    char name[81], spec[128];
    memset(name, 't', 80);
    name[80] = '\0';
    snprintf(spec, sizeof spec, "%s.p99<=1us", name);
    hist *h = newh();
    assert_true(hist_record_n(h, 1000, 3));
    const char *names[] = {name};
    const hist *lats[] = {h};
    slo_figures f = {.lat = h, .tps = 1, .count = 3, .ntx = 1, .tx_names = names, .tx_lat = lats};
    slo s;
    sl_err e = {0};
    if (slo_parse(spec, &s, &e) == 0) {
        assert_int_equal(s.n, 1);
        double v = slo_value(&s.c[0], &f);
        bool ok = v == 1000.0;
        char txn[sizeof s.c[0].txn];
        snprintf(txn, sizeof txn, "%s", s.c[0].txn);
        slo_free(&s);
        hist_free(h);
        if (!ok)
            fail_msg(
                "an 80-character transaction name: parsed as '%s' (%zu chars), value %g, want 1000",
                txn, strlen(txn), v);
    } else {
        hist_free(h);
        assert_int_equal(e.code, SL_EXIT_USAGE);
        assert_non_null(strstr(e.msg, name));
    }
}

/* ---- slo_value against the made-up figures ------------------------------------------------ */

static double value_of(const char *spec, const slo_figures *f)
{
    slo s;
    parse_ok(spec, &s, 1);
    double v = slo_value(&s.c[0], f);
    slo_free(&s);
    return v;
}

static void want_value(const char *spec, const slo_figures *f, double want)
{
    double v = value_of(spec, f);
    if (!(v == want)) fail_msg("slo_value('%s') = %.17g, want %.17g", spec, v, want);
}

static void test_value(void **state)
{
    fx *x = *state;
    const slo_figures *f = &x->f;
    /* the histogram's own figures, first (the premise of the expected answers) */
    assert_int_equal(hist_percentile(x->all, 50), 100);
    assert_int_equal(hist_percentile(x->all, 99), 1000);
    assert_int_equal(hist_max(x->all), 2000);
    assert_true(hist_mean(x->all) == 240.0);
    /* every metric */
    want_value("p50<1s", f, 100);
    want_value("p90<1s", f, 200);
    want_value("p95<1s", f, 1000);
    want_value("p99<1s", f, 1000);
    want_value("p99.9<1s", f, 2000);
    want_value("p99.99<1s", f, 2000);
    want_value("max<1s", f, 2000);
    want_value("mean<1s", f, 240);
    want_value("tps>1", f, 1000);
    want_value("errors=0", f, 5);
    want_value("error_rate<1%", f, 2.5); /* 5 of 200 transactions, failed ones included */
    /* the value does not depend on the unit or the operator of the check */
    want_value("p99>=1ns", f, 1000);
    want_value("p99=7s", f, 1000);
    /* per transaction */
    want_value("course_grades.p99<1s", f, 500);
    want_value("course_grades.p50<1s", f, 500);
    want_value("course_grades.max<1s", f, 500);
    want_value("course_grades.mean<1s", f, 500);
    want_value("a.b.p99.9<1s", f, 700);
    want_value("recent_attendance.p99<1s", f, (double)hist_highest_equiv(x->ra, 3000000));
    want_value("recent_attendance.max<1s", f, (double)hist_highest_equiv(x->ra, 3000000));
    assert_true(hist_highest_equiv(x->ra, 3000000) >= 3000000 &&
                hist_highest_equiv(x->ra, 3000000) < 3003000);
    /* unknown: no such transaction, or no values */
    assert_true(isnan(value_of("nosuch.p99<1s", f)));
    assert_true(isnan(value_of("Course_grades.p99<1s", f))); /* names are case-sensitive */
    assert_true(isnan(value_of("empty.p99<1s", f)));
    assert_true(isnan(value_of("empty.mean<1s", f)));
    assert_true(isnan(value_of("empty.max<1s", f)));
    /* an empty run: latencies unknown, counts are what they are */
    hist *none = newh();
    slo_figures z = {.lat = none, .tps = 0, .count = 0, .errors = 0};
    assert_true(isnan(value_of("p99<1s", &z)));
    assert_true(isnan(value_of("mean<1s", &z)));
    assert_true(isnan(value_of("max<1s", &z)));
    want_value("tps>=0", &z, 0);
    want_value("errors=0", &z, 0);
    want_value("error_rate<1", &z, 0); /* no transactions: no error rate to speak of, 0 */
    /* every transaction failed */
    slo_figures all_failed = {.lat = none, .tps = 10, .count = 40, .errors = 40};
    want_value("error_rate<1", &all_failed, 100);
    want_value("errors<1", &all_failed, 40);
    hist_free(none);
}

/* ---- boundaries --------------------------------------------------------------------------- */

static bool pass_of(const char *spec, double v)
{
    slo s;
    parse_ok(spec, &s, 1);
    bool p = slo_pass(&s.c[0], v);
    slo_free(&s);
    return p;
}

static void test_pass_boundaries(void **state)
{
    (void)state;
    /* p99<20ms is broken at exactly 20 ms; p99<=20ms is met there, in every unit */
    assert_false(pass_of("p99<20ms", 20e6));
    assert_true(pass_of("p99<20ms", 20e6 - 1));
    assert_true(pass_of("p99<=20ms", 20e6));
    assert_false(pass_of("p99<=20ms", 20e6 + 1));
    assert_true(pass_of("p99<=0.02s", 20e6));
    assert_true(pass_of("p99<=20000us", 20e6));
    assert_true(pass_of("p99<=20000000ns", 20e6));
    assert_false(pass_of("p99<0.02s", 20e6));
    assert_false(pass_of("p99>20ms", 20e6));
    assert_true(pass_of("p99>=20ms", 20e6));
    assert_true(pass_of("p99=20ms", 20e6));
    assert_false(pass_of("p99=20ms", 20e6 + 1));
    /* tps>=1000 at 1000 passes, tps>1000 does not */
    assert_true(pass_of("tps>=1000", 1000));
    assert_false(pass_of("tps>=1000", 999.999));
    assert_false(pass_of("tps>1000", 1000));
    assert_true(pass_of("tps>1000", 1000.001));
    assert_true(pass_of("tps<=1000", 1000));
    assert_false(pass_of("tps<1000", 1000));
    /* errors */
    assert_true(pass_of("errors=0", 0));
    assert_false(pass_of("errors=0", 1));
    assert_true(pass_of("errors<=5", 5));
    assert_false(pass_of("errors<5", 5));
    /* error rate: 1% exactly */
    assert_false(pass_of("error_rate<1%", 1.0));
    assert_true(pass_of("error_rate<=1%", 1.0));
    assert_true(pass_of("error_rate<1%", 0.999));
    /* NaN (no data) never passes, whatever the operator */
    static const char *const ops[] = {"p99<1s", "p99<=1s", "p99>1s",  "p99>=0",
                                      "p99=0",  "tps>=0",  "errors=0"};
    for (size_t i = 0; i < N_OF(ops); i++)
        if (pass_of(ops[i], NAN)) fail_msg("'%s' passes on NaN", ops[i]);
}

/* The same boundaries through real figures: p99 is exactly 1000 ns = 1 us, max 2000 ns. */
static void test_pass_on_figures(void **state)
{
    fx *x = *state;
    static const struct {
        const char *spec;
        bool pass;
    } cases[] = {
        {"p99<1us", false},
        {"p99<=1us", true},
        {"p99<1000ns", false},
        {"p99<=1000ns", true},
        {"p99<=0.001ms", true},
        {"p99<0.001ms", false},
        {"p99=1us", true},
        {"p99>1us", false},
        {"p99>=1us", true},
        {"p50=100ns", true},
        {"p90=200ns", true},
        {"p95=1us", true},
        {"p99.9=2us", true},
        {"p99.99<2us", false},
        {"max<=2us", true},
        {"max<2us", false},
        {"mean=240ns", true},
        {"mean<240ns", false},
        {"tps>=1000", true},
        {"tps>1000", false},
        {"errors=0", false},
        {"errors<=5", true},
        {"error_rate<=2.5%", true},
        {"error_rate<2.5", false},
        {"course_grades.p99<=500ns", true},
        {"course_grades.p99<500ns", false},
        {"a.b.max=700ns", true},
        {"nosuch.p99<3600s", false}, /* no data: broken */
        {"empty.p99<1s", false},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        slo s;
        parse_ok(cases[i].spec, &s, 1);
        double v = slo_value(&s.c[0], &x->f);
        bool p = slo_pass(&s.c[0], v);
        slo_free(&s);
        if (p != cases[i].pass)
            fail_msg("'%s' on a value of %.17g: %s, want %s", cases[i].spec, v,
                     p ? "met" : "broken", cases[i].pass ? "met" : "broken");
    }
}

/* ---- slo_eval and slo_format -------------------------------------------------------------- */

static void test_eval(void **state)
{
    fx *x = *state;
    slo s;
    parse_ok("p99<1us,p99<=1us,tps>=1000,errors=0,error_rate<=2.5%,course_grades.p99<=500ns,nosuch."
             "p99<1s",
             &s, 7);
    /* broken: p99<1us, errors=0, nosuch (no data) */
    assert_int_equal(slo_eval(&s, &x->f, NULL), 3);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(slo_eval(&s, &x->f, f), 3);
    fclose(f);
    /* one line per check, in order: "  SLO <check> ok|BROKEN (measured <value>)" */
    static const struct {
        const char *check, *verdict, *measured;
    } want[] = {
        {"p99<1us", "BROKEN", "0.001 ms"},      {"p99<=1us", "ok", "0.001 ms"},
        {"tps>=1000", "ok", "1000.0 tps"},      {"errors=0", "BROKEN", "5"},
        {"error_rate<=2.5%", "ok", "2.500%"},   {"course_grades.p99<=500ns", "ok", "0.001 ms"},
        {"nosuch.p99<1s", "BROKEN", "no data"},
    };
    char *save = NULL, *line = strtok_r(buf, "\n", &save);
    for (size_t i = 0; i < N_OF(want); i++, line = strtok_r(NULL, "\n", &save)) {
        if (!line) fail_msg("slo_eval printed %zu lines, want %zu", i, N_OF(want));
        char check[96], verdict[16], measured[48];
        if (sscanf(line, "  SLO %95s %15s (measured %47[^)])", check, verdict, measured) != 3)
            fail_msg("line %zu does not read '  SLO CHECK VERDICT (measured X)': '%s'", i + 1,
                     line);
        assert_string_equal(check, want[i].check);
        assert_string_equal(verdict, want[i].verdict);
        if (strcmp(measured, want[i].measured) != 0 &&
            !(strcmp(want[i].check, "errors=0") == 0 && strcmp(measured, "5 errors") == 0))
            fail_msg("'%s': measured '%s', want '%s'", check, measured, want[i].measured);
    }
    if (line) fail_msg("an extra line: '%s'", line);
    free(buf);
    slo_free(&s);
    /* all met: 0 */
    parse_ok("p99<=1us,tps>=1000,errors<=5", &s, 3);
    assert_int_equal(slo_eval(&s, &x->f, NULL), 0);
    slo_free(&s);
}

static void test_format(void **state)
{
    (void)state;
    slo s;
    char buf[48];
    parse_ok("p99<1s,tps>1,errors=0,error_rate<1", &s, 4);
    slo_format(&s.c[0], 12345000, buf, sizeof buf);
    assert_string_equal(buf, "12.345 ms");
    slo_format(&s.c[0], NAN, buf, sizeof buf);
    assert_string_equal(buf, "no data");
    slo_format(&s.c[1], 1234.5, buf, sizeof buf);
    assert_string_equal(buf, "1234.5 tps");
    slo_format(&s.c[2], 3, buf, sizeof buf);
    if (strcmp(buf, "3") != 0 && strcmp(buf, "3 errors") != 0)
        fail_msg("errors formatted as '%s'", buf);
    slo_format(&s.c[3], 0.25, buf, sizeof buf);
    assert_string_equal(buf, "0.250%");
    slo_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_every_metric_and_operator),
        cmocka_unit_test(test_parse_units),
        cmocka_unit_test(test_parse_whitespace),
        cmocka_unit_test(test_parse_trailing_whitespace),
        cmocka_unit_test(test_parse_several),
        cmocka_unit_test(test_parse_transaction_prefix),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_empty_checks),
        cmocka_unit_test_setup_teardown(test_parse_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_prefix_on_a_count, setup, teardown),
        cmocka_unit_test(test_parse_long_transaction_name),
        cmocka_unit_test_setup_teardown(test_value, setup, teardown),
        cmocka_unit_test(test_pass_boundaries),
        cmocka_unit_test_setup_teardown(test_pass_on_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval, setup, teardown),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
