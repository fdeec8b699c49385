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

typedef enum { ENC_CSV, ENC_COPY_TEXT, ENC_SQL_INSERT, ENC_BIN, ENC_PG } enc_kind;

/* PostgreSQL column types the binary COPY encoder can produce (enc_pg.c). Text-like types
 * (text, varchar, char, name, enums, json) take the value's text; PGT_OTHER forces text COPY
 * for the table. */
typedef enum {
    PGT_OTHER = 0,
    PGT_TEXT,
    PGT_BPCHAR, /* char(n): sent without trailing blanks, which the server pads back */
    PGT_JSONB,
    PGT_INT2,
    PGT_INT4,
    PGT_INT8,
    PGT_FLOAT4,
    PGT_FLOAT8,
    PGT_NUMERIC,
    PGT_BOOL,
    PGT_UUID,
    PGT_DATE,
    PGT_TIMESTAMP,
} pgt;

/* ENC_PG, per table: binary COPY with these column types (one per output column), or text
 * COPY when binary is false. */
typedef struct enc_pgtable {
    bool binary;
    uint8_t *types;
} enc_pgtable;

/* Tags of the ENC_BIN form: tag byte, then INT/BOOL: int64; REAL: double; TEXT: uint32
 * length + bytes. Native byte order (it never leaves the process). */
enum { BIN_NULL = 0, BIN_INT = 1, BIN_REAL = 2, BIN_TEXT = 3 };

typedef struct enc_digest {
    uint64_t a, b;
} enc_digest;

typedef struct enc_cfg {
    enc_kind kind;
    char **insert_heads;    /* ENC_SQL_INSERT, per table index: "INSERT INTO \"t\" (...) VALUES" */
    size_t rows_per_insert; /* ENC_SQL_INSERT: rows per statement */
    const enc_pgtable *pg;  /* ENC_PG: per table index */
    bool digest;            /* compute the checksum */
} enc_cfg;

/* Scratch a worker keeps between chunks. */
typedef struct enc_scratch {
    sbuf line;
    sbuf err; /* set when a value cannot be encoded */
} enc_scratch;

/* Generate rows [start, end) of t with ctx and append their encoding to out; adds their
 * checksum into *dg when cfg->digest. Returns 0, or -1 with a message in sc->err (a value
 * the target type cannot hold, e.g. 70000 for a smallint). */
int enc_rows(const enc_cfg *cfg, genctx *ctx, const mtable *t, uint64_t start, uint64_t end,
             sbuf *out, enc_digest *dg, enc_scratch *sc);

/* ENC_PG: the binary COPY header and trailer (enc_pg.c), one row, and whether a generated
 * type can travel in binary as a column type. */
void enc_pg_header(sbuf *out);
void enc_pg_trailer(sbuf *out);
int enc_pg_row(const enc_pgtable *pt, const mtable *t, const val *v, sbuf *out, enc_scratch *sc,
               uint64_t row);
bool enc_pg_compatible(vtype t, pgt p);
pgt enc_pg_type(const char *typname, char typtype);
/* COPY text form of one value (\N for NULL, backslash escapes). */
void enc_copy_text_value(const val *v, sbuf *out);

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
