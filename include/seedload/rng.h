/* rng.h — the counter-based random source and the distributions built on it.
 *
 * Determinism contract: every draw is rng_at(key, row, sub), a pure function of a key
 * (derived from the seed and the column's path), the row index and a sub-draw number. There
 * is no sequential state, so any row can be produced on any thread in any order. */
#ifndef SEEDLOAD_RNG_H
#define SEEDLOAD_RNG_H

#include "seedload/util.h"
#include <math.h>
#include <stdint.h>

/* Key for one named stream, e.g. rng_key(seed, "students.gpa"). */
static inline uint64_t rng_key(uint64_t seed, const char *path)
{
    return sl_hash_str(path, seed ^ 0x5eed10adULL);
}

static inline uint64_t rng_at(uint64_t key, uint64_t row, uint64_t sub)
{
    uint64_t h = sl_mix64(key ^ (row * 0x9E3779B97F4A7C15ULL));
    return sl_mix64(h + sub * 0xC2B2AE3D27D4EB4FULL + 0x165667B19E3779F9ULL);
}

/* [0, 1) with 53 random bits. */
static inline double rng_unit(uint64_t x)
{
    return (double)(x >> 11) * 0x1.0p-53;
}
/* (0, 1] — safe for log(). */
static inline double rng_unit_pos(uint64_t x)
{
    return ((double)(x >> 11) + 1.0) * 0x1.0p-53;
}

/* Uniform integer in [0, n) (n > 0) by multiply-shift; bias below 2^-64 * n. */
static inline uint64_t rng_below(uint64_t x, uint64_t n)
{
    return (uint64_t)(((__uint128_t)x * n) >> 64);
}

/* Uniform integer in [lo, hi] (inclusive). */
static inline int64_t rng_range(uint64_t x, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    if (span == 0) return (int64_t)x; /* the full 64-bit range */
    return (int64_t)((uint64_t)lo + rng_below(x, span));
}

/* Standard normal from two draws (Box–Muller). */
static inline double rng_normal(uint64_t key, uint64_t row, uint64_t sub)
{
    double u1 = rng_unit_pos(rng_at(key, row, sub));
    double u2 = rng_unit(rng_at(key, row, sub + 1));
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Zipf over ranks 1..n with exponent s > 0: rank 1 is the most frequent. Exact sampler by
 * rejection-inversion (Hörmann & Derflinger 1996). Prepare once, sample many times. */
typedef struct rng_zipf {
    uint64_t n;
    double s, h_x1, h_n, sdiv;
} rng_zipf;

int rng_zipf_init(rng_zipf *z, uint64_t n, double s);
/* Uses sub-draws sub, sub+1, ... (at most 64). Returns a rank in 1..n. */
uint64_t rng_zipf_sample(const rng_zipf *z, uint64_t key, uint64_t row, uint64_t sub);

/* A keyed bijection on [0, n): a balanced Feistel network with cycle walking. Unique
 * columns use it to map the row index to a value without ever retrying. */
typedef struct rng_perm {
    uint64_t n, half_mask;
    int half_bits;
    uint64_t k[4];
} rng_perm;

void rng_perm_init(rng_perm *p, uint64_t n, uint64_t key);
uint64_t rng_perm_apply(const rng_perm *p, uint64_t i);

#endif
