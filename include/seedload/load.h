/* load.h — the generate pipeline: N worker threads generate and encode chunks of rows in
 * parallel; the calling thread hands them to the sink strictly in row order. Memory is
 * bounded by the number of chunks in flight, not by the number of rows. */
#ifndef SEEDLOAD_LOAD_H
#define SEEDLOAD_LOAD_H

#include "seedload/sink.h"

typedef struct load_opts {
    int threads;   /* generator threads (>= 1) */
    bool progress; /* progress lines on stderr */
} load_opts;

/* Run sink s over every table of its model (s->cfg.m), in load order, restricted to the
 * sink's shard. Fills res (indexed like m->t; caller allocates m->nt entries). Returns 0;
 * 1 when the sink reports that the target already holds the dataset; -1 with e set (the
 * sink has been aborted). Stops early, aborting, when sl_stop becomes non-zero. */
int load_run(sink *s, const load_opts *o, table_result *res, sl_err *e);

/* The rows [lo, hi) of a table that shard i of n (1-based) covers. */
void load_shard_range(uint64_t nrows, uint64_t i, uint64_t n, uint64_t *lo, uint64_t *hi);

#endif
