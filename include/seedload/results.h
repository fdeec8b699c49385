/* results.h — a results document (docs/results.md) read back into histograms and figures,
 * merged across machines, and written out again. `seedload hist` and `seedload merge` use it;
 * so can `compare` and `report`: every histogram comes back decoded (hist *), every count as an
 * exact integer, and the configuration and environments as the JSON trees they were.
 *
 * Reading is strict about what it uses and lenient about what it does not: the header
 * ("format": "seedload-result", "version": 1), "config" and, per run, "summary" and "latency"
 * are required; every other field may be absent (it reads as 0 / NULL / empty), but a field
 * that is present must have the documented type. Errors name the file and the JSON path of the
 * offending field ("a.json: runs[0].latency.hist: ..."), or file:line:col for a syntax error. */
#ifndef SEEDLOAD_RESULTS_H
#define SEEDLOAD_RESULTS_H

#include "seedload/hist.h"
#include "seedload/json.h"

#define RES_FORMAT  "seedload-result"
#define RES_VERSION 1

/* One statement of a transaction type. */
typedef struct res_stmt {
    char *name, *sql; /* sql may be NULL */
    uint64_t errors;
    hist *lat; /* never NULL */
} res_stmt;

/* One transaction type of a run. */
typedef struct res_txn {
    char *name;
    uint64_t count, errors, retries;
    double tps;
    hist *lat; /* never NULL */
    hist *svc; /* NULL when absent */
    res_stmt *st;
    size_t nst;
} res_txn;

/* Errors of one kind: (code, transaction, statement), counted. */
typedef struct res_error {
    char *code;                 /* never NULL ("" when absent) */
    char *txn, *stmt, *message; /* NULL when null/absent */
    uint64_t count;
} res_error;

/* One progress interval. */
typedef struct res_ivl {
    double t, tps;
    uint64_t count, errors;
    int64_t p50, p99, max;
    bool pct_exact; /* false: p50/p99 are upper bounds (a merged interval) */
} res_ivl;

/* One run. */
typedef struct res_run {
    double started_at, seconds, tps;
    bool interrupted, rate_met;
    uint64_t transactions, errors, retries, reconnects, late, skipped;
    hist *lat;       /* never NULL */
    hist *svc, *lag; /* NULL when absent */
    res_txn *tx;
    size_t ntx;
    res_error *err;
    size_t nerr;
    res_ivl *ivl;
    size_t nivl;
} res_run;

/* A whole document. */
typedef struct res_doc {
    char *name;             /* file name used in messages */
    char *seedload_version; /* of the tool that wrote it; NULL when absent */
    jv *config;             /* the "config" object (owned) */
    jv *environments;       /* JV_ARR (owned): the "environment" object of a bench result, or
                               every machine's environment for a merged one */
    jv *merged_files;       /* JV_ARR of strings (owned) for a merged document; NULL otherwise */
    bool forced;            /* merged with --force despite a differing configuration */
    /* Configuration fields, borrowed from config (NULL / 0 when absent). res_write writes
     * config itself; res_merge sums clients, threads and rate into its copy. */
    const char *profile, *scenario, *workload, *dialect;
    const char *seed; /* the seed's JSON text: exact at any width */
    double scale, rate;
    int64_t clients, threads;
    res_run *runs;
    size_t nruns;
} res_doc;

/* Read a whole file ("-": standard input) into a NUL-terminated buffer the caller frees.
 * Returns 0, or -1 with e (SL_EXIT_IO: cannot open or read). */
int res_slurp(const char *path, char **out, size_t *len, sl_err *e);

/* Parse a results document from text (name is used in messages). On success *out is a new
 * document the caller frees with res_free. On malformed JSON or a document that is not a
 * seedload result returns -1 with e (SL_EXIT_USAGE) and *out == NULL. */
int res_parse(const char *name, const char *text, size_t len, res_doc **out, sl_err *e);

/* res_slurp + res_parse. I/O errors are SL_EXIT_IO, malformed content SL_EXIT_USAGE. */
int res_read_file(const char *path, res_doc **out, sl_err *e);

/* Release d. res_free(NULL) is a no-op. */
void res_free(res_doc *d);

/* The transaction type called name in run r, or NULL. */
const res_txn *res_find_txn(const res_run *r, const char *name);

/* The first configuration field that makes a and b incomparable, in this order: profile,
 * scenario, scale, seed, workload, dialect; NULL when they agree on all of them. */
const char *res_config_diff(const res_doc *a, const res_doc *b);

/* Merge n >= 1 documents run by run (docs/results.md, "Merging"): histograms added bucket by
 * bucket, counts summed, seconds the maximum, errors merged by (code, transaction, statement),
 * intervals by index. Documents must agree per res_config_diff and have the same number of
 * runs, unless force (then the first document's configuration is kept, extra runs of longer
 * documents are merged where they exist, and the result is marked "forced"). names are what
 * the output records under "merged"."files" (NULL: each document's name). On success *out is a
 * new document (the caller frees it); on refusal returns -1 with e (SL_EXIT_USAGE) naming the
 * differing field and files. Histograms configured differently from the first document's are
 * merged as hist_add does (at each bucket's lowest value) and reported in e->msg as a warning
 * prefixed "warning: " while the function still returns 0. */
int res_merge(res_doc *const *docs, size_t n, const char *const *names, bool force, res_doc **out,
              sl_err *e);

/* Append d as a results document (pretty JSON, a trailing newline) to out. Histogram summary
 * figures are recomputed from the histograms, so they always agree with "hist". */
void res_write(sbuf *out, const res_doc *d);

/* Decode a "hist"-style object ({"count":..., "hist": "HISTF..."}) into a new histogram the
 * caller owns; path names the object in messages. NULL with e (SL_EXIT_USAGE) when the object
 * is not one, the encoding is malformed, or "count" disagrees with the histogram. */
hist *res_hist_decode(const char *name, const char *path, const jv *obj, sl_err *e);

#endif
