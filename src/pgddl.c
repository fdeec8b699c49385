/* pgddl.c — renaming schema qualifiers in PostgreSQL DDL for staging (see pgddl.h). A small
 * lexer walks identifiers, quoted identifiers, strings, comments and dollar quotes. */
#include "seedload/pgddl.h"
#include "seedload/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '$'; }

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

char *pgddl_rename_schemas(const char *sql, const char *const *from, const char *const *to,
                           size_t n)
{
    sbuf out = {0};
    const char *p = sql;
    bool after_schema_kw = false;
    while (*p) {
        char c = *p;
        if (c == '-' && p[1] == '-') {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            sbuf_add(&out, p, len);
            p += len;
            continue;
        }
        if (c == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            size_t len = e ? (size_t)(e + 2 - p) : strlen(p);
            sbuf_add(&out, p, len);
            p += len;
            continue;
        }
        if (c == '\'') {
            const char *q = p + 1;
            for (;;) {
                if (!*q) break;
                if (*q == '\'' && q[1] == '\'') {
                    q += 2;
                    continue;
                }
                if (*q == '\'') break;
                q++;
            }
            sbuf_addc(&out, '\'');
            rename_in_string(&out, p + 1, (size_t)(q - p - 1), from, to, n);
            if (*q) sbuf_addc(&out, '\''), q++;
            p = q;
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
            if (k >= 0 && (*after == '.' || after_schema_kw)) {
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
            if (k >= 0 && (qualifier || after_schema_kw)) {
                sbuf_adds(&out, to[k]);
                after_schema_kw = false;
            } else {
                sbuf_add(&out, p, len);
                /* CREATE SCHEMA [IF NOT EXISTS] name; ALTER SCHEMA name; ON SCHEMA name */
                if (len == 6 && strncasecmp(p, "schema", 6) == 0) after_schema_kw = true;
                else if (!((len == 2 && strncasecmp(p, "if", 2) == 0) ||
                           (len == 3 && strncasecmp(p, "not", 3) == 0) ||
                           (len == 6 && strncasecmp(p, "exists", 6) == 0)))
                    after_schema_kw = false;
            }
            p = q;
            continue;
        }
        if (!isspace((unsigned char)c)) after_schema_kw = false;
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
