/* sink.h — where generated rows go, behind one interface: SQLite files, CSV directories,
 * SQL scripts (and PostgreSQL). The pipeline (load.c) calls, from one writer thread:
 *
 *   open → for each table in load order: table_begin, write* (chunks in row order),
 *   table_end → commit        (or abort on any failure or interrupt)
 *
 * Contract: nothing the user can see changes until commit succeeds; abort leaves whatever was
 * at the target before exactly as it was (temporary files are removed). */
#ifndef SEEDLOAD_SINK_H
#define SEEDLOAD_SINK_H

#include "seedload/enc.h"
#include "seedload/model.h"
#include "seedload/schema.h"

typedef struct table_result {
    uint64_t rows;
    uint64_t bytes;
    enc_digest digest;
    double seconds;
} table_result;

typedef struct sink_cfg {
    const model *m;
    const char *scenario;
    bool force;  /* replace an existing target */
    bool header; /* CSV: write a header line (shard 1 only) */
    bool digest; /* checksums wanted */
    bool quiet;
    int jobs;              /* parallel connections (PostgreSQL); -N: up to N, fewer when the server
                            * refuses more (the default, so a connection-limited role still loads) */
    const char *pg_schema; /* PostgreSQL: schema for DDL without schema names (--schema) */
    sql_dialect dialect;   /* sql: targets */
    uint64_t shard_i, shard_n; /* 1-based shard of n (n = 1: everything) */
    const char
        *dataset_id; /* identity of this dataset (profile, DDL, dicts, scale, seed, version) */
} sink_cfg;

typedef struct sink sink;

typedef struct sink_ops {
    const char *name;
    /* Prepare the target. Returns 0, or 1 when the target already holds this exact dataset
     * (and the caller has nothing to do), or -1 with e set. */
    int (*open)(sink *s, sl_err *e);
    int (*table_begin)(sink *s, const mtable *t, sl_err *e);
    /* A chunk: rows [first_row, first_row + nrows) of t, encoded as s->enc. */
    int (*write)(sink *s, const mtable *t, uint64_t first_row, const char *data, size_t len,
                 uint64_t nrows, sl_err *e);
    int (*table_end)(sink *s, const mtable *t, sl_err *e);
    /* Make everything visible at once; results are per table (indexed like m->t). */
    int (*commit)(sink *s, const table_result *res, sl_err *e);
    void (*abort)(sink *s);
    void (*free)(sink *s);
} sink_ops;

struct sink {
    const sink_ops *ops;
    enc_cfg enc;
    sink_cfg cfg;
    char *where; /* the target for messages (passwords masked) */
    void *priv;
};

/* Parse a target ("sqlite:PATH", "csv:DIR", "sql:FILE", "postgresql://...", libpq
 * key=value) and create its sink. Bad targets fail with SL_EXIT_USAGE. */
int sink_new(const char *target, const sink_cfg *cfg, sink **out, sl_err *e);
void sink_free(sink *s);

/* Constructors (one per module). */
int sink_csv_new(const char *dir, sink *s, sl_err *e);
int sink_sql_new(const char *file, sink *s, sl_err *e);
int sink_sqlite_new(const char *path, sink *s, sl_err *e);
int sink_pg_new(const char *conninfo, sink *s, sl_err *e);

/* Shared helpers for file targets: write all bytes (retrying short writes), and make a
 * temporary name next to a final path. */
int sink_write_all(int fd, const char *data, size_t len, const char *what, sl_err *e);
char *sink_temp_path(const char *final_path);
int sink_fsync_dir(const char *path_in_dir);

/* The DDL script for a dialect, loaded from the profile's schema files. */
int sink_load_ddl(const model *m, sql_dialect d, sql_script **out, sl_err *e);

#endif
