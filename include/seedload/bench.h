/* bench.h — the workload runner: T threads, C clients, closed or open loop, HDR histograms.
 *
 * Every thread owns its clients, connections, parameter streams and statistics; nothing
 * mutable is shared while the run goes on. Each thread publishes interval snapshots into a
 * small ring that the main thread merges for progress lines; the final statistics merge after
 * the threads end. Latency is measured from the intended start of a transaction (open loop:
 * its scheduled time, so a slow server cannot hide its queueing — no coordinated omission);
 * service time (from the actual start) and schedule lag are kept beside it. */
#ifndef SEEDLOAD_BENCH_H
#define SEEDLOAD_BENCH_H

#include "seedload/hist.h"
#include "seedload/workload.h"

#include <stdatomic.h>

#define BENCH_HIST_LOW     1LL             /* ns */
#define BENCH_HIST_HIGH    3600000000000LL /* 1 hour in ns */
#define BENCH_HIST_SIGFIGS 3
#define BENCH_IVL_RING     4

typedef struct run_cfg {
    model *m;
    const workload *w;
    sql_dialect dialect;
    const char *target;      /* conninfo, or the SQLite file path */
    const char *search_path; /* PostgreSQL: schemas of the profile */
    int clients, threads;
    int64_t duration_ns;      /* 0: count-based */
    uint64_t txns_per_client; /* 0: duration-based */
    int64_t warmup_ns;
    double rate;         /* total transactions/s (open loop); 0 = closed loop */
    bool poisson;        /* open loop arrivals: Poisson (true) or uniform */
    int64_t think_ns;    /* closed loop pause after each transaction */
    int64_t max_lag_ns;  /* open loop: skip a transaction that starts later than this (0: never) */
    int64_t interval_ns; /* progress / per-interval figures */
    int64_t reconnect_timeout_ns; /* PostgreSQL: end the run when a lost client cannot reconnect
                                   * for this long (0: keep trying) */
    bool progress;                /* print a line each interval */
    bool no_pin;         /* PostgreSQL: leave the event-loop threads to the scheduler (--no-pin) */
    uint64_t seed;       /* parameter streams */
    int busy_timeout_ms; /* SQLite */
    bool busy_timeout_set;      /* given on the command line: wins over the DDL's PRAGMA */
    const char *const *pragmas; /* SQLite: per-connection PRAGMAs of the profile's DDL */
    size_t npragmas;
    uint64_t *fresh_base; /* per aux table per column: set by the caller (see run_setup_fresh) */
} run_cfg;

/* Counts of an error kind: SQLSTATE (or SQLite error name) at a statement. */
typedef struct err_count {
    char code[40];
    int txn, stmt; /* stmt -1: the transaction (BEGIN/COMMIT) */
    uint64_t count;
    char *first_message;
} err_count;

/* Statistics of one transaction type. */
typedef struct tx_stats {
    hist *lat; /* from intended start to end */
    hist *svc; /* from actual start to end */
    hist **st; /* per statement: from send to result */
    uint64_t *st_errors;
    uint64_t count, errors, retries;
} tx_stats;

/* One interval's published snapshot. */
typedef struct ivl_slot {
    hist *lat;
    uint64_t count, errors, skipped;
    _Atomic int64_t seq; /* interval number it holds, -1 empty */
} ivl_slot;

typedef struct thread_stats {
    tx_stats *tx; /* per transaction type */
    size_t ntx;
    hist *lat, *svc, *lag; /* all transactions */
    uint64_t count, errors, retries, reconnects, late, skipped;
    err_count *errs;
    size_t nerrs;
    /* interval accumulation (owned by the thread) and the ring it publishes into */
    hist *ivl_lat;
    uint64_t ivl_count, ivl_errors, ivl_skipped;
    int64_t ivl_index;
    ivl_slot ring[BENCH_IVL_RING];
} thread_stats;

typedef struct ivl_figures {
    double t; /* seconds since the measured start, at the interval's end */
    uint64_t count, errors, skipped;
    double tps;
    int64_t p50, p99, max;
} ivl_figures;

/* The merged outcome of a run. */
typedef struct run_result {
    thread_stats total; /* merged: histograms, counts, errors */
    double seconds;     /* measured time (after warmup) */
    double started_at;  /* wall clock */
    ivl_figures *ivl;
    size_t nivl;
    bool interrupted;
    char stop_reason[4352]; /* why the run ended early other than by Ctrl-C ("" when it did not) */
    bool rate_met;          /* open loop: the offered rate was achieved */
    char server_version[64];
} run_result;

/* thread_stats life cycle (bstats.c). */
void tstats_init(thread_stats *s, const workload *w);
void tstats_free(thread_stats *s);
void tstats_reset(thread_stats *s); /* after warmup */
void tstats_merge(thread_stats *into, const thread_stats *from);
void tstats_error(thread_stats *s, const char *code, int txn, int stmt, const char *msg);
/* Close the current interval (number idx) and publish it into the ring. */
void tstats_publish(thread_stats *s, int64_t idx);

/* Run the benchmark; fills res (caller frees with run_result_free). Returns 0, or -1 with e
 * (connection failures before the start, a statement that fails to prepare: SL_EXIT_IO). */
int run_bench(const run_cfg *cfg, run_result *res, sl_err *e);
void run_result_free(run_result *res);

/* Internal to the runner: each driver runs one thread's clients. */
typedef struct bthread bthread;
int run_pg_thread(bthread *t);
int run_sqlite_thread(bthread *t);

#endif
