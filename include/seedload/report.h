/* report.h — presenting a benchmark run: the text table on stdout, the results JSON
 * (docs/results.md), and the classic .hgrm percentile distribution. */
#ifndef SEEDLOAD_REPORT_H
#define SEEDLOAD_REPORT_H

#include "seedload/bench.h"
#include "seedload/json.h"

/* What a run was: configuration and environment, for reports and comparisons. */
typedef struct bench_info {
    const char *profile, *profile_path, *scenario, *workload, *target, *dialect;
    double scale;
    uint64_t seed, bench_seed;
    int clients, threads;
    bool pin_threads; /* PostgreSQL event loops pinned to CPUs (not --no-pin) */
    double duration_s, warmup_s, rate, think_s, max_lag_s, interval_s;
    uint64_t txns_per_client;
    const char *arrivals;
    char server_version[96];
    char cpu_model[128], kernel[256], hostname[128];
    int cores;
} bench_info;

/* Fill the environment part of info (CPU, cores, kernel, host). */
void report_environment(bench_info *info);

/* The readable table. */
void report_text(FILE *f, const bench_info *info, const workload *w, const run_result *r);

/* Write one run into an open JSON writer as an object (the elements of "runs"). */
void report_json_run(jw *j, const workload *w, const run_result *r);
/* The whole results document (header, config, environment, runs). */
void report_json(sbuf *out, const bench_info *info, const workload *w, const run_result *runs,
                 size_t nruns);
/* Write text to path atomically (temporary file + rename). */
int report_write_file(const char *path, const char *data, size_t len, sl_err *e);

/* Summary figures of one histogram, in a JSON object: count, mean, stddev, min, p50, p90,
 * p99, p99.9, p99.99, max (ns) and "hist" (HdrHistogram V2 compressed, base64). */
void report_json_hist(jw *j, const hist *h);

#endif
