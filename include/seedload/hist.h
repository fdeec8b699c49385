/* hist.h — HDR (high dynamic range) latency histogram, compatible with HdrHistogram_c.
 *
 * Log-linear buckets with a fixed number of significant figures and fixed memory: a value is
 * counted in a bucket whose width is at most 10^-sigfigs of the value. The layout, the queries
 * (percentiles, mean, stddev), the .hgrm/.csv percentile text and the V2 compressed encoding
 * reproduce HdrHistogram_c 0.11.x exactly, so results from seedload can be merged with, and
 * checked against, the reference implementation (tests/data/hdr/).
 *
 * Recording never allocates and touches one counter; a histogram is not thread-safe (bench
 * gives each thread its own and merges with hist_add after join). */
#ifndef SEEDLOAD_HIST_H
#define SEEDLOAD_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "seedload/util.h"

typedef struct hist hist;

/* A new empty histogram tracking values lowest..highest with sigfigs significant figures.
 * Values below lowest are still recordable (down to 0) but share resolution `lowest`.
 * Returns NULL when the arguments are invalid: lowest < 1, highest < 2*lowest, sigfigs
 * outside 1..5, or a layout that needs more than 62 bits. The caller owns the result. */
hist *hist_new(int64_t lowest, int64_t highest, int sigfigs);

/* Release h. hist_free(NULL) is a no-op. */
void hist_free(hist *h);

/* A new empty histogram with the same configuration as h (owned by the caller). */
hist *hist_dup_empty(const hist *h);

/* Forget every recorded value; the configuration is kept. */
void hist_reset(hist *h);

/* Count value v once. Returns false (and counts nothing) when v < 0 or v is above the highest
 * trackable value. Never allocates. */
bool hist_record(hist *h, int64_t v);

/* Count value v n times (n >= 0; n == 0 is a successful no-op). False, nothing counted, when
 * v is out of range or n < 0. */
bool hist_record_n(hist *h, int64_t v, int64_t n);

/* Count v, then correct for coordinated omission like HdrHistogram's
 * record_corrected_value: when expected_interval > 0 and v > expected_interval, also count
 * v - I, v - 2I, ... while >= I (I = expected_interval). False if v (or a synthesized value)
 * is out of range; values counted before the failure stay counted. */
bool hist_record_corrected(hist *h, int64_t v, int64_t expected_interval);

/* Add every count of src into dst (configurations may differ: each src bucket is recorded at
 * its lowest equivalent value, exactly as hdr_add does). Returns the number of values that
 * did not fit dst's range and were dropped (0 when everything merged). */
int64_t hist_add(hist *dst, const hist *src);

/* Number of values recorded. */
int64_t hist_total(const hist *h);
/* Smallest recorded value, as the lowest value equivalent to it; 0 if a 0 was recorded;
 * INT64_MAX when the histogram is empty (as HdrHistogram_c). */
int64_t hist_min(const hist *h);
/* Largest recorded value, as the highest value equivalent to it; 0 when empty. */
int64_t hist_max(const hist *h);
/* Mean and population standard deviation, each bucket counted at its median equivalent value
 * (HdrHistogram_c semantics). Both are 0.0 for an empty histogram (HdrHistogram_c gives NaN). */
double hist_mean(const hist *h);
double hist_stddev(const hist *h);

/* The value at percentile pct (0..100; above 100 means 100, below 0 or NaN means 0): the
 * highest value equivalent to the bucket where the cumulative count first reaches
 * round(pct/100 * total); for pct == 0 the lowest value equivalent to the first non-empty
 * bucket. 0 when empty. */
int64_t hist_percentile(const hist *h, double pct);

/* The lowest / highest value counted in the same bucket as v (v < 0 is treated as 0). */
int64_t hist_lowest_equiv(const hist *h, int64_t v);
int64_t hist_highest_equiv(const hist *h, int64_t v);

/* Number of counters (23552 for 1..3600000000 at 3 significant figures). */
size_t hist_counts_len(const hist *h);
/* Bytes owned by h (struct plus counters); constant for the life of h. */
size_t hist_memory(const hist *h);
/* Configuration, as given to hist_new. */
int64_t hist_lowest_trackable(const hist *h);
int64_t hist_highest_trackable(const hist *h);
int hist_sigfigs(const hist *h);
/* Number of buckets and of sub-buckets per bucket (as printed in the .hgrm footer). */
int hist_bucket_count(const hist *h);
int hist_sub_bucket_count(const hist *h);

/* Raw counter access, for exact merges, codecs and tests. Counter i holds the values from
 * hist_value_at_index(h, i) to hist_highest_equiv(h, hist_value_at_index(h, i)).
 * hist_count_at_index returns 0 for i >= counts_len. */
int64_t hist_count_at_index(const hist *h, size_t i);
int64_t hist_value_at_index(const hist *h, size_t i);
/* Add n (>= 0) to counter i, updating total, min and max as HdrHistogram does when it
 * rebuilds a decoded histogram. False, nothing changed, if i >= counts_len, n < 0, or the
 * total would overflow. */
bool hist_record_at_index(hist *h, size_t i, int64_t n);

/* Iteration over a histogram (for reports). Zero-initialisation is not required: call one of
 * the init functions, then hist_iter_next until it returns false. The histogram must not
 * change while an iterator walks it. The public fields are valid after a true return. */
typedef struct hist_iter {
    int64_t value;         /* lowest value of the current bucket */
    int64_t lowest_equiv;  /* == value */
    int64_t highest_equiv; /* highest value of the current bucket (what .hgrm prints) */
    int64_t count;         /* count in the current bucket */
    int64_t cumulative;    /* count of this and every lower bucket */
    double percentile;     /* recorded: 100*cumulative/total; percentiles: the level reached */
    /* private */
    const hist *h_;
    int32_t idx_;
    int mode_;
    int64_t ticks_;
    bool seen_last_;
    double pct_to_;
} hist_iter;

/* Visit each non-empty bucket in increasing value order. */
void hist_iter_recorded(hist_iter *it, const hist *h);
/* Visit percentile reporting levels like HdrHistogram's percentile iterator:
 * ticks_per_half_distance steps (>= 1; smaller means 1) per halving of the distance to 100%,
 * ending with a step at exactly 100. A bucket may be reported several times. */
void hist_iter_percentiles(hist_iter *it, const hist *h, int ticks_per_half_distance);
/* Advance; false when the iteration is over. */
bool hist_iter_next(hist_iter *it);

/* Write the percentile distribution exactly like hdr_percentiles_print: the CLASSIC .hgrm
 * table with its "#[Mean", "#[Max", "#[Buckets" footer, or (csv) the CSV table without a
 * footer. Values are divided by value_scale (> 0, else 1.0; e.g. 1000.0 prints µs from ns).
 * An empty histogram prints mean and stddev 0.000 where HdrHistogram_c prints nan.
 * Returns 0, or -1 when writing to f failed (errno from stdio). */
int hist_write_hgrm(const hist *h, FILE *f, int ticks_per_half_distance, double value_scale,
                    bool csv);

/* Encode h in HdrHistogram's compressed V2 form (zlib), then base64 (standard alphabet,
 * padded). On success *out is a NUL-terminated string the caller frees; returns 0. On a zlib
 * failure returns -1 with e filled (SL_EXIT_IO) and *out == NULL. */
int hist_encode_b64(const hist *h, char **out, sl_err *e);

/* Decode len bytes of base64 V2 compressed histogram (surrounding whitespace ignored) into a
 * new histogram the caller owns. On malformed input (bad base64, cookies, lengths, zlib
 * stream, configuration or counts) returns NULL with e filled (SL_EXIT_USAGE); never reads
 * outside the input. A non-zero normalizing index offset is rejected (seedload never writes
 * one); the integer-to-double ratio is ignored (always written as 1.0). */
hist *hist_decode_b64(const char *b64, size_t len, sl_err *e);

#endif
