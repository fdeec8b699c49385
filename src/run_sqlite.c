/* run_sqlite.c — the SQLite driver: every client is a thread with its own connection (the
 * library blocks, so concurrency needs threads), statements prepared once, a busy timeout,
 * and explicit transactions that write starting with BEGIN IMMEDIATE (a deferred transaction
 * that later writes would deadlock against another writer). SQLITE_BUSY and SQLITE_LOCKED
 * inside an explicit transaction roll back and retry, like serialization failures. */
#include "run_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *code_name(int rc, char *buf, size_t n)
{
    static const struct {
        int rc;
        const char *name;
    } names[] = {{SQLITE_BUSY, "SQLITE_BUSY"},
                 {SQLITE_BUSY_SNAPSHOT, "SQLITE_BUSY_SNAPSHOT"},
                 {SQLITE_LOCKED, "SQLITE_LOCKED"},
                 {SQLITE_CONSTRAINT_UNIQUE, "SQLITE_CONSTRAINT_UNIQUE"},
                 {SQLITE_CONSTRAINT_PRIMARYKEY, "SQLITE_CONSTRAINT_PRIMARYKEY"},
                 {SQLITE_CONSTRAINT_FOREIGNKEY, "SQLITE_CONSTRAINT_FOREIGNKEY"},
                 {SQLITE_CONSTRAINT_CHECK, "SQLITE_CONSTRAINT_CHECK"},
                 {SQLITE_CONSTRAINT_NOTNULL, "SQLITE_CONSTRAINT_NOTNULL"},
                 {SQLITE_CONSTRAINT_TRIGGER, "SQLITE_CONSTRAINT_TRIGGER"},
                 {SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT"},
                 {SQLITE_READONLY, "SQLITE_READONLY"},
                 {SQLITE_FULL, "SQLITE_FULL"},
                 {SQLITE_IOERR, "SQLITE_IOERR"},
                 {SQLITE_ERROR, "SQLITE_ERROR"},
                 {SQLITE_MISMATCH, "SQLITE_MISMATCH"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].rc == rc) return names[i].name;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].rc == (rc & 0xff)) {
            snprintf(buf, n, "%s_%d", names[i].name, rc >> 8);
            return buf;
        }
    snprintf(buf, n, "SQLITE_%d", rc);
    return buf;
}

static int setup(bthread *t, client *c)
{
    const run_cfg *cfg = t->cfg;
    sl_err *e = &t->err;
    if (sqlite3_open_v2(cfg->target, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK)
        return sl_fail(e, SL_EXIT_IO, "sqlite:%s: %s", cfg->target,
                       c->db ? sqlite3_errmsg(c->db) : "cannot open");
    /* The connection settings the application would use (the DDL's PRAGMAs: synchronous,
     * cache_size, busy_timeout, ...), then seedload's own unless the DDL set them. */
    sqlite3_busy_timeout(c->db, cfg->busy_timeout_ms);
    for (size_t i = 0; i < cfg->npragmas; i++)
        sqlite3_exec(c->db, cfg->pragmas[i], NULL, NULL, NULL);
    if (cfg->busy_timeout_set) sqlite3_busy_timeout(c->db, cfg->busy_timeout_ms);
    sqlite3_exec(c->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    const workload *w = cfg->w;
    c->lite = xcalloc(w->ntx, sizeof *c->lite);
    for (size_t i = 0; i < w->ntx; i++) {
        c->lite[i] = xcalloc(w->tx[i].nst, sizeof(sqlite3_stmt *));
        for (size_t k = 0; k < w->tx[i].nst; k++) {
            const wl_stmt *st = &w->tx[i].st[k];
            if (sqlite3_prepare_v3(c->db, st->sql, -1, SQLITE_PREPARE_PERSISTENT, &c->lite[i][k],
                                   NULL) != SQLITE_OK)
                return sl_fail(e, SL_EXIT_USAGE,
                               "workload '%s', statement %s failed to prepare: %s\n  SQL: %s",
                               w->name, st->label, sqlite3_errmsg(c->db), st->src);
        }
    }
    return 0;
}

static void teardown(bthread *t, client *c)
{
    const workload *w = t->cfg->w;
    for (size_t i = 0; c->lite && i < w->ntx; i++) {
        for (size_t k = 0; k < w->tx[i].nst; k++) sqlite3_finalize(c->lite[i][k]);
        free(c->lite[i]);
    }
    free(c->lite);
    c->lite = NULL;
    sqlite3_close_v2(c->db);
    c->db = NULL;
}

static int exec_simple(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Run statement k of the current transaction; SQLITE_OK or the extended error code. */
static int run_stmt(client *c, size_t k)
{
    const wl_stmt *st = &c->tx->st[k];
    sqlite3_stmt *s = c->lite[c->txi][k];
    for (size_t i = 0; i < st->nparams; i++) {
        const val *v = &c->pv[st->params[i]];
        int idx = (int)i + 1;
        switch ((vtype)v->t) {
        case VT_NULL: sqlite3_bind_null(s, idx); break;
        case VT_INT:
        case VT_BOOL: sqlite3_bind_int64(s, idx, v->i); break;
        case VT_DEC:
            if (v->scale == 0)
                sqlite3_bind_int64(s, idx, v->i);
            else
                sqlite3_bind_double(s, idx, (double)v->i / (double)pow10_i64(v->scale));
            break;
        default: sqlite3_bind_text(s, idx, c->ptr[st->params[i]], -1, SQLITE_STATIC); break;
        }
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    int ext = rc == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(c->db);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return ext;
}

static void fail_with(bthread *t, client *c, int rc)
{
    char buf[48];
    run_error(t, c, code_name(rc, buf, sizeof buf), sqlite3_errmsg(c->db));
}

static void run_txn(bthread *t, client *c)
{
    const wl_txn *tx = c->tx;
    for (;;) {
        bool retry = false;
        if (tx->explicit_txn) {
            c->phase = PH_BEGIN;
            int rc = exec_simple(c->db, tx->has_writes ? "BEGIN IMMEDIATE" : "BEGIN");
            if (rc != SQLITE_OK) {
                int ext = sqlite3_extended_errcode(c->db);
                fail_with(t, c, ext);
                if (run_retryable(c->err_code) && c->attempt < tx->retries) {
                    run_retry(c);
                    continue;
                }
                c->failed = true;
                break;
            }
        }
        c->phase = PH_STMT;
        for (c->k = 0; c->k < tx->nst; c->k++) {
            c->stmt_start = run_now();
            int rc = run_stmt(c, c->k);
            if (rc != SQLITE_OK) {
                fail_with(t, c, rc);
                if (tx->explicit_txn) {
                    exec_simple(c->db, "ROLLBACK");
                    if (run_retryable(c->err_code) && c->attempt < tx->retries) retry = true;
                }
                if (!retry) c->failed = true;
                break;
            }
            run_stmt_done(t, c, c->k, run_now() - c->stmt_start);
        }
        if (!retry && !c->failed && tx->explicit_txn) {
            c->phase = PH_COMMIT;
            if (exec_simple(c->db, "COMMIT") != SQLITE_OK) {
                fail_with(t, c, sqlite3_extended_errcode(c->db));
                exec_simple(c->db, "ROLLBACK");
                if (run_retryable(c->err_code) && c->attempt < tx->retries)
                    retry = true;
                else
                    c->failed = true;
            }
        }
        if (!retry) break;
        run_retry(c);
    }
    run_txn_done(t, c, run_now());
}

static void sleep_until(int64_t when)
{
    int64_t now = run_now();
    if (when <= now) return;
    int64_t d = when - now;
    struct timespec ts = {d / 1000000000LL, d % 1000000000LL};
    nanosleep(&ts, NULL);
}

int run_sqlite_thread(bthread *t)
{
    const run_cfg *cfg = t->cfg;
    client *c = &t->cl[0];
    if (setup(t, c) < 0) {
        teardown(t, c);
        atomic_store(&t->phase, 2);
        return -1;
    }
    atomic_store(&t->phase, 1);
    while (atomic_load(t->go) == 0) sleep_until(run_now() + 500000);
    if (atomic_load(t->go) < 0) {
        teardown(t, c);
        return 0;
    }
    run_schedule_first(t, c);
    for (;;) {
        int64_t now = run_now();
        run_tick(t, now);
        if (c->next_start > now) {
            /* Wake for the start, the next interval boundary, or at least every 100 ms. */
            int64_t wake = c->next_start,
                    due = t->measure_start + (t->st.ivl_index + 1) * cfg->interval_ns;
            if (due > now && due < wake) wake = due;
            if (wake > now + 100000000) wake = now + 100000000;
            if (run_should_stop(t, now)) break;
            sleep_until(wake);
            continue;
        }
        if (!run_begin_txn(t, c, now)) break;
        run_txn(t, c);
    }
    teardown(t, c);
    return 0;
}
