/* test_hist.c — the HDR histogram against HdrHistogram_c 0.11.10 reference vectors
 * (tests/data/hdr/README.md): statistics, percentiles, layout, .hgrm/.csv text byte for byte,
 * V2 base64 decoding of the reference encodings, round trips, merging, hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>
#include <zlib.h>

#include "seedload/hist.h"

#define DATA "tests/data/hdr/"

static hist *ref_hist(void)
{
    hist *h = hist_new(1, 3600000000LL, 3);
    assert_non_null(h);
    return h;
}

/* Vector A: 1e6 spread values, then 50 ms and 3.6 s once; 3600000001 must be rejected. */
static hist *vector_a(void)
{
    hist *h = ref_hist();
    for (int64_t i = 0; i < 1000000; i++)
        assert_true(hist_record(h, 1000 + ((i * 7919) % 1000003)));
    assert_true(hist_record(h, 50000000));
    assert_true(hist_record(h, 3600000000LL));
    assert_false(hist_record(h, 3600000001LL));
    return h;
}

static hist *vector_c(bool corrected)
{
    hist *h = ref_hist();
    for (int i = 0; i < 10000; i++) {
        int64_t v = (i % 1000 == 999) ? 1000000 : 1000;
        assert_true(corrected ? hist_record_corrected(h, v, 10000) : hist_record(h, v));
    }
    return h;
}

static void assert_rel(double got, double want)
{
    if (fabs(got - want) > 1e-6 * fabs(want)) fail_msg("got %.9f, want %.9f", got, want);
}

static char *read_data(const char *name, size_t *len)
{
    char path[256], *buf = NULL;
    sl_err e = {0};
    snprintf(path, sizeof path, DATA "%s", name);
    if (sl_read_file(path, &buf, len, &e) < 0) fail_msg("%s", e.msg);
    return buf;
}

/* Render the distribution into memory. */
static char *render(const hist *h, bool csv, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    assert_int_equal(hist_write_hgrm(h, f, 5, 1.0, csv), 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void assert_text_equal(const char *got, size_t got_len, const char *want, size_t want_len,
                              const char *what)
{
    if (got_len == want_len && memcmp(got, want, got_len) == 0) return;
    size_t i = 0, line = 1;
    while (i < got_len && i < want_len && got[i] == want[i]) line += got[i++] == '\n';
    fail_msg("%s differs at byte %zu (line %zu): got \"%.60s\" want \"%.60s\"", what, i, line,
             got + i, want + i);
}

static void check_text(const hist *h, bool csv, const char *file)
{
    size_t got_len, want_len;
    char *got = render(h, csv, &got_len);
    char *want = read_data(file, &want_len);
    assert_text_equal(got, got_len, want, want_len, file);
    free(got);
    free(want);
}

static void assert_same_counts(const hist *a, const hist *b)
{
    assert_int_equal(hist_counts_len(a), hist_counts_len(b));
    for (size_t i = 0; i < hist_counts_len(a); i++) {
        if (hist_count_at_index(a, i) != hist_count_at_index(b, i))
            fail_msg("counter %zu (value %lld): %lld vs %lld", i,
                     (long long)hist_value_at_index(a, i), (long long)hist_count_at_index(a, i),
                     (long long)hist_count_at_index(b, i));
    }
    assert_int_equal(hist_total(a), hist_total(b));
    assert_int_equal(hist_min(a), hist_min(b));
    assert_int_equal(hist_max(a), hist_max(b));
    assert_int_equal(hist_lowest_trackable(a), hist_lowest_trackable(b));
    assert_int_equal(hist_highest_trackable(a), hist_highest_trackable(b));
    assert_int_equal(hist_sigfigs(a), hist_sigfigs(b));
}

/* ---- vector A ------------------------------------------------------------------------- */

static void test_a_stats(void **state)
{
    (void)state;
    hist *h = vector_a();
    assert_int_equal(hist_total(h), 1000002);
    assert_int_equal(hist_min(h), 1000);
    assert_int_equal(hist_max(h), 3600809983LL);
    assert_rel(hist_mean(h), 504648.796738);
    assert_rel(hist_stddev(h), 3611151.947857);
    hist_free(h);
}

static void test_a_percentiles(void **state)
{
    (void)state;
    hist *h = vector_a();
    assert_int_equal(hist_percentile(h, 0), 1000);
    assert_int_equal(hist_percentile(h, 50), 501247);
    assert_int_equal(hist_percentile(h, 90), 901119);
    assert_int_equal(hist_percentile(h, 99), 991231);
    assert_int_equal(hist_percentile(h, 99.9), 1000447);
    assert_int_equal(hist_percentile(h, 99.99), 1000959);
    assert_int_equal(hist_percentile(h, 99.999), 1001471);
    assert_int_equal(hist_percentile(h, 100), 3600809983LL);
    assert_int_equal(hist_percentile(h, 150), 3600809983LL);
    hist_free(h);
}

static void test_out_of_range(void **state)
{
    (void)state;
    hist *h = ref_hist();
    assert_false(hist_record(h, 3600000001LL));
    assert_false(hist_record(h, -1));
    assert_false(hist_record(h, INT64_MAX));
    assert_false(hist_record_n(h, 5, -1));
    assert_false(hist_record_corrected(h, 3600000001LL, 1000));
    assert_int_equal(hist_total(h), 0);
    assert_int_equal(hist_max(h), 0);
    assert_int_equal(hist_min(h), INT64_MAX);
    assert_true(hist_record(h, 3600000000LL));
    assert_int_equal(hist_total(h), 1);
    hist_free(h);
}

static void test_layout_probes(void **state)
{
    (void)state;
    static const int64_t probes[][3] = {
        {0, 0, 0},
        {1023, 1023, 1023},
        {2047, 2047, 2047},
        {2048, 2048, 2049},
        {4095, 4094, 4095},
        {4096, 4096, 4099},
        {1001002, 1000960, 1001471},
        {50000000, 49971200, 50003967},
        {3600000000LL, 3598712832LL, 3600809983LL},
    };
    hist *h = ref_hist();
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        assert_int_equal(hist_lowest_equiv(h, probes[i][0]), probes[i][1]);
        assert_int_equal(hist_highest_equiv(h, probes[i][0]), probes[i][2]);
    }
    hist_free(h);
}

static void test_config(void **state)
{
    (void)state;
    hist *h = ref_hist();
    assert_int_equal(hist_counts_len(h), 23552);
    assert_true(hist_memory(h) >= 23552 * sizeof(int64_t));
    assert_true(hist_memory(h) < 23552 * sizeof(int64_t) + 512);
    assert_int_equal(hist_bucket_count(h), 22);
    assert_int_equal(hist_sub_bucket_count(h), 2048);
    assert_int_equal(hist_lowest_trackable(h), 1);
    assert_int_equal(hist_highest_trackable(h), 3600000000LL);
    assert_int_equal(hist_sigfigs(h), 3);
    hist *d = hist_dup_empty(h);
    assert_int_equal(hist_counts_len(d), 23552);
    assert_int_equal(hist_total(d), 0);
    hist_free(d);
    hist_free(h);
    hist_free(NULL);
    assert_null(hist_new(0, 100, 3));
    assert_null(hist_new(10, 19, 3));
    assert_null(hist_new(1, 100, 0));
    assert_null(hist_new(1, 100, 6));
    assert_null(hist_new(INT64_MAX / 2, INT64_MAX, 5)); /* needs more than 62 bits */
    hist *big = hist_new(1, INT64_MAX, 5);
    assert_non_null(big);
    assert_true(hist_record(big, INT64_MAX));
    assert_int_equal(hist_max(big), INT64_MAX);
    hist_free(big);
}

static void test_reset_and_empty(void **state)
{
    (void)state;
    hist *h = vector_a();
    hist_reset(h);
    assert_int_equal(hist_total(h), 0);
    assert_int_equal(hist_max(h), 0);
    assert_int_equal(hist_min(h), INT64_MAX);
    assert_int_equal(hist_percentile(h, 99), 0);
    assert_true(hist_mean(h) == 0.0);
    assert_true(hist_stddev(h) == 0.0);
    for (size_t i = 0; i < hist_counts_len(h); i++) assert_int_equal(hist_count_at_index(h, i), 0);
    assert_true(hist_record(h, 0));
    assert_int_equal(hist_min(h), 0);
    assert_int_equal(hist_max(h), 0);
    assert_int_equal(hist_total(h), 1);
    hist_free(h);
}

/* ---- vector C ------------------------------------------------------------------------- */

static void test_c_raw(void **state)
{
    (void)state;
    hist *h = vector_c(false);
    assert_int_equal(hist_total(h), 10000);
    assert_int_equal(hist_min(h), 1000);
    assert_int_equal(hist_max(h), 1000447);
    assert_int_equal(hist_percentile(h, 50), 1000);
    assert_int_equal(hist_percentile(h, 99), 1000);
    assert_int_equal(hist_percentile(h, 99.9), 1000);
    assert_int_equal(hist_percentile(h, 99.99), 1000447);
    hist_free(h);
}

static void test_c_corrected(void **state)
{
    (void)state;
    hist *h = vector_c(true);
    assert_int_equal(hist_total(h), 10990);
    assert_int_equal(hist_min(h), 1000);
    assert_int_equal(hist_max(h), 1000447);
    assert_int_equal(hist_percentile(h, 50), 1000);
    assert_int_equal(hist_percentile(h, 90), 1000);
    assert_int_equal(hist_percentile(h, 99), 890367);
    assert_int_equal(hist_percentile(h, 99.9), 990207);
    assert_int_equal(hist_percentile(h, 99.99), 1000447);
    assert_rel(hist_mean(h), 46860.866242);
    assert_rel(hist_stddev(h), 169095.586574);
    hist_free(h);
}

/* ---- text output ---------------------------------------------------------------------- */

static void test_hgrm_a(void **state)
{
    (void)state;
    hist *h = vector_a();
    check_text(h, false, "vectorA.hgrm");
    hist_free(h);
}

static void test_hgrm_c_raw(void **state)
{
    (void)state;
    hist *h = vector_c(false);
    check_text(h, false, "vectorC_raw.hgrm");
    hist_free(h);
}

static void test_hgrm_c_corrected(void **state)
{
    (void)state;
    hist *h = vector_c(true);
    check_text(h, false, "vectorC_corrected.hgrm");
    hist_free(h);
}

static void test_csv_a(void **state)
{
    (void)state;
    hist *h = vector_a();
    check_text(h, true, "vectorA.csv");
    hist_free(h);
}

static void test_csv_c_raw(void **state)
{
    (void)state;
    hist *h = vector_c(false);
    check_text(h, true, "vectorC_raw.csv");
    hist_free(h);
}

static void test_csv_c_corrected(void **state)
{
    (void)state;
    hist *h = vector_c(true);
    check_text(h, true, "vectorC_corrected.csv");
    hist_free(h);
}

static void test_hgrm_scaled(void **state)
{
    (void)state;
    hist *h = vector_c(false);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(hist_write_hgrm(h, f, 5, 1000.0, false), 0);
    fclose(f);
    /* 1000 ns / 1000 → 1.000 µs; footer max 1000447 ns → 1000.447 µs */
    assert_non_null(strstr(buf, "       1.000     0.000000         9990         1.00\n"));
    assert_non_null(strstr(buf, "#[Max     =     1000.447, Total count    =        10000]\n"));
    free(buf);
    hist_free(h);
}

/* ---- iteration ------------------------------------------------------------------------ */

static void test_iter_recorded(void **state)
{
    (void)state;
    hist *h = vector_c(false);
    hist_iter it;
    hist_iter_recorded(&it, h);
    assert_true(hist_iter_next(&it));
    assert_int_equal(it.value, 1000);
    assert_int_equal(it.highest_equiv, 1000);
    assert_int_equal(it.count, 9990);
    assert_int_equal(it.cumulative, 9990);
    assert_true(hist_iter_next(&it));
    assert_int_equal(it.lowest_equiv, 999936);
    assert_int_equal(it.highest_equiv, 1000447);
    assert_int_equal(it.count, 10);
    assert_int_equal(it.cumulative, 10000);
    assert_true(it.percentile == 100.0);
    assert_false(hist_iter_next(&it));
    hist_free(h);
}

/* ---- V2 encoding ---------------------------------------------------------------------- */

static void check_ref_b64(hist *mine, const char *file)
{
    size_t len;
    char *b64 = read_data(file, &len);
    sl_err e = {0};
    hist *ref = hist_decode_b64(b64, len, &e);
    if (!ref) fail_msg("%s: %s", file, e.msg);
    assert_same_counts(ref, mine);
    hist_free(ref);
    free(b64);
    hist_free(mine);
}

static void test_b64_ref_a(void **state)
{
    (void)state;
    check_ref_b64(vector_a(), "vectorA.b64");
}

static void test_b64_ref_c_raw(void **state)
{
    (void)state;
    check_ref_b64(vector_c(false), "vectorC_raw.b64");
}

static void test_b64_ref_c_corrected(void **state)
{
    (void)state;
    check_ref_b64(vector_c(true), "vectorC_corrected.b64");
}

static void roundtrip(hist *h)
{
    char *b64 = NULL;
    sl_err e = {0};
    assert_int_equal(hist_encode_b64(h, &b64, &e), 0);
    assert_non_null(b64);
    assert_int_equal(strncmp(b64, "HISTF", 5), 0); /* the V2 compressed cookie in base64 */
    hist *back = hist_decode_b64(b64, strlen(b64), &e);
    if (!back) fail_msg("%s", e.msg);
    assert_same_counts(back, h);
    hist_free(back);
    free(b64);
}

static void test_roundtrip(void **state)
{
    (void)state;
    hist *h = vector_a();
    roundtrip(h);
    hist_free(h);
    h = vector_c(true);
    roundtrip(h);
    hist_free(h);
    h = ref_hist(); /* empty */
    roundtrip(h);
    assert_true(hist_record(h, 0));
    roundtrip(h);
    hist_free(h);
    h = hist_new(1000, 60000000000LL, 2); /* another configuration, large counts */
    assert_true(hist_record_n(h, 123456, INT64_C(1) << 40));
    assert_true(hist_record(h, 59999999999LL));
    assert_true(hist_record(h, 1));
    roundtrip(h);
    hist_free(h);
}

static void test_add_halves(void **state)
{
    (void)state;
    hist *whole = vector_a();
    hist *lo = ref_hist(), *hi = ref_hist();
    for (int64_t i = 0; i < 1000000; i++)
        hist_record(i < 500000 ? lo : hi, 1000 + ((i * 7919) % 1000003));
    hist_record(lo, 50000000);
    hist_record(hi, 3600000000LL);
    hist *sum = hist_dup_empty(lo);
    assert_int_equal(hist_add(sum, lo), 0);
    assert_int_equal(hist_add(sum, hi), 0);
    assert_same_counts(sum, whole);
    assert_int_equal(hist_percentile(sum, 99.99), 1000959);
    assert_rel(hist_mean(sum), hist_mean(whole));

    /* Merging into a narrower histogram drops what does not fit, and says how much. */
    hist *narrow = hist_new(1, 100000000, 3);
    assert_int_equal(hist_add(narrow, whole), 1);
    assert_int_equal(hist_total(narrow), 1000001);
    hist_free(narrow);
    hist_free(sum);
    hist_free(lo);
    hist_free(hi);
    hist_free(whole);
}

static void expect_decode_fail(const char *b64, size_t len)
{
    sl_err e = {0};
    hist *h = hist_decode_b64(b64, len, &e);
    if (h) fail_msg("decoding \"%.40s\" (%zu bytes) should fail", b64 ? b64 : "(null)", len);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    assert_true(e.msg[0] != '\0');
}

static void test_decode_empty(void **state)
{
    (void)state;
    expect_decode_fail("", 0);
    expect_decode_fail("   \n", 4);
    expect_decode_fail(NULL, 0);
}

static void test_decode_garbage(void **state)
{
    (void)state;
    expect_decode_fail("not base64 at all!", 18);
    expect_decode_fail("abc", 3);
    expect_decode_fail("ab=c", 4);
    expect_decode_fail("====", 4);
    expect_decode_fail("AAAAAAAAAAAA", 12);     /* wrong cookie */
    expect_decode_fail("HISTFAAAAAA=", 12);     /* right cookie, length 0, no stream */
    expect_decode_fail("HISTFAAAAHx4nO3L", 16); /* claims 124 bytes */
    /* Flip bytes throughout a valid encoding: each must fail or decode, never crash. */
    size_t len;
    char *b64 = read_data("vectorA.b64", &len);
    static const char alphabet[] = "AZaz09+/";
    int failures = 0;
    for (size_t i = 0; i < len; i++) {
        char *copy = xstrndup(b64, len);
        copy[i] = alphabet[(i * 5 + (size_t)copy[i]) % 8];
        if (copy[i] == b64[i]) copy[i] = copy[i] == 'A' ? 'B' : 'A';
        sl_err e = {0};
        hist *h = hist_decode_b64(copy, len, &e);
        if (!h) {
            failures++;
            assert_int_equal(e.code, SL_EXIT_USAGE);
        }
        hist_free(h);
        free(copy);
    }
    assert_true(failures > (int)len / 2);
    free(b64);
}

static void test_decode_truncated(void **state)
{
    (void)state;
    size_t len;
    char *b64 = read_data("vectorC_corrected.b64", &len);
    for (size_t n = 0; n < len; n++) {
        sl_err e = {0};
        hist *h = hist_decode_b64(b64, n, &e);
        if (h) fail_msg("a prefix of %zu bytes decoded", n);
        assert_int_equal(e.code, SL_EXIT_USAGE);
    }
    free(b64);
}

/* Hand-built V2 blobs with a chosen header and payload, to reach the decoder's checks. */
static char *raw_b64(const uint8_t *payload, size_t plen, int32_t payload_len_field,
                     int32_t sigfigs, int64_t lowest, int64_t highest, size_t trailing)
{
    uint8_t enc[256] = {0}, blob[512] = {0};
    uint32_t hdr32[4] = {0x1c849313u, (uint32_t)payload_len_field, 0, (uint32_t)sigfigs};
    uint64_t hdr64[3] = {(uint64_t)lowest, (uint64_t)highest, 0x3ff0000000000000ull};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++) enc[4 * i + k] = (uint8_t)(hdr32[i] >> (24 - 8 * k));
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 8; k++) enc[16 + 8 * i + k] = (uint8_t)(hdr64[i] >> (56 - 8 * k));
    memcpy(enc + 40, payload, plen);
    uLongf zlen = sizeof blob - 8;
    assert_int_equal(compress(blob + 8, &zlen, enc, (uLong)(40 + plen)), Z_OK);
    uint32_t head[2] = {0x1c849314u, (uint32_t)(zlen + trailing)};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 4; k++) blob[4 * i + k] = (uint8_t)(head[i] >> (24 - 8 * k));
    size_t n = 8 + zlen + trailing;
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = calloc(n / 3 * 4 + 8, 1), *o = out;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t w = (uint32_t)blob[i] << 16 | (i + 1 < n ? (uint32_t)blob[i + 1] << 8 : 0) |
                     (i + 2 < n ? blob[i + 2] : 0);
        *o++ = A[w >> 18];
        *o++ = A[(w >> 12) & 63];
        *o++ = i + 1 < n ? A[(w >> 6) & 63] : '=';
        *o++ = i + 2 < n ? A[w & 63] : '=';
    }
    return out;
}

static void expect_raw(const uint8_t *payload, size_t plen, int32_t plen_field, int32_t sigfigs,
                       int64_t lowest, int64_t highest, size_t trailing, bool ok)
{
    char *b64 = raw_b64(payload, plen, plen_field, sigfigs, lowest, highest, trailing);
    if (ok) {
        sl_err e = {0};
        hist *h = hist_decode_b64(b64, strlen(b64), &e);
        if (!h) fail_msg("%s", e.msg);
        hist_free(h);
    } else {
        expect_decode_fail(b64, strlen(b64));
    }
    free(b64);
}

static void test_decode_crafted(void **state)
{
    (void)state;
    /* ZigZag: 3 → 0x06 (count 3); -1000 → 1999 → 0xcf 0x0f (1000 empty counters). */
    const uint8_t good[] = {0xcf, 0x0f, 0x06};
    expect_raw(good, 3, 3, 3, 1, 3600000000LL, 0, true);
    /* The same, with the header's payload length too long, too short, or negative. */
    expect_raw(good, 3, 4, 3, 1, 3600000000LL, 0, false);
    expect_raw(good, 3, 2, 3, 1, 3600000000LL, 0, false);
    expect_raw(good, 3, -5, 3, 1, 3600000000LL, 0, false);
    /* Bytes after the zlib stream. */
    expect_raw(good, 3, 3, 3, 1, 3600000000LL, 2, false);
    /* Invalid configurations. */
    expect_raw(good, 3, 3, 0, 1, 3600000000LL, 0, false);
    expect_raw(good, 3, 3, 9, 1, 3600000000LL, 0, false);
    expect_raw(good, 3, 3, 3, 0, 3600000000LL, 0, false);
    expect_raw(good, 3, 3, 3, 100, 150, 0, false);
    expect_raw(good, 3, 3, 3, -1, -1, 0, false);
    /* A run of empty counters past the end: -30000 → 59999 → 0xdf 0xd4 0x03. */
    const uint8_t long_run[] = {0xdf, 0xd4, 0x03};
    expect_raw(long_run, 3, 3, 3, 1, 3600000000LL, 0, false);
    /* Counts past the last counter: 23552 empty, then one count. */
    const uint8_t past[] = {0xff, 0xef, 0x02, 0x02};
    expect_raw(past, 3, 3, 3, 1, 3600000000LL, 0, true);
    expect_raw(past, 4, 4, 3, 1, 3600000000LL, 0, false);
    /* A value cut off mid-LEB128, and an INT64_MIN run length (9-byte encoding). */
    const uint8_t cut[] = {0x06, 0x80, 0x80};
    expect_raw(cut, 3, 3, 3, 1, 3600000000LL, 0, false);
    const uint8_t minrun[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    expect_raw(minrun, 9, 9, 3, 1, 3600000000LL, 0, false);
    /* Counts whose total overflows int64. */
    const uint8_t huge[] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                            0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    expect_raw(huge, 18, 18, 3, 1, 3600000000LL, 0, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_stats),
        cmocka_unit_test(test_a_percentiles),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_layout_probes),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_reset_and_empty),
        cmocka_unit_test(test_c_raw),
        cmocka_unit_test(test_c_corrected),
        cmocka_unit_test(test_hgrm_a),
        cmocka_unit_test(test_hgrm_c_raw),
        cmocka_unit_test(test_hgrm_c_corrected),
        cmocka_unit_test(test_csv_a),
        cmocka_unit_test(test_csv_c_raw),
        cmocka_unit_test(test_csv_c_corrected),
        cmocka_unit_test(test_hgrm_scaled),
        cmocka_unit_test(test_iter_recorded),
        cmocka_unit_test(test_b64_ref_a),
        cmocka_unit_test(test_b64_ref_c_raw),
        cmocka_unit_test(test_b64_ref_c_corrected),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_add_halves),
        cmocka_unit_test(test_decode_empty),
        cmocka_unit_test(test_decode_garbage),
        cmocka_unit_test(test_decode_truncated),
        cmocka_unit_test(test_decode_crafted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
