/* pgutil.h — libpq helpers shared by the PostgreSQL target and the bench driver: connecting
 * (any URI or key=value string; PG* variables and ~/.pgpass work as for psql) with messages
 * that never show a password, running statements, and turning a server error into one
 * readable line (message, detail, constraint, SQLSTATE). */
#ifndef SEEDLOAD_PGUTIL_H
#define SEEDLOAD_PGUTIL_H

#include "seedload/util.h"
#include <libpq-fe.h>

/* Connect; on failure fill e (SL_EXIT_IO) with the masked target and libpq's reason. The
 * session gets TimeZone UTC, client_encoding UTF8, DateStyle ISO, and application_name
 * seedload. */
PGconn *pg_connect(const char *conninfo, sl_err *e);

/* Run one or more statements that return no rows; fill e with the server's error. */
int pg_exec(PGconn *c, const char *sql, sl_err *e);
/* The same, but waiting in poll() so that Ctrl-C (sl_stop) cancels the running statement
 * (index builds, ANALYZE); then fails with "interrupted". */
int pg_exec_interruptible(PGconn *c, const char *sql, sl_err *e);

/* Run a query with text parameters; returns the result (PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK) or NULL with e filled. Caller PQclear()s. */
PGresult *pg_query(PGconn *c, const char *sql, int nparams, const char *const *params, sl_err *e);

/* "message (DETAIL: ...) [constraint x] [SQLSTATE 23505]" from a failed result. */
void pg_describe_error(const PGresult *r, PGconn *c, sbuf *out);

/* The server's version number (e.g. 150004) and its version string. */
int pg_server_version(PGconn *c);

/* A double-quoted identifier. */
void pg_ident(sbuf *out, const char *name);

#endif
