/* schema.c — splitting DDL files into statements (quotes, comments, PostgreSQL dollar
 * quoting, SQLite trigger bodies) and describing the tables a script creates by running it
 * in a private in-memory SQLite database. */
#include "seedload/schema.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static bool kw_at(const char *p, const char *kw)
{
    size_t n = strlen(kw);
    return strncasecmp(p, kw, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

static const char *skip_ws(const char *p)
{
    while (isspace((unsigned char)*p)) p++;
    return p;
}

static bool is_create_index(const char *p)
{
    if (!kw_at(p, "create")) return false;
    p = skip_ws(p + 6);
    if (kw_at(p, "unique")) p = skip_ws(p + 6);
    return kw_at(p, "index");
}

static void add_stmt(sql_script *s, size_t *cap, const char *start, const char *end, int line,
                     bool marker)
{
    while (end > start && isspace((unsigned char)end[-1])) end--;
    if (end == start) return;
    if (s->n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        s->st = xrealloc(s->st, *cap * sizeof *s->st);
    }
    sql_stmt *st = &s->st[s->n++];
    st->sql = xstrndup(start, (size_t)(end - start));
    st->line = line;
    st->post_load = marker || is_create_index(st->sql);
    st->marker = marker;
    st->is_pragma = kw_at(st->sql, "pragma");
}

/* The last component of a possibly qualified, possibly quoted name at p, lower-cased into
 * out; returns the position after it. */
static const char *read_name(const char *p, char *out, size_t n)
{
    p = skip_ws(p);
    out[0] = '\0';
    for (;;) {
        size_t k = 0;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (k + 1 < n) out[k++] = *p;
            if (*p) p++;
        } else {
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '$') {
                if (k + 1 < n) out[k++] = (char)tolower((unsigned char)*p);
                p++;
            }
        }
        out[k] = '\0';
        if (*p != '.') return p;
        p++;
    }
}

/* A UNIQUE index that a foreign key references must exist before that foreign key is
 * declared (PostgreSQL) or used (SQLite), so it is not deferred after all. */
static void keep_referenced_unique(sql_script *s)
{
    char refs[64][128];
    size_t nrefs = 0;
    for (size_t i = 0; i < s->n; i++)
        for (const char *p = s->st[i].sql;
             (p = strcasestr(p, "references")) != NULL && nrefs < 64;) {
            bool word = (p == s->st[i].sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
                        !(isalnum((unsigned char)p[10]) || p[10] == '_');
            p += 10;
            if (word) {
                read_name(p, refs[nrefs], sizeof refs[0]);
                if (refs[nrefs][0]) nrefs++;
            }
        }
    for (size_t i = 0; i < s->n; i++) {
        sql_stmt *st = &s->st[i];
        const char *q = skip_ws(st->sql);
        if (!st->post_load || !kw_at(q, "create")) continue;
        q = skip_ws(q + 6);
        if (!kw_at(q, "unique")) continue;
        const char *on = strcasestr(q, " on ");
        if (!on) continue;
        char table[128];
        read_name(on + 4, table, sizeof table);
        if (kw_at(skip_ws(on + 4), "only")) read_name(skip_ws(on + 4) + 4, table, sizeof table);
        for (size_t r = 0; r < nrefs; r++)
            if (strcmp(refs[r], table) == 0) st->post_load = st->marker;
    }
}

int sql_script_parse(const char *path, const char *text, sql_dialect d, sql_script **out, sl_err *e)
{
    sql_script *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    size_t cap = 0;
    const char *p = text, *start = NULL;
    int line = 1, start_line = 0;
    bool marker = false;
    /* SQLite: a CREATE TRIGGER body holds ';' — sqlite3_complete tells the real end. */
    while (*p) {
        char c = *p;
        if (c == '\n') {
            line++;
            p++;
            continue;
        }
        if (isspace((unsigned char)c)) {
            p++;
            continue;
        }
        if (c == '-' && p[1] == '-') {
            const char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) : strlen(p);
            if (!start) {
                const char *m = strstr(p, "seedload:post-load");
                if (m && m < p + len) marker = true;
            }
            p += len;
            continue;
        }
        if (c == '/' && p[1] == '*') {
            int depth = 1, l0 = line;
            p += 2;
            while (*p && depth) {
                if (*p == '\n') line++;
                if (d == DIALECT_POSTGRES && p[0] == '/' && p[1] == '*')
                    depth++, p++;
                else if (p[0] == '*' && p[1] == '/')
                    depth--, p++;
                p++;
            }
            if (depth) {
                sql_script_free(s);
                return sl_fail(e, SL_EXIT_USAGE, "%s:%d: unterminated /* comment", path, l0);
            }
            continue;
        }
        if (!start) {
            start = p;
            start_line = line;
        }
        if (c == '\'' || c == '"' || c == '`' || (c == '[' && d == DIALECT_SQLITE)) {
            char close = c == '[' ? ']' : c;
            int l0 = line;
            bool backslash =
                d == DIALECT_POSTGRES && c == '\'' && p > text && (p[-1] == 'E' || p[-1] == 'e');
            p++;
            for (;;) {
                if (!*p) {
                    sql_script_free(s);
                    return sl_fail(e, SL_EXIT_USAGE, "%s:%d: unterminated %c quote", path, l0, c);
                }
                if (*p == '\n') line++;
                if (backslash && *p == '\\' && p[1]) {
                    p += 2;
                    continue;
                }
                if (*p == close) {
                    if (p[1] == close && close != ']') {
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                p++;
            }
            continue;
        }
        if (c == '$' && d == DIALECT_POSTGRES) {
            /* $tag$ ... $tag$ where tag is empty or an identifier. */
            const char *q = p + 1;
            while (isalnum((unsigned char)*q) || *q == '_') q++;
            if (*q == '$' && !(p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
                size_t tl = (size_t)(q - p + 1);
                char tag[128];
                if (tl < sizeof tag) {
                    memcpy(tag, p, tl);
                    tag[tl] = '\0';
                    int l0 = line;
                    const char *body = q + 1, *endq = strstr(body, tag);
                    if (!endq) {
                        sql_script_free(s);
                        return sl_fail(e, SL_EXIT_USAGE, "%s:%d: unterminated %s quote", path, l0,
                                       tag);
                    }
                    for (const char *r = p; r < endq; r++)
                        if (*r == '\n') line++;
                    p = endq + tl;
                    continue;
                }
            }
            p++;
            continue;
        }
        if (c == ';') {
            bool end_here = true;
            if (d == DIALECT_SQLITE) {
                char *tmp = xstrndup(start, (size_t)(p - start + 1));
                end_here = sqlite3_complete(tmp) != 0;
                free(tmp);
            }
            if (end_here) {
                add_stmt(s, &cap, start, p, start_line, marker);
                start = NULL;
                marker = false;
            }
            p++;
            continue;
        }
        p++;
    }
    if (start) add_stmt(s, &cap, start, p, start_line, marker);
    keep_referenced_unique(s);
    *out = s;
    return 0;
}

int sql_script_load(const char *path, sql_dialect d, sql_script **out, sl_err *e)
{
    char *text;
    *out = NULL;
    if (sl_read_file(path, &text, NULL, e) < 0) return -1;
    int rc = sql_script_parse(path, text, d, out, e);
    free(text);
    return rc;
}

void sql_script_free(sql_script *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) free(s->st[i].sql);
    free(s->st);
    free(s->path);
    free(s);
}

/* ---- introspection ------------------------------------------------------------------- */

static int decl_maxlen(const char *type)
{
    if (!type) return 0;
    const char *paren = strchr(type, '(');
    if (!paren) return 0;
    bool textual = strncasecmp(type, "varchar", 7) == 0 || strncasecmp(type, "char", 4) == 0 ||
                   strncasecmp(type, "character", 9) == 0 ||
                   strncasecmp(type, "nvarchar", 8) == 0 || strncasecmp(type, "nchar", 5) == 0;
    return textual ? atoi(paren + 1) : 0;
}

static void read_fks(sqlite3 *db, sch_table *t)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)", -1,
                           &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *to = (const char *)sqlite3_column_text(st, 0);
        const char *from = (const char *)sqlite3_column_text(st, 1);
        for (size_t i = 0; from && i < t->ncols; i++)
            if (strcasecmp(t->cols[i].name, from) == 0) t->cols[i].fk = true;
        if (!to) continue;
        bool seen = false;
        for (size_t i = 0; i < t->nfk; i++) seen |= strcasecmp(t->fk_tables[i], to) == 0;
        if (seen) continue;
        t->fk_tables = xrealloc(t->fk_tables, (t->nfk + 1) * sizeof(char *));
        t->fk_tables[t->nfk++] = xstrdup(to);
    }
    sqlite3_finalize(st);
}

static void mark_unique(sqlite3 *db, sch_table *t)
{
    char sql[512];
    sqlite3_stmt *il = NULL, *ii = NULL;
    snprintf(sql, sizeof sql, "SELECT name, \"unique\", partial FROM pragma_index_list(?)");
    if (sqlite3_prepare_v2(db, sql, -1, &il, NULL) != SQLITE_OK) return;
    sqlite3_bind_text(il, 1, t->name, -1, SQLITE_STATIC);
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_index_info(?)", -1, &ii, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(il);
        return;
    }
    while (sqlite3_step(il) == SQLITE_ROW) {
        if (!sqlite3_column_int(il, 1) || sqlite3_column_int(il, 2)) continue;
        sqlite3_reset(ii);
        sqlite3_bind_text(ii, 1, (const char *)sqlite3_column_text(il, 0), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(ii) == SQLITE_ROW) {
            const char *cn = (const char *)sqlite3_column_text(ii, 0);
            for (size_t i = 0; cn && i < t->ncols; i++)
                if (strcasecmp(t->cols[i].name, cn) == 0) t->cols[i].unique = true;
        }
    }
    sqlite3_finalize(il);
    sqlite3_finalize(ii);
}

int schema_from_sqlite(const sql_script *s, schema **out, sl_err *e)
{
    *out = NULL;
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        sqlite3_close(db);
        return sl_fail(e, SL_EXIT_IO, "cannot open an in-memory SQLite database");
    }
    for (size_t i = 0; i < s->n; i++) {
        char *err = NULL;
        if (sqlite3_exec(db, s->st[i].sql, NULL, NULL, &err) != SQLITE_OK) {
            sl_fail(e, SL_EXIT_USAGE, "%s:%d: %s", s->path, s->st[i].line, err ? err : "error");
            sqlite3_free(err);
            sqlite3_close(db);
            return -1;
        }
    }
    schema *sc = xcalloc(1, sizeof *sc);
    sqlite3_stmt *tl = NULL, *ti = NULL;
    sqlite3_prepare_v2(db,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%' ORDER BY rowid",
                       -1, &tl, NULL);
    sqlite3_prepare_v2(
        db, "SELECT name, type, \"notnull\", pk, dflt_value IS NOT NULL FROM pragma_table_info(?)",
        -1, &ti, NULL);
    size_t cap = 0;
    while (tl && ti && sqlite3_step(tl) == SQLITE_ROW) {
        if (sc->nt == cap) {
            cap = cap ? cap * 2 : 16;
            sc->t = xrealloc(sc->t, cap * sizeof *sc->t);
        }
        sch_table *t = &sc->t[sc->nt++];
        memset(t, 0, sizeof *t);
        t->name = xstrdup((const char *)sqlite3_column_text(tl, 0));
        sqlite3_reset(ti);
        sqlite3_bind_text(ti, 1, t->name, -1, SQLITE_STATIC);
        size_t ccap = 0;
        while (sqlite3_step(ti) == SQLITE_ROW) {
            if (t->ncols == ccap) {
                ccap = ccap ? ccap * 2 : 16;
                t->cols = xrealloc(t->cols, ccap * sizeof *t->cols);
            }
            sch_col *c = &t->cols[t->ncols++];
            memset(c, 0, sizeof *c);
            c->name = xstrdup((const char *)sqlite3_column_text(ti, 0));
            const char *ty = (const char *)sqlite3_column_text(ti, 1);
            c->decl_type = xstrdup(ty ? ty : "");
            c->notnull = sqlite3_column_int(ti, 2) != 0;
            c->pk = sqlite3_column_int(ti, 3) != 0;
            c->has_default = sqlite3_column_int(ti, 4) != 0;
            c->unique = c->pk;
            c->maxlen = decl_maxlen(c->decl_type);
        }
        mark_unique(db, t);
        read_fks(db, t);
    }
    sqlite3_finalize(tl);
    sqlite3_finalize(ti);
    sqlite3_close(db);
    *out = sc;
    return 0;
}

void schema_free(schema *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nt; i++) {
        for (size_t j = 0; j < s->t[i].ncols; j++) {
            free(s->t[i].cols[j].name);
            free(s->t[i].cols[j].decl_type);
        }
        free(s->t[i].cols);
        for (size_t j = 0; j < s->t[i].nfk; j++) free(s->t[i].fk_tables[j]);
        free(s->t[i].fk_tables);
        free(s->t[i].name);
    }
    free(s->t);
    free(s);
}

const sch_table *schema_table(const schema *s, const char *name)
{
    char buf[256];
    const char *n = sqlite_table_name(name, buf, sizeof buf);
    for (size_t i = 0; s && i < s->nt; i++)
        if (strcasecmp(s->t[i].name, n) == 0) return &s->t[i];
    return NULL;
}

const sch_col *schema_col(const sch_table *t, const char *name)
{
    for (size_t i = 0; t && i < t->ncols; i++)
        if (strcasecmp(t->cols[i].name, name) == 0) return &t->cols[i];
    return NULL;
}

const char *sqlite_table_name(const char *profile_name, char *buf, size_t size)
{
    snprintf(buf, size, "%s", profile_name);
    for (char *p = buf; *p; p++)
        if (*p == '.') *p = '_';
    return buf;
}
