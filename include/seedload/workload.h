/* workload.h — a profile's query workloads compiled for one SQL dialect.
 *
 * A workload is a weighted mix of transactions; a transaction is one or more statements
 * (common SQL, or a variant per dialect) run in autocommit or inside BEGIN ... COMMIT, with
 * parameters named :name in the SQL. Parameters are generators, like columns: they are the
 * columns of an auxiliary table whose row k is execution k, so `ref` picks existing keys and
 * `fresh` makes keys no row has — without reading a key list. docs/workload.md is the
 * reference. */
#ifndef SEEDLOAD_WORKLOAD_H
#define SEEDLOAD_WORKLOAD_H

#include "seedload/model.h"
#include "seedload/schema.h"

typedef struct wl_stmt {
    char *label;     /* for reports: the statement's name, or "txn#k" */
    char *sql;       /* with $1.. (PostgreSQL) or ?1.. (SQLite) placeholders */
    const char *src; /* as written */
    int *params;     /* parameter columns, in placeholder order */
    size_t nparams;
    bool is_write;
    char pg_name[24]; /* name of the prepared statement ("s<txn>_<k>") */
} wl_stmt;

typedef struct wl_txn {
    const char *name;
    double weight;
    bool explicit_txn;     /* BEGIN ... COMMIT, retried on serialization failure and deadlock */
    const char *isolation; /* PostgreSQL isolation level, or NULL */
    int retries;           /* extra attempts after a retryable failure */
    bool has_writes;
    wl_stmt *st;
    size_t nst;
    mtable params; /* auxiliary table: one column per parameter */
} wl_txn;

typedef struct workload {
    const char *name;
    const char *description;
    wl_txn *tx;
    size_t ntx;
    double *cum; /* cumulative weights */
} workload;

/* Compile workload `name` of the model's profile for dialect d; its parameter streams are
 * keyed from seed (a run's --seed). Problems are reported with positions in the profile's
 * diagnostics (printed by the caller); returns -1 with e set (SL_EXIT_USAGE) — an unknown
 * workload lists the ones there are. */
int wl_compile(model *m, const char *name, sql_dialect d, uint64_t seed, workload **out, sl_err *e);
void wl_free(workload *w);

/* Check every workload of the profile for both dialects (used by `seedload check`):
 * returns the number of workloads, or -1 after recording diagnostics. */
int wl_check_all(model *m);

/* The transaction for a uniform draw u in [0, 1). */
static inline const wl_txn *wl_pick(const workload *w, double u)
{
    double x = u * w->cum[w->ntx - 1];
    size_t a = 0, b = w->ntx - 1;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (w->cum[mid] > x)
            b = mid;
        else
            a = mid + 1;
    }
    return &w->tx[a];
}

#endif
