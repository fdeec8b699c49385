/* target.h — reading a generated database back: which dialect a target string names, and
 * the metadata `generate` left in it (profile, scenario, scale, seed, rows per table), which
 * the bench runner uses to rebuild the exact key space without reading any keys. */
#ifndef SEEDLOAD_TARGET_H
#define SEEDLOAD_TARGET_H

#include "seedload/profile.h"
#include "seedload/schema.h"

typedef struct target_meta {
    char *profile, *scenario, *dataset_id;
    double scale;
    uint64_t seed;
    size_t ntables;
    char **tables;
    uint64_t *rows;
    char **checksums; /* per table; NULL entries when not recorded */
    char server_version[96];
} target_meta;

/* "sqlite:PATH" → SQLite and *where = PATH; a PostgreSQL URI or key=value string → PostgreSQL
 * and *where = the string. Anything else fails (SL_EXIT_USAGE). */
int target_parse(const char *target, sql_dialect *d, const char **where, sl_err *e);

/* The PostgreSQL schemas of a profile for bench: its postgres.schemas, or postgres.schema /
 * --schema / the profile name; written as a search_path list ("a, b"). Caller frees. */
char *target_pg_schemas(const profile *p, const char *schema_opt);

/* Read the metadata. A target without it fails with advice to run generate first
 * (SL_EXIT_USAGE); an unreachable one with SL_EXIT_IO. */
int target_meta_read(sql_dialect d, const char *where, const char *pg_schemas, target_meta *out,
                     sl_err *e);
void target_meta_free(target_meta *m);

/* The largest value of table.column in the target (for fresh integer keys); 0 and *found =
 * false when the table is empty. */
int target_max(sql_dialect d, const char *where, const char *pg_schemas, const char *table,
               const char *column, int64_t *out, bool *found, sl_err *e);

/* Number this bench run (1, 2, ...) with a counter kept in the target's _seedload_meta
 * ("bench_runs"), atomically, so concurrent runs get distinct numbers: fresh non-integer keys
 * start at a range of their own per run. */
int target_next_run(sql_dialect d, const char *where, const char *pg_schemas, uint64_t *run,
                    sl_err *e);

#endif
