/* json.c — a JSON writer with indentation, and a recursive-descent reader into a tree.
 * The reader accepts RFC 8259 JSON only; it bounds nesting so hostile input cannot exhaust
 * the stack, and reports line:column of the first error. */
#include "seedload/json.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- writer ------------------------------------------------------------------------------ */

void jw_init(jw *w, sbuf *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
    w->first[0] = true;
}

static void sep(jw *w)
{
    if (w->depth > 0 && !w->first[w->depth]) sbuf_addc(w->out, ',');
    if (w->depth > 0 && w->pretty) {
        sbuf_addc(w->out, '\n');
        for (int i = 0; i < w->depth; i++) sbuf_adds(w->out, "  ");
    }
    w->first[w->depth] = false;
}

/* A value directly after a key needs no separator. */
static bool after_key(jw *w)
{
    return w->out->len > 0 && w->out->p[w->out->len - 1] == ':';
}

static void open_(jw *w, char c)
{
    if (!after_key(w)) sep(w);
    sbuf_addc(w->out, c);
    if (w->depth < JW_MAX_DEPTH - 1) w->depth++; /* the reader refuses deeper documents anyway */
    w->first[w->depth] = true;
}

static void close_(jw *w, char c)
{
    bool empty = w->first[w->depth];
    if (w->depth > 0) w->depth--;
    if (w->pretty && !empty) {
        sbuf_addc(w->out, '\n');
        for (int i = 0; i < w->depth; i++) sbuf_adds(w->out, "  ");
    }
    sbuf_addc(w->out, c);
}

void jw_obj(jw *w)
{
    open_(w, '{');
}
void jw_end_obj(jw *w)
{
    close_(w, '}');
}
void jw_arr(jw *w)
{
    open_(w, '[');
}
void jw_end_arr(jw *w)
{
    close_(w, ']');
}

static void quote(sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sbuf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sbuf_addc(b, '\\');
            sbuf_addc(b, (char)c);
        } else if (c == '\n')
            sbuf_adds(b, "\\n");
        else if (c == '\t')
            sbuf_adds(b, "\\t");
        else if (c == '\r')
            sbuf_adds(b, "\\r");
        else if (c < 0x20) {
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            sbuf_add(b, u, 6);
        } else
            sbuf_addc(b, (char)c);
    }
    sbuf_addc(b, '"');
}

void jw_key(jw *w, const char *k)
{
    sep(w);
    quote(w->out, k, strlen(k));
    sbuf_addc(w->out, ':');
}

static void value_prefix(jw *w)
{
    if (!after_key(w)) sep(w);
}

void jw_strn(jw *w, const char *s, size_t n)
{
    value_prefix(w);
    if (!s)
        sbuf_adds(w->out, "null");
    else
        quote(w->out, s, n);
}
void jw_str(jw *w, const char *s)
{
    jw_strn(w, s, s ? strlen(s) : 0);
}
void jw_int(jw *w, int64_t v)
{
    value_prefix(w);
    sbuf_printf(w->out, "%lld", (long long)v);
}
void jw_uint(jw *w, uint64_t v)
{
    value_prefix(w);
    sbuf_printf(w->out, "%llu", (unsigned long long)v);
}
void jw_num(jw *w, double v)
{
    value_prefix(w);
    if (!isfinite(v))
        sbuf_adds(w->out, "null");
    else if (v == floor(v) && fabs(v) < 1e15)
        sbuf_printf(w->out, "%.0f", v);
    else
        sbuf_printf(w->out, "%.15g", v);
}
void jw_bool(jw *w, bool v)
{
    value_prefix(w);
    sbuf_adds(w->out, v ? "true" : "false");
}
void jw_null(jw *w)
{
    value_prefix(w);
    sbuf_adds(w->out, "null");
}
void jw_kstr(jw *w, const char *k, const char *s)
{
    jw_key(w, k), jw_str(w, s);
}
void jw_kint(jw *w, const char *k, int64_t v)
{
    jw_key(w, k), jw_int(w, v);
}
void jw_knum(jw *w, const char *k, double v)
{
    jw_key(w, k), jw_num(w, v);
}
void jw_kbool(jw *w, const char *k, bool v)
{
    jw_key(w, k), jw_bool(w, v);
}

/* ---- reader ------------------------------------------------------------------------------ */

typedef struct rd {
    const char *name, *s, *p, *end;
    sl_err *e;
    bool failed;
} rd;

static void rfail(rd *r, const char *msg)
{
    if (r->failed) return;
    r->failed = true;
    int line = 1, col = 1;
    for (const char *q = r->s; q < r->p && q < r->end; q++) {
        if (*q == '\n')
            line++, col = 1;
        else
            col++;
    }
    sl_fail(r->e, SL_EXIT_USAGE, "%s:%d:%d: invalid JSON: %s", r->name, line, col, msg);
}

static void ws(rd *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static void put_utf8(sbuf *b, unsigned cp)
{
    if (cp < 0x80)
        sbuf_addc(b, (char)cp);
    else if (cp < 0x800) {
        sbuf_addc(b, (char)(0xC0 | (cp >> 6)));
        sbuf_addc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        sbuf_addc(b, (char)(0xE0 | (cp >> 12)));
        sbuf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sbuf_addc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        sbuf_addc(b, (char)(0xF0 | (cp >> 18)));
        sbuf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
        sbuf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sbuf_addc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

static int hex4(rd *r, unsigned *out)
{
    if (r->end - r->p < 4) return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    r->p += 4;
    *out = v;
    return 0;
}

static char *rstring(rd *r)
{
    sbuf b = {0};
    r->p++; /* opening quote */
    while (r->p < r->end && *r->p != '"') {
        unsigned char c = (unsigned char)*r->p;
        if (c < 0x20) {
            rfail(r, "control character in a string");
            break;
        }
        if (c != '\\') {
            sbuf_addc(&b, (char)c);
            r->p++;
            continue;
        }
        r->p++;
        if (r->p >= r->end) break;
        char esc = *r->p++;
        switch (esc) {
        case '"': sbuf_addc(&b, '"'); break;
        case '\\': sbuf_addc(&b, '\\'); break;
        case '/': sbuf_addc(&b, '/'); break;
        case 'b': sbuf_addc(&b, '\b'); break;
        case 'f': sbuf_addc(&b, '\f'); break;
        case 'n': sbuf_addc(&b, '\n'); break;
        case 'r': sbuf_addc(&b, '\r'); break;
        case 't': sbuf_addc(&b, '\t'); break;
        case 'u': {
            unsigned cp;
            if (hex4(r, &cp) < 0) {
                rfail(r, "bad \\u escape");
                break;
            }
            if (cp >= 0xDC00 && cp < 0xE000) {
                rfail(r, "a low surrogate without a high one");
                break;
            }
            if (cp >= 0xD800 && cp < 0xDC00) {
                unsigned lo;
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u') {
                    rfail(r, "a high surrogate without a low one");
                    break;
                }
                r->p += 2;
                if (hex4(r, &lo) < 0 || lo < 0xDC00 || lo >= 0xE000) {
                    rfail(r, "a high surrogate without a low one");
                    break;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (cp == 0) {
                rfail(r, "\\u0000 is not supported in strings");
                break;
            }
            put_utf8(&b, cp);
            break;
        }
        default: rfail(r, "bad escape"); break;
        }
        if (r->failed) break;
    }
    if (!r->failed && r->p >= r->end) rfail(r, "unterminated string");
    if (r->failed) {
        sbuf_free(&b);
        return NULL;
    }
    r->p++;
    return sbuf_detach(&b);
}

static jv *rvalue(rd *r, int depth);

static jv *mk(jv_kind k)
{
    jv *v = xcalloc(1, sizeof *v);
    v->kind = k;
    return v;
}

static jv *rcontainer(rd *r, int depth, bool obj)
{
    jv *v = mk(obj ? JV_OBJ : JV_ARR);
    size_t cap = 0;
    r->p++;
    ws(r);
    if (r->p < r->end && *r->p == (obj ? '}' : ']')) {
        r->p++;
        return v;
    }
    for (;;) {
        ws(r);
        char *key = NULL;
        if (obj) {
            if (r->p >= r->end || *r->p != '"') {
                rfail(r, "expected a key");
                break;
            }
            if (!(key = rstring(r))) break;
            ws(r);
            if (r->p >= r->end || *r->p != ':') {
                free(key);
                rfail(r, "expected ':'");
                break;
            }
            r->p++;
        }
        jv *item = rvalue(r, depth + 1);
        if (!item) {
            free(key);
            break;
        }
        if (v->n == cap) {
            cap = cap ? cap * 2 : 8;
            v->items = xrealloc(v->items, cap * sizeof *v->items);
            if (obj) v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
        }
        if (obj) v->keys[v->n] = key;
        v->items[v->n++] = item;
        ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == (obj ? '}' : ']')) {
            r->p++;
            return v;
        }
        rfail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        break;
    }
    jv_free(v);
    return NULL;
}

static jv *rvalue(rd *r, int depth)
{
    if (depth >= 200) {
        rfail(r, "nested too deeply");
        return NULL;
    }
    ws(r);
    if (r->p >= r->end) {
        rfail(r, "unexpected end");
        return NULL;
    }
    char c = *r->p;
    if (c == '{' || c == '[') return rcontainer(r, depth, c == '{');
    if (c == '"') {
        char *s = rstring(r);
        if (!s) return NULL;
        jv *v = mk(JV_STR);
        v->str = s;
        return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        /* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
        const char *q = r->p;
        if (*q == '-') q++;
        if (q < r->end && *q == '0')
            q++;
        else if (q < r->end && *q >= '1' && *q <= '9')
            while (q < r->end && isdigit((unsigned char)*q)) q++;
        else {
            rfail(r, "bad number");
            return NULL;
        }
        if (q < r->end && *q == '.') {
            q++;
            if (q >= r->end || !isdigit((unsigned char)*q)) {
                rfail(r, "bad number");
                return NULL;
            }
            while (q < r->end && isdigit((unsigned char)*q)) q++;
        }
        if (q < r->end && (*q == 'e' || *q == 'E')) {
            q++;
            if (q < r->end && (*q == '+' || *q == '-')) q++;
            if (q >= r->end || !isdigit((unsigned char)*q)) {
                rfail(r, "bad number");
                return NULL;
            }
            while (q < r->end && isdigit((unsigned char)*q)) q++;
        }
        if (q < r->end && (isdigit((unsigned char)*q) || *q == '.')) {
            rfail(r, "bad number");
            return NULL;
        }
        jv *v = mk(JV_NUM);
        v->str = xstrndup(r->p, (size_t)(q - r->p));
        char *end;
        v->num = strtod(v->str, &end);
        if (*end) {
            jv_free(v);
            rfail(r, "bad number");
            return NULL;
        }
        r->p = q;
        return v;
    }
    static const struct {
        const char *w;
        jv_kind k;
        bool b;
    } lits[] = {{"true", JV_BOOL, true}, {"false", JV_BOOL, false}, {"null", JV_NULL, false}};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(lits[i].w);
        if ((size_t)(r->end - r->p) >= n && strncmp(r->p, lits[i].w, n) == 0) {
            r->p += n;
            jv *v = mk(lits[i].k);
            v->b = lits[i].b;
            return v;
        }
    }
    rfail(r, "unexpected character");
    return NULL;
}

jv *jv_parse(const char *name, const char *text, size_t len, sl_err *e)
{
    rd r = {.name = name, .s = text, .p = text, .end = text + len, .e = e};
    jv *v = rvalue(&r, 0);
    if (v) {
        ws(&r);
        if (r.p != r.end) {
            rfail(&r, "text after the value");
            jv_free(v);
            v = NULL;
        }
    }
    return v;
}

void jv_free(jv *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->n; i++) {
        jv_free(v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

const jv *jv_get(const jv *o, const char *key)
{
    if (!o || o->kind != JV_OBJ) return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0) return o->items[i];
    return NULL;
}

const char *jv_str(const jv *v)
{
    return v && v->kind == JV_STR ? v->str : NULL;
}

double jv_num(const jv *v, double dflt)
{
    return v && v->kind == JV_NUM ? v->num : dflt;
}

int64_t jv_int(const jv *v, int64_t dflt)
{
    if (!v || v->kind != JV_NUM) return dflt;
    char *end;
    errno = 0;
    long long x = strtoll(v->str, &end, 10);
    if (!errno && *end == '\0') return x;
    /* Not an integer literal: truncated when in range, else the default (no undefined cast). */
    if (isfinite(v->num) && v->num >= -9.2e18 && v->num <= 9.2e18) return (int64_t)v->num;
    return dflt;
}
