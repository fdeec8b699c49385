/* test_json.c — the JSON writer and reader (json.h) and the results reader/writer built on them
 * (results.h): round trips, escapes including \u surrogate pairs, the nesting limit, malformed
 * input reported at line:column, integers exact to 64 bits, and results documents that decode,
 * re-encode and merge exactly.
 *
 * The bug_* tests are regressions: each reproduces a bug json.c once had. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>

#include "seedload/bench.h"
#include "seedload/json.h"
#include "seedload/report.h"
#include "seedload/results.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static jv *parse_ok(const char *text)
{
    sl_err e = {0};
    jv *v = jv_parse("t.json", text, strlen(text), &e);
    if (!v) fail_msg("parse of %s failed: %s", text, e.msg);
    return v;
}

/* Parse must fail with exactly this message. */
static void parse_err(const char *text, const char *want)
{
    sl_err e = {0};
    jv *v = jv_parse("t.json", text, strlen(text), &e);
    if (v) {
        jv_free(v);
        fail_msg("parse of '%s' succeeded; wanted: %s", text, want);
    }
    assert_int_equal(e.code, SL_EXIT_USAGE);
    assert_string_equal(e.msg, want);
}

/* A string value's bytes. */
static void assert_str_value(const char *json, const char *want)
{
    jv *v = parse_ok(json);
    assert_int_equal(v->kind, JV_STR);
    assert_string_equal(v->str, want);
    jv_free(v);
}

static char *write_compact(void (*build)(jw *))
{
    sbuf b = {0};
    jw w;
    jw_init(&w, &b, false);
    build(&w);
    return sbuf_detach(&b);
}

/* ---- writer ------------------------------------------------------------------------------- */

static void build_mixed(jw *w)
{
    jw_obj(w);
    jw_kint(w, "a", 1);
    jw_key(w, "b");
    jw_arr(w);
    jw_bool(w, true);
    jw_bool(w, false);
    jw_null(w);
    jw_arr(w);
    jw_end_arr(w);
    jw_obj(w);
    jw_end_obj(w);
    jw_end_arr(w);
    jw_kstr(w, "c", "x");
    jw_kstr(w, "d", NULL);
    jw_knum(w, "e", 2.5);
    jw_kbool(w, "f", false);
    jw_end_obj(w);
}

static void test_writer_compact(void **state)
{
    (void)state;
    char *s = write_compact(build_mixed);
    assert_string_equal(
        s, "{\"a\":1,\"b\":[true,false,null,[],{}],\"c\":\"x\",\"d\":null,\"e\":2.5,\"f\":false}");
    free(s);
}

static void test_writer_pretty(void **state)
{
    (void)state;
    sbuf b = {0};
    jw w;
    jw_init(&w, &b, true);
    jw_obj(&w);
    jw_kint(&w, "a", 1);
    jw_key(&w, "b");
    jw_arr(&w);
    jw_int(&w, 2);
    jw_obj(&w);
    jw_end_obj(&w);
    jw_end_arr(&w);
    jw_end_obj(&w);
    assert_string_equal(b.p, "{\n  \"a\":1,\n  \"b\":[\n    2,\n    {}\n  ]\n}");
    /* and it parses back to the same tree */
    jv *v = parse_ok(b.p);
    assert_int_equal(jv_int(jv_get(v, "a"), -1), 1);
    assert_int_equal(jv_get(v, "b")->n, 2);
    jv_free(v);
    sbuf_free(&b);
}

static void test_writer_numbers(void **state)
{
    (void)state;
    sbuf b = {0};
    jw w;
    jw_init(&w, &b, false);
    jw_arr(&w);
    jw_int(&w, INT64_MAX);
    jw_int(&w, INT64_MIN);
    jw_uint(&w, UINT64_MAX);
    jw_num(&w, NAN);
    jw_num(&w, INFINITY);
    jw_num(&w, -2.0);
    jw_num(&w, 0.1);
    jw_num(&w, 1e300);
    jw_end_arr(&w);
    assert_string_equal(
        b.p,
        "[9223372036854775807,-9223372036854775808,18446744073709551615,null,null,-2,0.1,1e+300]");
    jv *v = parse_ok(b.p);
    assert_int_equal(v->n, 8);
    assert_true(jv_int(v->items[0], 0) == INT64_MAX);
    assert_true(jv_int(v->items[1], 0) == INT64_MIN);
    assert_string_equal(v->items[2]->str, "18446744073709551615"); /* the text stays exact */
    assert_int_equal(v->items[3]->kind, JV_NULL);
    assert_true(jv_num(v->items[6], 0) == 0.1);
    assert_true(jv_num(v->items[7], 0) == 1e300);
    jv_free(v);
    sbuf_free(&b);
}

/* Every byte that needs escaping, and UTF-8 passed through, survive a round trip. */
static void test_writer_escapes_roundtrip(void **state)
{
    (void)state;
    char raw[64];
    size_t n = 0;
    for (int c = 1; c < 0x20; c++) raw[n++] = (char)c;
    const char *tail = "\"\\/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";
    memcpy(raw + n, tail, strlen(tail) + 1);
    sbuf b = {0};
    jw w;
    jw_init(&w, &b, false);
    jw_str(&w, raw);
    assert_non_null(strstr(b.p, "\\u0001"));
    assert_non_null(strstr(b.p, "\\n"));
    assert_non_null(strstr(b.p, "\\t"));
    assert_non_null(strstr(b.p, "\\\""));
    for (size_t i = 0; i < b.len; i++) assert_true((unsigned char)b.p[i] >= 0x20);
    assert_str_value(b.p, raw);
    sbuf_free(&b);
    /* jw_strn writes exactly n bytes */
    jw_init(&w, &b, false);
    jw_strn(&w, "abcdef", 3);
    assert_string_equal(b.p, "\"abc\"");
    sbuf_free(&b);
}

/* ---- reader: values ----------------------------------------------------------------------- */

static void test_reader_escapes(void **state)
{
    (void)state;
    assert_str_value("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t");
    assert_str_value("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac");
    /* a surrogate pair is one code point (U+1F600), four UTF-8 bytes */
    assert_str_value("\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80");
    assert_str_value("\"x\\ud834\\udd1ey\"", "x\xf0\x9d\x84\x9ey"); /* U+1D11E, lower-case hex */
    assert_str_value("\"\"", "");
    assert_str_value("\"\xe2\x82\xac raw UTF-8\"", "\xe2\x82\xac raw UTF-8");
}

static void test_reader_values(void **state)
{
    (void)state;
    jv *v = parse_ok(" {\"s\":\"x\",\"n\":-1.5e2,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,[2,[3]]"
                     "],\"o\":{}}\n");
    assert_int_equal(v->kind, JV_OBJ);
    assert_string_equal(jv_str(jv_get(v, "s")), "x");
    assert_true(jv_num(jv_get(v, "n"), 0) == -150.0);
    assert_true(jv_get(v, "t")->b);
    assert_false(jv_get(v, "f")->b);
    assert_int_equal(jv_get(v, "z")->kind, JV_NULL);
    assert_int_equal(jv_get(v, "a")->items[1]->items[1]->items[0]->kind, JV_NUM);
    assert_int_equal(jv_get(v, "o")->n, 0);
    /* accessors on the wrong kind give the default */
    assert_null(jv_get(v, "missing"));
    assert_null(jv_str(jv_get(v, "n")));
    assert_true(jv_num(jv_get(v, "s"), 7.0) == 7.0);
    assert_int_equal(jv_int(jv_get(v, "s"), 7), 7);
    assert_int_equal(jv_int(NULL, 9), 9);
    assert_null(jv_get(jv_get(v, "a"), "x")); /* not an object */
    jv_free(v);
    jv_free(NULL);
}

static void test_reader_exact_integers(void **state)
{
    (void)state;
    /* beyond 2^53 a double cannot hold these; the reader keeps the text */
    jv *v = parse_ok(
        "[9007199254740993, 9223372036854775807, -9223372036854775808, 18446744073709551615]");
    assert_true(jv_int(v->items[0], 0) == INT64_C(9007199254740993));
    assert_true(jv_int(v->items[1], 0) == INT64_MAX);
    assert_true(jv_int(v->items[2], 0) == INT64_MIN);
    assert_string_equal(v->items[3]->str, "18446744073709551615");
    assert_true(strtoull(v->items[3]->str, NULL, 10) == UINT64_MAX);
    jv_free(v);
    v = parse_ok("[1e3, 1.5, -0]");
    assert_int_equal(jv_int(v->items[0], 0), 1000); /* exponent form: through the double */
    assert_int_equal(jv_int(v->items[1], 0), 1);
    assert_int_equal(jv_int(v->items[2], 5), 0);
    jv_free(v);
}

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 1);
    for (int i = 0; i < depth; i++) s[i] = '[', s[depth * 2 - 1 - i] = ']';
    s[depth * 2] = '\0';
    return s;
}

static void test_reader_nesting_limit(void **state)
{
    (void)state;
    /* The limit: 200 nested containers parse, the 201st is refused where it opens. */
    char *s = nested(200);
    jv *v = parse_ok(s);
    jv_free(v);
    free(s);
    s = nested(201);
    parse_err(s, "t.json:1:201: invalid JSON: nested too deeply");
    free(s);
    /* hostile depth: an error, not a stack overflow */
    s = nested(100000);
    sl_err e = {0};
    assert_null(jv_parse("deep.json", s, strlen(s), &e));
    assert_non_null(strstr(e.msg, "deep.json:1:"));
    assert_non_null(strstr(e.msg, "nested too deeply"));
    free(s);
    /* the same inside objects */
    sbuf b = {0};
    for (int i = 0; i < 500; i++) sbuf_adds(&b, "{\"k\":");
    sbuf_adds(&b, "1");
    for (int i = 0; i < 500; i++) sbuf_addc(&b, '}');
    assert_null(jv_parse("deep.json", b.p, b.len, &e));
    assert_non_null(strstr(e.msg, "nested too deeply"));
    sbuf_free(&b);
}

/* ---- reader: malformed input -------------------------------------------------------------- */

static void test_reader_malformed(void **state)
{
    (void)state;
    parse_err("", "t.json:1:1: invalid JSON: unexpected end");
    parse_err("   \n  ", "t.json:2:3: invalid JSON: unexpected end");
    parse_err("{\n  \"a\": 1,\n  \"b\": ]\n}", "t.json:3:8: invalid JSON: unexpected character");
    parse_err("{\"a\": [1, 2", "t.json:1:12: invalid JSON: expected ',' or ']'");
    parse_err("[1, 2", "t.json:1:6: invalid JSON: expected ',' or ']'");
    parse_err("{\"a\" 1}", "t.json:1:6: invalid JSON: expected ':'");
    parse_err("{\"a\":1,}", "t.json:1:8: invalid JSON: expected a key");
    parse_err("{\"a\":1 \"b\":2}", "t.json:1:8: invalid JSON: expected ',' or '}'");
    parse_err("[1,]", "t.json:1:4: invalid JSON: unexpected character");
    parse_err("{1:2}", "t.json:1:2: invalid JSON: expected a key");
    parse_err("\"abc", "t.json:1:5: invalid JSON: unterminated string");
    parse_err("\"a\\", "t.json:1:4: invalid JSON: unterminated string");
    parse_err("\"a\nb\"", "t.json:1:3: invalid JSON: control character in a string");
    parse_err("\"\\x\"", "t.json:1:4: invalid JSON: bad escape");
    parse_err("\"\\u12\"", "t.json:1:4: invalid JSON: bad \\u escape");
    parse_err("\"\\u12G4\"", "t.json:1:4: invalid JSON: bad \\u escape");
    parse_err("1 2", "t.json:1:3: invalid JSON: text after the value");
    parse_err("{} x", "t.json:1:4: invalid JSON: text after the value");
    parse_err("truex", "t.json:1:5: invalid JSON: text after the value");
    parse_err("nul", "t.json:1:1: invalid JSON: unexpected character");
    parse_err("-", "t.json:1:1: invalid JSON: bad number");
    parse_err("--1", "t.json:1:1: invalid JSON: bad number");
    parse_err("1e", "t.json:1:1: invalid JSON: bad number");
    parse_err("1.2.3", "t.json:1:1: invalid JSON: bad number");
    parse_err("+1", "t.json:1:1: invalid JSON: unexpected character");
    parse_err(".5", "t.json:1:1: invalid JSON: unexpected character");
    parse_err("NaN", "t.json:1:1: invalid JSON: unexpected character");
    parse_err("[Infinity]", "t.json:1:2: invalid JSON: unexpected character");
    parse_err("'a'", "t.json:1:1: invalid JSON: unexpected character");
    parse_err("\xef\xbb\xbf{}", "t.json:1:1: invalid JSON: unexpected character"); /* a BOM */
    /* a NUL byte inside the given length is an error, not the end of the text */
    sl_err e = {0};
    assert_null(jv_parse("t.json", "{}\0{}", 5, &e));
    assert_string_equal(e.msg, "t.json:1:3: invalid JSON: text after the value");
    /* the length is respected: nothing after len is read */
    jv *v = jv_parse("t.json", "[1]]]]", 3, &e);
    assert_non_null(v);
    jv_free(v);
}

/* Every prefix of a valid document is an error (never a crash, never a partial success). */
static void test_reader_truncations(void **state)
{
    (void)state;
    const char *doc = "{\"a\":[1,2.5e3,\"x\\u00e9\\uD83D\\uDE00\",true,null],\"b\":{\"c\":false}}";
    size_t n = strlen(doc);
    for (size_t k = 0; k < n; k++) {
        sl_err e = {0};
        jv *v = jv_parse("t.json", doc, k, &e);
        if (v) fail_msg("prefix of %zu bytes parsed", k);
        assert_int_equal(e.code, SL_EXIT_USAGE);
        assert_non_null(strstr(e.msg, "t.json:1:"));
    }
    jv *v = parse_ok(doc);
    jv_free(v);
}

/* ---- known bugs in json.c (run with SEEDLOAD_TEST_KNOWN_BUGS=1) --------------------------- */

/* A high surrogate followed by a \u escape that is not a low surrogate: the second escape
 * must not vanish (json.c consumes it and emits the lone surrogate as CESU-8). */
static void bug_surrogate_then_other_escape(void **state)
{
    (void)state;
    sl_err e = {0};
    jv *v = jv_parse("t.json", "\"\\uD800\\u0041\"", 14, &e);
    if (v) {
        bool has_a = strchr(v->str, 'A') != NULL;
        jv_free(v);
        if (!has_a) fail_msg("\"\\uD800\\u0041\" parsed and lost the 'A'");
    }
}

/* "\uD800\uZZZZ" is malformed; json.c accepts it as the text "ZZZZ". */
static void bug_surrogate_then_bad_escape(void **state)
{
    (void)state;
    sl_err e = {0};
    jv *v = jv_parse("t.json", "\"\\uD800\\uZZZZ\"", 14, &e);
    if (v) {
        jv_free(v);
        fail_msg("\"\\uD800\\uZZZZ\" was accepted");
    }
}

/* A lone surrogate becomes invalid UTF-8 (ED A0 80); expected an error or U+FFFD. */
static void bug_lone_surrogate(void **state)
{
    (void)state;
    sl_err e = {0};
    jv *v = jv_parse("t.json", "\"\\uDC00\"", 8, &e);
    if (v) {
        bool bad = (unsigned char)v->str[0] == 0xED;
        jv_free(v);
        if (bad) fail_msg("a lone surrogate was stored as invalid UTF-8");
    }
}

/* "\u0000" truncates the C string silently ("a\u0000b" reads as "a"). */
static void bug_nul_escape(void **state)
{
    (void)state;
    sl_err e = {0};
    jv *v = jv_parse("t.json", "\"a\\u0000b\"", 10, &e);
    if (v) {
        size_t n = strlen(v->str);
        jv_free(v);
        if (n != 3) fail_msg("\"a\\u0000b\" read as a %zu-byte string", n);
    }
}

/* RFC 8259 forbids leading zeros and a bare trailing point. */
static void bug_number_grammar(void **state)
{
    (void)state;
    static const char *const bad[] = {"01", "1.", "-01", "1.e5", "00"};
    for (size_t i = 0; i < 5; i++) {
        sl_err e = {0};
        jv *v = jv_parse("t.json", bad[i], strlen(bad[i]), &e);
        if (v) {
            jv_free(v);
            fail_msg("'%s' was accepted as a number", bad[i]);
        }
    }
}

/* jv_int of an integer outside int64 (or of 1e400) converts an out-of-range double to int64:
 * undefined behaviour; it should return the default. */
static void bug_jv_int_range(void **state)
{
    (void)state;
    jv *v = parse_ok("[18446744073709551615, 1e400]");
    assert_int_equal(jv_int(v->items[0], 42), 42);
    assert_int_equal(jv_int(v->items[1], 42), 42);
    jv_free(v);
}

/* jw_num keeps 9 significant digits: an epoch time (report.c's started_at) loses its last
 * digit and its fraction, 1795483250.123 -> 1.79548325e+09. */
static void bug_jw_num_precision(void **state)
{
    (void)state;
    sbuf b = {0};
    jw w;
    jw_init(&w, &b, false);
    jw_num(&w, 1795483251.125);
    jv *v = parse_ok(b.p);
    double got = jv_num(v, 0);
    jv_free(v);
    if (fabs(got - 1795483251.125) > 1e-3) fail_msg("1795483251.125 written as %s", b.p);
    sbuf_free(&b);
}

/* ---- results documents -------------------------------------------------------------------- */

static hist *bh(void)
{
    return hist_new(BENCH_HIST_LOW, BENCH_HIST_HIGH, BENCH_HIST_SIGFIGS);
}

/* A small document in the shape report.c writes, with latencies base, base+step, ... */
static char *make_doc(const char *wname, int64_t base, int64_t n, bool with_error)
{
    hist *lat = bh(), *t1 = bh(), *st = bh();
    for (int64_t i = 0; i < n; i++) {
        hist_record(lat, base + i * 997);
        hist_record(t1, base + i * 997);
        hist_record(st, base + i * 997 - 100);
    }
    sbuf b = {0};
    jw j;
    jw_init(&j, &b, true);
    jw_obj(&j);
    jw_kstr(&j, "format", "seedload-result");
    jw_kint(&j, "version", 1);
    jw_kstr(&j, "seedload_version", "0.1.0");
    jw_key(&j, "config");
    jw_obj(&j);
    jw_kstr(&j, "profile", "edupulse");
    jw_kstr(&j, "scenario", "small");
    jw_knum(&j, "scale", 1);
    jw_key(&j, "seed"), jw_uint(&j, UINT64_MAX);
    jw_kstr(&j, "workload", wname);
    jw_kstr(&j, "dialect", "sqlite");
    jw_kint(&j, "clients", 2);
    jw_kint(&j, "threads", 2);
    jw_knum(&j, "rate", 0);
    jw_end_obj(&j);
    jw_key(&j, "environment");
    jw_obj(&j);
    jw_kstr(&j, "hostname", "h\"1");
    jw_end_obj(&j);
    jw_key(&j, "runs");
    jw_arr(&j);
    jw_obj(&j);
    jw_knum(&j, "seconds", 2);
    jw_key(&j, "summary");
    jw_obj(&j);
    jw_kint(&j, "transactions", n);
    jw_knum(&j, "tps", (double)n / 2);
    jw_kint(&j, "errors", with_error ? 3 : 0);
    jw_end_obj(&j);
    jw_kstr(&j, "latency_unit", "ns");
    jw_key(&j, "latency");
    report_json_hist(&j, lat);
    jw_key(&j, "transactions");
    jw_arr(&j);
    jw_obj(&j);
    jw_kstr(&j, "name", "t1");
    jw_kint(&j, "count", n);
    jw_key(&j, "latency");
    report_json_hist(&j, t1);
    jw_key(&j, "statements");
    jw_arr(&j);
    jw_obj(&j);
    jw_kstr(&j, "name", "t1#1");
    jw_kstr(&j, "sql", "SELECT 1 -- \"q\"\n");
    jw_key(&j, "latency");
    report_json_hist(&j, st);
    jw_end_obj(&j);
    jw_end_arr(&j);
    jw_end_obj(&j);
    jw_end_arr(&j);
    jw_key(&j, "errors");
    jw_arr(&j);
    if (with_error) {
        jw_obj(&j);
        jw_kstr(&j, "code", "40001");
        jw_kstr(&j, "transaction", "t1");
        jw_kstr(&j, "statement", NULL);
        jw_kint(&j, "count", 3);
        jw_kstr(&j, "message", "could not serialize");
        jw_end_obj(&j);
    }
    jw_end_arr(&j);
    jw_key(&j, "intervals");
    jw_arr(&j);
    jw_obj(&j);
    jw_knum(&j, "t", 1);
    jw_kint(&j, "count", n);
    jw_kint(&j, "p50", hist_percentile(lat, 50));
    jw_kint(&j, "p99", hist_percentile(lat, 99));
    jw_kint(&j, "max", hist_max(lat));
    jw_end_obj(&j);
    jw_end_arr(&j);
    jw_end_obj(&j);
    jw_end_arr(&j);
    jw_end_obj(&j);
    hist_free(lat);
    hist_free(t1);
    hist_free(st);
    return sbuf_detach(&b);
}

static res_doc *doc_ok(const char *name, const char *text)
{
    res_doc *d = NULL;
    sl_err e = {0};
    if (res_parse(name, text, strlen(text), &d, &e) < 0) fail_msg("%s", e.msg);
    return d;
}

static void test_results_parse(void **state)
{
    (void)state;
    char *t = make_doc("dashboard", 5000, 1000, true);
    res_doc *d = doc_ok("a.json", t);
    assert_string_equal(d->profile, "edupulse");
    assert_string_equal(d->workload, "dashboard");
    assert_string_equal(d->seed, "18446744073709551615");
    assert_int_equal(d->clients, 2);
    assert_int_equal(d->nruns, 1);
    const res_run *r = &d->runs[0];
    assert_int_equal(r->transactions, 1000);
    assert_int_equal(hist_total(r->lat), 1000);
    assert_null(r->svc); /* absent: NULL, not an error */
    assert_int_equal(r->ntx, 1);
    const res_txn *x = res_find_txn(r, "t1");
    assert_non_null(x);
    assert_null(res_find_txn(r, "t2"));
    assert_int_equal(x->nst, 1);
    assert_string_equal(x->st[0].sql, "SELECT 1 -- \"q\"\n");
    assert_int_equal(r->nerr, 1);
    assert_string_equal(r->err[0].code, "40001");
    assert_null(r->err[0].stmt);
    assert_int_equal(r->nivl, 1);
    assert_true(r->ivl[0].pct_exact);
    assert_int_equal(d->environments->n, 1);
    res_free(d);
    res_free(NULL);
    free(t);
}

/* write(parse(x)) parses to the same histograms, counts and configuration. */
static void test_results_roundtrip(void **state)
{
    (void)state;
    char *t = make_doc("dashboard", 123456, 500, true);
    res_doc *a = doc_ok("a.json", t);
    sbuf b = {0};
    res_write(&b, a);
    res_doc *c = doc_ok("b.json", b.p);
    assert_null(res_config_diff(a, c));
    assert_string_equal(c->seed, "18446744073709551615");
    const res_run *x = &a->runs[0], *y = &c->runs[0];
    assert_int_equal(y->transactions, x->transactions);
    assert_int_equal(hist_total(y->lat), hist_total(x->lat));
    for (size_t i = 0; i < hist_counts_len(x->lat); i++)
        assert_int_equal(hist_count_at_index(y->lat, i), hist_count_at_index(x->lat, i));
    assert_int_equal(hist_max(y->tx[0].st[0].lat), hist_max(x->tx[0].st[0].lat));
    assert_non_null(y->svc); /* the writer always writes the documented shape */
    assert_int_equal(hist_total(y->svc), 0);
    assert_string_equal(y->err[0].message, "could not serialize");
    assert_string_equal(jv_str(jv_get(c->environments->items[0], "hostname")), "h\"1");
    sbuf_free(&b);
    res_free(a);
    res_free(c);
    free(t);
}

static void test_results_merge(void **state)
{
    (void)state;
    char *ta = make_doc("dashboard", 1000, 300, true),
         *tb = make_doc("dashboard", 900000, 700, true);
    res_doc *docs[2] = {doc_ok("a.json", ta), doc_ok("b.json", tb)};
    res_doc *m = NULL;
    sl_err e = {0};
    assert_int_equal(res_merge(docs, 2, NULL, false, &m, &e), 0);
    assert_string_equal(e.msg, "");
    const res_run *r = &m->runs[0];
    assert_int_equal(r->transactions, 1000);
    assert_int_equal(hist_total(r->lat), 1000);
    /* bucket by bucket: the merged counts are the sums */
    for (size_t i = 0; i < hist_counts_len(r->lat); i++)
        assert_int_equal(hist_count_at_index(r->lat, i),
                         hist_count_at_index(docs[0]->runs[0].lat, i) +
                             hist_count_at_index(docs[1]->runs[0].lat, i));
    assert_int_equal(hist_max(r->lat), hist_max(docs[1]->runs[0].lat));
    assert_int_equal(hist_min(r->lat), hist_min(docs[0]->runs[0].lat));
    assert_int_equal(r->tx[0].count, 1000);
    assert_int_equal(hist_total(r->tx[0].st[0].lat), 1000);
    assert_int_equal(r->nerr, 1);
    assert_int_equal(r->err[0].count, 6);
    assert_int_equal(r->errors, 6);
    assert_true(r->tps == 150.0 + 350.0);
    assert_int_equal(r->nivl, 1);
    assert_int_equal(r->ivl[0].count, 1000);
    assert_false(r->ivl[0].pct_exact);
    assert_int_equal(r->ivl[0].max, hist_max(docs[1]->runs[0].lat));
    assert_int_equal(m->clients, 4);
    assert_int_equal(m->environments->n, 2);
    assert_int_equal(m->merged_files->n, 2);
    /* the merged document is itself a valid input */
    sbuf b = {0};
    res_write(&b, m);
    res_doc *again = doc_ok("m.json", b.p);
    assert_int_equal(hist_total(again->runs[0].lat), 1000);
    assert_false(again->runs[0].ivl[0].pct_exact);
    assert_int_equal(again->environments->n, 2);
    assert_int_equal(again->clients, 4);
    res_free(again);
    sbuf_free(&b);
    res_free(m);
    res_free(docs[0]);
    res_free(docs[1]);
    free(ta);
    free(tb);
}

static void test_results_merge_refuses(void **state)
{
    (void)state;
    char *ta = make_doc("dashboard", 1000, 10, false), *tb = make_doc("writes", 1000, 10, false);
    res_doc *docs[2] = {doc_ok("a.json", ta), doc_ok("b.json", tb)};
    res_doc *m = NULL;
    sl_err e = {0};
    assert_int_equal(res_merge(docs, 2, NULL, false, &m, &e), -1);
    assert_null(m);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    assert_non_null(strstr(e.msg, "config.workload ('dashboard' vs 'writes')"));
    assert_string_equal(res_config_diff(docs[0], docs[1]), "workload");
    assert_int_equal(res_merge(docs, 2, NULL, true, &m, &e), 0);
    assert_true(m->forced);
    assert_int_equal(m->runs[0].transactions, 20);
    res_free(m);
    res_free(docs[0]);
    res_free(docs[1]);
    free(ta);
    free(tb);
}

/* Not a result, or a broken one: an error naming the file and the JSON path. */
static void results_err(const char *text, const char *want)
{
    res_doc *d = NULL;
    sl_err e = {0};
    if (res_parse("r.json", text, strlen(text), &d, &e) == 0) {
        res_free(d);
        fail_msg("'%s' parsed as a result", text);
    }
    assert_null(d);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    if (!strstr(e.msg, want)) fail_msg("message '%s' lacks '%s'", e.msg, want);
}

static void test_results_malformed(void **state)
{
    (void)state;
    results_err("", "r.json:1:1: invalid JSON");
    results_err("[1,2]", "r.json: not a seedload result");
    results_err("{\"format\":\"other\"}", "not a seedload result");
    results_err("{\"format\":\"seedload-result\"}", "r.json: version: missing");
    results_err("{\"format\":\"seedload-result\",\"version\":2,\"config\":{},\"runs\":[]}",
                "version: 2 is not");
    results_err("{\"format\":\"seedload-result\",\"version\":1,\"runs\":[]}",
                "r.json: config: missing");
    results_err("{\"format\":\"seedload-result\",\"version\":1,\"config\":{},\"runs\":[]}",
                "runs: empty");
    results_err("{\"format\":\"seedload-result\",\"version\":1,\"config\":{},\"runs\":[{}]}",
                "runs[0].summary: missing");
    results_err(
        "{\"format\":\"seedload-result\",\"version\":1,\"config\":{\"seed\":\"x\"},\"runs\":[{}]}",
        "config.seed: expected an integer");
    results_err(
        "{\"format\":\"seedload-result\",\"version\":1,\"config\":{},\"runs\":[{\"summary\":"
        "{\"transactions\":-1}}]}",
        "runs[0].summary.transactions: expected a non-negative integer, found -1");
    results_err(
        "{\"format\":\"seedload-result\",\"version\":1,\"config\":{},\"runs\":[{\"summary\":"
        "{\"transactions\":1}}]}",
        "runs[0].latency: missing");
    results_err(
        "{\"format\":\"seedload-result\",\"version\":1,\"config\":{},\"runs\":[{\"summary\":"
        "{\"transactions\":1},\"latency\":{\"count\":1,\"hist\":\"HISTFAAAAB\"}}]}",
        "runs[0].latency.hist: histogram:");
    results_err(
        "{\"format\":\"seedload-result\",\"version\":1,\"config\":{},\"runs\":[{\"summary\":"
        "{\"transactions\":1},\"latency\":{\"count\":1,\"hist\":null}}]}",
        "runs[0].latency.hist: null");
    results_err(
        "{\"format\":\"seedload-result\",\"version\":1,\"config\":{},\"runs\":[{\"summary\":"
        "{\"transactions\":1},\"latency_unit\":\"ms\"}]}",
        "runs[0].latency_unit");
    /* a count that disagrees with its histogram */
    char *t = make_doc("dashboard", 1000, 10, false);
    char *p = strstr(t, "\"count\":10");
    assert_non_null(p);
    p[9] = '1'; /* 10 -> 11 */
    results_err(t, "runs[0].latency.count: 11 but the histogram holds 10 values");
    free(t);
    /* a truncated document: every prefix fails cleanly */
    t = make_doc("dashboard", 1000, 10, true);
    size_t n = strlen(t);
    for (size_t k = 0; k < n; k += 7) {
        res_doc *d = NULL;
        sl_err e = {0};
        assert_int_equal(res_parse("r.json", t, k, &d, &e), -1);
        assert_null(d);
    }
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_compact),
        cmocka_unit_test(test_writer_pretty),
        cmocka_unit_test(test_writer_numbers),
        cmocka_unit_test(test_writer_escapes_roundtrip),
        cmocka_unit_test(test_reader_escapes),
        cmocka_unit_test(test_reader_values),
        cmocka_unit_test(test_reader_exact_integers),
        cmocka_unit_test(test_reader_nesting_limit),
        cmocka_unit_test(test_reader_malformed),
        cmocka_unit_test(test_reader_truncations),
        cmocka_unit_test(test_results_parse),
        cmocka_unit_test(test_results_roundtrip),
        cmocka_unit_test(test_results_merge),
        cmocka_unit_test(test_results_merge_refuses),
        cmocka_unit_test(test_results_malformed),
    };
    static const struct {
        struct CMUnitTest t;
        const char *what;
    } bugs[] = {
        {cmocka_unit_test(bug_surrogate_then_other_escape), "\\uD800\\u0041 loses the A"},
        {cmocka_unit_test(bug_surrogate_then_bad_escape), "\\uD800\\uZZZZ is accepted"},
        {cmocka_unit_test(bug_lone_surrogate), "a lone surrogate becomes invalid UTF-8"},
        {cmocka_unit_test(bug_nul_escape), "\\u0000 truncates the string"},
        {cmocka_unit_test(bug_number_grammar), "leading zeros and '1.' are accepted"},
        {cmocka_unit_test(bug_jv_int_range), "jv_int beyond int64 is undefined behaviour"},
        {cmocka_unit_test(bug_jw_num_precision),
         "jw_num keeps 9 digits (started_at loses seconds)"},
    };
    /* Bugs found in json.c and fixed: they stay as regression tests. */
    size_t nb = sizeof bugs / sizeof bugs[0];
    struct CMUnitTest all[sizeof bugs / sizeof bugs[0]];
    for (size_t i = 0; i < nb; i++) all[i] = bugs[i].t;
    int rc = _cmocka_run_group_tests("regressions", all, nb, NULL, NULL);
    return cmocka_run_group_tests(tests, NULL, NULL) + rc;
}
