/* test_gen.c — column generators compiled from small profiles (prof_load + model_build) and
 * evaluated with gen_row: each kind's range and shape, NULL ratios, uniqueness by construction,
 * determinism (any row, any order, any context), children per parent (prefix sums and
 * mtable_locate), edge cases (pins, _children, automatic boundaries), references (distinct,
 * unique, self, zipf, hotspot, lookup), JSON templates, patterns, maps and expressions, and the
 * compile-time diagnostics for each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "seedload/enc.h"
#include "seedload/model.h"
#include "seedload/profile.h"
#include "seedload/schema.h"

/* ---- fixture --------------------------------------------------------------------------------- */

static char tmpdir[256];
static char dicts[1024];

typedef struct fx {
    profile *p;
    sql_script *ddl;
    schema *sch;
    model *m;
    genctx *c;
    int rc;
} fx;

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/seedload-gen.XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    char cwd[800];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    snprintf(dicts, sizeof dicts, "%s/profiles/dicts", cwd); /* tests run from the repo root */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Profile text: "@" stands for the head (name, schema and dicts lines). */
#define HEAD_FMT "name: t\nschema: {sqlite: s.sql}\ndicts: %s\n"

/* Build a model from yaml (with DDL for s.sql, or a schema-less profile when ddl is NULL). The
 * result's rc is model_build's (or prof_load's); diagnostics are in f->p->diag. */
static fx build_ex(const char *yaml, const char *ddl, double scale, uint64_t seed)
{
    fx f = {0};
    sbuf y = {0};
    if (yaml[0] == '@') {
        sbuf_printf(&y, HEAD_FMT, dicts);
        sbuf_adds(&y, yaml + 1);
    } else {
        sbuf_adds(&y, yaml);
    }
    write_file("p.yaml", y.p);
    sbuf_free(&y);
    char path[400];
    snprintf(path, sizeof path, "%s/p.yaml", tmpdir);
    sl_err e = {0};
    f.rc = prof_load(path, &f.p, &e);
    if (f.rc < 0) return f;
    if (ddl) {
        write_file("s.sql", ddl);
        snprintf(path, sizeof path, "%s/s.sql", tmpdir);
        if (sql_script_load(path, DIALECT_SQLITE, &f.ddl, &e) < 0 ||
            schema_from_sqlite(f.ddl, &f.sch, &e) < 0)
            fail_msg("DDL: %s", e.msg);
    }
    f.rc = model_build(f.p, f.sch, scale, seed, &f.m, &e);
    if (f.rc == 0) f.c = genctx_new(f.m);
    return f;
}

static const char *diags(const fx *f)
{
    return f->p && f->p->diag.out.p ? f->p->diag.out.p : "";
}

/* A model that must build. */
static fx build(const char *yaml, double scale, uint64_t seed)
{
    fx f = build_ex(yaml, NULL, scale, seed);
    if (f.rc != 0) fail_msg("model_build failed:\n%s", diags(&f));
    return f;
}

/* A model that must fail, with a diagnostic containing `needle`. */
static void build_fails(const char *yaml, const char *ddl, const char *needle)
{
    fx f = build_ex(yaml, ddl, 1, 1);
    if (f.rc == 0) fail_msg("expected model_build to fail with '%s'", needle);
    if (!strstr(diags(&f), needle)) fail_msg("expected to find:\n%s\nin:\n%s", needle, diags(&f));
    genctx_free(f.c);
    model_free(f.m);
    schema_free(f.sch);
    sql_script_free(f.ddl);
    prof_free(f.p);
}

static void fx_free(fx *f)
{
    genctx_free(f->c);
    model_free(f->m);
    schema_free(f->sch);
    sql_script_free(f->ddl);
    prof_free(f->p);
}

static const mtable *T(const fx *f, const char *name)
{
    const mtable *t = model_table(f->m, name);
    if (!t) fail_msg("no table %s", name);
    return t;
}

static int C(const mtable *t, const char *col)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->cols[j].name, col) == 0) return (int)j;
    fail_msg("no column %s", col);
    return -1;
}

/* Text of a value (NULL shown as \N), in a ring of static buffers. */
static const char *vs(const val *v)
{
    static char ring[8][4096];
    static int k;
    char *b = ring[k++ % 8];
    if (v->t == VT_NULL) return strcpy(b, "\\N");
    sbuf s = {0};
    val_append_text(v, &s);
    snprintf(b, 4096, "%s", s.p ? s.p : "");
    sbuf_free(&s);
    return b;
}

/* One cell of row r as text. */
static const char *cell(fx *f, const char *table, uint64_t r, const char *col)
{
    const mtable *t = T(f, table);
    return vs(&gen_row(f->c, t, r)[C(t, col)]);
}

/* The whole row as its CSV line (output columns only). */
static char *row_line(genctx *c, const mtable *t, uint64_t r)
{
    const val *v = gen_row(c, t, r);
    sbuf b = {0};
    for (size_t i = 0; i < t->nout; i++) {
        if (i) sbuf_addc(&b, ',');
        enc_csv_value(&v[t->out[i]], &b);
    }
    return sbuf_detach(&b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Number of duplicated values of a column over all rows. */
static size_t duplicates(fx *f, const char *table, const char *col)
{
    const mtable *t = T(f, table);
    int ci = C(t, col);
    char **v = calloc(t->nrows ? t->nrows : 1, sizeof *v);
    for (uint64_t r = 0; r < t->nrows; r++) v[r] = strdup(vs(&gen_row(f->c, t, r)[ci]));
    qsort(v, t->nrows, sizeof *v, cmp_str);
    size_t d = 0;
    for (uint64_t r = 1; r < t->nrows; r++) d += strcmp(v[r], v[r - 1]) == 0;
    for (uint64_t r = 0; r < t->nrows; r++) free(v[r]);
    free(v);
    return d;
}

/* ---- numbers ------------------------------------------------------------------------------- */

static void test_int_range(void **state)
{
    (void)state;
    fx f = build(
        "@tables:\n  t:\n    rows: 10000\n    columns:\n      v: {gen: int, min: -3, max: 6}\n", 1,
        1);
    const mtable *t = T(&f, "t");
    assert_int_equal(t->nrows, 10000);
    assert_int_equal(t->cols[0].type, VT_INT);
    int cnt[10] = {0};
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        assert_int_equal(v[0].t, VT_INT);
        assert_true(v[0].i >= -3 && v[0].i <= 6);
        cnt[v[0].i + 3]++;
    }
    for (int i = 0; i < 10; i++) assert_true(cnt[i] > 850 && cnt[i] < 1150);
    fx_free(&f);
}

static void test_decimal(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 5000\n    columns:\n"
                 "      a: {gen: decimal, min: 0.5, max: 1, decimals: 2}\n"
                 "      b: {gen: decimal, min: 0.80, max: 1.00}\n"
                 "      c: {gen: decimal, min: 0, max: 4}\n"
                 "      d: {gen: decimal, min: -0.25, max: 0.25, decimals: 3}\n"
                 "      e: {gen: decimal, min: 1, max: 9, decimals: 0}\n",
                 1, 1);
    const mtable *t = T(&f, "t");
    assert_int_equal(t->cols[0].type, VT_DEC);
    assert_int_equal(t->cols[0].scale, 2);
    assert_int_equal(t->cols[1].scale, 2); /* digits as written */
    assert_int_equal(t->cols[2].scale, 2); /* none written: 2 */
    assert_int_equal(t->cols[3].scale, 3);
    assert_int_equal(t->cols[4].type, VT_INT);
    bool lo = false, hi = false;
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        assert_true(v[0].i >= 50 && v[0].i <= 100);
        lo |= v[0].i == 50, hi |= v[0].i == 100;
        assert_true(v[1].i >= 80 && v[1].i <= 100);
        assert_true(v[2].i >= 0 && v[2].i <= 400);
        assert_true(v[3].i >= -250 && v[3].i <= 250);
        assert_true(v[4].i >= 1 && v[4].i <= 9);
        const char *s = vs(&v[0]); /* exact text: d.dd */
        assert_true(strlen(s) == 4 && s[1] == '.');
    }
    assert_true(lo && hi);
    fx_free(&f);
}

static void stats(fx *f, const char *table, const char *col, double *mean, double *sd, double *mn,
                  double *mx)
{
    const mtable *t = T(f, table);
    int ci = C(t, col);
    double s = 0, s2 = 0;
    *mn = INFINITY, *mx = -INFINITY;
    for (uint64_t r = 0; r < t->nrows; r++) {
        double x = val_as_double(&gen_row(f->c, t, r)[ci]);
        s += x, s2 += x * x;
        if (x < *mn) *mn = x;
        if (x > *mx) *mx = x;
    }
    *mean = s / (double)t->nrows;
    *sd = sqrt(s2 / (double)t->nrows - *mean * *mean);
}

static void test_distributions(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 20000\n    columns:\n"
                 "      n: {gen: normal, mean: 50, stddev: 10, decimals: 2}\n"
                 "      nc: {gen: normal, mean: 2.9, stddev: 0.6, min: 0, max: 4, decimals: 2}\n"
                 "      ni: {gen: normal, mean: 10, stddev: 3}\n"
                 "      ln: {gen: lognormal, mu: 1, sigma: 0.5, decimals: 3}\n"
                 "      ex: {gen: exponential, mean: 5, decimals: 2}\n"
                 "      exc: {gen: exponential, mean: 5, max: 6}\n",
                 1, 1);
    double mean, sd, mn, mx;
    stats(&f, "t", "n", &mean, &sd, &mn, &mx);
    assert_true(fabs(mean - 50) < 0.3 && fabs(sd - 10) < 0.3);
    stats(&f, "t", "nc", &mean, &sd, &mn, &mx);
    assert_true(mn >= 0 && mx <= 4);
    assert_true(fabs(mean - 2.854) < 0.02); /* the mean of N(2.9, 0.6) truncated to [0, 4] */
    const mtable *t = T(&f, "t");
    assert_int_equal(t->cols[C(t, "ni")].type, VT_INT); /* decimals default 0 */
    stats(&f, "t", "ln", &mean, &sd, &mn, &mx);
    assert_true(mn > 0);
    int below = 0; /* median of a lognormal is e^mu */
    for (uint64_t r = 0; r < t->nrows; r++)
        below += val_as_double(&gen_row(f.c, t, r)[C(t, "ln")]) < exp(1);
    assert_true(fabs(below / 20000.0 - 0.5) < 0.02);
    stats(&f, "t", "ex", &mean, &sd, &mn, &mx);
    assert_true(mn >= 0 && fabs(mean - 5) < 0.15);
    stats(&f, "t", "exc", &mean, &sd, &mn, &mx);
    assert_true(mx <= 6);
    /* truncation resamples before clamping: the bound does not collect a spike */
    int at_max = 0;
    for (uint64_t r = 0; r < t->nrows; r++) at_max += gen_row(f.c, t, r)[C(t, "exc")].i == 6;
    assert_true(at_max < 20000 * 0.06);
    fx_free(&f);
}

static void test_zipf_gen(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 20000\n    columns:\n"
                 "      z: {gen: zipf, min: 10, max: 109}\n"
                 "      z2: {gen: zipf, max: 5, s: 2}\n",
                 1, 1);
    const mtable *t = T(&f, "t");
    int cnt[100] = {0};
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        assert_true(v[0].i >= 10 && v[0].i <= 109);
        cnt[v[0].i - 10]++;
        assert_true(v[1].i >= 1 && v[1].i <= 5);
    }
    /* P(min) = 1/H(100) = 0.193; min is the most frequent, then decreasing */
    assert_true(fabs(cnt[0] / 20000.0 - 0.1928) < 0.01);
    assert_true(cnt[0] > cnt[1] && cnt[1] > cnt[2] && cnt[2] > cnt[9] && cnt[9] > cnt[99]);
    fx_free(&f);
}

static void test_seq_bool_const(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 10000\n    columns:\n"
                 "      s: {gen: seq}\n"
                 "      s2: {gen: seq, start: 100, step: -3}\n"
                 "      b: {gen: bool, probability: 0.2}\n"
                 "      k: 7\n"
                 "      k2: hello\n"
                 "      k3: null\n"
                 "      k4: {gen: const, value: 2.50}\n"
                 "      k5: {gen: const, value: {a: [1, x]}}\n"
                 "      k6: true\n",
                 1, 1);
    const mtable *t = T(&f, "t");
    int trues = 0;
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        assert_int_equal(v[0].i, (int64_t)r + 1);
        assert_int_equal(v[1].i, 100 - 3 * (int64_t)r);
        assert_int_equal(v[2].t, VT_BOOL);
        trues += (int)v[2].i;
    }
    assert_true(fabs(trues / 10000.0 - 0.2) < 0.015);
    assert_string_equal(cell(&f, "t", 5, "k"), "7");
    assert_string_equal(cell(&f, "t", 5, "k2"), "hello");
    assert_string_equal(cell(&f, "t", 5, "k3"), "\\N");
    assert_string_equal(cell(&f, "t", 5, "k4"), "2.50");
    assert_string_equal(cell(&f, "t", 5, "k5"), "{\"a\":[1,\"x\"]}");
    assert_int_equal(t->cols[C(t, "k5")].type, VT_JSON);
    assert_string_equal(cell(&f, "t", 5, "k6"), "1");
    fx_free(&f);
}

static void test_choice(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 20000\n    columns:\n"
                 "      u: {gen: choice, values: [a, b, c, d]}\n"
                 "      w: {gen: choice, values: {x: 70, y: 20, z: 10, never: 0}}\n"
                 "      wl: {gen: choice, values: [p, q], weights: [1, 3]}\n"
                 "      i: {gen: choice, values: [1, 2, 3]}\n"
                 "      m: {gen: choice, values: [1, 2.5]}\n"
                 "      txt: {gen: choice, values: [1, two]}\n",
                 1, 1);
    const mtable *t = T(&f, "t");
    assert_int_equal(t->cols[C(t, "i")].type, VT_INT);
    assert_int_equal(t->cols[C(t, "m")].type, VT_DEC);
    assert_int_equal(t->cols[C(t, "m")].scale, 1);
    assert_int_equal(t->cols[C(t, "u")].type, VT_TEXT);
    int ua = 0, x = 0, z = 0, q = 0, never = 0;
    bool m1 = false;
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        ua += strcmp(vs(&v[0]), "a") == 0;
        const char *w = vs(&v[1]);
        x += strcmp(w, "x") == 0, z += strcmp(w, "z") == 0, never += strcmp(w, "never") == 0;
        q += strcmp(vs(&v[2]), "q") == 0;
        m1 |= strcmp(vs(&v[4]), "1.0") == 0;
        assert_true(strcmp(vs(&v[4]), "1.0") == 0 || strcmp(vs(&v[4]), "2.5") == 0);
    }
    assert_true(fabs(ua / 20000.0 - 0.25) < 0.015);
    assert_true(fabs(x / 20000.0 - 0.7) < 0.015);
    assert_true(fabs(z / 20000.0 - 0.1) < 0.015);
    assert_int_equal(never, 0);
    assert_true(fabs(q / 20000.0 - 0.75) < 0.015);
    assert_true(m1); /* 1 is written as the decimal 1.0 */
    fx_free(&f);
}

/* ---- keys, dates ------------------------------------------------------------------------- */

static void test_uuid(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 10000\n    columns:\n      id: {gen: uuid}\n  u:\n    "
                 "rows: 10\n    columns:\n      id: {gen: uuid}\n",
                 1, 1);
    const mtable *t = T(&f, "t");
    for (uint64_t r = 0; r < t->nrows; r++) {
        const char *s = cell(&f, "t", r, "id");
        assert_int_equal(strlen(s), 36);
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23)
                assert_true(s[i] == '-');
            else
                assert_true(isxdigit((unsigned char)s[i]) && !isupper((unsigned char)s[i]));
        }
        assert_true(s[14] == '4');              /* version 4 */
        assert_non_null(strchr("89ab", s[19])); /* variant 1 */
    }
    assert_int_equal(duplicates(&f, "t", "id"), 0);
    /* another table's keys differ */
    assert_string_not_equal(cell(&f, "t", 0, "id"), cell(&f, "u", 0, "id"));
    fx_free(&f);
}

static void test_dates(void **state)
{
    (void)state;
    fx f =
        build("@tables:\n  t:\n    rows: 5000\n    columns:\n"
              "      d: {gen: date, min: 2025-01-01, max: 2025-01-31}\n"
              "      w: {gen: date, min: 2025-01-04, max: 2025-02-28, weekdays_only: true}\n"
              "      ts: {gen: timestamp, min: '2025-01-01 00:00:00', max: '2025-01-02 00:00:00', "
              "step: 15m}\n"
              "      ts1: {gen: timestamp, min: 2025-01-01 08:00:00, max: 2025-01-01 08:00:05}\n",
              1, 1);
    const mtable *t = T(&f, "t");
    int64_t lo = days_from_civil(2025, 1, 1), hi = days_from_civil(2025, 1, 31);
    bool sawlo = false, sawhi = false;
    int64_t t0 = lo * 86400000000LL;
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        assert_int_equal(v[0].t, VT_DATE);
        assert_true(v[0].i >= lo && v[0].i <= hi);
        sawlo |= v[0].i == lo, sawhi |= v[0].i == hi;
        assert_true(weekday_from_days(v[1].i) < 5);
        assert_true(v[1].i >= days_from_civil(2025, 1, 6) &&
                    v[1].i <= days_from_civil(2025, 2, 28));
        assert_int_equal(v[2].t, VT_TS);
        assert_true(v[2].i >= t0 && v[2].i <= t0 + 86400000000LL);
        assert_int_equal((v[2].i - t0) % (15 * 60 * 1000000LL), 0);
        assert_true(v[3].i % 1000000 == 0);
    }
    assert_true(sawlo && sawhi);
    fx_free(&f);
}

static const char *SERIES_YAML =
    "@tables:\n"
    "  p:\n    rows: 30\n    columns:\n      id: {gen: seq}\n"
    "  c:\n    rows: {per: p, min: 0, max: 12}\n    columns:\n"
    "      pid: {gen: parent, column: id}\n"
    "      o: {gen: expr, expr: ord}\n"
    "      d: {gen: date_series, start: 2025-01-06, skip_weekends: true}\n"
    "      d2: {gen: date_series, start: 2025-01-01, step: 7}\n"
    "      dr: {gen: date_series, start: 2025-01-01, by: row}\n"
    "      t: {gen: timestamp_series, start: '2025-01-01 00:00:00', step: 30m}\n"
    "      lbl: {gen: format, pattern: '{parent.id}-{ord}'}\n";

static void test_series(void **state)
{
    (void)state;
    fx f = build(SERIES_YAML, 1, 1);
    const mtable *c = T(&f, "c");
    int64_t mon = days_from_civil(2025, 1, 6), jan1 = days_from_civil(2025, 1, 1);
    for (uint64_t r = 0; r < c->nrows; r++) {
        uint64_t pr, o;
        mtable_locate(c, r, &pr, &o);
        const val *v = gen_row(f.c, c, r);
        assert_int_equal(v[1].i, (int64_t)o);
        /* the o-th school day from Monday 2025-01-06 */
        int64_t want = mon + (int64_t)(o / 5) * 7 + (int64_t)(o % 5);
        assert_int_equal(v[2].i, want);
        assert_int_equal(v[3].i, jan1 + 7 * (int64_t)o);
        assert_int_equal(v[4].i, jan1 + (int64_t)r);
        assert_int_equal(v[5].i, jan1 * 86400000000LL + (int64_t)o * 1800000000LL);
        char lbl[64];
        snprintf(lbl, sizeof lbl, "%llu-%llu", (unsigned long long)pr + 1,
                 (unsigned long long)o + 1);
        assert_string_equal(vs(&v[6]), lbl);
    }
    fx_free(&f);
}

/* ---- NULLs and uniqueness ---------------------------------------------------------------- */

static void test_null_ratio(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 10000\n    columns:\n"
                 "      a: {gen: int, min: 1, max: 5, null: 0.3}\n"
                 "      b: {gen: words, null: 1}\n"
                 "      c: {gen: uuid, null: 0}\n"
                 "      d: {gen: json, template: {x: {gen: int, min: 1, max: 2, null: 0.5}}}\n",
                 1, 1);
    const mtable *t = T(&f, "t");
    int na = 0, nd = 0;
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        na += v[0].t == VT_NULL;
        assert_int_equal(v[1].t, VT_NULL);
        assert_int_equal(v[2].t, VT_UUID);
        nd += strcmp(vs(&v[3]), "{\"x\":null}") == 0;
    }
    assert_true(fabs(na / 10000.0 - 0.3) < 0.02);
    assert_true(fabs(nd / 10000.0 - 0.5) < 0.02);
    fx_free(&f);
}

static void test_unique_by_construction(void **state)
{
    (void)state;
    fx f = build("@tables:\n"
                 "  t:\n    rows: 10000\n    columns:\n"
                 "      i: {gen: int, min: 1, max: 10000, unique: true}\n"
                 "      i2: {gen: int, min: -5000000, max: 5000000, unique: true}\n"
                 "      d: {gen: decimal, min: 0, max: 100, decimals: 2, unique: true}\n"
                 "      dt: {gen: date, min: 2000-01-01, max: 2040-01-01, unique: true}\n"
                 "      wd: {gen: date, min: 2000-01-01, max: 2040-01-01, weekdays_only: true, "
                 "unique: true}\n"
                 "      ts: {gen: timestamp, min: '2025-01-01 00:00:00', max: '2025-02-01 "
                 "00:00:00', step: 1m, unique: true}\n"
                 "      s: {gen: seq, unique: true}\n"
                 "      u: {gen: uuid, unique: true}\n"
                 "      n: {gen: format, pattern: 'U{n}', unique: true}\n"
                 "      r: {gen: format, pattern: 'R{row|upper}x', unique: true}\n"
                 "      pm: {gen: format, pattern: '{perm:05}', unique: true}\n"
                 "      e: {gen: email, unique: true}\n"
                 "  small:\n    rows: 1000\n    columns:\n"
                 "      fn: {gen: first_name, unique: true}\n"
                 "      ref: {gen: ref, table: t, column: i, unique: true}\n",
                 1, 1);
    static const char *const tcols[] = {"i", "i2", "d", "dt", "wd", "ts",
                                        "s", "u",  "n", "r",  "pm", "e"};
    for (size_t k = 0; k < sizeof tcols / sizeof tcols[0]; k++)
        if (duplicates(&f, "t", tcols[k])) fail_msg("t.%s has duplicates", tcols[k]);
    /* a permutation of exactly the range covers it */
    const mtable *t = T(&f, "t");
    int64_t sum = 0;
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        sum += v[0].i;
        int64_t pm = atoll(vs(&v[10]));
        assert_true(pm >= 1 && pm <= 10000);
        assert_int_equal(strlen(vs(&v[10])), 5);
    }
    assert_int_equal(sum, 10000LL * 10001 / 2);
    assert_int_equal(duplicates(&f, "small", "fn"), 0);
    assert_int_equal(duplicates(&f, "small", "ref"), 0);
    fx_free(&f);
}

static void test_unique_choice_each_value_once(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 3\n    columns:\n      c: {gen: choice, values: [x, y, "
                 "z], unique: true}\n",
                 1, 1);
    assert_int_equal(duplicates(&f, "t", "c"), 0);
    fx_free(&f);
}

/* A pattern that embeds the row is "unique", but only if nothing random of variable width
 * stands next to the row number: "{int:1:20}{n}" gives 11 + "1" == 1 + "11". */
static void test_unique_pattern_with_variable_width_random_part(void **state)
{
    (void)state;
    /* '{int:1:20}{n}' makes "201" for (20, 1) and (2, 01): refused, not silently duplicated. */
    build_fails("@tables:\n  t:\n    rows: 1000\n    columns:\n"
                "      code: {gen: format, pattern: '{int:1:20}{n}', unique: true}\n",
                NULL, "pattern '{int:1:20}{n}' cannot promise unique values");
    /* With a separator it is unique by construction, and really has no duplicates. */
    fx f = build("@tables:\n  t:\n    rows: 1000\n    columns:\n"
                 "      code: {gen: format, pattern: '{int:1:20}-{n}', unique: true}\n",
                 1, 1);
    size_t d = duplicates(&f, "t", "code");
    fx_free(&f);
    if (d)
        fail_msg("unique: true pattern '{int:1:20}-{n}' made %zu duplicate values in 1000 rows", d);
}

static void test_unique_capacity_errors(void **state)
{
    (void)state;
    build_fails("@tables:\n  t:\n    rows: 100\n    columns:\n      v: {gen: int, min: 1, max: 10, "
                "unique: true}\n",
                NULL,
                "p.yaml:8:46: error: 't.v' is unique, but its generator can make only 10 distinct "
                "values and the table has 100 rows at this scale");
    build_fails("@tables:\n  t:\n    rows: 5\n    columns:\n      v: {gen: choice, values: [a, b], "
                "unique: true}\n",
                NULL, "can make only 2 distinct values and the table has 5 rows");
    build_fails("@tables:\n  t:\n    rows: 5\n    columns:\n      v: {gen: choice, values: {a: 1, "
                "b: 2}, unique: true}\n",
                NULL, "a unique choice takes each value once; weights do not apply");
    build_fails("@tables:\n  t:\n    rows: 5\n    columns:\n      v: {gen: words, unique: true}\n",
                NULL, "generator 'words' cannot promise unique values");
    build_fails(
        "@tables:\n  t:\n    rows: 5\n    columns:\n      v: {gen: format, pattern: 'X{digits:3}', "
        "unique: true}\n",
        NULL, "pattern 'X{digits:3}' cannot promise unique values: it needs {n}, {row} or {perm}");
    build_fails("@tables:\n  a:\n    rows: 5\n    columns:\n      id: {gen: seq}\n"
                "  b:\n    rows: 6\n    columns:\n      a_id: {gen: ref, table: a, unique: true}\n",
                NULL,
                "'b.a_id' is unique, but its generator can make only 5 distinct values and the "
                "table has 6 rows");
    /* the capacity is checked at the scale being built */
    fx f = build_ex("@tables:\n  t:\n    rows: 10\n    columns:\n      v: {gen: int, min: 1, max: "
                    "50, unique: true}\n",
                    NULL, 5, 1);
    assert_int_equal(f.rc, 0);
    fx_free(&f);
    f = build_ex("@tables:\n  t:\n    rows: 10\n    columns:\n      v: {gen: int, min: 1, max: 50, "
                 "unique: true}\n",
                 NULL, 6, 1);
    assert_int_equal(f.rc, -1);
    fx_free(&f);
}

/* ---- determinism ---------------------------------------------------------------------------- */

static const char *DET_YAML =
    "@tables:\n"
    "  p:\n    rows: 200\n    columns:\n"
    "      id: {gen: uuid}\n"
    "      name: {gen: format, pattern: '{dict:first_names} {dict:last_names|upper}'}\n"
    "      score: {gen: normal, mean: 50, stddev: 15, decimals: 1, null: 0.1}\n"
    "      bio: {gen: paragraph}\n"
    "      doc: {gen: json, template: {a: {array: [0, 4], of: {gen: int, min: 1, max: 9}}, b: "
    "{gen: sentence}}}\n"
    "  c:\n    rows: {per: p, min: 1, max: 8, probability: 0.7}\n    columns:\n"
    "      id: {gen: seq}\n"
    "      pid: {gen: parent}\n"
    "      other: {gen: ref, table: p, dist: zipf}\n"
    "      v: {gen: expr, expr: 'parent.score * 2 + rand(1, 10) + randf(0, 1)', decimals: 3}\n"
    "      w: {gen: text, min_len: 5, max_len: 40}\n";

static void test_determinism_same_row_twice(void **state)
{
    (void)state;
    fx f = build(DET_YAML, 1, 7);
    for (size_t ti = 0; ti < f.m->nt; ti++) {
        const mtable *t = &f.m->t[ti];
        for (uint64_t r = 0; r < t->nrows; r++) {
            char *a = row_line(f.c, t, r);
            char *b = row_line(f.c, t, r);
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
    }
    fx_free(&f);
}

static void test_determinism_any_order_any_context(void **state)
{
    (void)state;
    fx f = build(DET_YAML, 1, 7);
    fx g = build(DET_YAML, 1, 7); /* a separately compiled model */
    for (size_t ti = 0; ti < f.m->nt; ti++) {
        const mtable *t = &f.m->t[ti];
        const mtable *t2 = &g.m->t[ti];
        uint64_t n = t->nrows;
        char **seq = calloc(n, sizeof *seq);
        for (uint64_t r = 0; r < n; r++) seq[r] = row_line(f.c, t, r);
        /* reverse, strided and random orders, in another context and another model */
        genctx *c2 = genctx_new(f.m);
        for (uint64_t k = 0; k < n; k++) {
            uint64_t r = n - 1 - k;
            char *a = row_line(c2, t, r);
            assert_string_equal(a, seq[r]);
            free(a);
        }
        for (uint64_t k = 0; k < n; k++) {
            uint64_t r = (k * 7919) % n;
            char *a = row_line(g.c, t2, r);
            assert_string_equal(a, seq[r]);
            free(a);
        }
        /* gen_value agrees with gen_row */
        for (uint64_t r = 0; r < n; r += 3) {
            const val *row = gen_row(f.c, t, r);
            for (size_t j = 0; j < t->ncols; j++) {
                char want[4096];
                snprintf(want, sizeof want, "%s", vs(&row[j]));
                row = gen_row(f.c, t, r);
                val v;
                gen_value(c2, t, j, r, &v);
                assert_string_equal(vs(&v), want);
            }
        }
        genctx_free(c2);
        for (uint64_t r = 0; r < n; r++) free(seq[r]);
        free(seq);
    }
    fx_free(&g);
    fx_free(&f);
}

static void test_seed_changes_data(void **state)
{
    (void)state;
    fx f = build(DET_YAML, 1, 7);
    fx g = build(DET_YAML, 1, 8);
    const mtable *t = T(&f, "p"), *t2 = T(&g, "p");
    int same = 0;
    for (uint64_t r = 0; r < t->nrows; r++) {
        char *a = row_line(f.c, t, r), *b = row_line(g.c, t2, r);
        same += strcmp(a, b) == 0;
        free(a);
        free(b);
    }
    assert_int_equal(same, 0);
    /* the child counts depend on the seed too */
    assert_true(T(&f, "c")->nrows != T(&g, "c")->nrows ||
                memcmp(T(&f, "c")->prefix, T(&g, "c")->prefix, 201 * 8) != 0);
    fx_free(&g);
    fx_free(&f);
}

/* ---- children per parent ------------------------------------------------------------------ */

static void test_prefix_sums_and_locate(void **state)
{
    (void)state;
    fx f = build(
        "@tables:\n"
        "  p:\n    rows: 1000\n    columns:\n      id: {gen: seq}\n"
        "  c:\n    rows: {per: p, min: 2, max: 6, probability: 0.3}\n    columns:\n      pid: "
        "{gen: parent}\n      o: {gen: expr, expr: ord}\n"
        "  g:\n    rows: {per: c, count: 3}\n    columns:\n      cid: {gen: parent, column: pid}\n"
        "  e:\n    rows: {per: p, count: 4}\n    columns:\n      pid: {gen: parent}\n",
        1, 3);
    const mtable *p = T(&f, "p"), *c = T(&f, "c"), *g = T(&f, "g"), *e = T(&f, "e");
    assert_int_equal(c->parent, p->idx);
    assert_int_equal(c->prefix_len, p->nrows + 1);
    assert_int_equal(c->prefix[0], 0);
    assert_int_equal(c->prefix[p->nrows], c->nrows);
    int with = 0;
    for (uint64_t i = 0; i < p->nrows; i++) {
        uint64_t n = mtable_children(c, i);
        assert_true(n == 0 || (n >= 2 && n <= 6));
        with += n > 0;
    }
    assert_true(fabs(with / 1000.0 - 0.3) < 0.05);
    /* every child row maps back to (parent, ordinal); parents without children never appear */
    for (uint64_t r = 0; r < c->nrows; r++) {
        uint64_t pr, o;
        mtable_locate(c, r, &pr, &o);
        assert_true(pr < p->nrows);
        assert_true(o < mtable_children(c, pr));
        assert_int_equal(c->prefix[pr] + o, r);
        const val *v = gen_row(f.c, c, r);
        assert_int_equal(v[0].i, (int64_t)pr + 1);
        assert_int_equal(v[1].i, (int64_t)o);
    }
    /* chains: grandchildren reach the grandparent through the parent */
    assert_int_equal(g->nrows, c->nrows * 3);
    for (uint64_t r = 0; r < g->nrows; r += 5) {
        uint64_t pr, o;
        mtable_locate(g, r, &pr, &o);
        assert_int_equal(pr, r / 3);
        assert_string_equal(cell(&f, "g", r, "cid"), cell(&f, "c", pr, "pid"));
    }
    assert_int_equal(e->nrows, 4000);
    /* a random-order walk gives the same ordinals as the sequential one */
    for (uint64_t k = 0; k < c->nrows; k++) {
        uint64_t r = (k * 104729) % c->nrows, pr, o;
        mtable_locate(c, r, &pr, &o);
        assert_int_equal(gen_row(f.c, c, r)[1].i, (int64_t)o);
    }
    fx_free(&f);
}

static void test_children_scale_with_parents(void **state)
{
    (void)state;
    const char *y = "@tables:\n  p:\n    rows: 10\n    columns:\n      id: {gen: seq}\n"
                    "  c:\n    rows: {per: p, count: 5}\n    columns:\n      pid: {gen: parent}\n"
                    "  s:\n    rows: {count: 3, scale: false}\n    columns:\n      id: {gen: seq}\n"
                    "  tiny:\n    rows: 0.01\n    columns:\n      id: {gen: seq}\n";
    fx f = build(y, 3.5, 1);
    assert_int_equal(T(&f, "p")->nrows, 35);
    assert_int_equal(T(&f, "c")->nrows, 175);
    assert_int_equal(T(&f, "s")->nrows, 3);
    assert_int_equal(T(&f, "tiny")->nrows, 1); /* at least 1 when N > 0 */
    assert_int_equal(model_total_rows(f.m), 35 + 175 + 3 + 1);
    fx_free(&f);
}

/* ---- edge cases ---------------------------------------------------------------------------- */

static const char *EDGE_DDL =
    "CREATE TABLE s (id INTEGER PRIMARY KEY, gpa REAL, letter TEXT, name VARCHAR(12) NOT NULL, "
    "nick VARCHAR(5), level INT, kind TEXT);\n"
    "CREATE TABLE rec (id INTEGER PRIMARY KEY, sid INT NOT NULL REFERENCES s(id));\n"
    "CREATE TABLE note (id INTEGER PRIMARY KEY, sid INT NOT NULL REFERENCES s(id));\n"
    "CREATE TABLE pick (id INTEGER PRIMARY KEY, sid INT NOT NULL REFERENCES s(id));\n";

static const char *EDGE_YAML =
    "@tables:\n"
    "  s:\n    rows: 50\n    columns:\n"
    "      id: {gen: seq}\n"
    "      gpa: {gen: decimal, min: 1, max: 3, decimals: 2}\n"
    "      letter: {gen: map, from: gpa, ranges: [[3.5, A], [2.5, B], [0, C]]}\n"
    "      name: {gen: first_name}\n"
    "      nick: {gen: format, pattern: '{letters:3}', null: 0.1}\n"
    "      level: {gen: int, min: 1, max: 9}\n"
    "      kind: {gen: choice, values: [a, b]}\n"
    "    edge_cases:\n"
    "      auto: true\n"
    "      exclude: [kind]\n"
    "      rows:\n"
    "        - {gpa: 4.0, name: Pinned}\n"
    "        - {_children: 0, level: null}\n"
    "        - {_children: {rec: 7, note: 0}}\n"
    "  rec:\n    rows: {per: s, count: 2}\n    columns:\n      id: {gen: seq}\n      sid: {gen: "
    "parent}\n"
    "  note:\n    rows: {per: s, count: 1}\n    columns:\n      id: {gen: seq}\n      sid: {gen: "
    "parent}\n"
    "  pick:\n    rows: 2000\n    columns:\n      id: {gen: seq}\n      sid: {gen: ref, table: "
    "s}\n";

static void test_edge_pins_and_children(void **state)
{
    (void)state;
    fx f = build_ex(EDGE_YAML, EDGE_DDL, 1, 1);
    if (f.rc) fail_msg("%s", diags(&f));
    const mtable *s = T(&f, "s"), *rec = T(&f, "rec"), *note = T(&f, "note");
    /* pinned values, and columns derived from them follow */
    assert_string_equal(cell(&f, "s", 0, "gpa"), "4.00");
    assert_string_equal(cell(&f, "s", 0, "letter"), "A");
    assert_string_equal(cell(&f, "s", 0, "name"), "Pinned");
    assert_string_equal(cell(&f, "s", 1, "level"), "\\N");
    /* unpinned columns of a pinned row are generated as usual */
    assert_string_not_equal(cell(&f, "s", 1, "name"), "Pinned");
    /* _children: 0 for every child table; per table */
    assert_int_equal(mtable_children(rec, 1), 0);
    assert_int_equal(mtable_children(note, 1), 0);
    assert_int_equal(mtable_children(rec, 2), 7);
    assert_int_equal(mtable_children(note, 2), 0);
    assert_int_equal(mtable_children(rec, 0), 2);
    assert_int_equal(mtable_children(rec, 3), 2);
    assert_int_equal(rec->nrows, 2 * 50 - 2 + 5);
    /* a row with _children: 0 is never chosen by references */
    assert_int_equal(s->nisolated, 1);
    assert_int_equal(s->isolated[0], 1);
    for (uint64_t r = 0; r < 2000; r++) assert_string_not_equal(cell(&f, "pick", r, "sid"), "2");
    fx_free(&f);
}

static void test_edge_auto(void **state)
{
    (void)state;
    fx f = build_ex(EDGE_YAML, EDGE_DDL, 1, 1);
    if (f.rc) fail_msg("%s", diags(&f));
    const mtable *s = T(&f, "s");
    assert_true(s->nauto >= 3);
    assert_int_equal(s->nedges, 3 + s->nauto);
    /* collect every value of the automatic rows */
    char seen[2048] = "|";
    for (uint64_t r = 3; r < s->nedges; r++) {
        static const char *const cols[] = {"gpa", "name", "nick", "level", "kind"};
        for (size_t k = 0; k < 5; k++) {
            char b[256];
            snprintf(b, sizeof b, "%s=%s|", cols[k], cell(&f, "s", r, cols[k]));
            if (strlen(seen) + strlen(b) < sizeof seen) strcat(seen, b);
        }
    }
    assert_non_null(strstr(seen, "|gpa=1.00|"));
    assert_non_null(strstr(seen, "|gpa=3.00|"));
    assert_non_null(strstr(seen, "|level=1|"));
    assert_non_null(strstr(seen, "|level=9|"));
    assert_non_null(strstr(seen, "|level=\\N|")); /* nullable */
    assert_non_null(strstr(seen, "|name=|"));     /* empty text */
    assert_null(strstr(seen, "|name=\\N|"));      /* NOT NULL: never NULL */
    assert_non_null(strstr(seen, "|nick=\\N|"));
    assert_null(strstr(seen, "|gpa=\\N|")); /* 'letter' derives from gpa: gpa is never NULL */
    /* longest text the schema allows, and multi-byte UTF-8 cut to the declared characters */
    bool longest = false, multibyte = false;
    for (uint64_t r = 3; r < s->nedges; r++) {
        const char *n = cell(&f, "s", r, "name");
        longest |= strlen(n) == 12 && utf8_len(n, strlen(n)) == 12;
        for (const char *q = n; *q; q++) multibyte |= (unsigned char)*q >= 0x80;
        if (*n) assert_true(utf8_len(n, strlen(n)) <= 12);
        const char *k = cell(&f, "s", r, "nick");
        if (strcmp(k, "\\N") != 0) assert_true(utf8_len(k, strlen(k)) <= 5);
    }
    assert_true(longest);
    assert_true(multibyte);
    /* excluded column: only its generator's values */
    for (uint64_t r = 3; r < s->nedges; r++) {
        const char *k = cell(&f, "s", r, "kind");
        assert_true(strcmp(k, "a") == 0 || strcmp(k, "b") == 0);
    }
    fx_free(&f);
}

static void test_edge_more_than_rows(void **state)
{
    (void)state;
    fx f =
        build_ex("@tables:\n  t:\n    rows: 2\n    columns:\n      v: {gen: int, min: 1, max: 9}\n"
                 "    edge_cases: [{v: 100}, {v: 200}, {v: 300}]\n",
                 NULL, 1, 1);
    assert_int_equal(f.rc, 0);
    assert_non_null(strstr(diags(&f), "warning: table 't' has 3 edge-case rows but only 2 rows at "
                                      "this scale; the extra edge cases are left out"));
    assert_int_equal(T(&f, "t")->nedges, 2);
    assert_string_equal(cell(&f, "t", 1, "v"), "200");
    fx_free(&f);
}

static void test_edge_errors(void **state)
{
    (void)state;
    build_fails("@tables:\n  t:\n    rows: 5\n    columns:\n      v: {gen: int, min: 1, max: 9}\n"
                "    edge_cases: [{w: 1}]\n",
                NULL, "no column 'w' in table 't'");
    build_fails("@tables:\n  t:\n    rows: 5\n    columns:\n      v: {gen: int, min: 1, max: 9}\n"
                "    edge_cases: [{v: abc}]\n",
                NULL, "p.yaml:9:22: error: this value must be an integer, not 'abc'");
    build_fails("@tables:\n  t:\n    rows: 5\n    columns:\n      d: {gen: date, min: 2025-01-01, "
                "max: 2025-02-01}\n"
                "    edge_cases: [{d: 2025-02-30}]\n",
                NULL, "expected a date YYYY-MM-DD, not '2025-02-30'");
    build_fails("@tables:\n  t:\n    rows: 5\n    columns:\n      v: {gen: int, min: 1, max: 9}\n"
                "    edge_cases: [{_children: -1}]\n",
                NULL, "_children must not be negative");
    build_fails("@tables:\n  t:\n    rows: 5\n    columns:\n      v: {gen: int, min: 1, max: 9}\n"
                "    edge_cases: [{_children: {nope: 1}}]\n",
                NULL, "'nope' is not a table with rows per 't'");
}

/* ---- references ----------------------------------------------------------------------------- */

static void test_ref_distinct_per_parent(void **state)
{
    (void)state;
    fx f =
        build("@tables:\n"
              "  course:\n    rows: 12\n    columns:\n      code: {gen: format, pattern: 'C{n}'}\n"
              "  student:\n    rows: 300\n    columns:\n      id: {gen: seq}\n"
              "  enr:\n    rows: {per: student, min: 1, max: 12}\n    columns:\n"
              "      sid: {gen: parent}\n      course: {gen: ref, table: course, column: code, "
              "distinct: true}\n",
              1, 1);
    const mtable *enr = T(&f, "enr");
    uint64_t r = 0;
    while (r < enr->nrows) {
        uint64_t pr, o;
        mtable_locate(enr, r, &pr, &o);
        uint64_t n = mtable_children(enr, pr);
        bool seen[13] = {false};
        for (uint64_t k = 0; k < n; k++) {
            int c = atoi(cell(&f, "enr", r + k, "course") + 1);
            assert_true(c >= 1 && c <= 12);
            if (seen[c]) fail_msg("student %llu has course C%d twice", (unsigned long long)pr, c);
            seen[c] = true;
        }
        r += n;
    }
    fx_free(&f);
    build_fails(
        "@tables:\n  a:\n    rows: 3\n    columns:\n      id: {gen: seq}\n"
        "  b:\n    rows: {per: a, count: 4}\n    columns:\n      x: {gen: ref, table: a, distinct: "
        "true}\n",
        NULL,
        "'b.x': up to 4 distinct references per parent, but 'a' has only 3 rows at this scale");
    build_fails("@tables:\n  a:\n    rows: 3\n    columns:\n      id: {gen: seq}\n"
                "  b:\n    rows: 3\n    columns:\n      x: {gen: ref, table: a, distinct: true}\n",
                NULL, "distinct: true needs rows per parent");
}

static void test_ref_self(void **state)
{
    (void)state;
    fx f = build("@tables:\n  cat:\n    rows: 500\n    columns:\n      id: {gen: seq}\n      up: "
                 "{gen: ref, table: cat, column: id}\n",
                 1, 1);
    const mtable *t = T(&f, "cat");
    assert_string_equal(cell(&f, "cat", 0, "up"), "\\N"); /* nothing earlier to refer to */
    for (uint64_t r = 1; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        assert_int_equal(v[1].t, VT_INT);
        assert_true(v[1].i >= 1 && v[1].i < v[0].i); /* only earlier rows */
    }
    fx_free(&f);
    build_fails("@tables:\n  cat:\n    rows: 5\n    columns:\n      id: {gen: seq}\n      up: "
                "{gen: ref, table: cat}\n",
                "CREATE TABLE cat (id INTEGER PRIMARY KEY, up INT NOT NULL REFERENCES cat(id));",
                "foreign-key cycle without a nullable column: 'cat.up' refers to its own table but "
                "is NOT NULL");
}

/* Rows with _children: 0 are skipped by references; a self-reference must still only pick
 * earlier rows (the rows load in order). */
static void test_ref_self_with_isolated_rows(void **state)
{
    (void)state;
    fx f =
        build("@tables:\n"
              "  cat:\n    rows: 50\n    columns:\n      id: {gen: seq}\n      up: {gen: ref, "
              "table: cat, column: id}\n"
              "    edge_cases: [{_children: 0}, {_children: 0}, {_children: 0}]\n"
              "  item:\n    rows: {per: cat, count: 2}\n    columns:\n      cid: {gen: parent}\n",
              1, 1);
    const mtable *t = T(&f, "cat");
    for (uint64_t r = 1; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        if (v[1].t != VT_NULL && v[1].i >= v[0].i)
            fail_msg("cat row %llu (id %lld) refers to id %lld, which is not an earlier row",
                     (unsigned long long)r, (long long)v[0].i, (long long)v[1].i);
    }
    fx_free(&f);
}

static void test_ref_unique_one_to_one(void **state)
{
    (void)state;
    fx f = build("@tables:\n  lesson:\n    rows: 400\n    columns:\n      id: {gen: uuid}\n"
                 "  note:\n    rows: 400\n    columns:\n      lid: {gen: ref, table: lesson, "
                 "unique: true}\n",
                 1, 1);
    assert_int_equal(duplicates(&f, "note", "lid"), 0);
    fx_free(&f);
}

static void ref_counts(fx *f, const char *table, const char *col, uint64_t ntarget, uint64_t *cnt)
{
    const mtable *t = T(f, table);
    int ci = C(t, col);
    memset(cnt, 0, ntarget * sizeof *cnt);
    for (uint64_t r = 0; r < t->nrows; r++) {
        int64_t v = gen_row(f->c, t, r)[ci].i;
        assert_true(v >= 1 && (uint64_t)v <= ntarget);
        cnt[v - 1]++;
    }
}

static int cmp_desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void test_ref_distributions(void **state)
{
    (void)state;
    fx f = build("@tables:\n  tgt:\n    rows: 100\n    columns:\n      id: {gen: seq}\n"
                 "  src:\n    rows: 50000\n    columns:\n"
                 "      u: {gen: ref, table: tgt}\n"
                 "      z: {gen: ref, table: tgt, dist: zipf, s: 1}\n"
                 "      h: {gen: ref, table: tgt, dist: hotspot, hot: 0.2, share: 0.8}\n",
                 1, 1);
    uint64_t cnt[100];
    ref_counts(&f, "src", "u", 100, cnt);
    qsort(cnt, 100, sizeof cnt[0], cmp_desc);
    assert_true(cnt[0] < 700 && cnt[99] > 300); /* uniform: 500 each */
    ref_counts(&f, "src", "z", 100, cnt);
    int hottest = 0;
    for (int i = 0; i < 100; i++)
        if (cnt[i] > cnt[hottest]) hottest = i;
    assert_true(hottest != 0); /* the hottest rows are scattered, not the first */
    qsort(cnt, 100, sizeof cnt[0], cmp_desc);
    assert_true(fabs(cnt[0] / 50000.0 - 0.1928) < 0.01); /* 1/H(100) */
    assert_true(cnt[0] > 1.7 * cnt[1] && cnt[1] > cnt[5]);
    ref_counts(&f, "src", "h", 100, cnt);
    qsort(cnt, 100, sizeof cnt[0], cmp_desc);
    uint64_t top = 0;
    for (int i = 0; i < 20; i++) top += cnt[i];
    assert_true(fabs(top / 50000.0 - 0.8) < 0.02);
    fx_free(&f);
}

static void test_lookup(void **state)
{
    (void)state;
    fx f = build("@tables:\n  course:\n    rows: 30\n    columns:\n      id: {gen: seq}\n      "
                 "title: {gen: format, pattern: 'Course {n}'}\n"
                 "  enr:\n    rows: 1000\n    columns:\n"
                 "      cid: {gen: ref, table: course, column: id}\n"
                 "      title: {gen: lookup, ref: cid, column: title}\n",
                 1, 1);
    for (uint64_t r = 0; r < 1000; r++) {
        char want[64];
        snprintf(want, sizeof want, "Course %s", cell(&f, "enr", r, "cid"));
        assert_string_equal(cell(&f, "enr", r, "title"), want);
    }
    fx_free(&f);
    build_fails("@tables:\n  a:\n    rows: 3\n    columns:\n      id: {gen: seq}\n      x: {gen: "
                "int, min: 1, max: 2}\n"
                "      y: {gen: lookup, ref: x, column: id}\n",
                NULL, "lookup needs `ref:` to name a column of this table filled by gen: ref");
}

static void test_ref_errors(void **state)
{
    (void)state;
    build_fails("@tables:\n  a:\n    rows: 3\n    columns:\n      id: {gen: seq}\n  b:\n    rows: "
                "3\n    columns:\n"
                "      x: {gen: ref, table: aa}\n",
                NULL, "p.yaml:12:28: error: no table 'aa' in this profile (did you mean 'a'?)");
    build_fails("@tables:\n  a:\n    rows: 3\n    columns:\n      id: {gen: seq}\n  b:\n    rows: "
                "3\n    columns:\n"
                "      x: {gen: ref, table: a, column: ids}\n",
                NULL, "p.yaml:12:39: error: no column 'ids' in table 'a' (did you mean 'id'?)");
    build_fails("@tables:\n  a:\n    rows: 3\n    columns:\n      id: {gen: seq}\n  b:\n    rows: "
                "3\n    columns:\n"
                "      x: {gen: ref, table: a, dist: zipff}\n",
                NULL, "unknown dist 'zipff' (uniform, zipf or hotspot); did you mean 'zipf'?");
    build_fails("@tables:\n  a:\n    rows: 3\n    columns:\n      id: {gen: seq}\n  b:\n    rows: "
                "3\n    columns:\n"
                "      x: {gen: ref, table: a, dist: hotspot, hot: 2}\n",
                NULL, "hot and share are fractions between 0 and 1");
    build_fails("@tables:\n  a:\n    rows: 3\n    columns:\n      id: {gen: parent}\n", NULL,
                "gen: parent needs rows per parent");
    build_fails("@tables:\n  a:\n    rows: 0\n    columns:\n      id: {gen: seq}\n  b:\n    rows: "
                "3\n    columns:\n"
                "      x: {gen: ref, table: a}\n",
                NULL, "'b.x' refers to table 'a', which has no rows at this scale");
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static void test_json_shape(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 2000\n    columns:\n"
                 "      g: {gen: int, min: 1, max: 3}\n"
                 "      doc:\n        gen: json\n        template:\n"
                 "          fixed: {array: 4, of: {gen: decimal, min: 0.5, max: 1, decimals: 2}}\n"
                 "          ranged: {array: [1, 5], of: {gen: int, min: 0, max: 2}}\n"
                 "          mapped: {array: {min: 0, max: 2}, of: {k: {gen: choice, values: [x, "
                 "y]}, n: 1}}\n"
                 "          list: [1, {gen: bool}, lit]\n"
                 "          meta:\n            source: sis\n            quoted: \"t\\\"q\"\n       "
                 "     none: null\n            flag: true\n            num: 2.50\n"
                 "            g2: {gen: expr, expr: 'g * 2'}\n            when: {gen: date, min: "
                 "2025-01-01, max: 2025-01-01}\n"
                 "      arr: {gen: json, template: {array: [0, 2], of: {gen: words, count: 1}}}\n",
                 1, 1);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT json_valid(?1), json_array_length(?1, '$.fixed'), "
                                        "json_array_length(?1, '$.ranged'),"
                                        " json_array_length(?1, '$.mapped'), json_extract(?1, "
                                        "'$.meta.source'), json_type(?1, '$.meta.none'),"
                                        " json_extract(?1, '$.meta.g2'), json_extract(?1, "
                                        "'$.meta.when'), json_type(?1, '$.meta.flag'),"
                                        " json_extract(?1, '$.list[0]'), json_type(?1, "
                                        "'$.list[1]'), json_extract(?1, '$.list[2]'),"
                                        " json_extract(?1, '$.meta.quoted'), json_type(?1, "
                                        "'$.fixed[0]'), json_valid(?2), json_type(?2)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    const mtable *t = T(&f, "t");
    assert_int_equal(t->cols[1].type, VT_JSON);
    int differ = 0, rmin = 9, rmax = 0;
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        char doc[4096], arr[512];
        snprintf(doc, sizeof doc, "%s", vs(&v[1]));
        snprintf(arr, sizeof arr, "%s", vs(&v[2]));
        assert_null(strchr(doc, ' ')); /* compact */
        sqlite3_bind_text(st, 1, doc, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, arr, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        if (!sqlite3_column_int(st, 0)) fail_msg("invalid JSON: %s", doc);
        assert_int_equal(sqlite3_column_int(st, 1), 4);
        int rl = sqlite3_column_int(st, 2);
        assert_true(rl >= 1 && rl <= 5);
        if (rl < rmin) rmin = rl;
        if (rl > rmax) rmax = rl;
        assert_true(sqlite3_column_int(st, 3) <= 2);
        assert_string_equal((const char *)sqlite3_column_text(st, 4), "sis");
        assert_string_equal((const char *)sqlite3_column_text(st, 5), "null");
        assert_int_equal(sqlite3_column_int(st, 6), 2 * v[0].i);
        assert_string_equal((const char *)sqlite3_column_text(st, 7), "2025-01-01");
        assert_string_equal((const char *)sqlite3_column_text(st, 8), "true");
        assert_int_equal(sqlite3_column_int(st, 9), 1);
        const char *bt = (const char *)sqlite3_column_text(st, 10);
        assert_true(strcmp(bt, "true") == 0 || strcmp(bt, "false") == 0);
        assert_string_equal((const char *)sqlite3_column_text(st, 11), "lit");
        assert_string_equal((const char *)sqlite3_column_text(st, 12), "t\"q");
        assert_string_equal((const char *)sqlite3_column_text(st, 13), "real");
        assert_int_equal(sqlite3_column_int(st, 14), 1);
        assert_string_equal((const char *)sqlite3_column_text(st, 15), "array");
        sqlite3_reset(st);
        /* each element draws its own values */
        const char *fx0 = strstr(doc, "\"fixed\":[");
        char a[8], b[8];
        if (fx0 && sscanf(fx0, "\"fixed\":[%4[0-9.],%4[0-9.]", a, b) == 2)
            differ += strcmp(a, b) != 0;
    }
    assert_int_equal(rmin, 1);
    assert_int_equal(rmax, 5);
    assert_true(differ > 1500);
    assert_non_null(strstr(cell(&f, "t", 0, "doc"), "\"num\":2.50"));
    sqlite3_finalize(st);
    sqlite3_close(db);
    fx_free(&f);
}

static void test_json_errors(void **state)
{
    (void)state;
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      d: {gen: json}\n", NULL,
                "generator 'json' needs `template:`");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      d: {gen: json, template: {a: "
                "{array: [3, 1], of: 1}}}\n",
                NULL, "array length must be 0");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      d: {gen: json, template: {a: "
                "{array: 2}}}\n",
                NULL, "an array template needs `of:` (the element template)");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      d: {gen: json, template: {a: "
                "{gen: nope}}}\n",
                NULL, "unknown generator 'nope'");
}

/* ---- patterns ---------------------------------------------------------------------------------
 */

static void test_patterns(void **state)
{
    (void)state;
    fx f = build(
        "@tables:\n  p:\n    rows: 5\n    columns:\n      id: {gen: seq, start: 10}\n      last: "
        "O'Brien-Smith\n"
        "  t:\n    rows: {per: p, count: 200}\n    columns:\n"
        "      a: {gen: format, pattern: 'n={n:06} row={row} ord={ord:3}'}\n"
        "      b: {gen: format, pattern: '{digits:4}|{letters:3}|{lower:5}|{hex:8}|{alnum:12}'}\n"
        "      c: {gen: format, pattern: '{int:10:99}-{choice:red,green,blue}-{dict:cities}'}\n"
        "      d: {gen: format, pattern: "
        "'{a|upper}+{parent.id}+{parent.last|slug}+{parent.last|lower}'}\n"
        "      e: {gen: format, pattern: '{{literal}} {n}'}\n"
        "      f: {gen: phone}\n"
        "      g: {gen: email}\n",
        1, 1);
    const mtable *t = T(&f, "t");
    for (uint64_t r = 0; r < t->nrows; r++) {
        uint64_t pr, o;
        mtable_locate(t, r, &pr, &o);
        char want[128];
        snprintf(want, sizeof want, "n=%06llu row=%llu ord=%03llu", (unsigned long long)r + 1,
                 (unsigned long long)r, (unsigned long long)o + 1);
        const val *v = gen_row(f.c, t, r);
        assert_string_equal(vs(&v[0]), want);
        const char *b = vs(&v[1]);
        assert_int_equal(strlen(b), 4 + 1 + 3 + 1 + 5 + 1 + 8 + 1 + 12);
        for (int i = 0; i < 4; i++) assert_true(isdigit((unsigned char)b[i]));
        for (int i = 5; i < 8; i++) assert_true(isupper((unsigned char)b[i]));
        for (int i = 9; i < 14; i++) assert_true(islower((unsigned char)b[i]));
        for (int i = 15; i < 23; i++) assert_non_null(strchr("0123456789abcdef", b[i]));
        for (int i = 24; i < 36; i++) assert_true(isalnum((unsigned char)b[i]));
        const char *c = vs(&v[2]);
        int n = atoi(c);
        assert_true(n >= 10 && n <= 99);
        assert_true(strncmp(c + 3, "red-", 4) == 0 || strncmp(c + 3, "green-", 6) == 0 ||
                    strncmp(c + 3, "blue-", 5) == 0);
        snprintf(want, sizeof want, "N=%06llu ROW=%llu ORD=%03llu+%llu+o-brien-smith+o'brien-smith",
                 (unsigned long long)r + 1, (unsigned long long)r, (unsigned long long)o + 1,
                 (unsigned long long)pr + 10);
        assert_string_equal(vs(&v[3]), want);
        snprintf(want, sizeof want, "{literal} %llu", (unsigned long long)r + 1);
        assert_string_equal(vs(&v[4]), want);
        const char *ph = vs(&v[5]);
        assert_int_equal(strlen(ph), strlen("+1-200-123-4567"));
        assert_true(strncmp(ph, "+1-", 3) == 0 && ph[6] == '-' && ph[10] == '-');
        const char *em = vs(&v[6]);
        const char *at = strchr(em, '@');
        assert_non_null(at);
        for (const char *q = em; *q; q++) assert_false(isupper((unsigned char)*q));
        snprintf(want, sizeof want, "%llu@", (unsigned long long)r + 1);
        assert_non_null(strstr(em, want));
    }
    fx_free(&f);
}

static void test_pattern_errors(void **state)
{
    (void)state;
    static const struct {
        const char *pat, *msg;
    } cases[] = {
        {"a}b", "a lone '}' (write '}}' for a literal brace)"},
        {"a{n", "'{' without a closing '}'"},
        {"{n|shout}", "unknown filter '|shout' (lower, upper, slug)"},
        {"{n:abc}", "the width must be a number up to 40"},
        {"{digits:0}", "the count must be 1..4096"},
        {"{int:9:1}", "write {int:MIN:MAX}"},
        {"{dict:no_such_dict}", "dictionary 'no_such_dict'"},
        {"{dict:../etc}", "dictionary name '../etc' must be letters, digits, '_' or '-'"},
        {"{choice:}", "write {choice:a,b,c}"},
        {"{nosuch}", "no column 'nosuch' in table 't'"},
        {"{what:3}", "no column 'what' in table 't'"}, /* {column:06} pads a column */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char y[512];
        snprintf(
            y, sizeof y,
            "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: format, pattern: '%s'}\n",
            cases[i].pat);
        build_fails(y, NULL, cases[i].msg);
    }
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: format}\n", NULL,
                "generator 'format' needs `pattern:`");
}

static void test_text_kinds(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 2000\n    columns:\n"
                 "      w: {gen: words, min: 2, max: 4}\n"
                 "      s: {gen: sentence, min: 3, max: 5}\n"
                 "      p: {gen: paragraph, min: 2, max: 3}\n"
                 "      x: {gen: text, min_len: 10, max_len: 20}\n"
                 "      x0: {gen: text, max_len: 3}\n"
                 "      d: {gen: dict, dict: cities}\n"
                 "      fn: {gen: first_name}\n",
                 1, 1);
    const mtable *t = T(&f, "t");
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        const char *w = vs(&v[0]);
        int sp = 0;
        for (const char *q = w; *q; q++) sp += *q == ' ';
        assert_true(sp >= 1 && sp <= 3);
        const char *s = vs(&v[1]);
        assert_true(isupper((unsigned char)s[0]));
        assert_true(s[strlen(s) - 1] == '.');
        const char *p = vs(&v[2]);
        int dots = 0;
        for (const char *q = p; *q; q++) dots += *q == '.';
        assert_true(dots >= 2 && dots <= 3);
        size_t xl = strlen(vs(&v[3]));
        assert_true(xl >= 10 && xl <= 20);
        assert_true(strlen(vs(&v[4])) <= 3);
        assert_true(strlen(vs(&v[5])) > 0 && vs(&v[5])[0] != '#');
        assert_true(strlen(vs(&v[6])) > 0);
    }
    fx_free(&f);
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: text}\n", NULL,
                "generator 'text' needs `max_len:`");
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: words, min: 5, max: 2}\n", NULL,
        "min/max must satisfy 0 <= min <= max");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: dict}\n", NULL,
                "generator 'dict' needs `dict:`");
}

/* ---- derived -----------------------------------------------------------------------------------
 */

static void test_map_copy(void **state)
{
    (void)state;
    fx f = build(
        "@tables:\n  p:\n    rows: 3\n    columns:\n      kind: {gen: choice, values: [a]}\n"
        "  t:\n    rows: {per: p, count: 400}\n    columns:\n"
        "      g: {gen: decimal, min: 0, max: 100, decimals: 1}\n"
        "      letter: {gen: map, from: g, ranges: [[90, A], [80, B], [70, C], [60, D], [0, F]]}\n"
        "      code: {gen: choice, values: [1, 2, 3]}\n"
        "      name: {gen: map, from: code, values: {1: one, 2: two}, default: other}\n"
        "      nod: {gen: map, from: code, values: {1: one}}\n"
        "      num: {gen: map, from: code, values: {1: 10, 2: 2.5, 3: 3}}\n"
        "      cp: {gen: copy, from: g}\n"
        "      pk: {gen: copy, from: parent.kind}\n"
        "      pm: {gen: map, from: parent.kind, values: {a: AA}}\n",
        1, 1);
    const mtable *t = T(&f, "t");
    assert_int_equal(t->cols[C(t, "num")].type, VT_DEC);
    assert_int_equal(t->cols[C(t, "cp")].type, VT_DEC);
    for (uint64_t r = 0; r < t->nrows; r++) {
        const val *v = gen_row(f.c, t, r);
        double g = val_as_double(&v[0]);
        const char *want = g >= 90 ? "A" : g >= 80 ? "B" : g >= 70 ? "C" : g >= 60 ? "D" : "F";
        assert_string_equal(vs(&v[1]), want);
        int64_t code = v[2].i;
        assert_string_equal(vs(&v[3]), code == 1 ? "one" : code == 2 ? "two" : "other");
        assert_string_equal(vs(&v[4]), code == 1 ? "one" : "\\N");
        assert_string_equal(vs(&v[5]), code == 1 ? "10.0" : code == 2 ? "2.5" : "3.0");
        assert_string_equal(vs(&v[6]), vs(&v[0]));
        assert_string_equal(vs(&v[7]), "a");
        assert_string_equal(vs(&v[8]), "AA");
    }
    fx_free(&f);
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      a: 1\n      b: {gen: map, from: "
                "a, ranges: [[1, x], [5, y]]}\n",
                NULL, "ranges must be listed highest first");
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      a: 1\n      b: {gen: map, from: a}\n",
        NULL, "map needs exactly one of `ranges:`");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      a: 1\n      b: {gen: copy, from: "
                "parent.a}\n",
                NULL, "'parent.a': table 't' has no parent");
}

/* ---- expressions
 * --------------------------------------------------------------------------------- */

static void test_expr_functions(void **state)
{
    (void)state;
    fx f =
        build("@tables:\n  p:\n    rows: 2\n    columns:\n      pv: {gen: seq, start: 100}\n"
              "  t:\n    rows: {per: p, count: 500}\n    columns:\n"
              "      x: {gen: int, min: -50, max: 50}\n"
              "      nul: null\n"
              "      e1: {gen: expr, expr: 'min(x, 3, 10) + max(x, -2)'}\n"
              "      e2: {gen: expr, expr: 'abs(x) % 7'}\n"
              "      e3: {gen: expr, expr: 'round(x / 3, 2)', decimals: 2}\n"
              "      e4: {gen: expr, expr: 'floor(x / 4) * 10 + ceil(x / 4)'}\n"
              "      e5: {gen: expr, expr: 'clamp(x, -10, 10)'}\n"
              "      e6: {gen: expr, expr: 'if(x > 0, 1, if(x == 0, 0, -1))'}\n"
              "      e7: {gen: expr, expr: 'rand(5, 8)'}\n"
              "      e8: {gen: expr, expr: 'randf(0.5, 1.5)', decimals: 4}\n"
              "      e9: {gen: expr, expr: 'normal(100, 1)', decimals: 1}\n"
              "      e10: {gen: expr, expr: \"date('2025-01-06') + 1\", type: date}\n"
              "      e11: {gen: expr, expr: \"ts('2025-01-06 08:00:00') + 90\", type: timestamp}\n"
              "      e12: {gen: expr, expr: 'x >= 0', type: bool}\n"
              "      e13: {gen: expr, expr: 'parent.pv + row * 1000000 + n + ord'}\n"
              "      e14: {gen: expr, expr: 'nul + 1'}\n"
              "      e15: {gen: expr, expr: 'x / 0'}\n"
              "      e16: {gen: expr, expr: '-(x - 1) * -1 != x - 1'}\n"
              "      e17: {gen: expr, expr: 'e10 + 0', type: date}\n"
              "      e18: {gen: expr, expr: 'x % 0'}\n",
              1, 1);
    const mtable *t = T(&f, "t");
    assert_int_equal(t->cols[C(t, "e8")].type, VT_DEC);
    bool r5 = false, r8 = false;
    for (uint64_t r = 0; r < t->nrows; r++) {
        uint64_t pr, o;
        mtable_locate(t, r, &pr, &o);
        const val *v = gen_row(f.c, t, r);
        int64_t x = v[0].i;
        assert_int_equal(v[2].i, (x < 3 ? x : 3) + (x > -2 ? x : -2));
        assert_int_equal(v[3].i, (int64_t)fmod(fabs((double)x), 7));
        assert_int_equal(v[4].i, dec_from_double(round((double)x / 3 * 100) / 100, 2));
        assert_int_equal(v[5].i, (int64_t)(floor(x / 4.0) * 10 + ceil(x / 4.0)));
        assert_int_equal(v[6].i, x < -10 ? -10 : x > 10 ? 10 : x);
        assert_int_equal(v[7].i, x > 0 ? 1 : x == 0 ? 0 : -1);
        assert_true(v[8].i >= 5 && v[8].i <= 8);
        r5 |= v[8].i == 5, r8 |= v[8].i == 8;
        assert_true(v[9].i >= 5000 && v[9].i <= 15000);
        assert_true(v[10].i > 950 && v[10].i < 1050);
        assert_string_equal(vs(&v[11]), "2025-01-07");
        assert_string_equal(vs(&v[12]), "2025-01-06 08:01:30");
        assert_int_equal(v[13].t, VT_BOOL);
        assert_int_equal(v[13].i, x >= 0);
        assert_int_equal(v[14].i,
                         (int64_t)(100 + pr) + (int64_t)r * 1000000 + (int64_t)r + 1 + (int64_t)o);
        assert_int_equal(v[15].t, VT_NULL); /* NULL in, NULL out */
        assert_int_equal(v[16].t, VT_NULL); /* division by zero */
        assert_int_equal(v[17].i, 0);
        assert_string_equal(vs(&v[18]), "2025-01-07");
        assert_int_equal(v[19].t, VT_NULL);
    }
    assert_true(r5 && r8); /* rand is inclusive */
    fx_free(&f);
}

static void test_expr_errors(void **state)
{
    (void)state;
    static const struct {
        const char *expr, *msg;
    } cases[] = {
        {"x +", "expected a number, a column name or a function"},
        {"rnd(1, 2)", "unknown function 'rnd' (did you mean 'rand'?)"},
        {"clamp(1, 2)", "clamp() takes 3 argument(s), not 2"},
        {"(1 + 2", "expected ')'"},
        {"1 2", "unexpected text"},
        {"date(2025-01-01)", "date()/ts() take a quoted value"},
        {"date('2025-02-30')", "not a valid date/timestamp literal"},
        {"xx + 1", "no column 'xx' in table 't' (did you mean 'x'?)"},
        {"'abc'", "a quoted text can only be the argument of date() or ts()"},
        {"parent.x", "'parent.x': table 't' has no parent"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char y[512];
        snprintf(y, sizeof y,
                 "@tables:\n  t:\n    rows: 3\n    columns:\n      x: 1\n      v: {gen: expr, "
                 "expr: \"%s\"}\n",
                 cases[i].expr);
        build_fails(y, NULL, cases[i].msg);
    }
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: expr, expr: '1', type: text}\n",
        NULL, "type must be int, decimal, date, timestamp or bool, not 'text'");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: expr, expr: '1', "
                "decimals: 12}\n",
                NULL, "decimals must be between 0 and 9");
}

static void test_same_row_cycle(void **state)
{
    (void)state;
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      a: {gen: expr, expr: 'b + 1'}\n  "
                "    b: {gen: expr, expr: 'a + 1'}\n",
                NULL, "depends on itself through other columns");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      a: {gen: copy, from: b}\n      "
                "b: {gen: format, pattern: '{a}x'}\n",
                NULL, "depends on itself through other columns");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      a: {gen: expr, expr: 'a + 1'}\n",
                NULL, "depends on itself through other columns");
}

/* Columns may read others in any order (a later column from an earlier one and vice versa). */
static void test_forward_dependencies(void **state)
{
    (void)state;
    fx f = build("@tables:\n  t:\n    rows: 100\n    columns:\n"
                 "      total: {gen: expr, expr: 'a + b'}\n"
                 "      label: {gen: format, pattern: '{total}/{a}'}\n"
                 "      a: {gen: int, min: 1, max: 9}\n"
                 "      b: {gen: expr, expr: 'a * 10'}\n",
                 1, 1);
    for (uint64_t r = 0; r < 100; r++) {
        const val *v = gen_row(f.c, T(&f, "t"), r);
        assert_int_equal(v[0].i, v[2].i * 11);
        char want[64];
        snprintf(want, sizeof want, "%lld/%lld", (long long)v[0].i, (long long)v[2].i);
        assert_string_equal(vs(&v[1]), want);
    }
    fx_free(&f);
}

/* ---- compile diagnostics ------------------------------------------------------------------- */

static void test_generator_diagnostics(void **state)
{
    (void)state;
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: normal, mean: 1, stdev: 2}\n",
        NULL,
        "p.yaml:8:33: error: unknown key 'stdev' in generator 'normal' (did you mean 'stddev'?)");
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: normall, mean: 1, stddev: 2}\n",
        NULL, "p.yaml:8:16: error: unknown generator 'normall' (did you mean 'normal'?)");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: zzzzzzzz}\n", NULL,
                "unknown generator 'zzzzzzzz'; see docs/profile.md for the list");
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: int, min: ten, max: 20}\n", NULL,
        "p.yaml:8:26: error: min must be an integer, not 'ten'");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: int, min: 5}\n", NULL,
                "generator 'int' needs `max:`");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: int, min: 5, max: 1}\n",
                NULL, "max (1) is below min (5)");
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: int, min: 1, max: 5, null: 2}\n",
        NULL, "null is the share of NULLs, between 0 and 1");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {min: 1}\n", NULL,
                "missing `gen:` (which generator fills this column?)");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: [1, 2]\n", NULL,
                "a column is a generator mapping ({gen: ...}) or a constant, not a list");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: date, min: 2025-02-01, "
                "max: 2025-01-01}\n",
                NULL, "max is before min");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: date, min: 2025-01-04, "
                "max: 2025-01-05, weekdays_only: true}\n",
                NULL, "there is no weekday between min and max");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: timestamp, min: "
                "'2025-01-01 00:00:00', max: '2025-01-02 00:00:00', step: 5 parsecs}\n",
                NULL, "step must be a duration such as 1s, 15m, 1h");
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: bool, probability: 1.5}\n", NULL,
        "probability must be between 0 and 1");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: choice, values: []}\n",
                NULL, "values must be a non-empty list");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: choice, values: [a, b], "
                "weights: [1]}\n",
                NULL, "weights must be a list as long as values (2)");
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: choice, values: {a: 0, b: 0}}\n",
        NULL, "weights add up to 0");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: zipf, max: 10, s: 0}\n",
                NULL, "zipf exponent s must be above 0");
    build_fails(
        "@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: normal, mean: 1, stddev: -1}\n",
        NULL, "stddev must not be negative");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: exponential, mean: 0}\n",
                NULL, "mean must be above 0");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: decimal, min: 0, max: "
                "1, decimals: 10}\n",
                NULL, "decimals must be between 0 and 9");
    build_fails("@tables:\n  t:\n    rows: 3\n    columns:\n      v: {gen: date_series, start: "
                "2025-01-01, by: week}\n",
                NULL, "by must be 'ordinal' (position under the parent) or 'row'");
    build_fails("@tables:\n  t:\n    rows: {per: t, count: 2}\n    columns:\n      v: 1\n", NULL,
                "rows of 't' are per a chain of parents that loops");
}

/* Several problems in one profile are all reported, not only the first. */
static void test_all_errors_reported(void **state)
{
    (void)state;
    fx f = build_ex("@tables:\n  t:\n    rows: 3\n    columns:\n"
                    "      a: {gen: nope}\n"
                    "      b: {gen: int, min: 1}\n"
                    "      c: {gen: choice, values: [x], unique: maybe}\n"
                    "  u:\n    rows: 3\n    columns:\n"
                    "      d: {gen: ref, table: zz}\n",
                    NULL, 1, 1);
    assert_int_equal(f.rc, -1);
    const char *o = diags(&f);
    assert_non_null(strstr(o, "p.yaml:8:16: error: unknown generator 'nope'"));
    assert_non_null(strstr(o, "p.yaml:9:10: error: generator 'int' needs `max:`"));
    assert_non_null(strstr(o, "error: unique must be true or false, not 'maybe'"));
    assert_non_null(strstr(o, "error: no table 'zz' in this profile"));
    assert_int_equal(f.p->diag.errors, 4);
    fx_free(&f);
}

static void test_schema_checks(void **state)
{
    (void)state;
    const char *ddl = "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, isbn TEXT "
                      "NOT NULL, note TEXT, added TEXT NOT NULL DEFAULT 'x');";
    build_fails("@tables:\n  books:\n    rows: 3\n    columns:\n      id: {gen: seq}\n      title: "
                "x\n      isbn: y\n      titel: z\n",
                ddl, "p.yaml:11:7: error: column 'titel' is not in table 'books' of ");
    build_fails("@tables:\n  books:\n    rows: 3\n    columns:\n      id: {gen: seq}\n      title: "
                "x\n      isbn: y\n      nots: z\n",
                ddl, "column 'nots' is not in table 'books' of ");
    build_fails("@tables:\n  books:\n    rows: 3\n    columns:\n      id: {gen: seq}\n      title: "
                "x\n      isbn: y\n      nots: z\n",
                ddl, "(did you mean 'note'?)");
    build_fails(
        "@tables:\n  books:\n    rows: 3\n    columns:\n      title: x\n", ddl,
        "p.yaml:5:3: error: table 'books': column 'isbn' is NOT NULL without a default in ");
    build_fails("@tables:\n  book:\n    rows: 3\n    columns:\n      title: x\n", ddl,
                "p.yaml:5:3: error: table 'book' is not created by ");
    build_fails("@tables:\n  book:\n    rows: 3\n    columns:\n      title: x\n", ddl,
                "(did you mean 'books'?)");
    /* helpers are never written, so the schema does not need them; INTEGER PRIMARY KEY and
     * columns with a default may be left out */
    fx f = build_ex("@tables:\n  books:\n    rows: 3\n    columns:\n      _h: {gen: int, min: 1, "
                    "max: 2}\n      title: x\n      isbn: {gen: format, pattern: 'I{n}-{_h}'}\n",
                    ddl, 1, 1);
    if (f.rc) fail_msg("%s", diags(&f));
    const mtable *t = T(&f, "books");
    assert_int_equal(t->nout, 2);
    assert_string_equal(t->cols[t->out[0]].name, "title");
    fx_free(&f);
}

static void test_fk_cycle(void **state)
{
    (void)state;
    const char *ddl =
        "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER NOT NULL REFERENCES b(id));\n"
        "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a(id));\n";
    const char *y =
        "@tables:\n  a:\n    rows: 5\n    columns:\n      id: {gen: seq}\n      b_id: {gen: ref, "
        "table: b}\n"
        "  b:\n    rows: 5\n    columns:\n      id: {gen: seq}\n      a_id: {gen: ref, table: a}\n";
    build_fails(y, ddl,
                "p.yaml:5:3: error: foreign-key cycle without a nullable column: a -> b (make one "
                "of the references nullable so the cycle can be loaded)");
    /* with a nullable column the cycle is broken there, and the other table loads first */
    const char *ddl2 =
        "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id));\n"
        "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a(id));\n";
    fx f = build_ex(y, ddl2, 1, 1);
    assert_int_equal(f.rc, 0);
    fx_free(&f);
}

static void test_load_order(void **state)
{
    (void)state;
    fx f = build(
        "@tables:\n"
        "  c:\n    rows: {per: b, count: 2}\n    columns:\n      x: {gen: parent}\n"
        "  b:\n    rows: 3\n    columns:\n      id: {gen: seq}\n      aref: {gen: ref, table: a}\n"
        "  a:\n    rows: 3\n    columns:\n      id: {gen: seq}\n",
        1, 1);
    int pos[3];
    for (size_t k = 0; k < f.m->nt; k++) pos[f.m->order[k]] = (int)k;
    int a = T(&f, "a")->idx, b = T(&f, "b")->idx, c = T(&f, "c")->idx;
    assert_true(pos[a] < pos[b] && pos[b] < pos[c]);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_range),
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_zipf_gen),
        cmocka_unit_test(test_seq_bool_const),
        cmocka_unit_test(test_choice),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_null_ratio),
        cmocka_unit_test(test_unique_by_construction),
        cmocka_unit_test(test_unique_choice_each_value_once),
        cmocka_unit_test(test_unique_pattern_with_variable_width_random_part),
        cmocka_unit_test(test_unique_capacity_errors),
        cmocka_unit_test(test_determinism_same_row_twice),
        cmocka_unit_test(test_determinism_any_order_any_context),
        cmocka_unit_test(test_seed_changes_data),
        cmocka_unit_test(test_prefix_sums_and_locate),
        cmocka_unit_test(test_children_scale_with_parents),
        cmocka_unit_test(test_edge_pins_and_children),
        cmocka_unit_test(test_edge_auto),
        cmocka_unit_test(test_edge_more_than_rows),
        cmocka_unit_test(test_edge_errors),
        cmocka_unit_test(test_ref_distinct_per_parent),
        cmocka_unit_test(test_ref_self),
        cmocka_unit_test(test_ref_self_with_isolated_rows),
        cmocka_unit_test(test_ref_unique_one_to_one),
        cmocka_unit_test(test_ref_distributions),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_ref_errors),
        cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_pattern_errors),
        cmocka_unit_test(test_text_kinds),
        cmocka_unit_test(test_map_copy),
        cmocka_unit_test(test_expr_functions),
        cmocka_unit_test(test_expr_errors),
        cmocka_unit_test(test_same_row_cycle),
        cmocka_unit_test(test_forward_dependencies),
        cmocka_unit_test(test_generator_diagnostics),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_schema_checks),
        cmocka_unit_test(test_fk_cycle),
        cmocka_unit_test(test_load_order),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
