/* pgutil.c — connecting to PostgreSQL and reporting its errors without leaking secrets. */
#include "seedload/pgutil.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

static void chomp(sbuf *b)
{
    while (b->len && (b->p[b->len - 1] == '\n' || b->p[b->len - 1] == ' ')) b->p[--b->len] = '\0';
}

/* NOTICEs ("schema ... does not exist, skipping") are noise for a loader; warnings are kept. */
static void quiet_notices(void *arg, const char *msg)
{
    (void)arg;
    if (strncmp(msg, "NOTICE:", 7) != 0 && strncmp(msg, "DEBUG", 5) != 0 &&
        strncmp(msg, "INFO:", 5) != 0)
        fputs(msg, stderr);
}

PGconn *pg_connect(const char *conninfo, sl_err *e)
{
    /* dbname comes last with expand_dbname, so a URI or key=value string can carry any
     * setting (and PG* variables / ~/.pgpass fill the rest, as for psql). */
    const char *keys[] = {"fallback_application_name", "dbname", NULL};
    const char *vals[] = {"seedload", conninfo, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c) {
        sl_fail(e, SL_EXIT_IO, "cannot connect to PostgreSQL: out of memory");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        char *masked = sl_mask_conninfo(conninfo);
        sbuf why = {0};
        sbuf_adds(&why, PQerrorMessage(c));
        chomp(&why);
        /* libpq quotes pieces of a malformed URI (a bad %-escape, a bad host) in its message:
         * the password must not come with them. */
        char *safe = sl_redact(why.p ? why.p : "unknown error", conninfo);
        sl_fail(e, SL_EXIT_IO, "cannot connect to PostgreSQL at %s: %s", masked, safe);
        free(safe);
        free(masked);
        sbuf_free(&why);
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, quiet_notices, NULL);
    /* Values travel as UTF-8 text in UTC with ISO dates, whatever the server's defaults. */
    if (PQsetClientEncoding(c, "UTF8") != 0 ||
        pg_exec(c,
                "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; "
                "SET extra_float_digits = 3",
                e) < 0) {
        if (e && !e->msg[0]) sl_fail(e, SL_EXIT_IO, "cannot set up the PostgreSQL session");
        PQfinish(c);
        return NULL;
    }
    return c;
}

void pg_describe_error(const PGresult *r, PGconn *c, sbuf *out)
{
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg) {
        sbuf tmp = {0};
        sbuf_adds(&tmp, c ? PQerrorMessage(c) : "unknown error");
        chomp(&tmp);
        sbuf_adds(out, tmp.p ? tmp.p : "unknown error");
        sbuf_free(&tmp);
        return;
    }
    sbuf_adds(out, msg);
    const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
    const char *cons = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (detail) sbuf_printf(out, " (DETAIL: %s)", detail);
    if (cons) sbuf_printf(out, " [constraint %s]", cons);
    if (state) sbuf_printf(out, " [SQLSTATE %s]", state);
}

int pg_exec(PGconn *c, const char *sql, sl_err *e)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
        PQclear(r);
        return 0;
    }
    sbuf b = {0};
    pg_describe_error(r, c, &b);
    sl_fail(e, SL_EXIT_IO, "%s", b.p);
    sbuf_free(&b);
    PQclear(r);
    return -1;
}

int pg_exec_interruptible(PGconn *c, const char *sql, sl_err *e)
{
    if (sl_stop) return sl_fail(e, SL_EXIT_IO, "interrupted");
    if (!PQsendQuery(c, sql)) {
        sbuf b = {0};
        pg_describe_error(NULL, c, &b);
        sl_fail(e, SL_EXIT_IO, "%s", b.p);
        sbuf_free(&b);
        return -1;
    }
    bool cancelled = false, failed = false;
    for (;;) {
        while (PQisBusy(c)) {
            if (sl_stop && !cancelled) {
                PGcancel *cc = PQgetCancel(c);
                char buf[256];
                if (cc) PQcancel(cc, buf, sizeof buf), PQfreeCancel(cc);
                cancelled = true;
            }
            struct pollfd pfd = {.fd = PQsocket(c), .events = POLLIN};
            if (poll(&pfd, 1, 100) < 0) continue;
            if (!PQconsumeInput(c)) break;
        }
        PGresult *r = PQgetResult(c);
        if (!r) break;
        ExecStatusType st = PQresultStatus(r);
        if (!failed && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
            sbuf b = {0};
            pg_describe_error(r, c, &b);
            sl_fail(e, SL_EXIT_IO, "%s", cancelled ? "interrupted" : b.p);
            sbuf_free(&b);
            failed = true;
        }
        PQclear(r);
        if (PQstatus(c) == CONNECTION_BAD) {
            if (!failed) {
                sbuf b = {0};
                pg_describe_error(NULL, c, &b);
                sl_fail(e, SL_EXIT_IO, "%s", b.p);
                sbuf_free(&b);
            }
            return -1;
        }
    }
    if (!failed && cancelled) return sl_fail(e, SL_EXIT_IO, "interrupted");
    return failed ? -1 : 0;
}

PGresult *pg_query(PGconn *c, const char *sql, int nparams, const char *const *params, sl_err *e)
{
    PGresult *r = PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
    sbuf b = {0};
    pg_describe_error(r, c, &b);
    sl_fail(e, SL_EXIT_IO, "%s", b.p);
    sbuf_free(&b);
    PQclear(r);
    return NULL;
}

int pg_server_version(PGconn *c)
{
    return PQserverVersion(c);
}

void pg_ident(sbuf *out, const char *name)
{
    sbuf_addc(out, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') sbuf_addc(out, '"');
        sbuf_addc(out, *p);
    }
    sbuf_addc(out, '"');
}
