/* enc.h — turning generated rows into bytes for a target, and the per-table checksum.
 *
 * Encodings: CSV (RFC 4180; NULL is an empty field, the empty string is ""), PostgreSQL COPY
 * text, SQL INSERT statements (SQLite dialect), and a compact typed form that the SQLite
 * sink binds from (ENC_BIN).
 *
 * Checksum (contract): for each row, h = sl_hash64(csv_line, row_index) where csv_line is the
 * row's CSV encoding without its newline; a table's digest is the pair
 * (sum of h, sum of sl_mix64(h ^ K)) mod 2^64, printed as 32 hex digits. Sums do not depend
 * on order, so any split into threads or shards adds up to the same digest. */
#ifndef SEEDLOAD_ENC_H
#define SEEDLOAD_ENC_H

#include "seedload/model.h"
#include "seedload/schema.h"

typedef enum { ENC_CSV, ENC_COPY_TEXT, ENC_SQL_INSERT, ENC_BIN } enc_kind;

/* Tags of the ENC_BIN form: tag byte, then INT/BOOL: int64; REAL: double; TEXT: uint32
 * length + bytes. Native byte order (it never leaves the process). */
enum { BIN_NULL = 0, BIN_INT = 1, BIN_REAL = 2, BIN_TEXT = 3 };

typedef struct enc_digest {
    uint64_t a, b;
} enc_digest;

typedef struct enc_cfg {
    enc_kind kind;
    char **insert_heads;     /* ENC_SQL_INSERT, per table index: "INSERT INTO \"t\" (...) VALUES" */
    size_t rows_per_insert;  /* ENC_SQL_INSERT: rows per statement */
    bool digest;             /* compute the checksum */
} enc_cfg;

/* Scratch a worker keeps between chunks. */
typedef struct enc_scratch {
    sbuf line;
} enc_scratch;

/* Generate rows [start, end) of t with ctx and append their encoding to out; adds their
 * checksum into *dg when cfg->digest. */
void enc_rows(const enc_cfg *cfg, genctx *ctx, const mtable *t, uint64_t start, uint64_t end,
              sbuf *out, enc_digest *dg, enc_scratch *sc);

/* The CSV header line (column names) with its newline. */
void enc_csv_header(const mtable *t, sbuf *out);

/* One value in CSV (quoted when needed) / SQL literal form. */
void enc_csv_value(const val *v, sbuf *out);
void enc_sql_value(const val *v, sbuf *out);

/* "name" quoted as an SQL identifier ("" doubled); a dotted profile name becomes
 * "schema"."table" for PostgreSQL, or schema_table for SQLite. */
void enc_ident(sbuf *out, const char *name);
void enc_table_name(sbuf *out, const char *profile_name, sql_dialect d);

void enc_digest_add(enc_digest *into, const enc_digest *d);
/* 32 hex digits + NUL. */
void enc_digest_hex(const enc_digest *d, char out[33]);

#endif
