/* slo.h — service-level objectives such as 'p99<20ms,errors=0,tps>=1000' (like k6
 * thresholds), checked against a run's figures.
 *
 * A check is METRIC OP VALUE. Metrics: p50 p90 p95 p99 p99.9 p99.99 max mean (latency of all
 * transactions; a value with a unit ns, us, ms or s, default ms), tps, errors (count),
 * error_rate (percent of transactions). OP is one of < <= > >= =. A transaction's own figures
 * are NAME.p99<5ms, NAME.tps>=100, NAME.errors=0. */
#ifndef SEEDLOAD_SLO_H
#define SEEDLOAD_SLO_H

#include "seedload/hist.h"
#include "seedload/util.h"

typedef struct slo_check {
    char metric[24];
    char txn[128]; /* "" for all transactions */
    char op[3];
    double value;   /* ns for latencies */
    char text[192]; /* as written */
} slo_check;

typedef struct slo {
    slo_check *c;
    size_t n;
} slo;

/* What a check is evaluated against. */
typedef struct slo_figures {
    const hist *lat; /* all transactions */
    double tps;
    uint64_t count, errors;
    /* per transaction (may be 0 of them) */
    size_t ntx;
    const char *const *tx_names;
    const hist *const *tx_lat;
    const uint64_t *tx_count, *tx_errors; /* NULL: per-transaction counts unknown */
    double seconds;                       /* the measured time, for a transaction's tps */
} slo_figures;

/* Parse; fails with SL_EXIT_USAGE naming the bad check. */
int slo_parse(const char *spec, slo *out, sl_err *e);
/* Every transaction a check names is one of names[0..n): else SL_EXIT_USAGE naming it (with a
 * suggestion), so an objective cannot silently read "no data". */
int slo_check_names(const slo *s, const char *const *names, size_t n, sl_err *e);
void slo_free(slo *s);
/* The figure a check reads (latencies in ns); NaN when unknown (e.g. no such transaction). */
double slo_value(const slo_check *c, const slo_figures *f);
/* Does the figure pass? */
bool slo_pass(const slo_check *c, double v);
/* Evaluate all checks; print one line per check to f when f != NULL. Returns the number of
 * failed checks. */
int slo_eval(const slo *s, const slo_figures *fig, FILE *f);
/* "12.345 ms" / "1234.5 tps" / "3" (errors) / "0.500%" for a metric's value; "no data". */
void slo_format(const slo_check *c, double v, char *buf, size_t n);

#endif
