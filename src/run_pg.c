/* run_pg.c — the PostgreSQL driver: one event loop per thread multiplexes that thread's
 * clients, each a nonblocking libpq connection with its statements prepared once. A client
 * walks BEGIN → statements → COMMIT (or just the statements in autocommit); an explicit
 * transaction that fails with a serialization failure or deadlock is rolled back and retried
 * with the same parameters, up to its `retries`. A lost connection is counted, the
 * transaction fails, and the client reconnects and goes on. */
#include "run_internal.h"
#include "seedload/pgutil.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* "BEGIN", or with the transaction's isolation level. */
static void begin_sql(const wl_txn *tx, char *q, size_t n)
{
    if (tx->isolation)
        snprintf(q, n, "BEGIN ISOLATION LEVEL %s", tx->isolation);
    else
        snprintf(q, n, "BEGIN");
}

/* Server messages outside a result (a WARNING at 60k tps, the FATAL of a shutdown) would
 * scatter through the progress lines; errors are counted from the results instead. */
static void drop_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int setup_conn(bthread *t, client *c, sl_err *e)
{
    const run_cfg *cfg = t->cfg;
    if (!(c->pg = pg_connect(cfg->target, e))) return -1;
    PQsetNoticeProcessor(c->pg, drop_notice, NULL);
    if (cfg->search_path) {
        sbuf q = {0};
        sbuf_printf(&q, "SET search_path TO %s, public", cfg->search_path);
        int rc = pg_exec(c->pg, q.p, e);
        sbuf_free(&q);
        if (rc < 0) return -1;
    }
    const workload *w = cfg->w;
    for (size_t i = 0; i < w->ntx; i++)
        for (size_t k = 0; k < w->tx[i].nst; k++) {
            const wl_stmt *st = &w->tx[i].st[k];
            PGresult *r = PQprepare(c->pg, st->pg_name, st->sql, (int)st->nparams, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                sbuf b = {0};
                pg_describe_error(r, c->pg, &b);
                const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
                /* Class 42 (syntax, unknown column or table) is the workload's fault. */
                sl_fail(e, state && strncmp(state, "42", 2) == 0 ? SL_EXIT_USAGE : SL_EXIT_IO,
                        "workload '%s', statement %s failed to prepare: %s\n  SQL: %s", w->name,
                        st->label, b.p, st->src);
                sbuf_free(&b);
                PQclear(r);
                return -1;
            }
            PQclear(r);
        }
    if (PQsetnonblocking(c->pg, 1) != 0)
        return sl_fail(e, SL_EXIT_IO, "cannot make a connection nonblocking");
    return 0;
}

static void conn_lost(bthread *t, client *c, int64_t now);

static void flush(bthread *t, client *c, int64_t now)
{
    int r = PQflush(c->pg);
    if (r < 0) conn_lost(t, c, now);
    c->want_flush = r == 1;
}

static void send_current(bthread *t, client *c, int64_t now)
{
    const wl_txn *tx = c->tx;
    int ok = 0;
    c->stmt_start = now;
    switch (c->phase) {
    case PH_BEGIN: {
        char q[96];
        begin_sql(tx, q, sizeof q);
        ok = PQsendQuery(c->pg, q);
        break;
    }
    case PH_STMT: {
        const wl_stmt *st = &tx->st[c->k];
        const char *vals[64];
        const char **v = st->nparams <= 64 ? vals : xmalloc(st->nparams * sizeof *v);
        for (size_t i = 0; i < st->nparams; i++) v[i] = c->ptr[st->params[i]];
        ok = PQsendQueryPrepared(c->pg, st->pg_name, (int)st->nparams, st->nparams ? v : NULL, NULL,
                                 NULL, 0);
        if (v != vals) free(v);
        break;
    }
    case PH_COMMIT: ok = PQsendQuery(c->pg, "COMMIT"); break;
    default: ok = PQsendQuery(c->pg, "ROLLBACK"); break;
    }
    if (!ok) {
        conn_lost(t, c, now);
        return;
    }
    flush(t, c, now);
}

/* The connection broke: the transaction fails (counted by SQLSTATE 08006) and the client
 * reconnects right away. */
static void conn_lost(bthread *t, client *c, int64_t now)
{
    if (c->state != CS_BUSY) return;
    /* A backend that is terminated or shut down sends its reason (57P01...) just before it
     * closes; when the close is seen in the same read, the message is still in libpq's buffer.
     * On a broken connection PQgetResult does not wait: it parses what is buffered. */
    if (PQstatus(c->pg) == CONNECTION_BAD) {
        PGresult *r;
        for (int i = 0; i < 4 && (r = PQgetResult(c->pg)) != NULL; i++) {
            const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            if (PQresultStatus(r) == PGRES_FATAL_ERROR && state && !c->err_seen)
                run_error(t, c, state, PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
            PQclear(r);
        }
    }
    sbuf m = {0};
    sbuf_adds(&m, PQerrorMessage(c->pg));
    while (m.len && m.p[m.len - 1] == '\n') m.p[--m.len] = '\0';
    if (!c->err_seen) run_error(t, c, "08006", m.p);
    sbuf_free(&m);
    c->failed = true;
    run_txn_done(t, c, now);
    c->state = CS_RECONNECT;
    c->query_failed = false;
    c->next_start = now;
}

static void reconnect(bthread *t, client *c, int64_t now)
{
    PQfinish(c->pg);
    c->pg = NULL;
    sl_err e = {0};
    if (setup_conn(t, c, &e) < 0) {
        PQfinish(c->pg);
        c->pg = NULL;
        if (!c->down_since) c->down_since = now;
        int64_t limit = t->cfg->reconnect_timeout_ns;
        if (limit > 0 && now - c->down_since >= limit) {
            /* The server is gone for good: end the run (results so far are kept) rather
             * than retry until -t can never be reached. The first thread to give up says why. */
            sl_one_line(e.msg);
            if (!atomic_exchange(t->abort, 1))
                snprintf(
                    t->stop_reason, sizeof t->stop_reason,
                    "client %d could not reconnect for %.0f s; the run ended early. Last error: %s",
                    c->id, (double)(now - c->down_since) / 1e9, e.msg);
            c->state = CS_DONE;
            return;
        }
        c->next_start = now + 1000000000LL; /* try again in a second */
        return;
    }
    c->down_since = 0;
    if (now >= t->measure_start) t->st.reconnects++;
    c->state = CS_IDLE;
    c->next_start = now;
}

static void finish(bthread *t, client *c, int64_t now)
{
    run_txn_done(t, c, now);
}

/* A query of client c completed (all results read). */
static void on_complete(bthread *t, client *c, bool err, int64_t now)
{
    const wl_txn *tx = c->tx;
    switch (c->phase) {
    case PH_BEGIN:
        if (err) {
            c->failed = true;
            finish(t, c, now);
            return;
        }
        c->phase = PH_STMT;
        c->k = 0;
        break;
    case PH_STMT:
        if (err) {
            if (tx->explicit_txn) {
                c->retry_after_rollback = run_retryable(c->err_code) && c->attempt < tx->retries;
                if (!c->retry_after_rollback) c->failed = true;
                c->phase = PH_ROLLBACK;
                break;
            }
            c->failed = true;
            finish(t, c, now);
            return;
        }
        run_stmt_done(t, c, c->k, now - c->stmt_start);
        if (++c->k < tx->nst) break;
        if (!tx->explicit_txn) {
            finish(t, c, now);
            return;
        }
        c->phase = PH_COMMIT;
        break;
    case PH_COMMIT:
        if (err) {
            if (run_retryable(c->err_code) && c->attempt < tx->retries) {
                run_retry(c);
                c->phase = PH_BEGIN;
                break;
            }
            c->failed = true;
        }
        finish(t, c, now);
        return;
    case PH_ROLLBACK:
        if (c->retry_after_rollback) {
            c->retry_after_rollback = false;
            run_retry(c);
            c->phase = PH_BEGIN;
            break;
        }
        finish(t, c, now);
        return;
    }
    send_current(t, c, now);
}

static void process(bthread *t, client *c, int64_t now)
{
    if (!PQconsumeInput(c->pg)) {
        conn_lost(t, c, now);
        return;
    }
    /* The error result and the end of the query can arrive in different reads: the flag
     * lives in the client until the query completes. */
    while (!PQisBusy(c->pg)) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            bool err = c->query_failed;
            c->query_failed = false;
            on_complete(t, c, err, now);
            return;
        }
        if (PQresultStatus(r) == PGRES_FATAL_ERROR) {
            const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
            run_error(t, c, state ? state : "XX000", msg);
            snprintf(c->err_code, sizeof c->err_code, "%s", state ? state : "XX000");
            c->query_failed = true;
        }
        PQclear(r);
        if (PQstatus(c->pg) == CONNECTION_BAD) {
            conn_lost(t, c, now);
            return;
        }
    }
}

int run_pg_thread(bthread *t)
{
    const run_cfg *cfg = t->cfg;
    int rc = 0;
    for (int i = 0; i < t->ncl && rc == 0; i++) rc = setup_conn(t, &t->cl[i], &t->err);
    if (rc < 0) {
        for (int i = 0; i < t->ncl; i++) PQfinish(t->cl[i].pg), t->cl[i].pg = NULL;
        atomic_store(&t->phase, 2);
        return -1;
    }
    atomic_store(&t->phase, 1);
    while (atomic_load(t->go) == 0) usleep(500);
    if (atomic_load(t->go) < 0) {
        for (int i = 0; i < t->ncl; i++) PQfinish(t->cl[i].pg), t->cl[i].pg = NULL;
        return 0;
    }
    for (int i = 0; i < t->ncl; i++) run_schedule_first(t, &t->cl[i]);
    struct pollfd *pfd = xcalloc((size_t)t->ncl, sizeof *pfd);
    int *who = xcalloc((size_t)t->ncl, sizeof *who);
    int64_t stop_at = 0;
    for (;;) {
        int64_t now = run_now();
        run_tick(t, now);
        int64_t wake = now + 100000000; /* at least every 100 ms: Ctrl-C, progress */
        int busy = 0, done = 0, np = 0;
        for (int i = 0; i < t->ncl; i++) {
            client *c = &t->cl[i];
            if (c->state == CS_IDLE && c->next_start <= now) {
                if (run_begin_txn(t, c, now))
                    send_current(t, c, now);
                else
                    c->state = CS_DONE;
            } else if (c->state == CS_RECONNECT && c->next_start <= now) {
                if (run_should_stop(t, now))
                    c->state = CS_DONE;
                else
                    reconnect(t, c, now);
            }
            if (c->state == CS_DONE) {
                done++;
                continue;
            }
            if (c->state == CS_BUSY) {
                busy++;
                pfd[np].fd = PQsocket(c->pg);
                pfd[np].events = (short)(POLLIN | (c->want_flush ? POLLOUT : 0));
                pfd[np].revents = 0;
                who[np++] = i;
            } else if (c->next_start < wake) {
                wake = c->next_start;
            }
        }
        if (done == t->ncl) break;
        /* After the end (or Ctrl-C) in-flight transactions finish; a stuck one is cancelled. */
        if (run_should_stop(t, now)) {
            if (!stop_at) stop_at = now;
            if (now - stop_at > 10000000000LL) {
                for (int i = 0; i < t->ncl; i++)
                    if (t->cl[i].state != CS_DONE) t->cl[i].state = CS_DONE;
                break;
            }
        }
        int64_t ivl_due = t->measure_start + (t->st.ivl_index + 1) * cfg->interval_ns;
        if (ivl_due > now && ivl_due < wake) wake = ivl_due;
        int64_t wait_ns = wake - now;
        if (wait_ns < 0) wait_ns = 0;
        /* ppoll takes nanoseconds: an open-loop start is not rounded up to the next ms. */
        struct timespec ts = {wait_ns / 1000000000LL, wait_ns % 1000000000LL};
        if (busy == 0 && wait_ns > 0) {
            /* Nothing in flight: sleep until the next scheduled start. */
            nanosleep(&ts, NULL);
            continue;
        }
        int n = ppoll(pfd, (nfds_t)np, &ts, NULL);
        if (n <= 0) continue;
        now = run_now();
        for (int p = 0; p < np; p++) {
            if (!pfd[p].revents) continue;
            client *c = &t->cl[who[p]];
            if (c->state != CS_BUSY) continue;
            if (pfd[p].revents & POLLOUT) flush(t, c, now);
            if (c->state == CS_BUSY && (pfd[p].revents & (POLLIN | POLLERR | POLLHUP)))
                process(t, c, now);
        }
    }
    free(pfd);
    free(who);
    for (int i = 0; i < t->ncl; i++) {
        client *c = &t->cl[i];
        if (c->pg && c->state == CS_BUSY) {
            PGcancel *cc = PQgetCancel(c->pg);
            char buf[256];
            if (cc) PQcancel(cc, buf, sizeof buf), PQfreeCancel(cc);
        }
        PQfinish(c->pg);
        c->pg = NULL;
    }
    return 0;
}
