/* test_value.c — canonical text of generated values (the CSV/checksum contract in value.h),
 * calendar arithmetic, date/timestamp/decimal parsing, rounding, and UTF-8 helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "seedload/util.h"
#include "seedload/value.h"

/* The canonical text of v as a NUL-terminated string (static buffer). */
static const char *text_of(val v)
{
    static char buf[256];
    sbuf b = {0};
    val_append_text(&v, &b);
    snprintf(buf, sizeof buf, "%s", b.p ? b.p : "");
    sbuf_free(&b);
    return buf;
}

static val vint(int64_t i)
{
    return (val){.t = VT_INT, .i = i};
}
static val vdec(int64_t i, int scale)
{
    return (val){.t = VT_DEC, .scale = (uint8_t)scale, .i = i};
}
static val vdate(int64_t d)
{
    return (val){.t = VT_DATE, .i = d};
}
static val vts(int64_t us)
{
    return (val){.t = VT_TS, .i = us};
}

static void test_fmt_i64(void **state)
{
    (void)state;
    char b[32];
    size_t n;
    n = fmt_i64(0, b), b[n] = 0;
    assert_string_equal(b, "0");
    n = fmt_i64(-1, b), b[n] = 0;
    assert_string_equal(b, "-1");
    n = fmt_i64(1234567890123LL, b), b[n] = 0;
    assert_string_equal(b, "1234567890123");
    n = fmt_i64(INT64_MAX, b), b[n] = 0;
    assert_string_equal(b, "9223372036854775807");
    n = fmt_i64(INT64_MIN, b), b[n] = 0;
    assert_string_equal(b, "-9223372036854775808");
    /* every width from 1 to 19 digits */
    for (int d = 1; d <= 18; d++) {
        int64_t v = pow10_i64(d - 1);
        char want[32];
        snprintf(want, sizeof want, "%lld", (long long)v);
        n = fmt_i64(v, b), b[n] = 0;
        assert_string_equal(b, want);
        snprintf(want, sizeof want, "%lld", (long long)(v * 9 + 7));
        n = fmt_i64(v * 9 + 7, b), b[n] = 0;
        assert_string_equal(b, want);
    }
}

static void test_pow10(void **state)
{
    (void)state;
    int64_t p = 1;
    for (int i = 0; i <= 18; i++) {
        assert_int_equal(pow10_i64(i), p);
        if (i < 18) p *= 10;
    }
    assert_int_equal(pow10_i64(-1), 0);
    assert_int_equal(pow10_i64(19), 0);
}

static void test_text_int_bool(void **state)
{
    (void)state;
    assert_string_equal(text_of(vint(-12)), "-12");
    assert_string_equal(text_of(vint(0)), "0");
    assert_string_equal(text_of((val){.t = VT_BOOL, .i = 1}), "1");
    assert_string_equal(text_of((val){.t = VT_BOOL, .i = 0}), "0");
    assert_string_equal(text_of((val){.t = VT_BOOL, .i = 7}), "1");
}

static void test_text_decimal(void **state)
{
    (void)state;
    assert_string_equal(text_of(vdec(290, 2)), "2.90");
    assert_string_equal(text_of(vdec(-5, 2)), "-0.05");
    assert_string_equal(text_of(vdec(5, 3)), "0.005");
    assert_string_equal(text_of(vdec(0, 2)), "0.00");
    assert_string_equal(text_of(vdec(400, 2)), "4.00");
    assert_string_equal(text_of(vdec(-1234567, 3)), "-1234.567");
    assert_string_equal(text_of(vdec(42, 0)), "42");
    assert_string_equal(text_of(vdec(1, 9)), "0.000000001");
    assert_string_equal(text_of(vdec(INT64_MIN, 2)), "-92233720368547758.08");
}

static void test_text_date(void **state)
{
    (void)state;
    assert_string_equal(text_of(vdate(0)), "1970-01-01");
    assert_string_equal(text_of(vdate(-1)), "1969-12-31");
    assert_string_equal(text_of(vdate(days_from_civil(2024, 2, 29))), "2024-02-29");
    assert_string_equal(text_of(vdate(days_from_civil(2025, 1, 6))), "2025-01-06");
    assert_string_equal(text_of(vdate(days_from_civil(1, 1, 1))), "0001-01-01");
    assert_string_equal(text_of(vdate(days_from_civil(9999, 12, 31))), "9999-12-31");
}

static void test_text_timestamp(void **state)
{
    (void)state;
    assert_string_equal(text_of(vts(0)), "1970-01-01 00:00:00");
    assert_string_equal(text_of(vts(1)), "1970-01-01 00:00:00.000001");
    assert_string_equal(text_of(vts(-1)), "1969-12-31 23:59:59.999999");
    assert_string_equal(text_of(vts(-1000000)), "1969-12-31 23:59:59");
    int64_t d = days_from_civil(2025, 1, 6);
    assert_string_equal(text_of(vts(d * 86400000000LL + (8 * 3600 + 30 * 60) * 1000000LL)),
                        "2025-01-06 08:30:00");
    assert_string_equal(text_of(vts(d * 86400000000LL + 86399LL * 1000000 + 500000)),
                        "2025-01-06 23:59:59.500000");
}

static void test_text_uuid(void **state)
{
    (void)state;
    val v = {.t = VT_UUID};
    for (int i = 0; i < 16; i++) v.u[i] = (uint8_t)(i * 17);
    assert_string_equal(text_of(v), "00112233-4455-6677-8899-aabbccddeeff");
    char buf[VAL_FMT_MAX];
    assert_int_equal(val_fmt_scalar(&v, buf), 36);
}

static void test_text_text_json_null(void **state)
{
    (void)state;
    val t = {.t = VT_TEXT, .s = "a,b\"c", .len = 5};
    assert_string_equal(text_of(t), "a,b\"c");
    val j = {.t = VT_JSON, .s = "{\"a\":1}xx", .len = 7}; /* len, not NUL, ends it */
    assert_string_equal(text_of(j), "{\"a\":1}");
    val n = {.t = VT_NULL};
    assert_string_equal(text_of(n), "");
    char buf[VAL_FMT_MAX];
    assert_int_equal(val_fmt_scalar(&n, buf), 0);
}

static void test_vtype_name(void **state)
{
    (void)state;
    assert_string_equal(vtype_name(VT_INT), "int");
    assert_string_equal(vtype_name(VT_DEC), "decimal");
    assert_string_equal(vtype_name(VT_TS), "timestamp");
    assert_string_equal(vtype_name(VT_UUID), "uuid");
    assert_string_equal(vtype_name((vtype)99), "?");
}

static void test_as_double(void **state)
{
    (void)state;
    val v = vdec(290, 2);
    assert_true(fabs(val_as_double(&v) - 2.9) < 1e-12);
    v = vint(-3);
    assert_true(val_as_double(&v) == -3.0);
    v = vdate(20000);
    assert_true(val_as_double(&v) == 20000.0);
    v = vts(1500000);
    assert_true(val_as_double(&v) == 1.5);
    v = (val){.t = VT_TEXT, .s = "2.5xyz", .len = 3};
    assert_true(val_as_double(&v) == 2.5);
    v = (val){.t = VT_TEXT, .s = "abc", .len = 3};
    assert_true(isnan(val_as_double(&v)));
    v = (val){.t = VT_NULL};
    assert_true(isnan(val_as_double(&v)));
}

static void test_calendar_roundtrip(void **state)
{
    (void)state;
    /* Every day over ±2200 years round-trips and consecutive days advance by one. */
    int64_t py = 0;
    unsigned pm = 0, pd = 0;
    for (int64_t z = -800000; z <= 800000; z++) {
        int64_t y;
        unsigned m, d;
        civil_from_days(z, &y, &m, &d);
        assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
        assert_int_equal(days_from_civil(y, m, d), z);
        if (z > -800000) {
            bool next = (y == py && m == pm && d == pd + 1) || (y == py && m == pm + 1 && d == 1) ||
                        (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31);
            assert_true(next);
        }
        py = y, pm = m, pd = d;
    }
    assert_int_equal(days_from_civil(1970, 1, 1), 0);
    assert_int_equal(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2); /* leap */
    assert_int_equal(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1); /* not */
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(weekday_from_days(0), 3);                           /* Thursday */
    assert_int_equal(weekday_from_days(days_from_civil(2025, 1, 6)), 0); /* Monday */
    assert_int_equal(weekday_from_days(days_from_civil(2025, 5, 10)), 5);
    assert_int_equal(weekday_from_days(days_from_civil(2025, 5, 11)), 6);
    assert_int_equal(weekday_from_days(-1), 2);
    assert_int_equal(weekday_from_days(-7), 3);
    for (int64_t z = -1000; z < 1000; z++)
        assert_int_equal(weekday_from_days(z + 7), weekday_from_days(z));
}

static void test_parse_date(void **state)
{
    (void)state;
    int64_t d = -42;
    assert_int_equal(parse_date("2025-01-06", &d), 0);
    assert_int_equal(d, days_from_civil(2025, 1, 6));
    assert_int_equal(parse_date("  2024-02-29 ", &d), 0);
    assert_int_equal(d, days_from_civil(2024, 2, 29));
    assert_int_equal(parse_date("1969-12-31", &d), 0);
    assert_int_equal(d, -1);
    static const char *const bad[] = {
        "2025-02-29", "2025-13-01", "2025-00-10", "2025-01-00",  "2025-04-31",
        "2025-1-06",  "2025-01-6",  "2025/01/06", "2025-01-06x", "2025-01-06 08:00:00",
        "",           "abc",        "1900-02-29"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = 12345;
        if (parse_date(bad[i], &d) == 0) fail_msg("parse_date accepted '%s'", bad[i]);
    }
}

static void test_parse_timestamp(void **state)
{
    (void)state;
    int64_t base = days_from_civil(2025, 1, 6) * 86400000000LL, us;
    assert_int_equal(parse_timestamp("2025-01-06 08:30:00", &us), 0);
    assert_int_equal(us, base + 30600000000LL);
    assert_int_equal(parse_timestamp("2025-01-06T08:30:00Z", &us), 0);
    assert_int_equal(us, base + 30600000000LL);
    assert_int_equal(parse_timestamp("2025-01-06 08:30:00+00:00", &us), 0);
    assert_int_equal(us, base + 30600000000LL);
    assert_int_equal(parse_timestamp("2025-01-06 08:30", &us), 0);
    assert_int_equal(us, base + 30600000000LL);
    assert_int_equal(parse_timestamp("2025-01-06", &us), 0);
    assert_int_equal(us, base);
    assert_int_equal(parse_timestamp("2025-01-06 00:00:00.5", &us), 0);
    assert_int_equal(us, base + 500000);
    assert_int_equal(parse_timestamp("2025-01-06 00:00:00.000001", &us), 0);
    assert_int_equal(us, base + 1);
    assert_int_equal(parse_timestamp("2025-01-06 23:59:59.1234567", &us),
                     0); /* extra digits dropped */
    assert_int_equal(us, base + 86399123456LL);
    static const char *const bad[] = {"2025-01-06 24:00:00",
                                      "2025-01-06 08:60:00",
                                      "2025-01-06 08:30:60",
                                      "2025-01-06 08:30:00.",
                                      "2025-01-06 08:30:00+01:00",
                                      "2025-01-06 8:30:00",
                                      "2025-02-30 00:00:00",
                                      "2025-01-06 08",
                                      "now"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse_timestamp(bad[i], &us) == 0) fail_msg("parse_timestamp accepted '%s'", bad[i]);
}

static void test_parse_decimal(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(parse_decimal("2.9", 2, &v), 0);
    assert_int_equal(v, 290);
    assert_int_equal(parse_decimal("3", 2, &v), 0);
    assert_int_equal(v, 300);
    assert_int_equal(parse_decimal("-0.125", 2, &v), 0); /* half away from zero */
    assert_int_equal(v, -13);
    assert_int_equal(parse_decimal("0.125", 2, &v), 0);
    assert_int_equal(v, 13);
    assert_int_equal(parse_decimal("2.995", 2, &v), 0);
    assert_int_equal(v, 300);
    assert_int_equal(parse_decimal("2.9949", 2, &v), 0);
    assert_int_equal(v, 299);
    assert_int_equal(parse_decimal(".5", 1, &v), 0);
    assert_int_equal(v, 5);
    assert_int_equal(parse_decimal("+2.5", 1, &v), 0);
    assert_int_equal(v, 25);
    assert_int_equal(parse_decimal(" 2.50 ", 2, &v), 0);
    assert_int_equal(v, 250);
    assert_int_equal(parse_decimal("7", 0, &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(parse_decimal("-9223372036854775808", 0, &v), 0);
    assert_int_equal(v, INT64_MIN);
    static const char *const bad[] = {"",
                                      "-",
                                      "abc",
                                      "1e3",
                                      "1.2.3",
                                      "2,5",
                                      "0x10",
                                      ". 5",
                                      "99999999999999999999",
                                      "92233720368547758.08"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse_decimal(bad[i], 2, &v) == 0)
            fail_msg("parse_decimal accepted '%s' (got %lld)", bad[i], (long long)v);
}

static void test_decimal_digits(void **state)
{
    (void)state;
    assert_int_equal(decimal_digits("2.90"), 2);
    assert_int_equal(decimal_digits("3"), 0);
    assert_int_equal(decimal_digits("-0.125"), 3);
    assert_int_equal(decimal_digits("1."), 0);
}

static void test_dec_from_double(void **state)
{
    (void)state;
    assert_int_equal(dec_from_double(2.5, 0), 3);
    assert_int_equal(dec_from_double(-2.5, 0), -3);
    assert_int_equal(dec_from_double(0.125, 2), 13);
    assert_int_equal(dec_from_double(-0.125, 2), -13);
    assert_int_equal(dec_from_double(2.9, 2), 290);
    assert_int_equal(dec_from_double(0.0, 3), 0);
    assert_int_equal(dec_from_double(1e30, 2), INT64_MAX);
    assert_int_equal(dec_from_double(-1e30, 2), INT64_MIN);
}

static void test_utf8(void **state)
{
    (void)state;
    const char *zoe = "Zo\xc3\xab";              /* Zoë: 3 characters, 4 bytes */
    const char *jp = "\xe6\x97\xa5\xe6\x9c\xac"; /* 日本 */
    assert_int_equal(utf8_len(zoe, 4), 3);
    assert_int_equal(utf8_len(jp, 6), 2);
    assert_int_equal(utf8_len("", 0), 0);
    assert_int_equal(utf8_prefix(zoe, 4, 2), 2);
    assert_int_equal(utf8_prefix(zoe, 4, 3), 4);
    assert_int_equal(utf8_prefix(zoe, 4, 10), 4);
    assert_int_equal(utf8_prefix(jp, 6, 1), 3);
    assert_int_equal(utf8_prefix(jp, 6, 0), 0);
    const char *emoji = "a\xf0\x9f\x98\x80"
                        "b"; /* a😀b */
    assert_int_equal(utf8_len(emoji, 6), 3);
    assert_int_equal(utf8_prefix(emoji, 6, 2), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_i64),
        cmocka_unit_test(test_pow10),
        cmocka_unit_test(test_text_int_bool),
        cmocka_unit_test(test_text_decimal),
        cmocka_unit_test(test_text_date),
        cmocka_unit_test(test_text_timestamp),
        cmocka_unit_test(test_text_uuid),
        cmocka_unit_test(test_text_text_json_null),
        cmocka_unit_test(test_vtype_name),
        cmocka_unit_test(test_as_double),
        cmocka_unit_test(test_calendar_roundtrip),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_parse_timestamp),
        cmocka_unit_test(test_parse_decimal),
        cmocka_unit_test(test_decimal_digits),
        cmocka_unit_test(test_dec_from_double),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
