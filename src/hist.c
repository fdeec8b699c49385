/* hist.c — HDR histogram: layout, recording, queries, merge, iteration, .hgrm/.csv text.
 *
 * The bucket arithmetic follows HdrHistogram_c 0.11.x so that every bucket boundary, every
 * percentile and every printed line matches the reference implementation bit for bit:
 * a value's bucket is found from its bit length (count-leading-zeros), its sub-bucket from a
 * shift, and counter i covers hist_value_at_index(i) .. hist_highest_equiv(that value).
 * Counters live in one allocation with the struct (flexible array), so recording is a few
 * integer operations and one increment, with no allocation. */
#include "seedload/hist.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

struct hist {
    int64_t lowest;  /* lowest discernible value, as configured */
    int64_t highest; /* highest trackable value, as configured */
    int sigfigs;
    int32_t unit_mag;       /* log2 of the unit: floor(log2(lowest)) */
    int32_t sub_half_mag;   /* log2(sub_half_count) */
    int32_t sub_half_count; /* sub-buckets in the upper half of a bucket */
    int32_t sub_count;      /* sub-buckets per bucket (a power of two) */
    int32_t bucket_count;   /* buckets needed to reach `highest` */
    int32_t counts_len;     /* (bucket_count + 1) * sub_half_count */
    int64_t sub_mask;       /* (sub_count - 1) << unit_mag */
    int64_t total;          /* sum of counts */
    int64_t min;            /* smallest non-zero value recorded, INT64_MAX if none */
    int64_t max;            /* largest value recorded, 0 if none */
    int64_t counts[];       /* counts_len counters */
};

enum { ITER_RECORDED = 1, ITER_PERCENTILES = 2 };

/* ---- layout --------------------------------------------------------------------------- */

static int32_t bucket_index(const hist *h, int64_t v)
{
    /* Bit length of v, but never less than that of the first bucket. */
    int32_t pow2ceiling = 64 - __builtin_clzll((unsigned long long)(v | h->sub_mask));
    return pow2ceiling - h->unit_mag - (h->sub_half_mag + 1);
}

static int32_t sub_bucket_index(const hist *h, int64_t v, int32_t bi)
{
    return (int32_t)(v >> (bi + h->unit_mag));
}

static int32_t counts_index(const hist *h, int32_t bi, int32_t sbi)
{
    return ((bi + 1) << h->sub_half_mag) + (sbi - h->sub_half_count);
}

static int32_t counts_index_for(const hist *h, int64_t v)
{
    int32_t bi = bucket_index(h, v);
    return counts_index(h, bi, sub_bucket_index(h, v, bi));
}

static int64_t value_at_index(const hist *h, int32_t idx)
{
    int32_t bi = (idx >> h->sub_half_mag) - 1;
    int32_t sbi = (idx & (h->sub_half_count - 1)) + h->sub_half_count;
    if (bi < 0) {
        sbi -= h->sub_half_count;
        bi = 0;
    }
    return (int64_t)sbi << (bi + h->unit_mag);
}

static int64_t range_size(const hist *h, int64_t v)
{
    int32_t bi = bucket_index(h, v);
    int32_t sbi = sub_bucket_index(h, v, bi);
    int32_t adjusted = sbi >= h->sub_count ? bi + 1 : bi;
    return INT64_C(1) << (h->unit_mag + adjusted);
}

static int64_t lowest_equiv(const hist *h, int64_t v)
{
    int32_t bi = bucket_index(h, v);
    return (int64_t)sub_bucket_index(h, v, bi) << (bi + h->unit_mag);
}

static int64_t highest_equiv(const hist *h, int64_t v)
{
    /* lowest + size - 1 without overflowing for values in the top bucket of int64. */
    return lowest_equiv(h, v) + (range_size(h, v) - 1);
}

static int64_t median_equiv(const hist *h, int64_t v)
{
    return lowest_equiv(h, v) + (range_size(h, v) >> 1);
}

static int32_t buckets_needed(int64_t highest, int32_t sub_count, int32_t unit_mag)
{
    int64_t smallest_untrackable = (int64_t)sub_count << unit_mag;
    int32_t n = 1;
    while (smallest_untrackable <= highest) {
        if (smallest_untrackable > INT64_MAX / 2) return n + 1;
        smallest_untrackable <<= 1;
        n++;
    }
    return n;
}

/* ---- lifecycle ------------------------------------------------------------------------ */

hist *hist_new(int64_t lowest, int64_t highest, int sigfigs)
{
    if (lowest < 1 || sigfigs < 1 || sigfigs > 5 || lowest > highest / 2) return NULL;

    /* Smallest power of two holding 2 * 10^sigfigs: single-unit resolution up to there.
     * (Integer form of ceil(log2(2 * 10^s)); never an exact power of two for s in 1..5.) */
    int64_t single_unit = 2;
    for (int i = 0; i < sigfigs; i++) single_unit *= 10;
    int32_t sub_count_mag = 0;
    while ((INT64_C(1) << sub_count_mag) < single_unit) sub_count_mag++;
    int32_t sub_half_mag = (sub_count_mag > 1 ? sub_count_mag : 1) - 1;

    /* The same floating-point formula as the reference, so layouts agree even where
     * log(2^k)/log(2) rounds. */
    int32_t unit_mag = (int32_t)(log((double)lowest) / log(2));
    if (unit_mag + sub_half_mag > 61) return NULL;

    int32_t sub_count = INT32_C(1) << (sub_half_mag + 1);
    int32_t bucket_count = buckets_needed(highest, sub_count, unit_mag);
    int32_t counts_len = (bucket_count + 1) * (sub_count / 2);

    hist *h = xcalloc(1, sizeof(hist) + (size_t)counts_len * sizeof(int64_t));
    h->lowest = lowest;
    h->highest = highest;
    h->sigfigs = sigfigs;
    h->unit_mag = unit_mag;
    h->sub_half_mag = sub_half_mag;
    h->sub_count = sub_count;
    h->sub_half_count = sub_count / 2;
    h->bucket_count = bucket_count;
    h->counts_len = counts_len;
    h->sub_mask = ((int64_t)sub_count - 1) << unit_mag;
    h->total = 0;
    h->min = INT64_MAX;
    h->max = 0;
    return h;
}

void hist_free(hist *h)
{
    free(h);
}

hist *hist_dup_empty(const hist *h)
{
    return hist_new(h->lowest, h->highest, h->sigfigs);
}

void hist_reset(hist *h)
{
    memset(h->counts, 0, (size_t)h->counts_len * sizeof(int64_t));
    h->total = 0;
    h->min = INT64_MAX;
    h->max = 0;
}

/* ---- recording ------------------------------------------------------------------------ */

static inline bool record(hist *h, int64_t v, int64_t n)
{
    if (v < 0 || v > h->highest) return false;
    int32_t idx = counts_index_for(h, v);
    if ((uint32_t)idx >= (uint32_t)h->counts_len) return false;
    h->counts[idx] += n;
    h->total += n;
    if (v > h->max) h->max = v;
    if (v != 0 && v < h->min) h->min = v;
    return true;
}

bool hist_record(hist *h, int64_t v)
{
    return record(h, v, 1);
}

bool hist_record_n(hist *h, int64_t v, int64_t n)
{
    if (n < 0) return false;
    if (n == 0) return v >= 0 && v <= h->highest;
    return record(h, v, n);
}

bool hist_record_corrected(hist *h, int64_t v, int64_t expected_interval)
{
    if (!record(h, v, 1)) return false;
    if (expected_interval <= 0 || v <= expected_interval) return true;
    for (int64_t missing = v - expected_interval; missing >= expected_interval;
         missing -= expected_interval) {
        if (!record(h, missing, 1)) return false;
    }
    return true;
}

bool hist_record_at_index(hist *h, size_t i, int64_t n)
{
    int64_t total;
    if (i >= (size_t)h->counts_len || n < 0) return false;
    if (n == 0) return true;
    if (__builtin_add_overflow(h->total, n, &total)) return false;
    int64_t v = value_at_index(h, (int32_t)i);
    h->counts[i] += n;
    h->total = total;
    if (v > h->max) h->max = v;
    if (v != 0 && v < h->min) h->min = v;
    return true;
}

int64_t hist_add(hist *dst, const hist *src)
{
    int64_t dropped = 0;
    hist_iter it;
    hist_iter_recorded(&it, src);
    while (hist_iter_next(&it)) {
        if (!hist_record_n(dst, it.value, it.count)) dropped += it.count;
    }
    return dropped;
}

/* ---- queries -------------------------------------------------------------------------- */

int64_t hist_total(const hist *h)
{
    return h->total;
}

int64_t hist_min(const hist *h)
{
    if (h->counts[0] > 0) return 0;
    if (h->min == INT64_MAX) return INT64_MAX;
    return lowest_equiv(h, h->min);
}

int64_t hist_max(const hist *h)
{
    return h->max == 0 ? 0 : highest_equiv(h, h->max);
}

double hist_mean(const hist *h)
{
    if (h->total <= 0) return 0.0;
    /* The reference sums count * median in int64; do the same (it is exact), falling back to
     * double only where int64 would overflow. */
    int64_t isum = 0;
    double dsum = 0.0;
    bool in_double = false;
    for (int32_t i = 0; i < h->counts_len; i++) {
        int64_t c = h->counts[i];
        if (c == 0) continue;
        int64_t m = median_equiv(h, value_at_index(h, i));
        int64_t prod, next;
        if (!in_double && !__builtin_mul_overflow(c, m, &prod) &&
            !__builtin_add_overflow(isum, prod, &next)) {
            isum = next;
            continue;
        }
        if (!in_double) {
            dsum = (double)isum;
            in_double = true;
        }
        dsum += (double)c * (double)m;
    }
    return (in_double ? dsum : (double)isum) / (double)h->total;
}

double hist_stddev(const hist *h)
{
    if (h->total <= 0) return 0.0;
    double mean = hist_mean(h);
    double dev_total = 0.0;
    for (int32_t i = 0; i < h->counts_len; i++) {
        int64_t c = h->counts[i];
        if (c == 0) continue;
        double dev = (double)median_equiv(h, value_at_index(h, i)) - mean;
        dev_total += (dev * dev) * (double)c;
    }
    return sqrt(dev_total / (double)h->total);
}

int64_t hist_percentile(const hist *h, double pct)
{
    if (!(pct >= 0.0)) pct = 0.0; /* also catches NaN */
    double requested = pct < 100.0 ? pct : 100.0;
    int64_t want = (int64_t)(((requested / 100) * (double)h->total) + 0.5);
    if (want < 1) want = 1;
    int64_t v = 0, seen = 0;
    for (int32_t i = 0; i < h->counts_len; i++) {
        seen += h->counts[i];
        if (seen >= want) {
            v = value_at_index(h, i);
            break;
        }
    }
    return pct == 0.0 ? lowest_equiv(h, v) : highest_equiv(h, v);
}

int64_t hist_lowest_equiv(const hist *h, int64_t v)
{
    return lowest_equiv(h, v < 0 ? 0 : v);
}

int64_t hist_highest_equiv(const hist *h, int64_t v)
{
    return highest_equiv(h, v < 0 ? 0 : v);
}

size_t hist_counts_len(const hist *h)
{
    return (size_t)h->counts_len;
}

size_t hist_memory(const hist *h)
{
    return sizeof(hist) + (size_t)h->counts_len * sizeof(int64_t);
}

int64_t hist_lowest_trackable(const hist *h)
{
    return h->lowest;
}
int64_t hist_highest_trackable(const hist *h)
{
    return h->highest;
}
int hist_sigfigs(const hist *h)
{
    return h->sigfigs;
}
int hist_bucket_count(const hist *h)
{
    return h->bucket_count;
}
int hist_sub_bucket_count(const hist *h)
{
    return h->sub_count;
}

int64_t hist_count_at_index(const hist *h, size_t i)
{
    return i < (size_t)h->counts_len ? h->counts[i] : 0;
}

int64_t hist_value_at_index(const hist *h, size_t i)
{
    if (i >= (size_t)h->counts_len) i = (size_t)h->counts_len - 1;
    return value_at_index(h, (int32_t)i);
}

/* ---- iteration ------------------------------------------------------------------------ */

static void iter_init(hist_iter *it, const hist *h, int mode)
{
    memset(it, 0, sizeof *it);
    it->h_ = h;
    it->idx_ = -1;
    it->mode_ = mode;
}

void hist_iter_recorded(hist_iter *it, const hist *h)
{
    iter_init(it, h, ITER_RECORDED);
}

void hist_iter_percentiles(hist_iter *it, const hist *h, int ticks_per_half_distance)
{
    iter_init(it, h, ITER_PERCENTILES);
    it->ticks_ = ticks_per_half_distance < 1 ? 1 : ticks_per_half_distance;
    it->pct_to_ = 0.0;
}

/* Step to the next counter while values remain (HdrHistogram's basic_iter_next). */
static bool step(hist_iter *it)
{
    const hist *h = it->h_;
    if (it->cumulative >= h->total || it->idx_ + 1 >= h->counts_len) return false;
    it->idx_++;
    it->count = h->counts[it->idx_];
    it->cumulative += it->count;
    it->value = value_at_index(h, it->idx_);
    it->lowest_equiv = it->value;
    it->highest_equiv = highest_equiv(h, it->value);
    return true;
}

static bool next_recorded(hist_iter *it)
{
    while (step(it)) {
        if (it->count != 0) {
            it->percentile = 100.0 * (double)it->cumulative / (double)it->h_->total;
            return true;
        }
    }
    return false;
}

static bool next_percentile(hist_iter *it)
{
    const hist *h = it->h_;
    if (it->cumulative >= h->total) {
        if (it->seen_last_) return false;
        it->seen_last_ = true;
        it->percentile = 100.0;
        return true;
    }
    if (it->idx_ == -1 && !step(it)) return false;
    do {
        double current = (100.0 * (double)it->cumulative) / (double)h->total;
        if (it->count != 0 && it->pct_to_ <= current) {
            it->percentile = it->pct_to_;
            /* Reporting ticks double every time the distance to 100% halves. The guards only
             * avoid undefined conversions where the reference would overflow. */
            double remaining = 100.0 - it->pct_to_;
            double lg = remaining > 0.0 ? log(100 / remaining) / log(2) : 52.0;
            int64_t temp = (int64_t)(lg < 52.0 ? lg : 52.0) + 1;
            int64_t half_distance = (int64_t)pow(2, (double)temp);
            double reporting_ticks = (double)it->ticks_ * (double)half_distance;
            it->pct_to_ += 100.0 / reporting_ticks;
            return true;
        }
    } while (step(it));
    return true;
}

bool hist_iter_next(hist_iter *it)
{
    switch (it->mode_) {
    case ITER_RECORDED: return next_recorded(it);
    case ITER_PERCENTILES: return next_percentile(it);
    default: return false;
    }
}

/* ---- text output ---------------------------------------------------------------------- */

int hist_write_hgrm(const hist *h, FILE *f, int ticks_per_half_distance, double value_scale,
                    bool csv)
{
    if (!(value_scale > 0.0)) value_scale = 1.0;
    int prec = h->sigfigs;
    int rc;
    if (csv)
        rc = fprintf(f, "%s,%s,%s,%s\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
    else
        rc = fprintf(f, "%12s %12s %12s %12s\n\n", "Value", "Percentile", "TotalCount",
                     "1/(1-Percentile)");
    if (rc < 0) return -1;

    hist_iter it;
    hist_iter_percentiles(&it, h, ticks_per_half_distance);
    while (hist_iter_next(&it)) {
        double value = (double)it.highest_equiv / value_scale;
        double pct = it.percentile / 100.0;
        double inverted = 1.0 / (1.0 - pct);
        if (csv)
            rc =
                fprintf(f, "%.*f,%f,%" PRId64 ",%.2f\n", prec, value, pct, it.cumulative, inverted);
        else
            rc = fprintf(f, "%12.*f %12f %12" PRId64 " %12.2f\n", prec, value, pct, it.cumulative,
                         inverted);
        if (rc < 0) return -1;
    }

    if (!csv) {
        double mean = hist_mean(h) / value_scale;
        double stddev = hist_stddev(h) / value_scale;
        double max = (double)hist_max(h) / value_scale;
        rc = fprintf(f,
                     "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n"
                     "#[Max     = %12.3f, Total count    = %12" PRId64 "]\n"
                     "#[Buckets = %12d, SubBuckets     = %12d]\n",
                     mean, stddev, max, h->total, h->bucket_count, h->sub_count);
        if (rc < 0) return -1;
    }
    return ferror(f) ? -1 : 0;
}
