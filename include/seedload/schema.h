/* schema.h — a system's hand-written DDL: split into statements (knowing which run after the
 * load), and the tables it creates as seen by SQLite, so that a profile can be checked
 * against the real schema (columns, NOT NULL, unique columns, declared lengths) before any
 * data is generated.
 *
 * Post-load statements: every CREATE [UNIQUE] INDEX, and any statement preceded by a line
 * comment `-- seedload:post-load`. They run after the rows are in (faster loads). A UNIQUE
 * index on a table that a foreign key references stays in place: the foreign key needs it. */
#ifndef SEEDLOAD_SCHEMA_H
#define SEEDLOAD_SCHEMA_H

#include "seedload/util.h"

typedef enum { DIALECT_SQLITE, DIALECT_POSTGRES } sql_dialect;

typedef struct sql_stmt {
    char *sql;      /* the statement without its trailing ';' */
    int line;       /* line of its first token in the file */
    bool post_load; /* run after the rows are loaded */
    bool marker;    /* marked -- seedload:post-load in the file */
    bool is_pragma; /* SQLite PRAGMA */
} sql_stmt;

typedef struct sql_script {
    char *path;
    sql_stmt *st;
    size_t n;
} sql_script;

/* Read and split a DDL file. Fails (SL_EXIT_USAGE) on a missing file or an unterminated
 * quote/comment, naming file:line. */
int sql_script_load(const char *path, sql_dialect d, sql_script **out, sl_err *e);
/* Split SQL text already in memory (path is used in messages). */
int sql_script_parse(const char *path, const char *text, sql_dialect d, sql_script **out,
                     sl_err *e);
void sql_script_free(sql_script *s);

typedef struct sch_col {
    char *name;
    char *decl_type; /* as declared, e.g. "VARCHAR(100)" */
    bool notnull;
    bool has_default;
    bool pk;
    bool unique; /* part of a PRIMARY KEY or UNIQUE constraint/index */
    int maxlen;  /* from VARCHAR(n)/CHAR(n); 0 when unbounded */
    bool fk;     /* part of a FOREIGN KEY */
} sch_col;

typedef struct sch_table {
    char *name;
    sch_col *cols;
    size_t ncols;
    char **fk_tables; /* tables its foreign keys point at (SQLite names) */
    size_t nfk;
} sch_table;

typedef struct schema {
    sch_table *t;
    size_t nt;
} schema;

/* Execute the script in a private in-memory SQLite database and describe the tables it
 * created. A failing statement is reported as path:line: message (SL_EXIT_USAGE). */
int schema_from_sqlite(const sql_script *s, schema **out, sl_err *e);
void schema_free(schema *s);
const sch_table *schema_table(const schema *s, const char *name);
const sch_col *schema_col(const sch_table *t, const char *name);

/* The SQLite name of a profile table: "auth.users" becomes "auth_users" (SQLite has no
 * schemas inside one file); other names are unchanged. Writes into buf. */
const char *sqlite_table_name(const char *profile_name, char *buf, size_t size);

#endif
