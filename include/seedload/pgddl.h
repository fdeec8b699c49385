/* pgddl.h — preparing PostgreSQL DDL to build a profile's schemas under staging names.
 *
 * A refresh builds `auth__seedload_new` beside `auth` and swaps it in at the end. For DDL that
 * qualifies names with its schemas (CREATE SCHEMA auth; CREATE TABLE auth.users ...), every
 * schema qualifier outside function bodies is renamed: identifiers followed by '.', the name
 * after the keyword SCHEMA, and 'auth.users'-style names inside string literals (regclass
 * casts, pg_get_serial_sequence), and names inside dollar-quoted function bodies (so that
 * triggers work while the staging schemas load). After the swap the routines are created
 * again from the original text (pgddl_is_routine / pgddl_or_replace), so their bodies name
 * the final schemas. */
#ifndef SEEDLOAD_PGDDL_H
#define SEEDLOAD_PGDDL_H

#include <stdbool.h>
#include <stddef.h>

/* A copy of sql with schema names from[i] renamed to to[i] (case-insensitive match, quoted
 * or not). Caller frees. */
char *pgddl_rename_schemas(const char *sql, const char *const *from, const char *const *to,
                           size_t n);

/* Does the statement create a function or procedure? */
bool pgddl_is_routine(const char *sql);
/* The statement with CREATE turned into CREATE OR REPLACE (caller frees). */
char *pgddl_or_replace(const char *sql);

#endif
