/* hist_record.c — what recording a latency costs: nanoseconds per hist_record() call on the
 * bench runner's histogram (1 ns .. 1 hour, 3 significant figures), over values shaped like
 * real latencies (log-normal around 50 µs with a tail to seconds), compared with the cost of
 * reading the same values and summing them (the loop's own overhead). Also the time of a
 * percentile query and of merging two histograms, which happen once per interval per thread.
 *
 *   hist_record [N]   N values (default 50,000,000), 5 passes; prints one line per figure
 *                     and a final "record_ns=" line (median of the passes) for scripts. */
#include "seedload/hist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* xorshift64*: a fast, fixed stream so every run records the same values. */
static uint64_t next_u64(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 50000000;
    if (n < 1000) n = 1000;
    /* Values are prepared before any clock runs: 1M distinct ones, cycled. */
    enum { NV = 1 << 20 };
    int64_t *v = malloc(NV * sizeof *v);
    if (!v) return 1;
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < NV; i++) {
        double u1 = ((double)(next_u64(&s) >> 11) + 0.5) / 9007199254740992.0;
        double u2 = ((double)(next_u64(&s) >> 11) + 0.5) / 9007199254740992.0;
        double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        double x = exp(log(50000.0) + 1.2 * z); /* ns: median 50 µs */
        v[i] = x > 3.6e12 ? 3600000000000LL : (int64_t)x;
    }
    hist *h = hist_new(1, 3600000000000LL, 3);
    hist *h2 = hist_new(1, 3600000000000LL, 3);
    if (!h || !h2) return 1;
    enum { PASSES = 5 };
    double rec[PASSES], base[PASSES];
    volatile int64_t sink = 0;
    for (int p = 0; p < PASSES; p++) {
        /* the loop alone: read and sum the same values */
        double t0 = now_s();
        int64_t acc = 0;
        for (size_t i = 0; i < n; i++) acc += v[i & (NV - 1)];
        double t1 = now_s();
        sink += acc;
        base[p] = (t1 - t0) * 1e9 / (double)n;
        hist_reset(h);
        t0 = now_s();
        for (size_t i = 0; i < n; i++) hist_record(h, v[i & (NV - 1)]);
        t1 = now_s();
        rec[p] = (t1 - t0) * 1e9 / (double)n;
    }
    if (hist_total(h) != (int64_t)n) {
        fprintf(stderr, "hist_record: counted %lld of %zu values\n", (long long)hist_total(h), n);
        return 1;
    }
    /* per-interval work: 4 percentiles and a merge */
    hist_record(h2, 1234);
    int reps = 200;
    double t0 = now_s();
    for (int r = 0; r < reps; r++) {
        sink += hist_percentile(h, 50) + hist_percentile(h, 90) + hist_percentile(h, 99) +
                hist_percentile(h, 99.9);
    }
    double t_pct = (now_s() - t0) / reps / 4;
    t0 = now_s();
    for (int r = 0; r < reps; r++) hist_add(h2, h);
    double t_add = (now_s() - t0) / reps;
    qsort(rec, PASSES, sizeof rec[0], cmp_d);
    qsort(base, PASSES, sizeof base[0], cmp_d);
    printf("values:            %zu per pass, %d passes (log-normal, median 50 us)\n", n, PASSES);
    printf("histogram:         %zu counters, %zu KB\n", hist_counts_len(h),
           hist_counts_len(h) * 8 / 1024);
    printf("hist_record:       %.2f ns/value (median; min %.2f, max %.2f)\n", rec[PASSES / 2],
           rec[0], rec[PASSES - 1]);
    printf("loop alone:        %.2f ns/value (reading and summing the same values)\n",
           base[PASSES / 2]);
    printf("hist_percentile:   %.1f us per query (full histogram)\n", t_pct * 1e6);
    printf("hist_add:          %.1f us per merge\n", t_add * 1e6);
    printf("record_ns=%.2f base_ns=%.2f percentile_us=%.1f add_us=%.1f\n", rec[PASSES / 2],
           base[PASSES / 2], t_pct * 1e6, t_add * 1e6);
    hist_free(h);
    hist_free(h2);
    free(v);
    return sink == 42; /* keep the sums alive */
}
