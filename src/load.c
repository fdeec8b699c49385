/* load.c — the generate pipeline. Work is a list of chunks (table, row range) in load
 * order; worker threads claim chunks in that order, generate and encode them into one of a
 * fixed ring of slots, and the writer (the caller's thread) hands slots to the sink strictly in
 * sequence. A worker never runs more than `nslots` chunks ahead of the writer, so memory stays
 * bounded whatever the row count. Output bytes do not depend on the number of threads. */
#include "seedload/load.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct item {
    int table;
    uint64_t start, end;
} item;

typedef struct slot {
    sbuf buf;
    sbuf err; /* an encoding error (the chunk is not written) */
    enc_digest dg;
    size_t item;
    int state; /* 0 free, 1 being filled, 2 ready */
} slot;

typedef struct ppl {
    sink *s;
    const model *m;
    item *items;
    size_t nitems;
    slot *slots;
    size_t nslots;
    size_t next_item, consumed;
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv_ready, cv_free;
} ppl;

void load_shard_range(uint64_t nrows, uint64_t i, uint64_t n, uint64_t *lo, uint64_t *hi)
{
    if (n <= 1) {
        *lo = 0;
        *hi = nrows;
        return;
    }
    *lo = (uint64_t)(((__uint128_t)nrows * (i - 1)) / n);
    *hi = (uint64_t)(((__uint128_t)nrows * i) / n);
}

static void *worker(void *arg)
{
    ppl *p = arg;
    genctx *ctx = genctx_new(p->m);
    enc_scratch sc = {0};
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->next_item < p->nitems) {
        size_t k = p->next_item;
        if (k >= p->consumed + p->nslots) {
            pthread_cond_wait(&p->cv_free, &p->mu);
            continue;
        }
        p->next_item++;
        slot *sl = &p->slots[k % p->nslots];
        sl->state = 1;
        pthread_mutex_unlock(&p->mu);

        const item *it = &p->items[k];
        sbuf_clear(&sl->buf);
        sbuf_clear(&sl->err);
        sl->dg.a = sl->dg.b = 0;
        if (enc_rows(&p->s->enc, ctx, &p->m->t[it->table], it->start, it->end, &sl->buf, &sl->dg,
                     &sc) < 0)
            sbuf_add(&sl->err, sc.err.p, sc.err.len);

        pthread_mutex_lock(&p->mu);
        sl->item = k;
        sl->state = 2;
        pthread_cond_broadcast(&p->cv_ready);
        if (sl_stop) p->stop = true;
    }
    pthread_mutex_unlock(&p->mu);
    sbuf_free(&sc.line);
    sbuf_free(&sc.err);
    genctx_free(ctx);
    return NULL;
}

/* Rows per chunk: about 512 KiB of output, from the encoded size of a few sample rows. */
static uint64_t chunk_rows(sink *s, genctx *ctx, const mtable *t)
{
    if (t->nrows == 0) return 1;
    uint64_t n = t->nrows < 32 ? t->nrows : 32;
    sbuf b = {0};
    enc_digest dg = {0};
    enc_scratch sc = {0};
    enc_cfg cfg = s->enc;
    cfg.digest = false;
    enc_rows(&cfg, ctx, t, 0, n, &b, &dg, &sc);
    uint64_t avg = b.len / n + 1;
    sbuf_free(&b);
    sbuf_free(&sc.line);
    sbuf_free(&sc.err);
    uint64_t rows = (512 * 1024) / avg;
    if (rows < 64) rows = 64;
    if (rows > 65536) rows = 65536;
    if (s->enc.kind == ENC_SQL_INSERT && s->enc.rows_per_insert)
        rows =
            (rows + s->enc.rows_per_insert - 1) / s->enc.rows_per_insert * s->enc.rows_per_insert;
    return rows;
}

static void fmt_eta(double secs, char *buf, size_t n)
{
    if (secs < 0 || secs > 359999) {
        snprintf(buf, n, "--:--");
        return;
    }
    long s = (long)(secs + 0.5);
    if (s >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

static void progress_line(const mtable *t, uint64_t done, uint64_t total, double secs, bool final)
{
    double rate = secs > 0 ? (double)done / secs : 0;
    char eta[32];
    fmt_eta(rate > 0 ? (double)(total - done) / rate : -1, eta, sizeof eta);
    fprintf(stderr, "\r  %-28s %12" PRIu64 " / %-12" PRIu64 " rows  %9.0f rows/s  ETA %-8s%s",
            t->name, done, total, rate, final ? "0:00" : eta, final ? "\n" : "");
    fflush(stderr);
}

int load_run(sink *s, const load_opts *o, table_result *res, sl_err *e)
{
    const model *m = s->cfg.m;
    int rc = s->ops->open(s, e);
    if (rc < 0) s->ops->abort(s); /* open may have created something (a staging schema) */
    if (rc != 0) return rc;       /* 1: already identical */

    ppl p = {.s = s, .m = m};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv_ready, NULL);
    pthread_cond_init(&p.cv_free, NULL);
    /* The chunk list, in load order. */
    genctx *probe = genctx_new(m);
    size_t cap = 0;
    for (size_t oi = 0; oi < m->nt; oi++) {
        const mtable *t = &m->t[m->order[oi]];
        uint64_t lo, hi;
        load_shard_range(t->nrows, s->cfg.shard_i, s->cfg.shard_n, &lo, &hi);
        uint64_t step = chunk_rows(s, probe, t);
        for (uint64_t r = lo; r < hi; r += step) {
            if (p.nitems == cap) {
                cap = cap ? cap * 2 : 256;
                p.items = xrealloc(p.items, cap * sizeof *p.items);
            }
            p.items[p.nitems++] = (item){t->idx, r, r + step < hi ? r + step : hi};
        }
    }
    genctx_free(probe);
    int nthreads = o->threads < 1 ? 1 : o->threads;
    p.nslots = (size_t)nthreads * 3 + 1;
    p.slots = xcalloc(p.nslots, sizeof *p.slots);
    pthread_t *th = xcalloc((size_t)nthreads, sizeof *th);
    int started = 0;
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&th[i], NULL, worker, &p) != 0) break;
        started++;
    }
    if (started == 0) {
        rc = sl_fail(e, SL_EXIT_IO, "cannot start generator threads");
        goto done;
    }

    memset(res, 0, m->nt * sizeof *res);
    size_t k = 0;
    for (size_t oi = 0; oi < m->nt && rc == 0; oi++) {
        const mtable *t = &m->t[m->order[oi]];
        table_result *r = &res[t->idx];
        uint64_t lo, hi;
        load_shard_range(t->nrows, s->cfg.shard_i, s->cfg.shard_n, &lo, &hi);
        uint64_t t0 = sl_now_ns(), last = 0;
        if ((rc = s->ops->table_begin(s, t, e)) < 0) break;
        while (k < p.nitems && p.items[k].table == t->idx) {
            slot *sl = &p.slots[k % p.nslots];
            pthread_mutex_lock(&p.mu);
            while (!(sl->state == 2 && sl->item == k) && !sl_stop) {
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += 200000000;
                if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
                pthread_cond_timedwait(&p.cv_ready, &p.mu, &ts);
            }
            pthread_mutex_unlock(&p.mu);
            if (sl_stop) {
                rc = sl_fail(e, SL_EXIT_IO, "interrupted while loading '%s'; nothing was changed",
                             t->name);
                break;
            }
            const item *it = &p.items[k];
            if (sl->err.len)
                rc = sl_fail(e, SL_EXIT_IO, "%s: %s", s->where, sl->err.p);
            else
                rc = s->ops->write(s, t, it->start, sl->buf.p ? sl->buf.p : "", sl->buf.len,
                                   it->end - it->start, e);
            r->rows += it->end - it->start;
            r->bytes += sl->buf.len;
            enc_digest_add(&r->digest, &sl->dg);
            pthread_mutex_lock(&p.mu);
            sl->state = 0;
            p.consumed++;
            pthread_cond_broadcast(&p.cv_free);
            pthread_mutex_unlock(&p.mu);
            k++;
            if (rc < 0) break;
            uint64_t now = sl_now_ns();
            if (o->progress && now - last > 250000000ULL) {
                progress_line(t, r->rows, hi - lo, (double)(now - t0) / 1e9, false);
                last = now;
            }
        }
        if (rc < 0) break;
        if ((rc = s->ops->table_end(s, t, e)) < 0) break;
        r->seconds = (double)(sl_now_ns() - t0) / 1e9;
        if (o->progress) progress_line(t, r->rows, hi - lo, r->seconds, true);
    }
done:
    pthread_mutex_lock(&p.mu);
    p.stop = true;
    pthread_cond_broadcast(&p.cv_free);
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
    free(th);
    for (size_t i = 0; i < p.nslots; i++) {
        sbuf_free(&p.slots[i].buf);
        sbuf_free(&p.slots[i].err);
    }
    free(p.slots);
    free(p.items);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv_ready);
    pthread_cond_destroy(&p.cv_free);
    if (rc == 0 && sl_stop) rc = sl_fail(e, SL_EXIT_IO, "interrupted; nothing was changed");
    if (rc == 0) rc = s->ops->commit(s, res, e);
    if (rc < 0) s->ops->abort(s);
    return rc < 0 ? -1 : 0;
}
