/* run.c — the runner's common half: threads and their clients, the schedule (closed loop
 * with think time, or open loop with Poisson/uniform arrivals), the bookkeeping of every
 * transaction, warmup, interval snapshots, and the main thread's progress lines and merge.
 * The drivers (run_pg.c, run_sqlite.c) own the database side of each client. */
#include "run_internal.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int64_t run_now(void)
{
    return (int64_t)sl_now_ns();
}

bool run_retryable(const char *code)
{
    /* serialization_failure, deadlock_detected; SQLite's busy/locked */
    return strcmp(code, "40001") == 0 || strcmp(code, "40P01") == 0 ||
           strncmp(code, "SQLITE_BUSY", 11) == 0 || strncmp(code, "SQLITE_LOCKED", 13) == 0;
}

/* ---- schedule ------------------------------------------------------------------------------ */

static int64_t interarrival(bthread *t, client *c)
{
    const run_cfg *cfg = t->cfg;
    double per_client = cfg->rate / cfg->clients;
    double mean_ns = 1e9 / per_client;
    if (!cfg->poisson) return (int64_t)mean_ns;
    double u = rng_unit_pos(rng_at(t->arrive_key, (uint64_t)c->id, c->arrivals));
    return (int64_t)(-log(u) * mean_ns);
}

void run_schedule_first(bthread *t, client *c)
{
    const run_cfg *cfg = t->cfg;
    if (cfg->rate > 0) {
        /* Spread uniform arrivals over the first period; Poisson starts with a draw. */
        if (cfg->poisson)
            c->next_start = t->t0 + interarrival(t, c);
        else
            c->next_start = t->t0 + (int64_t)((double)c->id * 1e9 / cfg->rate);
        c->arrivals++;
    } else {
        c->next_start = t->t0;
    }
    c->state = CS_IDLE;
}

bool run_should_stop(const bthread *t, int64_t now)
{
    if (sl_stop || atomic_load(t->abort)) return true;
    if (t->cfg->duration_ns > 0) return now >= t->end;
    return false;
}

/* ---- per transaction ---------------------------------------------------------------------- */

static void copy_params(bthread *t, client *c, const wl_txn *tx, uint64_t row)
{
    const val *v = gen_row(t->gx, &tx->params, row);
    size_t n = tx->params.ncols;
    if (n > c->npv) {
        c->pv = xrealloc(c->pv, n * sizeof *c->pv);
        c->ptr = xrealloc(c->ptr, n * sizeof *c->ptr);
        c->poff = xrealloc(c->poff, n * sizeof *c->poff);
        c->npv = n;
    }
    /* Text forms first (the buffer may move), then the pointers. */
    sbuf_clear(&c->ptext);
    size_t *off = c->poff;
    for (size_t i = 0; i < n; i++) {
        off[i] = c->ptext.len;
        val_append_text(&v[i], &c->ptext);
        sbuf_addc(&c->ptext, '\0');
    }
    for (size_t i = 0; i < n; i++) {
        c->pv[i] = v[i];
        if (v[i].t == VT_NULL) {
            c->ptr[i] = NULL;
        } else {
            c->ptr[i] = c->ptext.p + off[i];
            if (v[i].t == VT_TEXT || v[i].t == VT_JSON) c->pv[i].s = c->ptr[i];
        }
    }
}

bool run_begin_txn(bthread *t, client *c, int64_t now)
{
    const run_cfg *cfg = t->cfg;
    for (;;) {
        if (run_should_stop(t, now)) return false;
        if (cfg->txns_per_client && c->measured >= cfg->txns_per_client) return false;
        if (cfg->rate > 0) {
            c->intended = c->next_start;
            int64_t lag = now - c->intended;
            if (cfg->max_lag_ns > 0 && lag > cfg->max_lag_ns) {
                /* Too late to be meaningful: counted as skipped, never silently dropped. */
                if (now >= t->measure_start) t->st.skipped++, t->st.ivl_skipped++;
                c->next_start += interarrival(t, c);
                c->arrivals++;
                continue;
            }
        } else {
            c->intended = now;
        }
        break;
    }
    uint64_t row = c->seq * (uint64_t)cfg->clients + (uint64_t)c->id;
    c->seq++;
    const workload *w = cfg->w;
    c->tx = wl_pick(w, rng_unit(rng_at(t->pick_key, row, 0)));
    c->txi = (int)(c->tx - w->tx);
    copy_params(t, c, c->tx, row);
    c->start = now;
    c->k = 0;
    c->attempt = 0;
    c->err_seen = false;
    c->failed = false;
    c->retry_after_rollback = false;
    c->phase = c->tx->explicit_txn ? PH_BEGIN : PH_STMT;
    c->state = CS_BUSY;
    if (cfg->rate > 0 && now >= t->measure_start) {
        int64_t lag = now - c->intended;
        hist_record(t->st.lag, lag < 0 ? 0 : lag);
        if (lag > 1000000) t->st.late++;
    }
    return true;
}

void run_stmt_done(bthread *t, client *c, size_t k, int64_t ns)
{
    if (c->stmt_start < t->measure_start) return;
    hist_record(t->st.tx[c->txi].st[k], ns < 0 ? 0 : ns);
}

void run_retry(client *c)
{
    c->attempt++;
    c->err_seen = false;
}

void run_error(bthread *t, client *c, const char *code, const char *msg)
{
    c->err_seen = true;
    int stmt = c->phase == PH_STMT ? (int)c->k : -1;
    if (!c->failed) {
        snprintf(c->err_code, sizeof c->err_code, "%s", code);
        c->err_stmt = stmt;
        sbuf_clear(&c->err_msg);
        if (msg) sbuf_adds(&c->err_msg, msg);
    }
    if (run_now() >= t->measure_start) {
        tstats_error(&t->st, code, c->txi, stmt, msg);
        if (stmt >= 0) t->st.tx[c->txi].st_errors[stmt]++;
    }
}

void run_txn_done(bthread *t, client *c, int64_t now)
{
    const run_cfg *cfg = t->cfg;
    if (now >= t->measure_start) {
        tx_stats *x = &t->st.tx[c->txi];
        int64_t lat = now - c->intended, svc = now - c->start;
        if (c->failed) {
            x->errors++;
            t->st.errors++;
            t->st.ivl_errors++;
        } else {
            hist_record(x->lat, lat);
            hist_record(x->svc, svc);
            hist_record(t->st.lat, lat);
            hist_record(t->st.svc, svc);
            hist_record(t->st.ivl_lat, lat);
        }
        x->count++;
        t->st.count++;
        t->st.ivl_count++;
        x->retries += (uint64_t)c->attempt;
        t->st.retries += (uint64_t)c->attempt;
        c->measured++;
    }
    if (cfg->rate > 0) {
        c->next_start += interarrival(t, c);
        c->arrivals++;
    } else {
        c->next_start = now + cfg->think_ns;
    }
    c->state = CS_IDLE;
}

void run_tick(bthread *t, int64_t now)
{
    const run_cfg *cfg = t->cfg;
    if (!t->warm && now >= t->measure_start) {
        tstats_reset(&t->st);
        t->warm = true;
    }
    if (!t->warm) return;
    /* A timed run's last interval stays open until the thread ends: transactions still in
     * flight at the end complete into it (as they count in the totals), not into an interval
     * past the run's end. */
    int64_t last = cfg->duration_ns > 0 ? (cfg->duration_ns - 1) / cfg->interval_ns : INT64_MAX;
    while (t->st.ivl_index < last &&
           now >= t->measure_start + (t->st.ivl_index + 1) * cfg->interval_ns) {
        int64_t idx = t->st.ivl_index;
        /* The main thread frees a slot by merging it; if it fell behind, this interval's
         * snapshot is folded into the next one rather than overwriting an unread slot. */
        if (atomic_load(t->consumed) >= idx - BENCH_IVL_RING) tstats_publish(&t->st, idx);
        t->st.ivl_index++;
    }
}

/* ---- threads ------------------------------------------------------------------------------ */

/* The CPUs this process may run on, in order (sched_getaffinity); 0 when unknown. */
static int allowed_cpus(int *out, int max)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    int n = 0;
    for (int c = 0; c < CPU_SETSIZE && n < max; c++)
        if (CPU_ISSET(c, &set)) out[n++] = c;
    return n;
}

static void *thread_main(void *arg)
{
    bthread *t = arg;
    if (t->cpu >= 0) { /* best effort: a refusal (a cpuset, a container) leaves it unpinned */
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(t->cpu, &set);
        if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) t->cpu = -1;
    }
    t->gx = genctx_new(t->cfg->m);
    int rc = t->cfg->dialect == DIALECT_POSTGRES ? run_pg_thread(t) : run_sqlite_thread(t);
    t->rc = rc;
    /* The last, partial interval. */
    if (t->warm && rc == 0) tstats_publish(&t->st, t->st.ivl_index);
    genctx_free(t->gx);
    t->gx = NULL;
    atomic_store(&t->phase, rc == 0 ? 3 : 2);
    return NULL;
}

static void print_ivl(const ivl_figures *f, bool open_loop, uint64_t skipped_total)
{
    (void)open_loop;
    fprintf(stderr,
            "progress: %6.1f s, %9.1f tps, p50 %8.3f ms, p99 %8.3f ms, max %8.3f ms, %" PRIu64
            " errors",
            f->t, f->tps, (double)f->p50 / 1e6, (double)f->p99 / 1e6, (double)f->max / 1e6,
            f->errors);
    if (skipped_total) fprintf(stderr, ", %" PRIu64 " skipped so far", skipped_total);
    fputc('\n', stderr);
}

int run_bench(const run_cfg *cfg, run_result *res, sl_err *e)
{
    memset(res, 0, sizeof *res);
    bool lite = cfg->dialect == DIALECT_SQLITE;
    /* SQLite clients block in the library, so each gets a thread of its own. */
    int nth = lite ? cfg->clients : (cfg->threads < cfg->clients ? cfg->threads : cfg->clients);
    bthread *th = xcalloc((size_t)nth, sizeof *th);
    _Atomic int go = 0, abort_run = 0;
    _Atomic int64_t consumed = -1;
    int per = cfg->clients / nth, extra = cfg->clients % nth, next_id = 0;
    /* PostgreSQL event loops are pinned one per CPU, round robin. Left to the scheduler, a
     * loop and the server processes it wakes drift between CPUs, and on a machine shared
     * with the server (a VM especially) every wakeup across CPUs costs: at -c 8 -j 2 on 2
     * vCPUs unpinned runs were bimodal, 71-101k TPS, pinned 109-112k (bench/RESULTS.md). */
    int cpus[CPU_SETSIZE], ncpu = 0;
    if (!lite && !cfg->no_pin) ncpu = allowed_cpus(cpus, CPU_SETSIZE);
    for (int i = 0; i < nth; i++) {
        bthread *t = &th[i];
        t->id = i;
        t->cpu = ncpu > 1 ? cpus[i % ncpu] : -1;
        t->cfg = cfg;
        t->go = &go;
        t->consumed = &consumed;
        t->abort = &abort_run;
        t->ncl = per + (i < extra);
        t->cl = xcalloc((size_t)t->ncl, sizeof *t->cl);
        for (int k = 0; k < t->ncl; k++) t->cl[k].id = next_id++;
        t->pick_key = rng_key(cfg->seed, "bench:pick");
        t->arrive_key = rng_key(cfg->seed, "bench:arrival");
        tstats_init(&t->st, cfg->w);
        atomic_store(&t->phase, 0);
    }
    int started = 0, rc = 0;
    for (int i = 0; i < nth; i++) {
        if (pthread_create(&th[i].th, NULL, thread_main, &th[i]) != 0) {
            rc = sl_fail(e, SL_EXIT_IO, "cannot start benchmark thread %d", i);
            break;
        }
        started++;
    }
    /* Wait for every thread to connect and prepare. */
    for (int i = 0; i < started && rc == 0; i++) {
        while (atomic_load(&th[i].phase) == 0 && !sl_stop) usleep(2000);
        if (atomic_load(&th[i].phase) == 2) {
            *e = th[i].err;
            rc = -1;
        }
    }
    if (sl_stop && rc == 0) rc = sl_fail(e, SL_EXIT_IO, "interrupted before the run started");
    int64_t t0 = run_now() + 1000000; /* every thread starts from the same instant */
    for (int i = 0; i < nth; i++) {
        th[i].t0 = t0;
        th[i].measure_start = t0 + cfg->warmup_ns;
        th[i].end = cfg->duration_ns > 0 ? th[i].measure_start + cfg->duration_ns : INT64_MAX;
    }
    res->started_at = sl_wall_time();
    atomic_store(&go, rc == 0 ? 1 : -1);

    /* Progress: merge each interval's snapshots as the threads publish them. */
    size_t cap = 0;
    hist *ivh = hist_new(BENCH_HIST_LOW, BENCH_HIST_HIGH, BENCH_HIST_SIGFIGS);
    uint64_t skipped_seen = 0;
    for (int64_t idx = 0; rc == 0; idx++) {
        int64_t due = t0 + cfg->warmup_ns + (idx + 1) * cfg->interval_ns;
        bool all_done = false;
        for (;;) {
            all_done = true;
            bool all_published = true;
            for (int i = 0; i < nth; i++) {
                int ph = atomic_load(&th[i].phase);
                bool fin = ph >= 2;
                all_done &= fin;
                if (atomic_load(&th[i].st.ring[idx % BENCH_IVL_RING].seq) < idx && !fin)
                    all_published = false;
            }
            if (all_published) break;
            int64_t now = run_now();
            /* Give the threads a little while after the boundary to publish. */
            if (now > due + cfg->interval_ns / 2 + 200000000) break;
            usleep(now < due
                       ? (useconds_t)((due - now) / 1000 < 50000 ? (due - now) / 1000 + 1 : 50000)
                       : 2000);
        }
        hist_reset(ivh);
        uint64_t cnt = 0, errs = 0, skipped = 0;
        bool any = false;
        for (int i = 0; i < nth; i++) {
            ivl_slot *sl = &th[i].st.ring[idx % BENCH_IVL_RING];
            if (atomic_load(&sl->seq) != idx) continue;
            any = true;
            hist_add(ivh, sl->lat);
            cnt += sl->count;
            errs += sl->errors;
            skipped += sl->skipped;
        }
        atomic_store(&consumed, idx);
        if (any || !all_done) {
            if (res->nivl == cap) {
                cap = cap ? cap * 2 : 64;
                res->ivl = xrealloc(res->ivl, cap * sizeof *res->ivl);
            }
            ivl_figures *f = &res->ivl[res->nivl++];
            /* The last interval of a timed run may be shorter than the others. */
            int64_t from = idx * cfg->interval_ns, to = from + cfg->interval_ns;
            if (cfg->duration_ns > 0 && to > cfg->duration_ns && from < cfg->duration_ns)
                to = cfg->duration_ns;
            f->t = (double)to / 1e9;
            f->count = cnt;
            f->errors = errs;
            f->skipped = skipped;
            f->tps = (double)cnt / ((double)(to - from) / 1e9);
            f->p50 = hist_percentile(ivh, 50);
            f->p99 = hist_percentile(ivh, 99);
            f->max = hist_max(ivh);
            skipped_seen += skipped;
            if (cfg->progress && (any || cnt)) print_ivl(f, cfg->rate > 0, skipped_seen);
        }
        if (all_done) break;
    }
    hist_free(ivh);
    for (int i = 0; i < started; i++) pthread_join(th[i].th, NULL);
    int64_t t_end = run_now();
    res->interrupted = sl_stop != 0 || atomic_load(&abort_run);
    for (int i = 0; i < started; i++)
        if (th[i].stop_reason[0]) {
            snprintf(res->stop_reason, sizeof res->stop_reason, "%s", th[i].stop_reason);
            break;
        }
    /* Throughput is over the measured period: the configured duration (transactions still in
     * flight at its end finish and count, as in pgbench), or the time it really took for a
     * count-based or interrupted run. */
    res->seconds = (double)(t_end - (t0 + cfg->warmup_ns)) / 1e9;
    if (cfg->duration_ns > 0 && !res->interrupted && res->seconds > (double)cfg->duration_ns / 1e9)
        res->seconds = (double)cfg->duration_ns / 1e9;
    if (res->seconds < 0) res->seconds = 0;
    for (int i = 0; i < started && rc == 0; i++)
        if (th[i].rc < 0) {
            *e = th[i].err;
            rc = -1;
        }
    tstats_init(&res->total, cfg->w);
    for (int i = 0; i < nth; i++) tstats_merge(&res->total, &th[i].st);
    res->rate_met = true; /* closed loop: no rate was offered */
    if (cfg->rate > 0) {
        double achieved = res->seconds > 0 ? (double)res->total.count / res->seconds : 0;
        res->rate_met = achieved >= 0.95 * cfg->rate && res->total.skipped == 0;
    }
    for (int i = 0; i < nth; i++) {
        for (int k = 0; k < th[i].ncl; k++) {
            client *c = &th[i].cl[k];
            free(c->pv);
            free(c->ptr);
            free(c->poff);
            sbuf_free(&c->ptext);
            sbuf_free(&c->err_msg);
        }
        free(th[i].cl);
        tstats_free(&th[i].st);
    }
    free(th);
    if (rc < 0) run_result_free(res);
    return rc;
}

void run_result_free(run_result *res)
{
    tstats_free(&res->total);
    free(res->ivl);
    res->ivl = NULL;
    res->nivl = 0;
}
