/* run_internal.h — what run.c shares with the drivers (run_pg.c, run_sqlite.c): a thread,
 * its clients, and the bookkeeping every driver calls at the same points of a transaction. */
#ifndef SEEDLOAD_RUN_INTERNAL_H
#define SEEDLOAD_RUN_INTERNAL_H

#include "seedload/bench.h"
#include "seedload/rng.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>

enum { PH_BEGIN, PH_STMT, PH_COMMIT, PH_ROLLBACK };
enum { CS_IDLE, CS_BUSY, CS_RECONNECT, CS_DONE };

typedef struct client {
    int id; /* global client number */
    PGconn *pg;
    sqlite3 *db;
    sqlite3_stmt ***lite; /* per transaction, per statement */
    int state;
    /* the transaction in progress */
    const wl_txn *tx;
    int txi;
    int phase;
    size_t k; /* statement index */
    int attempt;
    bool failed, retry_after_rollback;
    bool err_seen;     /* the current attempt already recorded an error */
    bool query_failed; /* PostgreSQL: the query in flight returned an error result */
    char err_code[40];
    sbuf err_msg;
    int err_stmt;
    /* its parameters, copied out of the generator's scratch */
    val *pv;
    size_t npv;
    sbuf ptext;
    const char **ptr; /* text form per parameter (NULL for SQL NULL) */
    size_t *poff;     /* scratch: offsets of the text forms */
    /* times (monotonic ns) */
    int64_t intended, start, stmt_start, next_start;
    uint64_t seq;       /* transactions started: the parameter row is seq * clients + id */
    uint64_t arrivals;  /* open loop: arrivals scheduled */
    uint64_t measured;  /* transactions completed after warmup */
    int64_t down_since; /* first failed reconnect of the current outage (0: connected) */
    bool want_flush;
} client;

struct bthread {
    int id;
    const run_cfg *cfg;
    thread_stats st;
    client *cl;
    int ncl;
    pthread_t th;
    int cpu; /* PostgreSQL event loop: the CPU it is pinned to (-1: not pinned) */
    genctx *gx;
    int64_t t0, measure_start, end;
    bool warm; /* statistics were reset at the end of warmup */
    sl_err err;
    int rc;
    _Atomic int phase;         /* 0 setting up, 1 ready, 2 failed, 3 finished */
    _Atomic int *go;           /* set by the main thread when every thread is ready */
    _Atomic int64_t *consumed; /* the last interval the main thread merged */
    _Atomic int *abort;        /* set by a thread that ends the run early; stop_reason says why */
    char stop_reason[4352];
    uint64_t pick_key, arrive_key;
};

/* Start (or restart) client c's next transaction at `now`: pick the type, generate its
 * parameters. Returns false when the client has nothing more to do. */
bool run_begin_txn(bthread *t, client *c, int64_t now);
/* A statement (k) finished after `ns` nanoseconds. */
void run_stmt_done(bthread *t, client *c, size_t k, int64_t ns);
/* The transaction ended (ok or failed); schedules the client's next start. */
void run_txn_done(bthread *t, client *c, int64_t now);
/* Record an error of the current statement/phase. */
void run_error(bthread *t, client *c, const char *code, const char *msg);
/* Start another attempt of the current transaction (after a retryable error). */
void run_retry(client *c);
/* Is this error worth another attempt inside an explicit transaction? */
bool run_retryable(const char *code);
/* Housekeeping at time now: warmup reset, interval publishing. */
void run_tick(bthread *t, int64_t now);
/* Stop starting new transactions? */
bool run_should_stop(const bthread *t, int64_t now);
/* Client c's first scheduled start. */
void run_schedule_first(bthread *t, client *c);

int64_t run_now(void);

#endif
