/* pgddl.c — renaming schema qualifiers in PostgreSQL DDL for staging (see pgddl.h). A small
 * lexer walks identifiers, quoted identifiers, strings, comments and dollar quotes. */
#include "seedload/pgddl.h"
#include "seedload/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static int match(const char *w, size_t n, const char *const *from, size_t nf)
{
    for (size_t i = 0; i < nf; i++)
        if (strlen(from[i]) == n && strncasecmp(w, from[i], n) == 0) return (int)i;
    return -1;
}

/* Inside a string literal: rename "schema." at the start or after a non-identifier char. */
static void rename_in_string(sbuf *out, const char *s, size_t n, const char *const *from,
                             const char *const *to, size_t nf)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '"' && (i == 0 || !ident_char(s[i - 1]))) { /* '"lumix".students' */
            size_t j = i + 1;
            while (j < n && s[j] != '"') j++;
            int k = j < n ? match(s + i + 1, j - i - 1, from, nf) : -1;
            if (k >= 0 && j + 1 < n && s[j + 1] == '.') {
                sbuf_addc(out, '"');
                sbuf_adds(out, to[k]);
                sbuf_addc(out, '"');
                i = j + 1;
                continue;
            }
        }
        if (ident_char(s[i]) && (i == 0 || !ident_char(s[i - 1]))) {
            size_t j = i;
            while (j < n && ident_char(s[j])) j++;
            int k = match(s + i, j - i, from, nf);
            if (k >= 0 && j < n && s[j] == '.') {
                sbuf_adds(out, to[k]);
                i = j;
                continue;
            }
            sbuf_add(out, s + i, j - i);
            i = j;
            continue;
        }
        sbuf_addc(out, s[i++]);
    }
}

/* A string literal that names a database object: '...'::regclass (or another reg type), or
 * the argument of a function that takes an object's name. Other strings are values and keep
 * their text even when it looks like schema.name. */
static bool names_object(const char *sql, const char *open, const char *after)
{
    const char *p = after;
    while (isspace((unsigned char)*p)) p++;
    if (p[0] == ':' && p[1] == ':') {
        p += 2;
        while (isspace((unsigned char)*p)) p++;
        if (strncasecmp(p, "reg", 3) == 0) return true;
    }
    /* Back from the opening quote to the '(' of the call it sits in. */
    const char *q = open;
    int depth = 0;
    while (q > sql) {
        q--;
        if (*q == ')')
            depth++;
        else if (*q == '(') {
            if (depth == 0) break;
            depth--;
        } else if (*q == ';')
            return false;
    }
    if (q <= sql || *q != '(') return false;
    const char *e = q;
    while (e > sql && isspace((unsigned char)e[-1])) e--;
    const char *b = e;
    while (b > sql && (ident_char(b[-1]) || b[-1] == '.')) b--;
    size_t n = (size_t)(e - b);
    static const char *const fns[] = {
        "nextval",    "setval",     "currval",         "pg_get_serial_sequence", "to_regclass",
        "to_regtype", "to_regproc", "to_regprocedure", "to_regnamespace"};
    const char *dot = memchr(b, '.', n); /* pg_catalog.setval */
    if (dot) {
        n -= (size_t)(dot + 1 - b);
        b = dot + 1;
    }
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (strlen(fns[i]) == n && strncasecmp(b, fns[i], n) == 0) return true;
    return false;
}

char *pgddl_rename_schemas(const char *sql, const char *const *from, const char *const *to,
                           size_t n)
{
    sbuf out = {0};
    const char *p = sql;
    bool after_schema_kw = false, in_search_path = false;
    while (*p) {
        char c = *p;
        if (c == '-' && p[1] == '-') {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            sbuf_add(&out, p, len);
            p += len;
            continue;
        }
        if (c == '/' && p[1] == '*') { /* comments nest in PostgreSQL */
            const char *q = p + 2;
            int depth = 1;
            while (*q && depth) {
                if (q[0] == '/' && q[1] == '*')
                    depth++, q += 2;
                else if (q[0] == '*' && q[1] == '/')
                    depth--, q += 2;
                else
                    q++;
            }
            sbuf_add(&out, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (c == '\'') {
            /* E'...' takes backslash escapes: \' does not end it. */
            bool esc =
                p > sql && (p[-1] == 'E' || p[-1] == 'e') && (p - 1 == sql || !ident_char(p[-2]));
            const char *q = p + 1;
            for (;;) {
                if (!*q) break;
                if (esc && *q == '\\' && q[1]) {
                    q += 2;
                    continue;
                }
                if (*q == '\'' && q[1] == '\'') {
                    q += 2;
                    continue;
                }
                if (*q == '\'') break;
                q++;
            }
            const char *after = *q ? q + 1 : q;
            if (in_search_path || names_object(sql, p, after)) {
                sbuf_addc(&out, '\'');
                if (in_search_path) { /* SET search_path = 'lumix, auth' */
                    char *inner = xstrndup(p + 1, (size_t)(q - p - 1));
                    for (char *tok = inner, *nx; tok; tok = nx) {
                        nx = strchr(tok, ',');
                        if (nx) *nx++ = '\0';
                        while (isspace((unsigned char)*tok)) sbuf_addc(&out, *tok++);
                        size_t tl = strlen(tok);
                        while (tl && isspace((unsigned char)tok[tl - 1])) tl--;
                        int k = match(tok, tl, from, n);
                        if (k >= 0)
                            sbuf_adds(&out, to[k]), sbuf_adds(&out, tok + tl);
                        else
                            sbuf_adds(&out, tok);
                        if (nx) sbuf_addc(&out, ',');
                    }
                    free(inner);
                } else {
                    rename_in_string(&out, p + 1, (size_t)(q - p - 1), from, to, n);
                }
                if (*q) sbuf_addc(&out, '\'');
            } else {
                sbuf_add(&out, p, (size_t)(after - p));
            }
            p = after;
            after_schema_kw = false;
            continue;
        }
        if (c == '$') {
            const char *q = p + 1;
            while (isalnum((unsigned char)*q) || *q == '_') q++;
            if (*q == '$') {
                size_t tl = (size_t)(q - p + 1);
                char tag[128];
                if (tl < sizeof tag) {
                    memcpy(tag, p, tl);
                    tag[tl] = '\0';
                    const char *body = q + 1, *e = strstr(body, tag);
                    size_t blen = e ? (size_t)(e - body) : strlen(body);
                    /* The body is SQL or PL/pgSQL: rename inside it the same way. */
                    char *inner = xstrndup(body, blen);
                    char *renamed = pgddl_rename_schemas(inner, from, to, n);
                    sbuf_add(&out, p, tl);
                    sbuf_adds(&out, renamed);
                    if (e) sbuf_add(&out, e, tl);
                    free(inner);
                    free(renamed);
                    p = e ? e + tl : body + blen;
                    continue;
                }
            }
        }
        if (c == '"') {
            const char *q = p + 1;
            while (*q && !(*q == '"' && q[1] != '"')) q += *q == '"' ? 2 : 1;
            size_t len = (size_t)(q - p - 1);
            int k = match(p + 1, len, from, n);
            const char *after = *q ? q + 1 : q;
            if (k >= 0 && (*after == '.' || after_schema_kw || in_search_path)) {
                sbuf_addc(&out, '"');
                sbuf_adds(&out, to[k]);
                sbuf_addc(&out, '"');
            } else {
                sbuf_add(&out, p, (size_t)(after - p));
            }
            p = after;
            after_schema_kw = false;
            continue;
        }
        if (isalpha((unsigned char)c) || c == '_') {
            const char *q = p;
            while (ident_char(*q)) q++;
            size_t len = (size_t)(q - p);
            int k = match(p, len, from, n);
            bool qualifier = *q == '.';
            if (k >= 0 && (qualifier || after_schema_kw || in_search_path)) {
                sbuf_adds(&out, to[k]);
                after_schema_kw = false;
            } else if (in_search_path && len == 2 && strncasecmp(p, "to", 2) == 0) {
                sbuf_add(&out, p, len); /* SET search_path TO ... */
            } else if (len == 11 && strncasecmp(p, "search_path", 11) == 0) {
                sbuf_add(&out, p, len);
                in_search_path = true;
                p = q;
                continue;
            } else {
                if (in_search_path && !(len == 6 && strncasecmp(p, "public", 6) == 0) &&
                    !(len == 8 && strncasecmp(p, "pg_temp", 7) == 0))
                    in_search_path = false;
                sbuf_add(&out, p, len);
                /* CREATE SCHEMA [IF NOT EXISTS] name; ALTER SCHEMA name; ON SCHEMA name */
                if (len == 6 && strncasecmp(p, "schema", 6) == 0)
                    after_schema_kw = true;
                else if (!((len == 2 && strncasecmp(p, "if", 2) == 0) ||
                           (len == 3 && strncasecmp(p, "not", 3) == 0) ||
                           (len == 6 && strncasecmp(p, "exists", 6) == 0)))
                    after_schema_kw = false;
            }
            p = q;
            continue;
        }
        if (!isspace((unsigned char)c)) {
            after_schema_kw = false;
            /* a search_path list goes on through '=', ',' and names */
            if (c != '=' && c != ',') in_search_path = false;
        }
        sbuf_addc(&out, c);
        p++;
    }
    return sbuf_detach(&out);
}

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p)) p++;
    return p;
}

static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return strncasecmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

bool pgddl_is_routine(const char *sql)
{
    const char *p = skip_space(sql);
    if (!word_at(p, "create")) return false;
    p = skip_space(p + 6);
    if (word_at(p, "or")) {
        p = skip_space(p + 2);
        if (!word_at(p, "replace")) return false;
        p = skip_space(p + 7);
    }
    return word_at(p, "function") || word_at(p, "procedure");
}

char *pgddl_or_replace(const char *sql)
{
    const char *p = skip_space(sql);
    const char *after = skip_space(p + 6);
    sbuf b = {0};
    if (word_at(after, "or")) {
        sbuf_adds(&b, sql);
    } else {
        sbuf_add(&b, sql, (size_t)(p - sql));
        sbuf_adds(&b, "CREATE OR REPLACE ");
        sbuf_adds(&b, after);
    }
    return sbuf_detach(&b);
}
