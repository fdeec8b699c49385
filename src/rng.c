/* rng.c — distributions that need set-up: the Zipf sampler and keyed permutations. */
#include "seedload/rng.h"

/* log1p(x)/x and expm1(x)/x, stable near zero. */
static double helper1(double x)
{
    return fabs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x / 3);
}
static double helper2(double x)
{
    return fabs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x / 3);
}

static double zh(const rng_zipf *z, double x)
{
    return exp(-z->s * log(x));
}

static double zH(const rng_zipf *z, double x)
{
    double lx = log(x);
    return helper2((1 - z->s) * lx) * lx;
}

static double zHinv(const rng_zipf *z, double x)
{
    double t = x * (1 - z->s);
    if (t < -1) t = -1;
    return exp(helper1(t) * x);
}

int rng_zipf_init(rng_zipf *z, uint64_t n, double s)
{
    if (n < 1 || !(s > 0) || !isfinite(s)) return -1;
    z->n = n;
    z->s = s;
    z->h_x1 = zH(z, 1.5) - 1;
    z->h_n = zH(z, (double)n + 0.5);
    z->sdiv = 2 - zHinv(z, zH(z, 2.5) - zh(z, 2));
    return 0;
}

uint64_t rng_zipf_sample(const rng_zipf *z, uint64_t key, uint64_t row, uint64_t sub)
{
    uint64_t k = 1;
    for (int i = 0; i < 64; i++) {
        double u = z->h_n + rng_unit(rng_at(key, row, sub + (uint64_t)i)) * (z->h_x1 - z->h_n);
        double x = zHinv(z, u);
        double kd = floor(x + 0.5);
        if (kd < 1) kd = 1;
        if (kd > (double)z->n) kd = (double)z->n;
        k = (uint64_t)kd;
        if (kd - x <= z->sdiv || u >= zH(z, kd + 0.5) - zh(z, kd)) return k;
    }
    return k; /* acceptance probability is high; 64 rejections in a row do not happen */
}

void rng_perm_init(rng_perm *p, uint64_t n, uint64_t key)
{
    p->n = n;
    int bits = 2;
    while (bits < 64 && (1ULL << bits) < n) bits += 2;
    if (bits < 2) bits = 2;
    p->half_bits = bits / 2;
    p->half_mask = (1ULL << p->half_bits) - 1;
    for (int i = 0; i < 4; i++) p->k[i] = sl_mix64(key + 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1));
}

static uint64_t feistel(const rng_perm *p, uint64_t x)
{
    uint64_t l = x >> p->half_bits, r = x & p->half_mask;
    for (int i = 0; i < 4; i++) {
        uint64_t nl = r;
        r = l ^ (sl_mix64(r ^ p->k[i]) & p->half_mask);
        l = nl;
    }
    return (l << p->half_bits) | r;
}

uint64_t rng_perm_apply(const rng_perm *p, uint64_t i)
{
    if (p->n <= 1) return 0;
    /* Outside the domain the cycle walk would not end: callers keep i < n; this is a guard. */
    if (i >= p->n) i %= p->n;
    /* The domain is at most 4x n, so the expected walk is under 4 steps. */
    uint64_t x = feistel(p, i);
    while (x >= p->n) x = feistel(p, x);
    return x;
}
