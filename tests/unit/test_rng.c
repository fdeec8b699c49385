/* test_rng.c — the counter-based random source and its distributions: pure functions of
 * (key, row, sub), pinned values (the data contract), ranges, uniformity, the normal
 * transform, the Zipf sampler, and keyed permutations (bijections used by unique columns). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "seedload/rng.h"
#include "seedload/util.h"

/* Generated data and checksums depend on these functions (util.h: "stable across machines and
 * releases"). A change here changes every dataset: it must be deliberate, so the values are
 * pinned. */
static void test_pinned_values(void **state)
{
    (void)state;
    assert_true(sl_hash64("seedload", 8, 0) == 0x12d0168cb4ec0d58ULL);
    assert_true(sl_hash64("", 0, 1) == 0x4ea0e24ba18a041bULL);
    assert_true(sl_hash64("the quick brown fox jumps over the lazy dog", 43, 7) ==
                0x58dbeffe5c7acb9cULL);
    assert_true(sl_mix64(1) == 0x4179b061e0c0e0d0ULL);
    assert_true(rng_key(20250813, "students.gpa") == 0xafde145f11ee1c2cULL);
    assert_true(rng_at(1, 2, 3) == 0x7b68fe679c8e4752ULL);
    rng_perm p;
    rng_perm_init(&p, 10, 99);
    static const uint64_t want[10] = {7, 3, 4, 1, 9, 2, 6, 8, 0, 5};
    for (uint64_t i = 0; i < 10; i++) assert_int_equal(rng_perm_apply(&p, i), want[i]);
}

static void test_hash_properties(void **state)
{
    (void)state;
    /* Every length 0..64 hashes, and any change of a byte, the length or the seed changes it. */
    char buf[80];
    for (int i = 0; i < 80; i++) buf[i] = (char)('a' + i % 26);
    for (size_t n = 0; n <= 64; n++) {
        uint64_t h = sl_hash64(buf, n, 5);
        assert_true(h == sl_hash64(buf, n, 5));
        assert_true(h != sl_hash64(buf, n, 6));
        if (n < 64) assert_true(h != sl_hash64(buf, n + 1, 5));
        if (n) {
            buf[n - 1] ^= 1;
            assert_true(h != sl_hash64(buf, n, 5));
            buf[n - 1] ^= 1;
        }
    }
    /* sl_mix64 is a bijection: no collisions on a run of inputs. */
    enum { N = 1 << 16 };
    uint64_t *v = malloc(N * sizeof *v);
    for (uint64_t i = 0; i < N; i++) v[i] = sl_mix64(i);
    for (uint64_t i = 0; i < N; i++) assert_true(v[i] != v[(i + 1) % N]);
    free(v);
}

static void test_rng_at_pure(void **state)
{
    (void)state;
    uint64_t k = rng_key(7, "t.c");
    assert_true(rng_key(7, "t.c") == k);
    assert_true(rng_key(8, "t.c") != k);
    assert_true(rng_key(7, "t.d") != k);
    for (uint64_t r = 0; r < 1000; r++) {
        uint64_t x = rng_at(k, r, 0);
        assert_true(x == rng_at(k, r, 0));
        assert_true(x != rng_at(k, r + 1, 0));
        assert_true(x != rng_at(k, r, 1));
        assert_true(x != rng_at(k + 1, r, 0));
    }
}

static void test_unit_bounds(void **state)
{
    (void)state;
    assert_true(rng_unit(0) == 0.0);
    assert_true(rng_unit(UINT64_MAX) < 1.0);
    assert_true(rng_unit_pos(0) > 0.0);
    assert_true(rng_unit_pos(UINT64_MAX) == 1.0);
    uint64_t k = rng_key(1, "unit");
    double sum = 0;
    for (uint64_t r = 0; r < 100000; r++) {
        double u = rng_unit(rng_at(k, r, 0));
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
    }
    assert_true(fabs(sum / 100000 - 0.5) < 0.01);
}

static void test_below_uniform(void **state)
{
    (void)state;
    uint64_t k = rng_key(3, "below");
    enum { N = 200000, B = 10 };
    int cnt[B] = {0};
    for (uint64_t r = 0; r < N; r++) {
        uint64_t x = rng_below(rng_at(k, r, 0), B);
        assert_true(x < B);
        cnt[x]++;
    }
    double chi = 0, e = (double)N / B;
    for (int i = 0; i < B; i++) chi += (cnt[i] - e) * (cnt[i] - e) / e;
    assert_true(chi < 30.0); /* 9 degrees of freedom: p < 0.0005 */
    assert_int_equal(rng_below(UINT64_MAX, 1), 0);
    assert_true(rng_below(UINT64_MAX, 7) == 6);
    assert_true(rng_below(0, 7) == 0);
}

static void test_range(void **state)
{
    (void)state;
    uint64_t k = rng_key(3, "range");
    bool seen[11] = {false};
    for (uint64_t r = 0; r < 10000; r++) {
        int64_t v = rng_range(rng_at(k, r, 0), -5, 5);
        assert_true(v >= -5 && v <= 5);
        seen[v + 5] = true;
        assert_int_equal(rng_range(rng_at(k, r, 0), 9, 9), 9);
        int64_t w = rng_range(rng_at(k, r, 1), INT64_MIN, INT64_MIN + 1);
        assert_true(w == INT64_MIN || w == INT64_MIN + 1);
        int64_t z = rng_range(rng_at(k, r, 2), INT64_MAX - 2, INT64_MAX);
        assert_true(z >= INT64_MAX - 2);
    }
    for (int i = 0; i < 11; i++) assert_true(seen[i]); /* both ends included */
    /* the full 64-bit range */
    assert_true(rng_range(12345, INT64_MIN, INT64_MAX) == 12345);
}

static void test_normal(void **state)
{
    (void)state;
    uint64_t k = rng_key(11, "normal");
    enum { N = 200000 };
    double s = 0, s2 = 0;
    int within1 = 0;
    for (uint64_t r = 0; r < N; r++) {
        double x = rng_normal(k, r, 0);
        assert_true(isfinite(x));
        s += x, s2 += x * x;
        within1 += fabs(x) < 1;
    }
    double mean = s / N, sd = sqrt(s2 / N - mean * mean);
    assert_true(fabs(mean) < 0.01);
    assert_true(fabs(sd - 1) < 0.01);
    assert_true(fabs((double)within1 / N - 0.6827) < 0.005);
    /* the extreme draw u1 = smallest is finite */
    assert_true(isfinite(sqrt(-2.0 * log(rng_unit_pos(0)))));
}

static void test_zipf_init_errors(void **state)
{
    (void)state;
    rng_zipf z;
    assert_int_equal(rng_zipf_init(&z, 0, 1.0), -1);
    assert_int_equal(rng_zipf_init(&z, 10, 0.0), -1);
    assert_int_equal(rng_zipf_init(&z, 10, -1.0), -1);
    assert_int_equal(rng_zipf_init(&z, 10, NAN), -1);
    assert_int_equal(rng_zipf_init(&z, 10, INFINITY), -1);
    assert_int_equal(rng_zipf_init(&z, 1, 1.0), 0);
    for (uint64_t r = 0; r < 100; r++) assert_int_equal(rng_zipf_sample(&z, 1, r, 0), 1);
}

/* Zipf(s) over 1..n: P(k) = k^-s / H(n, s). */
static void zipf_check(uint64_t n, double s)
{
    rng_zipf z;
    assert_int_equal(rng_zipf_init(&z, n, s), 0);
    double h = 0;
    for (uint64_t k = 1; k <= n; k++) h += pow((double)k, -s);
    enum { N = 200000 };
    uint64_t *cnt = calloc(n + 1, sizeof *cnt);
    uint64_t key = rng_key(5, "zipf");
    for (uint64_t r = 0; r < N; r++) {
        uint64_t k = rng_zipf_sample(&z, key, r, 0);
        assert_true(k >= 1 && k <= n);
        cnt[k]++;
    }
    for (uint64_t k = 1; k <= 5 && k <= n; k++) {
        double want = pow((double)k, -s) / h, got = (double)cnt[k] / N;
        if (fabs(got - want) > 0.01 + want * 0.05)
            fail_msg("zipf n=%llu s=%g: P(%llu) = %.4f, want %.4f", (unsigned long long)n, s,
                     (unsigned long long)k, got, want);
    }
    free(cnt);
}

static void test_zipf_distribution(void **state)
{
    (void)state;
    zipf_check(100, 1.0);
    zipf_check(10, 2.0);
    zipf_check(1000, 0.5);
    zipf_check(2, 1.0);
}

static void test_zipf_huge_n(void **state)
{
    (void)state;
    rng_zipf z;
    uint64_t n = 1000000000000ULL;
    assert_int_equal(rng_zipf_init(&z, n, 1.1), 0);
    int ones = 0;
    for (uint64_t r = 0; r < 20000; r++) {
        uint64_t k = rng_zipf_sample(&z, 9, r, 0);
        assert_true(k >= 1 && k <= n);
        ones += k == 1;
    }
    assert_true(ones > 1000); /* rank 1 still the most frequent: about 1/zeta(1.1) ~ 9.4% */
}

static void perm_is_bijection(uint64_t n, uint64_t key)
{
    rng_perm p;
    rng_perm_init(&p, n, key);
    uint8_t *seen = calloc(n ? n : 1, 1);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v = rng_perm_apply(&p, i);
        if (v >= n)
            fail_msg("perm n=%llu: %llu -> %llu (out of range)", (unsigned long long)n,
                     (unsigned long long)i, (unsigned long long)v);
        if (seen[v])
            fail_msg("perm n=%llu: %llu hit twice", (unsigned long long)n, (unsigned long long)v);
        seen[v] = 1;
        assert_true(v == rng_perm_apply(&p, i));
    }
    free(seen);
}

static void test_perm_bijection(void **state)
{
    (void)state;
    static const uint64_t ns[] = {1,   2,    3,    4,    5,    7,     16,     17,
                                  100, 1000, 4095, 4096, 4097, 65539, 1000003};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        for (uint64_t key = 0; key < 3; key++) perm_is_bijection(ns[i], key * 0x1234567ULL);
}

static void test_perm_keys_differ(void **state)
{
    (void)state;
    rng_perm a, b;
    rng_perm_init(&a, 1000, 1);
    rng_perm_init(&b, 1000, 2);
    int same = 0, fixed = 0;
    for (uint64_t i = 0; i < 1000; i++) {
        same += rng_perm_apply(&a, i) == rng_perm_apply(&b, i);
        fixed += rng_perm_apply(&a, i) == i;
    }
    assert_true(same < 20);  /* about 1 expected */
    assert_true(fixed < 20); /* not the identity */
}

static void test_perm_large(void **state)
{
    (void)state;
    /* Huge domains: values stay in range and a sample has no collisions. */
    static const uint64_t ns[] = {1ULL << 40, (1ULL << 40) + 1, 1000000000000ULL, (1ULL << 62) + 3,
                                  UINT64_MAX};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        rng_perm p;
        rng_perm_init(&p, ns[k], 77);
        enum { S = 20000 };
        uint64_t *v = malloc(S * sizeof *v);
        for (uint64_t i = 0; i < S; i++) {
            v[i] = rng_perm_apply(&p, i * 7919);
            assert_true(v[i] < ns[k]);
        }
        for (uint64_t i = 0; i < S; i++)
            for (uint64_t j = i + 1; j < i + 50 && j < S; j++) assert_true(v[i] != v[j]);
        free(v);
    }
    rng_perm z;
    rng_perm_init(&z, 0, 1);
    assert_int_equal(rng_perm_apply(&z, 5), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinned_values),
        cmocka_unit_test(test_hash_properties),
        cmocka_unit_test(test_rng_at_pure),
        cmocka_unit_test(test_unit_bounds),
        cmocka_unit_test(test_below_uniform),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_normal),
        cmocka_unit_test(test_zipf_init_errors),
        cmocka_unit_test(test_zipf_distribution),
        cmocka_unit_test(test_zipf_huge_n),
        cmocka_unit_test(test_perm_bijection),
        cmocka_unit_test(test_perm_keys_differ),
        cmocka_unit_test(test_perm_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
