/* expr.c — `gen: expr`: a value computed from other columns of the same row (or the parent
 * row), e.g. "score * 100 / max_score" or "started_at + rand(600, 7200)".
 *
 * Numbers are doubles; a DATE reads as days since 1970-01-01 and a TIMESTAMP as seconds;
 * NULL propagates (NaN inside). Random functions draw from the column's own stream, one
 * sub-draw per call site, so the result stays a pure function of the row. */
#include "gen_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    E_NUM,
    E_COL,
    E_ROW,
    E_N,
    E_ORD,
    E_NEG,
    E_BIN,
    E_CALL,
    E_NOT,
    E_NULL,
    E_NROWS,
    E_SCALE,
    E_ELEM
};
enum {
    F_MIN,
    F_MAX,
    F_ABS,
    F_ROUND,
    F_FLOOR,
    F_CEIL,
    F_CLAMP,
    F_IF,
    F_RAND,
    F_RANDF,
    F_NORMAL,
    F_DATE,
    F_TS,
    F_NROWS
};

struct expr {
    int kind;
    double num;
    int col;
    bool parent;
    char op[3];
    int fn;
    uint64_t sub;
    struct expr **args;
    size_t nargs;
};

void expr_free(expr *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->nargs; i++) expr_free(e->args[i]);
    free(e->args);
    free(e);
}

typedef struct parser {
    gcomp *cc;
    const ynode *at;
    const char *src, *p;
    gen *g;
    uint64_t nsub;
    bool err;
} parser;

static void perr(parser *ps, const char *msg)
{
    if (!ps->err)
        diag_node(ps->cc->d, ps->at, "expression '%s': %s at offset %d", ps->src, msg,
                  (int)(ps->p - ps->src));
    ps->err = true;
}

static void skip(parser *ps)
{
    while (isspace((unsigned char)*ps->p)) ps->p++;
}

static expr *mk(int kind)
{
    expr *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    return e;
}

static void add_arg(expr *e, expr *a)
{
    e->args = xrealloc(e->args, (e->nargs + 1) * sizeof *e->args);
    e->args[e->nargs++] = a;
}

static expr *p_expr(parser *ps);

static expr *p_primary(parser *ps)
{
    skip(ps);
    const char *s = ps->p;
    if (*s == '(') {
        ps->p++;
        expr *e = p_expr(ps);
        skip(ps);
        if (*ps->p != ')')
            perr(ps, "expected ')'");
        else
            ps->p++;
        return e;
    }
    if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
        char *end;
        expr *e = mk(E_NUM);
        e->num = strtod(s, &end);
        ps->p = end;
        return e;
    }
    if (*s == '\'') { /* only inside date()/ts(): handled there */
        perr(ps, "a quoted text can only be the argument of date() or ts()");
        return mk(E_NUM);
    }
    if (!(isalpha((unsigned char)*s) || *s == '_')) {
        perr(ps, "expected a number, a column name or a function");
        return mk(E_NUM);
    }
    const char *q = s;
    while (isalnum((unsigned char)*q) || *q == '_' || *q == '.') q++;
    char name[128];
    size_t len = (size_t)(q - s) < sizeof name - 1 ? (size_t)(q - s) : sizeof name - 1;
    memcpy(name, s, len);
    name[len] = '\0';
    ps->p = q;
    skip(ps);
    if (*ps->p == '(') {
        static const char *const fns[] = {"min",    "max",   "abs", "round", "floor",
                                          "ceil",   "clamp", "if",  "rand",  "randf",
                                          "normal", "date",  "ts",  "nrows"};
        static const int arity[][2] = {{1, 16}, {1, 16}, {1, 1}, {1, 2}, {1, 1}, {1, 1}, {3, 3},
                                       {3, 3},  {2, 2},  {2, 2}, {2, 2}, {1, 1}, {1, 1}, {1, 1}};
        int fn = -1;
        for (int i = 0; i < (int)(sizeof fns / sizeof fns[0]); i++)
            if (strcmp(fns[i], name) == 0) fn = i;
        if (fn < 0) {
            const char *sg = sl_suggest(name, fns, sizeof fns / sizeof fns[0]);
            char msg[320];
            snprintf(msg, sizeof msg, "unknown function '%s'%s%s%s", name,
                     sg ? " (did you mean '" : "", sg ? sg : "", sg ? "'?)" : "");
            perr(ps, msg);
            return mk(E_NUM);
        }
        ps->p++;
        expr *e = mk(E_CALL);
        e->fn = fn;
        if (fn == F_DATE || fn == F_TS || fn == F_NROWS) {
            skip(ps);
            const char *a = ps->p;
            const char *b = *a == '\'' ? strchr(a + 1, '\'') : NULL;
            if (!b) {
                perr(ps, fn == F_NROWS ? "nrows() takes a quoted table name such as 'users'"
                                       : "date()/ts() take a quoted value such as '2025-01-06'");
                return e;
            }
            char lit[256];
            size_t ln = (size_t)(b - a - 1) < 255 ? (size_t)(b - a - 1) : 255;
            memcpy(lit, a + 1, ln);
            lit[ln] = '\0';
            int64_t v = 0;
            e->kind = E_NUM;
            if (fn == F_NROWS) {
                e->kind = E_NROWS;
                e->col = prof_table_index(ps->cc->m->p, lit);
                if (e->col < 0) perr(ps, "nrows() names a table the profile does not have");
            } else if (fn == F_DATE ? parse_date(lit, &v) < 0 : parse_timestamp(lit, &v) < 0) {
                perr(ps, "not a valid date/timestamp literal");
            }
            e->num = fn == F_DATE ? (double)v : (double)v / 1e6;
            ps->p = b + 1;
            skip(ps);
            if (*ps->p != ')')
                perr(ps, "expected ')'");
            else
                ps->p++;
            return e;
        }
        skip(ps);
        if (*ps->p != ')')
            for (;;) {
                add_arg(e, p_expr(ps));
                skip(ps);
                if (*ps->p == ',') {
                    ps->p++;
                    continue;
                }
                break;
            }
        if (*ps->p != ')')
            perr(ps, "expected ')' or ','");
        else
            ps->p++;
        if ((int)e->nargs < arity[fn][0] || (int)e->nargs > arity[fn][1]) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s() takes %d%s argument(s), not %zu", name, arity[fn][0],
                     arity[fn][1] > arity[fn][0] ? " or more" : "", e->nargs);
            perr(ps, msg);
        }
        if (fn == F_RAND || fn == F_RANDF || fn == F_NORMAL) {
            e->sub = ps->nsub;
            ps->nsub += 2;
        }
        return e;
    }
    if (strcmp(name, "row") == 0) return mk(E_ROW);
    if (strcmp(name, "n") == 0) return mk(E_N);
    if (strcmp(name, "ord") == 0) return mk(E_ORD);
    if (strcmp(name, "null") == 0) return mk(E_NULL);
    if (strcmp(name, "scale") == 0) return mk(E_SCALE);
    if (strcmp(name, "elem") == 0) return mk(E_ELEM);
    if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0) {
        expr *b = mk(E_NUM);
        b->num = name[0] == 't';
        return b;
    }
    expr *e = mk(E_COL);
    e->col = gcomp_column(ps->cc, ps->at, name, true, &e->parent);
    if (e->col < 0)
        ps->err = true;
    else if (!e->parent)
        gen_add_dep(ps->g, e->col);
    return e;
}

static expr *p_unary(parser *ps)
{
    skip(ps);
    if (*ps->p == '-') {
        ps->p++;
        expr *e = mk(E_NEG);
        add_arg(e, p_unary(ps));
        return e;
    }
    return p_primary(ps);
}

static expr *bin(const char *op, expr *a, expr *b)
{
    expr *e = mk(E_BIN);
    snprintf(e->op, sizeof e->op, "%s", op);
    add_arg(e, a);
    add_arg(e, b);
    return e;
}

static expr *p_mul(parser *ps)
{
    expr *e = p_unary(ps);
    for (;;) {
        skip(ps);
        char c = *ps->p;
        if (c != '*' && c != '/' && c != '%') return e;
        ps->p++;
        char op[2] = {c, 0};
        e = bin(op, e, p_unary(ps));
    }
}

static expr *p_add(parser *ps)
{
    expr *e = p_mul(ps);
    for (;;) {
        skip(ps);
        char c = *ps->p;
        if (c != '+' && c != '-') return e;
        ps->p++;
        char op[2] = {c, 0};
        e = bin(op, e, p_mul(ps));
    }
}

static expr *p_cmp(parser *ps)
{
    expr *e = p_add(ps);
    skip(ps);
    static const char *const ops[] = {"<=", ">=", "==", "!=", "<", ">"};
    for (size_t i = 0; i < 6; i++) {
        size_t n = strlen(ops[i]);
        if (strncmp(ps->p, ops[i], n) == 0) {
            ps->p += n;
            return bin(ops[i], e, p_add(ps));
        }
    }
    return e;
}

static bool word(parser *ps, const char *w, const char *sym)
{
    skip(ps);
    size_t n = strlen(w), m = strlen(sym);
    if (strncmp(ps->p, sym, m) == 0 && !(m == 1 && ps->p[1] == '=')) {
        ps->p += m;
        return true;
    }
    if (strncasecmp(ps->p, w, n) == 0 && !isalnum((unsigned char)ps->p[n]) && ps->p[n] != '_') {
        ps->p += n;
        return true;
    }
    return false;
}

static expr *p_not(parser *ps)
{
    if (word(ps, "not", "!")) {
        expr *e = mk(E_NOT);
        add_arg(e, p_not(ps));
        return e;
    }
    return p_cmp(ps);
}

static expr *p_and(parser *ps)
{
    expr *e = p_not(ps);
    while (word(ps, "and", "&&")) e = bin("&", e, p_not(ps));
    return e;
}

static expr *p_expr(parser *ps)
{
    expr *e = p_and(ps);
    while (word(ps, "or", "||")) e = bin("|", e, p_and(ps));
    return e;
}

static double ev(const expr *e, const gen *g, genctx *c, frame *f, uint64_t key)
{
    switch (e->kind) {
    case E_NUM: return e->num;
    case E_ROW: return (double)f->row;
    case E_N: return (double)f->row + 1;
    case E_ORD: return (double)f->ord;
    case E_COL: {
        val tmp;
        const val *v = e->parent ? frame_parent_col(c, f, e->col, &tmp) : frame_col(c, f, e->col);
        return v->t == VT_NULL ? NAN : val_as_double(v);
    }
    case E_NEG: return -ev(e->args[0], g, c, f, key);
    case E_NULL: return NAN;
    case E_SCALE: return c->m->scale;
    case E_ELEM: return c->elem < 0 ? NAN : (double)c->elem;
    case E_NROWS: return (double)c->m->t[e->col].nrows;
    case E_NOT: {
        double a = ev(e->args[0], g, c, f, key);
        return isnan(a) ? NAN : a == 0;
    }
    case E_BIN: {
        double a = ev(e->args[0], g, c, f, key), b = ev(e->args[1], g, c, f, key);
        switch (e->op[0]) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b == 0 ? NAN : a / b;
        case '%': return b == 0 ? NAN : fmod(a, b);
        case '<': return isnan(a) || isnan(b) ? NAN : e->op[1] ? a <= b : a < b;
        case '>': return isnan(a) || isnan(b) ? NAN : e->op[1] ? a >= b : a > b;
        case '=': return isnan(a) || isnan(b) ? NAN : a == b;
        case '!': return isnan(a) || isnan(b) ? NAN : a != b;
        case '&':
            return (!isnan(a) && a == 0) || (!isnan(b) && b == 0) ? 0
                   : isnan(a) || isnan(b)                         ? NAN
                                                                  : 1;
        case '|':
            return (!isnan(a) && a != 0) || (!isnan(b) && b != 0) ? 1
                   : isnan(a) || isnan(b)                         ? NAN
                                                                  : 0;
        }
        return NAN;
    }
    case E_CALL: {
        double a[16] = {0};
        size_t n = e->nargs;
        if (e->fn == F_IF) {
            double cnd = ev(e->args[0], g, c, f, key);
            return isnan(cnd) ? NAN : ev(e->args[cnd != 0 ? 1 : 2], g, c, f, key);
        }
        for (size_t i = 0; i < n; i++) a[i] = ev(e->args[i], g, c, f, key);
        switch (e->fn) {
        case F_MIN:
        case F_MAX: {
            double r = a[0];
            for (size_t i = 1; i < n; i++) r = e->fn == F_MIN ? fmin(r, a[i]) : fmax(r, a[i]);
            for (size_t i = 0; i < n; i++)
                if (isnan(a[i])) return NAN;
            return r;
        }
        case F_ABS: return fabs(a[0]);
        case F_ROUND: {
            double p = n > 1 ? pow(10, a[1]) : 1;
            return round(a[0] * p) / p;
        }
        case F_FLOOR: return floor(a[0]);
        case F_CEIL: return ceil(a[0]);
        case F_CLAMP: return a[0] < a[1] ? a[1] : a[0] > a[2] ? a[2] : a[0];
        case F_RAND:
            if (isnan(a[0]) || isnan(a[1]) || a[1] < a[0]) return NAN;
            return (double)rng_range(rng_at(key, f->row, e->sub), (int64_t)ceil(a[0]),
                                     (int64_t)floor(a[1]));
        case F_RANDF: return a[0] + (a[1] - a[0]) * rng_unit(rng_at(key, f->row, e->sub));
        case F_NORMAL: return a[0] + a[1] * rng_normal(key, f->row, e->sub);
        }
        return NAN;
    }
    }
    return NAN;
}

expr *expr_compile(gcomp *cc, gen *g, const ynode *n, const char *src)
{
    parser ps = {.cc = cc, .at = n, .src = src, .p = src, .g = g, .nsub = 0x1000};
    expr *e = p_expr(&ps);
    skip(&ps);
    if (!ps.err && *ps.p) perr(&ps, "unexpected text");
    if (ps.err) {
        expr_free(e);
        return NULL;
    }
    return e;
}

double expr_eval(const expr *e, const gen *g, genctx *c, frame *f, uint64_t key)
{
    return ev(e, g, c, f, key);
}

static void fn_expr(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    double x = ev(g->expr.e, g, c, f, key);
    if (isnan(x) || isinf(x)) {
        out->t = VT_NULL;
        return;
    }
    out->t = (uint8_t)g->type;
    out->scale = (uint8_t)g->scale;
    switch (g->type) {
    case VT_DATE: out->i = (int64_t)floor(x); break;
    case VT_TS: out->i = (int64_t)llround(x * 1e6); break;
    case VT_BOOL: out->i = x != 0; break;
    default: out->i = dec_from_double(x, g->scale); break;
    }
}

static void free_expr(gen *g)
{
    expr_free(g->expr.e);
}

gen *gen_compile_expr(gcomp *cc, const ynode *spec, const char *path)
{
    static const char *const keys[] = {"gen", "null", "unique", "expr", "type", "decimals", NULL};
    yn_check_keys(spec, keys, cc->d, "generator 'expr'");
    const ynode *en = yn_get(spec, "expr");
    const char *src;
    if (!en) {
        diag_node(cc->d, spec, "generator 'expr' needs `expr:`");
        return NULL;
    }
    if (yn_str(en, cc->d, "expr", &src) < 0) return NULL;
    gen *g = gen_new(cc, spec, path);
    g->kind = "expr";
    g->free_fn = free_expr;
    g->fn = fn_expr;
    parser ps = {.cc = cc, .at = en, .src = src, .p = src, .g = g};
    g->expr.e = p_expr(&ps);
    skip(&ps);
    if (!ps.err && *ps.p) perr(&ps, "unexpected text");
    int64_t dec = -1;
    const ynode *dn = yn_get(spec, "decimals");
    if (dn && (yn_int(dn, cc->d, "decimals", &dec) < 0 || dec < 0 || dec > 9)) {
        if (dec < 0 || dec > 9) diag_node(cc->d, dn, "decimals must be between 0 and 9");
        ps.err = true;
    }
    const char *ty = dec > 0 ? "decimal" : "int";
    const ynode *tn = yn_get(spec, "type");
    if (tn && yn_str(tn, cc->d, "type", &ty) < 0) ps.err = true;
    if (strcmp(ty, "int") == 0)
        g->type = VT_INT;
    else if (strcmp(ty, "decimal") == 0)
        g->type = VT_DEC, g->scale = dec < 0 ? 2 : (int)dec;
    else if (strcmp(ty, "date") == 0)
        g->type = VT_DATE;
    else if (strcmp(ty, "timestamp") == 0)
        g->type = VT_TS;
    else if (strcmp(ty, "bool") == 0)
        g->type = VT_BOOL;
    else {
        diag_node(cc->d, tn, "type must be int, decimal, date, timestamp or bool, not '%s'", ty);
        ps.err = true;
    }
    if (g->type == VT_DEC && g->scale == 0) g->type = VT_INT;
    if (ps.err) {
        gen_free(g);
        return NULL;
    }
    return g;
}
