/* compare_internal.h — what cmd_compare.c (parsing, statistics, the verdict) shares with
 * compare_out.c (the table, JUnit XML and Markdown it writes). */
#ifndef SEEDLOAD_COMPARE_INTERNAL_H
#define SEEDLOAD_COMPARE_INTERNAL_H

#include "seedload/results.h"
#include "seedload/slo.h"
#include "seedload/stats.h"

#include <stdio.h>

typedef enum { M_PCT, M_MEAN, M_MAX, M_TPS, M_ERR } mkind;

typedef struct cmp_metric {
    const char *name;
    double pct;
    mkind kind;
} cmp_metric;
/* The metrics a check can name (p50 ... error_rate), indexed by spec.metric. */
extern const cmp_metric cmp_metrics[];
bool cmp_is_latency(int mi);

/* One requested check: a metric of all transactions (txn NULL) or of one, with its tolerance. */
typedef struct spec {
    char *txn;
    int metric;
    bool absolute;
    double tol; /* fraction, or absolute: ns, tps or percentage points */
    char *label;
} spec;

typedef struct specs {
    spec *s;
    size_t n;
} specs;

typedef struct side {
    res_doc **docs;
    size_t n, runs;
} side;

/* Everything decided, for the writers. */
typedef struct outcome {
    const side *base, *cand;
    const specs *ss;
    cmp_check *k;
    double alpha;
    stats_correction corr;
    size_t min_runs;
    size_t nreg, nimp, ninc;
    const slo *obj;
    double *slo_val; /* per objective; NULL without --slo */
    size_t slo_broken;
    const char *verdict; /* "pass", "regression", "inconclusive" */
    char line[1024];     /* the one-line verdict */
} outcome;

/* A check's figures as text: baseline and candidate medians (in one unit), change, tolerance,
 * p-value. */
typedef struct ctext {
    char base[32], cand[32], change[32], tol[32], p[16];
} ctext;
void cmp_fmt_check(const spec *s, const cmp_check *k, ctext *t);

/* The table on stdout, JUnit XML (one testcase per check), a Markdown summary. */
void cmp_write_table(FILE *f, const outcome *o);
void cmp_write_junit(sbuf *b, const outcome *o);
void cmp_write_markdown(sbuf *b, const outcome *o);

#endif
