/* cmd_hist.c — `seedload hist FILE`: latency statistics and percentiles of a plain list of
 * integers, a pgbench per-transaction log (pgbench -l) or a seedload result, computed with the
 * same HDR histogram (1 ns resolution, 3 significant figures) so the three compare on equal
 * terms (docs/results.md, "seedload hist"). */
#include "seedload/bench.h"
#include "seedload/cli.h"
#include "seedload/results.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *f)
{
    fputs(
        "usage: seedload hist FILE [options]        (FILE - reads standard input)\n"
        "Statistics and percentiles of latencies in FILE, which is (detected from its content):\n"
        "  a plain list   one integer per line; blank lines and lines starting with # ignored\n"
        "  a pgbench log  pgbench -l per-transaction lines (latency in microseconds)\n"
        "  a result       seedload bench --json or seedload merge output (nanoseconds)\n"
        "options:\n"
        "  -u, --unit U          the unit of a plain list's values: ns, us, ms or s. Without it "
        "the\n"
        "                        values are unit-less and printed as they are; with it, decimal\n"
        "                        values are allowed and the list can be shown in another unit\n"
        "  -U, --output-unit U   print in U (ns, us, ms, s). Default: a list in its own unit, a\n"
        "                        pgbench log and a result in ms\n"
        "      --scale X         print every value divided by X instead (X > 0)\n"
        "  -p, --percentiles L   comma-separated percentiles (default 50,90,99,99.9,99.99)\n"
        "      --hgrm            also print the percentile distribution (HdrHistogram .hgrm)\n"
        "  -x, --transaction N   result: the histogram of transaction type N, not of all\n"
        "      --histogram H     result: latency (default), service or lag\n"
        "      --run N           result: only run N (1-based; default every run)\n"
        "      --format F        do not detect: list, pgbench or result\n"
        "count, min, max, mean and stddev of a list or log are exact; percentiles come from the\n"
        "histogram (3 significant figures, exact below 2048), as for a result. Exit codes: 0 ok,\n"
        "2 bad usage or malformed input (FILE:LINE: message), 3 cannot read FILE.\n",
        f);
}

typedef enum { IN_AUTO, IN_LIST, IN_PGBENCH, IN_RESULT } in_format;

static const struct {
    const char *name, *label;
    int64_t ns;
} units[] = {{"ns", "ns", 1}, {"us", "us", 1000}, {"ms", "ms", 1000000}, {"s", "s", 1000000000}};

static int unit_index(const char *s)
{
    if (strcmp(s, "µs") == 0) s = "us";
    for (int i = 0; i < 4; i++)
        if (strcmp(s, units[i].name) == 0) return i;
    return -1;
}

/* Exact figures of the values themselves (a list or a log: every value is seen). */
typedef struct exact {
    uint64_t n;
    int64_t min, max;
    long double mean, m2; /* Welford */
} exact;

static void exact_add(exact *x, int64_t v)
{
    if (x->n == 0 || v < x->min) x->min = v;
    if (x->n == 0 || v > x->max) x->max = v;
    x->n++;
    long double d = (long double)v - x->mean;
    x->mean += d / (long double)x->n;
    x->m2 += d * ((long double)v - x->mean);
}

/* What the reader of a list or a log produces. */
typedef struct reading {
    const char *name;
    in_format fmt;
    int unit; /* index into units, -1: unit-less */
    exact x;
    int64_t maxv; /* largest value (pass 1) */
    uint64_t skipped, failed, lines;
} reading;

/* ---- lines --------------------------------------------------------------------------------- */

typedef struct line_it {
    const char *p, *end;
    size_t lineno;
} line_it;

/* The next line without its terminator and surrounding blanks; false at the end. */
static bool next_line(line_it *it, const char **s, size_t *n)
{
    if (it->p >= it->end) return false;
    const char *a = it->p, *b = memchr(a, '\n', (size_t)(it->end - a));
    if (!b) b = it->end;
    it->p = b < it->end ? b + 1 : b;
    it->lineno++;
    while (a < b && (*a == ' ' || *a == '\t')) a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r')) b--;
    *s = a;
    *n = (size_t)(b - a);
    return true;
}

static int split(const char *s, size_t n, const char **f, size_t *fl, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i >= n) break;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t') j++;
        if (k < max) f[k] = s + i, fl[k] = j - i;
        k++;
        i = j;
    }
    return k;
}

/* A non-negative decimal integer in s[0..n) (optional leading '+'), no overflow. */
static bool parse_i64(const char *s, size_t n, int64_t *out)
{
    if (n && *s == '+') s++, n--;
    if (n == 0 || n > 19) return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        if (v > (INT64_MAX - (s[i] - '0')) / 10) return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int line_error(const reading *r, size_t lineno, sl_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int line_error(const reading *r, size_t lineno, sl_err *e, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sl_fail(e, SL_EXIT_USAGE, "%s:%zu: %s", r->name, lineno, msg);
}

/* One value of a plain list, in histogram units (ns when the unit is known). */
static int list_value(const reading *r, const char *s, size_t n, size_t lineno, int64_t *out,
                      sl_err *e)
{
    char tok[64];
    snprintf(tok, sizeof tok, "%.*s%s", (int)(n > 40 ? 40 : n), s, n > 40 ? "..." : "");
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t')
            return line_error(r, lineno, e, "'%s': expected one value per line", tok);
    if (n && *s == '-') {
        int64_t dummy;
        char *end;
        if (parse_i64(s + 1, n - 1, &dummy) || (strtod(s, &end), end == s + n))
            return line_error(r, lineno, e, "negative value %s: latencies cannot be negative", tok);
    }
    int64_t v;
    int64_t mul = r->unit >= 0 ? units[r->unit].ns : 1;
    if (parse_i64(s, n, &v)) {
        if (v > INT64_MAX / mul)
            return line_error(r, lineno, e, "%s %s is too large", tok, units[r->unit].name);
        *out = v * mul;
        return 0;
    }
    bool digits = n > 0;
    for (size_t i = (n && *s == '+'); i < n; i++)
        if (s[i] < '0' || s[i] > '9') digits = false;
    if (digits)
        return line_error(r, lineno, e, "%s is too large (at most %" PRId64 ")", tok, INT64_MAX);
    /* A decimal value has a meaning only in a known unit coarser than the ns we record. */
    char buf[64];
    double d = NAN;
    if (n < sizeof buf && s[0] >= '0' && s[0] <= '9') {
        bool ok = true;
        for (size_t i = 0; i < n; i++)
            ok &= (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == 'e' || s[i] == 'E' ||
                  s[i] == '+' || s[i] == '-';
        char *end;
        memcpy(buf, s, n);
        buf[n] = '\0';
        errno = 0;
        if (ok) d = strtod(buf, &end);
        if (!ok || *end) d = NAN;
    }
    if (isnan(d)) return line_error(r, lineno, e, "'%s' is not an integer", tok);
    if (r->unit < 0)
        return line_error(r, lineno, e,
                          "'%s' is not an integer (decimal values need --unit, e.g. --unit ms)",
                          tok);
    d *= (double)mul;
    if (!isfinite(d) || d >= 9.2e18)
        return line_error(r, lineno, e, "%s %s is too large", tok, units[r->unit].name);
    *out = llround(d);
    return 0;
}

static bool pgbench_word(const char *s, size_t n, bool *failed)
{
    static const char *const skip = "skipped";
    static const char *const fails[] = {"failed", "serialization", "deadlock"};
    *failed = false;
    if (n == strlen(skip) && memcmp(s, skip, n) == 0) return true;
    for (size_t i = 0; i < 3; i++)
        if (n == strlen(fails[i]) && memcmp(s, fails[i], n) == 0) return *failed = true;
    return false;
}

/* One pgbench -l line: client_id transaction_no time script_no time_epoch time_us
 * [schedule_lag] [retries]; time is in µs or skipped/failed/serialization/deadlock.
 * *out = latency in ns, or -1 when the transaction has no latency. */
static int pgbench_value(reading *r, const char *s, size_t n, size_t lineno, bool count,
                         int64_t *out, sl_err *e)
{
    const char *f[8];
    size_t fl[8];
    int k = split(s, n, f, fl, 8);
    int64_t v[8] = {0};
    bool ok = k >= 6 && k <= 8;
    for (int i = 0; ok && i < k; i++) {
        if (i == 2) continue;
        ok = parse_i64(f[i], fl[i], &v[i]);
    }
    if (ok && !parse_i64(f[2], fl[2], &v[2])) {
        bool failed;
        if (!pgbench_word(f[2], fl[2], &failed)) {
            char tok[48];
            snprintf(tok, sizeof tok, "%.*s", (int)(fl[2] > 40 ? 40 : fl[2]), f[2]);
            return line_error(r, lineno, e,
                              "pgbench log: time '%s' is neither microseconds nor "
                              "skipped/failed/serialization/deadlock",
                              tok);
        }
        if (count) {
            if (failed)
                r->failed++;
            else
                r->skipped++;
        }
        *out = -1;
        return 0;
    }
    if (!ok)
        return line_error(
            r, lineno, e,
            "not a pgbench log line (expected 6 to 8 fields: client_id transaction_no "
            "time script_no time_epoch time_us [schedule_lag] [retries])");
    if (v[2] > INT64_MAX / 1000)
        return line_error(r, lineno, e, "pgbench log: time %" PRId64 " us is too large", v[2]);
    *out = v[2] * 1000;
    return 0;
}

/* Walk the list or log: pass 1 validates and finds the largest value, pass 2 records into h. */
static int walk(reading *r, const char *text, size_t len, hist *h, sl_err *e)
{
    line_it it = {.p = text, .end = text + len};
    const char *s;
    size_t n;
    while (next_line(&it, &s, &n)) {
        if (n == 0) continue;
        if (r->fmt == IN_LIST && *s == '#') continue;
        int64_t v = 0;
        if (r->fmt == IN_LIST) {
            if (list_value(r, s, n, it.lineno, &v, e) < 0) return -1;
        } else {
            if (pgbench_value(r, s, n, it.lineno, !h, &v, e) < 0) return -1;
            if (v < 0) continue;
        }
        if (!h) {
            if (v > r->maxv) r->maxv = v;
            exact_add(&r->x, v);
            continue;
        }
        if (!hist_record(h, v))
            return sl_fail(e, SL_EXIT_USAGE, "%s:%zu: value %" PRId64 " is out of range", r->name,
                           it.lineno, v);
    }
    return 0;
}

/* What a text file is: a list (one field on the first data line) or a pgbench log (6-8). */
static int detect(const reading *r, const char *text, size_t len, in_format *out, sl_err *e)
{
    line_it it = {.p = text, .end = text + len};
    const char *s;
    size_t n;
    while (next_line(&it, &s, &n)) {
        if (n == 0 || *s == '#') continue;
        const char *f[8];
        size_t fl[8];
        int k = split(s, n, f, fl, 8);
        if (k == 1)
            *out = IN_LIST;
        else if (k >= 6 && k <= 8)
            *out = IN_PGBENCH;
        else
            return line_error(
                r, it.lineno, e,
                "cannot tell what this file is: %d fields (a plain list has one integer per "
                "line, a pgbench -l log 6 to 8 fields, a seedload result is JSON)",
                k);
        return 0;
    }
    *out = IN_LIST;
    return 0;
}

/* ---- printing ----------------------------------------------------------------------------- */

typedef struct view {
    double div;       /* printed value = histogram value / div */
    int decimals;     /* for values; mean and stddev get at least 3 */
    const char *unit; /* label, "" for unit-less */
    const double *pcts;
    size_t npcts;
} view;

static void pval(const view *v, const char *label, double x, bool stat)
{
    int dec = v->decimals;
    if (stat && dec < 3) dec = 3;
    printf("  %-8s %16.*f%s%s\n", label, dec, x / v->div, *v->unit ? " " : "", v->unit);
}

static void pct_label(double p, char *buf, size_t n)
{
    snprintf(buf, n, "p%.10g", p);
}

/* The figures of one histogram; ex (exact figures) replaces the histogram's where given. */
static void print_stats(const view *v, const hist *h, const exact *ex)
{
    int64_t total = hist_total(h);
    printf("  %-8s %16" PRId64 "\n", "count", ex ? (int64_t)ex->n : total);
    if (total == 0) {
        printf("  (no values: no statistics)\n");
        return;
    }
    pval(v, "min", ex ? (double)ex->min : (double)hist_min(h), false);
    pval(v, "mean", ex ? (double)ex->mean : hist_mean(h), true);
    pval(v, "stddev", ex ? (double)sqrtl(ex->m2 / (long double)ex->n) : hist_stddev(h), true);
    for (size_t i = 0; i < v->npcts; i++) {
        char l[32];
        pct_label(v->pcts[i], l, sizeof l);
        int64_t p = hist_percentile(h, v->pcts[i]);
        /* A bucket's highest value may lie above the largest value seen (or its lowest below
         * the smallest): with the exact figures at hand, no percentile leaves [min, max]. */
        if (ex && p > ex->max) p = ex->max;
        if (ex && p < ex->min) p = ex->min;
        pval(v, l, (double)p, false);
    }
    pval(v, "max", ex ? (double)ex->max : (double)hist_max(h), false);
}

static int print_hgrm(const view *v, const hist *h)
{
    putchar('\n');
    if (hist_write_hgrm(h, stdout, 5, v->div, false) < 0) {
        if (errno == EPIPE) return 0; /* the reader went away (| head): not an error */
        fprintf(stderr, "seedload: writing to stdout: %s\n", strerror(errno));
        return SL_EXIT_IO;
    }
    return 0;
}

/* ---- the command -------------------------------------------------------------------------- */

typedef struct opts {
    int unit, out_unit;
    double scale;
    bool hgrm;
    const char *txn, *which;
    long run;
    in_format fmt;
    double pcts[32];
    size_t npcts;
} opts;

static int bad(const char *what, const char *v)
{
    fprintf(stderr, "seedload: bad %s '%s' (see seedload hist --help)\n", what, v);
    return SL_EXIT_USAGE;
}

static int parse_pcts(const char *s, opts *o)
{
    o->npcts = 0;
    const char *p = s;
    while (*p) {
        char *end;
        errno = 0;
        double x = strtod(p, &end);
        if (end == p || errno || !(x >= 0 && x <= 100) || (*end && *end != ',')) return -1;
        if (o->npcts == sizeof o->pcts / sizeof o->pcts[0]) return -1;
        o->pcts[o->npcts++] = x;
        p = *end ? end + 1 : end;
        if (*end == ',' && !*p) return -1;
    }
    return o->npcts ? 0 : -1;
}

/* The view for histogram values in ns (known) or unit-less. */
static view make_view(const opts *o, bool ns_known, int default_unit)
{
    view v = {.div = 1, .decimals = 0, .unit = "", .pcts = o->pcts, .npcts = o->npcts};
    if (o->scale > 0) {
        v.div = o->scale;
        v.decimals = 3;
        return v;
    }
    if (!ns_known) return v;
    int u = o->out_unit >= 0 ? o->out_unit : default_unit;
    static const int dec[] = {0, 3, 3, 6};
    v.div = (double)units[u].ns;
    v.decimals = dec[u];
    v.unit = units[u].label;
    return v;
}

static int hist_text(const char *name, const char *text, size_t len, const opts *o)
{
    sl_err e = {0};
    reading r = {.name = name, .fmt = o->fmt, .unit = -1};
    if (r.fmt == IN_AUTO && detect(&r, text, len, &r.fmt, &e) < 0) return app_error(&e);
    if (r.fmt == IN_PGBENCH) {
        if (o->unit >= 0 && strcmp(units[o->unit].name, "us") != 0) {
            fprintf(stderr, "seedload: %s is a pgbench log: its latencies are in us, not %s\n",
                    name, units[o->unit].name);
            return SL_EXIT_USAGE;
        }
        r.unit = 1;
    } else {
        r.unit = o->unit;
        if (o->out_unit >= 0 && o->unit < 0) {
            fprintf(stderr, "seedload: --output-unit needs --unit: the unit of the values in %s\n",
                    name);
            return SL_EXIT_USAGE;
        }
    }
    if (o->txn || o->which || o->run) {
        fprintf(
            stderr,
            "seedload: --transaction, --histogram and --run apply to a seedload result; %s is %s\n",
            name, r.fmt == IN_PGBENCH ? "a pgbench log" : "a plain list");
        return SL_EXIT_USAGE;
    }
    if (walk(&r, text, len, NULL, &e) < 0) return app_error(&e);
    if (r.fmt == IN_LIST && r.x.n == 0) {
        fprintf(stderr, "seedload: %s: no values (an empty list: nothing to report)\n", name);
        return SL_EXIT_USAGE;
    }
    /* The layout below `highest` is the same for every histogram from 1 at 3 significant
     * figures, so a wider range changes no percentile: it only makes room. */
    int64_t highest = r.maxv > BENCH_HIST_HIGH ? r.maxv : BENCH_HIST_HIGH;
    hist *h = hist_new(BENCH_HIST_LOW, highest, BENCH_HIST_SIGFIGS);
    if (!h) {
        fprintf(stderr, "seedload: %s: value %" PRId64 " is too large for the histogram\n", name,
                r.maxv);
        return SL_EXIT_USAGE;
    }
    if (walk(&r, text, len, h, &e) < 0) {
        hist_free(h);
        return app_error(&e);
    }
    bool known = r.unit >= 0;
    view v = make_view(o, known, r.fmt == IN_PGBENCH ? 2 : (r.unit >= 0 ? r.unit : 0));
    if (r.fmt == IN_PGBENCH) {
        printf("%s: pgbench log, %" PRIu64 " transaction%s", name, r.x.n, r.x.n == 1 ? "" : "s");
        if (r.skipped || r.failed)
            printf(" (and %" PRIu64 " skipped, %" PRIu64 " failed: no latency, not counted)",
                   r.skipped, r.failed);
        printf("; latency in us");
    } else {
        printf("%s: %" PRIu64 " value%s", name, r.x.n, r.x.n == 1 ? "" : "s");
        if (known) printf(" in %s", units[r.unit].label);
    }
    if (o->scale > 0)
        printf(", shown divided by %g", o->scale);
    else if (known)
        printf(", shown in %s", v.unit);
    printf("\n");
    print_stats(&v, h, &r.x);
    int rc = o->hgrm ? print_hgrm(&v, h) : 0;
    hist_free(h);
    return rc;
}

static int hist_result(const char *name, const char *text, size_t len, const opts *o)
{
    sl_err e = {0};
    res_doc *d = NULL;
    if (res_parse(name, text, len, &d, &e) < 0) return app_error(&e);
    int rc = 0;
    if (o->unit >= 0 && o->unit != 0) {
        fprintf(stderr, "seedload: %s is a seedload result: its latencies are in ns, not %s\n",
                name, units[o->unit].name);
        rc = SL_EXIT_USAGE;
        goto out;
    }
    if (o->run > 0 && (size_t)o->run > d->nruns) {
        fprintf(stderr, "seedload: %s holds %zu run%s; there is no run %ld\n", name, d->nruns,
                d->nruns == 1 ? "" : "s", o->run);
        rc = SL_EXIT_USAGE;
        goto out;
    }
    const char *which = o->which ? o->which : "latency";
    view v = make_view(o, true, 2);
    for (size_t i = 0; i < d->nruns; i++) {
        if (o->run > 0 && i != (size_t)o->run - 1) continue;
        const res_run *r = &d->runs[i];
        const hist *h = NULL;
        if (o->txn) {
            const res_txn *t = res_find_txn(r, o->txn);
            if (!t) {
                const char **names = xcalloc(r->ntx ? r->ntx : 1, sizeof *names);
                sbuf all = {0};
                for (size_t k = 0; k < r->ntx; k++) {
                    names[k] = r->tx[k].name;
                    sbuf_printf(&all, "%s%s", k ? ", " : "", r->tx[k].name);
                }
                const char *s = sl_suggest(o->txn, names, r->ntx);
                fprintf(stderr,
                        "seedload: %s: run %zu has no transaction '%s'%s%s%s (it has: %s)\n", name,
                        i + 1, o->txn, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "",
                        all.len ? all.p : "none");
                free(names);
                sbuf_free(&all);
                rc = SL_EXIT_USAGE;
                goto out;
            }
            h = strcmp(which, "service") == 0 ? t->svc : t->lat;
        } else {
            h = strcmp(which, "service") == 0 ? r->svc
                : strcmp(which, "lag") == 0   ? r->lag
                                              : r->lat;
        }
        if (!h) {
            fprintf(stderr, "seedload: %s: run %zu has no %s histogram\n", name, i + 1, which);
            rc = SL_EXIT_USAGE;
            goto out;
        }
        if (i > 0 && o->run == 0) putchar('\n');
        printf("%s: run %zu of %zu, profile %s, workload %s (%s)", name, i + 1, d->nruns,
               d->profile ? d->profile : "?", d->workload ? d->workload : "?",
               d->dialect ? d->dialect : "?");
        if (d->merged_files) printf(", merged from %zu results", d->environments->n);
        printf(": %" PRIu64 " transactions in %.2f s, %.1f tps\n", r->transactions, r->seconds,
               r->tps);
        printf("%s of %s%s%s, in ns", which, o->txn ? "transaction '" : "all transactions",
               o->txn ? o->txn : "", o->txn ? "'" : "");
        if (o->scale > 0)
            printf(", shown divided by %g\n", o->scale);
        else
            printf(", shown in %s\n", v.unit);
        print_stats(&v, h, NULL);
        if (o->hgrm && (rc = print_hgrm(&v, h))) goto out;
    }
out:
    res_free(d);
    return rc;
}

int cmd_hist(int argc, char **argv)
{
    static const struct option lopts[] = {{"unit", required_argument, NULL, 'u'},
                                          {"output-unit", required_argument, NULL, 'U'},
                                          {"scale", required_argument, NULL, 'S'},
                                          {"percentiles", required_argument, NULL, 'p'},
                                          {"hgrm", no_argument, NULL, 'G'},
                                          {"transaction", required_argument, NULL, 'x'},
                                          {"histogram", required_argument, NULL, 'H'},
                                          {"run", required_argument, NULL, 'r'},
                                          {"format", required_argument, NULL, 'F'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    opts o = {.unit = -1, .out_unit = -1, .fmt = IN_AUTO};
    parse_pcts("50,90,99,99.9,99.99", &o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "u:U:p:x:h", lopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'u':
            if ((o.unit = unit_index(optarg)) < 0) return bad("unit (ns, us, ms or s)", optarg);
            break;
        case 'U':
            if ((o.out_unit = unit_index(optarg)) < 0)
                return bad("output unit (ns, us, ms or s)", optarg);
            break;
        case 'S':
            errno = 0;
            o.scale = strtod(optarg, &end);
            if (*end || errno || !(o.scale > 0) || !isfinite(o.scale))
                return bad("scale (a number above 0)", optarg);
            break;
        case 'p':
            if (parse_pcts(optarg, &o) < 0)
                return bad("percentile list (numbers 0..100, comma-separated)", optarg);
            break;
        case 'G': o.hgrm = true; break;
        case 'x': o.txn = optarg; break;
        case 'H':
            if (strcmp(optarg, "latency") && strcmp(optarg, "service") && strcmp(optarg, "lag"))
                return bad("histogram (latency, service or lag)", optarg);
            o.which = optarg;
            break;
        case 'r':
            o.run = strtol(optarg, &end, 10);
            if (*end || o.run < 1) return bad("run number (1, 2, ...)", optarg);
            break;
        case 'F':
            if (strcmp(optarg, "list") == 0)
                o.fmt = IN_LIST;
            else if (strcmp(optarg, "pgbench") == 0)
                o.fmt = IN_PGBENCH;
            else if (strcmp(optarg, "result") == 0)
                o.fmt = IN_RESULT;
            else if (strcmp(optarg, "auto") == 0)
                o.fmt = IN_AUTO;
            else
                return bad("format (list, pgbench or result)", optarg);
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return SL_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "seedload: hist needs one FILE\n");
        usage(stderr);
        return SL_EXIT_USAGE;
    }
    if (o.scale > 0 && o.out_unit >= 0) {
        fprintf(stderr, "seedload: give --output-unit or --scale, not both\n");
        return SL_EXIT_USAGE;
    }
    if (o.txn && o.which && strcmp(o.which, "lag") == 0) {
        fprintf(stderr,
                "seedload: a transaction has latency and service histograms; lag is per run\n");
        return SL_EXIT_USAGE;
    }
    const char *path = argv[optind];
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *text = NULL;
    size_t len = 0;
    sl_err e = {0};
    if (res_slurp(path, &text, &len, &e) < 0) return app_error(&e);
    in_format fmt = o.fmt;
    if (fmt == IN_AUTO) {
        size_t i = 0;
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            i++;
        if (i < len && (text[i] == '{' || text[i] == '[')) fmt = IN_RESULT;
    }
    int rc = fmt == IN_RESULT ? hist_result(name, text, len, &o) : hist_text(name, text, len, &o);
    free(text);
    if (rc == 0 && fflush(stdout) != 0 && errno != EPIPE) {
        fprintf(stderr, "seedload: writing to stdout: %s\n", strerror(errno));
        rc = SL_EXIT_IO;
    }
    return rc;
}
