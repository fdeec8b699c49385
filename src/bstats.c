/* bstats.c — a thread's benchmark statistics: histograms per transaction type and statement,
 * error counts by code, and the interval ring the main thread reads for progress lines. */
#include "seedload/bench.h"

#include <stdlib.h>

static hist *newh(void)
{
    return hist_new(BENCH_HIST_LOW, BENCH_HIST_HIGH, BENCH_HIST_SIGFIGS);
}

void tstats_init(thread_stats *s, const workload *w)
{
    memset(s, 0, sizeof *s);
    s->ntx = w ? w->ntx : 0;
    s->tx = xcalloc(s->ntx ? s->ntx : 1, sizeof *s->tx);
    for (size_t i = 0; i < s->ntx; i++) {
        tx_stats *x = &s->tx[i];
        x->lat = newh();
        x->svc = newh();
        size_t n = w->tx[i].nst;
        x->st = xcalloc(n + 1, sizeof(hist *)); /* NULL-terminated */
        x->st_errors = xcalloc(n ? n : 1, sizeof(uint64_t));
        for (size_t k = 0; k < n; k++) x->st[k] = newh();
    }
    s->lat = newh();
    s->svc = newh();
    s->lag = newh();
    s->ivl_lat = newh();
    for (int i = 0; i < BENCH_IVL_RING; i++) {
        s->ring[i].lat = newh();
        atomic_store(&s->ring[i].seq, -1);
    }
}

void tstats_free(thread_stats *s)
{
    if (!s->tx) return;
    for (size_t i = 0; i < s->ntx; i++) {
        tx_stats *x = &s->tx[i];
        hist_free(x->lat);
        hist_free(x->svc);
        for (size_t k = 0; x->st && x->st[k]; k++) hist_free(x->st[k]);
        free(x->st);
        free(x->st_errors);
    }
    free(s->tx);
    hist_free(s->lat);
    hist_free(s->svc);
    hist_free(s->lag);
    hist_free(s->ivl_lat);
    for (int i = 0; i < BENCH_IVL_RING; i++) hist_free(s->ring[i].lat);
    for (size_t i = 0; i < s->nerrs; i++) free(s->errs[i].first_message);
    free(s->errs);
    memset(s, 0, sizeof *s);
}

void tstats_reset(thread_stats *s)
{
    for (size_t i = 0; i < s->ntx; i++) {
        tx_stats *x = &s->tx[i];
        hist_reset(x->lat);
        hist_reset(x->svc);
        for (size_t k = 0; x->st[k]; k++) hist_reset(x->st[k]), x->st_errors[k] = 0;
        x->count = x->errors = x->retries = 0;
    }
    hist_reset(s->lat);
    hist_reset(s->svc);
    hist_reset(s->lag);
    hist_reset(s->ivl_lat);
    s->count = s->errors = s->retries = s->reconnects = s->late = s->skipped = 0;
    s->ivl_count = s->ivl_errors = s->ivl_skipped = 0;
    for (size_t i = 0; i < s->nerrs; i++) free(s->errs[i].first_message);
    s->nerrs = 0;
}

/* libpq's messages span lines ("server closed the connection...\n\tThis probably means"):
 * the error table wants one line. */
static char *one_line(const char *msg)
{
    char *o = xstrdup(msg);
    sl_one_line(o);
    return o;
}

void tstats_error(thread_stats *s, const char *code, int txn, int stmt, const char *msg)
{
    for (size_t i = 0; i < s->nerrs; i++) {
        err_count *e = &s->errs[i];
        if (e->txn == txn && e->stmt == stmt && strcmp(e->code, code) == 0) {
            e->count++;
            return;
        }
    }
    /* Distinct (code, statement) pairs are few; memory stays bounded by the workload. */
    if (s->nerrs >= 1024) return;
    s->errs = xrealloc(s->errs, (s->nerrs + 1) * sizeof *s->errs);
    err_count *e = &s->errs[s->nerrs++];
    memset(e, 0, sizeof *e);
    snprintf(e->code, sizeof e->code, "%s", code);
    e->txn = txn;
    e->stmt = stmt;
    e->count = 1;
    e->first_message = msg ? one_line(msg) : NULL;
}

void tstats_merge(thread_stats *into, const thread_stats *from)
{
    for (size_t i = 0; i < into->ntx && i < from->ntx; i++) {
        tx_stats *a = &into->tx[i];
        const tx_stats *b = &from->tx[i];
        hist_add(a->lat, b->lat);
        hist_add(a->svc, b->svc);
        for (size_t k = 0; a->st[k] && b->st[k]; k++) {
            hist_add(a->st[k], b->st[k]);
            a->st_errors[k] += b->st_errors[k];
        }
        a->count += b->count;
        a->errors += b->errors;
        a->retries += b->retries;
    }
    hist_add(into->lat, from->lat);
    hist_add(into->svc, from->svc);
    hist_add(into->lag, from->lag);
    into->count += from->count;
    into->errors += from->errors;
    into->retries += from->retries;
    into->reconnects += from->reconnects;
    into->late += from->late;
    into->skipped += from->skipped;
    for (size_t i = 0; i < from->nerrs; i++) {
        const err_count *e = &from->errs[i];
        tstats_error(into, e->code, e->txn, e->stmt, e->first_message);
        /* tstats_error counted one; add the rest to the matching entry. */
        for (size_t j = 0; j < into->nerrs; j++)
            if (into->errs[j].txn == e->txn && into->errs[j].stmt == e->stmt &&
                strcmp(into->errs[j].code, e->code) == 0) {
                into->errs[j].count += e->count - 1;
                break;
            }
    }
}

void tstats_publish(thread_stats *s, int64_t idx)
{
    ivl_slot *sl = &s->ring[idx % BENCH_IVL_RING];
    hist_reset(sl->lat);
    hist_add(sl->lat, s->ivl_lat);
    sl->count = s->ivl_count;
    sl->errors = s->ivl_errors;
    sl->skipped = s->ivl_skipped;
    atomic_store(&sl->seq, idx);
    hist_reset(s->ivl_lat);
    s->ivl_count = s->ivl_errors = s->ivl_skipped = 0;
}
