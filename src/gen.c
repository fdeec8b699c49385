/* gen.c — column generators: evaluation (frames, lazy same-row dependencies, evaluation of
 * another table's column at a row), compiling (the kinds table, literals, common keys) and
 * the numeric, date, choice and key kinds. Text, pattern and JSON kinds live in gen_text.c,
 * expressions in expr.c, references and derived kinds in gen_ref.c. Every value is a pure
 * function of (key, row, sub-draw): nothing here keeps state between rows except scratch
 * memory and the last parent values read. */
#include "gen_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- arena ------------------------------------------------------------------------------ */

struct ablk {
    struct ablk *next;
    size_t used, cap;
    _Alignas(16) char mem[];
};

void *arena_alloc(arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct ablk *b = a->cur;
    while (b && b->used + n > b->cap) {
        b = b->next;
        if (b) b->used = 0;
    }
    if (!b) {
        size_t cap = n > 65536 ? n : 65536;
        b = xmalloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        b->next = NULL;
        if (a->cur) {
            b->next = a->cur->next;
            a->cur->next = b;
        } else {
            a->head = b;
        }
    }
    a->cur = b;
    void *p = b->mem + b->used;
    b->used += n;
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void arena_reset(arena *a)
{
    a->cur = a->head;
    if (a->cur) a->cur->used = 0;
}

void arena_free(arena *a)
{
    for (struct ablk *b = a->head, *nx; b; b = nx) {
        nx = b->next;
        free(b);
    }
    a->head = a->cur = NULL;
}

/* ---- evaluation ------------------------------------------------------------------------- */

void mtable_locate(const mtable *t, uint64_t row, uint64_t *prow, uint64_t *ord)
{
    /* The largest p with prefix[p] <= row: parents without children share a prefix value,
     * and the last of them is the one whose children include row. */
    const uint64_t *pre = t->prefix;
    uint64_t a = 0, b = t->prefix_len;
    while (a < b) {
        uint64_t mid = a + (b - a) / 2;
        if (pre[mid] <= row)
            a = mid + 1;
        else
            b = mid;
    }
    *prow = a - 1;
    *ord = row - pre[a - 1];
}

static void frame_init(genctx *c, frame *f, const mtable *t, uint64_t row, bool walk)
{
    f->t = t;
    f->row = row;
    f->prow = f->ord = 0;
    memset(f->st, 0, t->ncols);
    if (t->parent < 0) return;
    if (row >= t->nrows) { /* beyond the loaded rows (fresh keys): the last parent */
        f->prow = t->prefix_len > 1 ? t->prefix_len - 2 : 0;
        f->ord = row - t->prefix[f->prow];
        return;
    }
    if (walk && c->walk_t == t && row == c->walk_row + 1) {
        uint64_t p = c->walk_prow, o = c->walk_ord + 1;
        while (o >= mtable_children(t, p)) {
            p++;
            o = 0;
        }
        f->prow = p;
        f->ord = o;
    } else {
        mtable_locate(t, row, &f->prow, &f->ord);
    }
    if (walk) {
        c->walk_t = t;
        c->walk_row = row;
        c->walk_prow = f->prow;
        c->walk_ord = f->ord;
    }
}

const val *frame_col(genctx *c, frame *f, int col)
{
    val *out = &f->v[col];
    if (f->st[col] == 2) return out;
    if (f->st[col] == 1) { /* a cycle; compile rejects these, so this is only a guard */
        out->t = VT_NULL;
        return out;
    }
    f->st[col] = 1;
    const mtable *t = f->t;
    const gen *g = t->cols[col].g;
    f->refrow[col] = UINT64_MAX;
    if (f->row < t->nedges && t->edges[f->row].set[col]) {
        *out = t->edges[f->row].v[col];
    } else if (g->null_ratio > 0 && rng_unit(rng_at(g->key, f->row, SUB_NULL)) < g->null_ratio) {
        out->t = VT_NULL;
    } else if (g->null_when && expr_eval(g->null_when, g, c, f, g->key) != 0) {
        out->t = VT_NULL; /* NaN (unknown) counts as true: no value to give */
    } else {
        g->fn(g, c, f, g->key, out);
    }
    f->st[col] = 2;
    return out;
}

void eval_at(genctx *c, const mtable *t, int col, uint64_t row, val *out)
{
    if (c->depth + 1 >= GEN_MAX_DEPTH) {
        out->t = VT_NULL;
        return;
    }
    frame *f = &c->fr[++c->depth];
    frame_init(c, f, t, row, false);
    *out = *frame_col(c, f, col);
    c->depth--;
}

const val *frame_parent_col(genctx *c, frame *f, int col, val *tmp)
{
    const mtable *pt = &c->m->t[f->t->parent];
    struct pcache *e = &c->pc[((size_t)f->t->parent * 7 + (size_t)col) & (GEN_PCACHE - 1)];
    if (e->t == pt && e->col == col && e->row == f->prow) {
        *tmp = e->v;
        return tmp;
    }
    bool deep = c->depth + 1 >= GEN_MAX_DEPTH; /* eval_at's guard: not a real value */
    eval_at(c, pt, col, f->prow, tmp);
    if (!deep && tmp->t != VT_TEXT && tmp->t != VT_JSON) {
        e->t = pt;
        e->col = col;
        e->row = f->prow;
        e->v = *tmp;
    }
    return tmp;
}

genctx *genctx_new(const model *m)
{
    genctx *c = xcalloc(1, sizeof *c);
    c->m = m;
    c->elem = -1;
    size_t n = m->max_cols ? m->max_cols : 1;
    for (int i = 0; i < GEN_MAX_DEPTH; i++) {
        c->fr[i].v = xcalloc(n, sizeof(val));
        c->fr[i].st = xcalloc(n, 1);
        c->fr[i].refrow = xcalloc(n, sizeof(uint64_t));
    }
    return c;
}

void genctx_free(genctx *c)
{
    if (!c) return;
    for (int i = 0; i < GEN_MAX_DEPTH; i++) {
        free(c->fr[i].v);
        free(c->fr[i].st);
        free(c->fr[i].refrow);
    }
    arena_free(&c->scratch);
    sbuf_free(&c->tmp);
    free(c);
}

const val *gen_row(genctx *c, const mtable *t, uint64_t row)
{
    arena_reset(&c->scratch);
    c->depth = 0;
    frame *f = &c->fr[0];
    frame_init(c, f, t, row, true);
    for (size_t i = 0; i < t->ncols; i++) frame_col(c, f, (int)i);
    return f->v;
}

void gen_value(genctx *c, const mtable *t, size_t col, uint64_t row, val *out)
{
    arena_reset(&c->scratch);
    c->depth = 0;
    frame *f = &c->fr[0];
    frame_init(c, f, t, row, false);
    *out = *frame_col(c, f, (int)col);
}

/* ---- numbers ----------------------------------------------------------------------------- */

static void fn_const(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c, (void)f, (void)key;
    *out = g->cst.v;
}

static void fn_int(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c;
    out->t = (uint8_t)g->type;
    out->scale = (uint8_t)g->scale;
    if (g->unique)
        out->i = g->u.min + (int64_t)rng_perm_apply(&g->u.perm, f->row);
    else
        out->i = rng_range(rng_at(key, f->row, 0), g->u.min, g->u.max);
}

static void fn_seq(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c, (void)key;
    out->t = VT_INT;
    out->i = g->seq.start + (int64_t)f->row * g->seq.step;
}

enum { D_NORMAL, D_LOGNORMAL, D_EXPONENTIAL };

static void fn_dist(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c;
    double x = 0;
    /* Truncated distributions resample (a few tries) before clamping, so the bounds do not
     * collect a spike of values. */
    for (int i = 0; i < 8; i++) {
        uint64_t sub = (uint64_t)i * 2;
        switch (g->d.dist) {
        case D_NORMAL: x = g->d.a + g->d.b * rng_normal(key, f->row, sub); break;
        case D_LOGNORMAL: x = exp(g->d.a + g->d.b * rng_normal(key, f->row, sub)); break;
        default: x = -log(rng_unit_pos(rng_at(key, f->row, sub))) * g->d.a; break;
        }
        if ((!g->d.has_lo || x >= g->d.lo) && (!g->d.has_hi || x <= g->d.hi)) break;
    }
    if (g->d.has_lo && x < g->d.lo) x = g->d.lo;
    if (g->d.has_hi && x > g->d.hi) x = g->d.hi;
    out->t = (uint8_t)g->type;
    out->scale = (uint8_t)g->scale;
    out->i = dec_from_double(x, g->scale);
}

static void fn_zipf(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c;
    out->t = VT_INT;
    out->i = g->zipf.min + (int64_t)rng_zipf_sample(&g->zipf.z, key, f->row, 0) - 1;
}

static void fn_bool(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c;
    out->t = VT_BOOL;
    out->i = rng_unit(rng_at(key, f->row, 0)) < g->b.p;
}

static void fn_choice(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c;
    size_t k;
    if (g->unique) {
        k = (size_t)rng_perm_apply(&g->choice.perm, f->row);
    } else if (!g->choice.cum) {
        k = (size_t)rng_below(rng_at(key, f->row, 0), g->choice.n);
    } else {
        double u = rng_unit(rng_at(key, f->row, 0)) * g->choice.cum[g->choice.n - 1];
        size_t a = 0, b = g->choice.n - 1;
        while (a < b) {
            size_t mid = (a + b) / 2;
            if (g->choice.cum[mid] > u)
                b = mid;
            else
                a = mid + 1;
        }
        k = a;
    }
    *out = g->choice.vals[k];
}

/* ---- keys, dates -------------------------------------------------------------------------- */

static void fn_uuid(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)g, (void)c;
    /* p is a bijection of the row, so the UUIDs of one column are unique by construction;
     * the other bits only make them look random. Version 4 / variant 1 bits are set. */
    uint64_t p = sl_mix64(f->row ^ key);
    uint64_t h = sl_mix64(p + key + 0x6a09e667f3bcc909ULL);
    out->t = VT_UUID;
    for (int i = 0; i < 6; i++) out->u[i] = (uint8_t)(h >> (8 * i));
    out->u[6] = (uint8_t)(0x40 | ((h >> 48) & 0x0f));
    out->u[7] = (uint8_t)(p >> 56);
    out->u[8] = (uint8_t)(0x80 | ((h >> 56) & 0x3f));
    for (int i = 0; i < 7; i++) out->u[9 + i] = (uint8_t)(p >> (8 * (6 - i)));
}

/* The k-th weekday (Mon–Fri) counting from `start` (moved to the next Monday if it falls
 * on a weekend). */
static int64_t add_weekdays(int64_t start, int64_t k)
{
    int w = weekday_from_days(start);
    if (w >= 5) {
        start += 7 - w;
        w = 0;
    }
    int64_t total = w + k;
    int64_t weeks = total >= 0 ? total / 5 : -((-total + 4) / 5);
    int64_t rem = total - weeks * 5;
    return start - w + weeks * 7 + rem;
}

static int64_t weekdays_between(int64_t a, int64_t b) /* weekdays in [a, b] */
{
    int64_t n = 0;
    if (b < a) return 0;
    int64_t full = (b - a + 1) / 7;
    n = full * 5;
    for (int64_t d = a + full * 7; d <= b; d++) n += weekday_from_days(d) < 5;
    return n;
}

static void fn_date(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c;
    out->t = (uint8_t)g->type;
    int64_t k;
    if (g->unique)
        k = (int64_t)rng_perm_apply(&g->u.perm, f->row);
    else
        k = rng_range(rng_at(key, f->row, 0), 0, g->u.max);
    out->i = g->u.weekdays ? add_weekdays(g->u.min, k) : g->u.min + k * g->u.step;
}

static void fn_series(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c, (void)key;
    int64_t k = (int64_t)(g->series.by_row || f->t->parent < 0 ? f->row : f->ord);
    out->t = (uint8_t)g->type;
    if (g->series.skip_weekends)
        out->i = add_weekdays(g->series.start, k * g->series.step);
    else
        out->i = g->series.start + k * g->series.step;
}

bool gen_seq_info(const gen *g, int64_t *start, int64_t *step)
{
    if (!g || g->fn != fn_seq) return false;
    *start = g->seq.start;
    *step = g->seq.step;
    return true;
}
/* ---- compiling ------------------------------------------------------------------------------ */

static const char *const common_keys[] = {"gen", "null", "unique", "null_when"};

gen *gen_new(gcomp *cc, const ynode *node, const char *path)
{
    gen *g = xcalloc(1, sizeof *g);
    g->node = node;
    g->col = -1;
    g->tbl = cc->t ? cc->t->idx : 0;
    g->key = rng_key(cc->seed, path);
    return g;
}

void gen_add_dep(gen *g, int col)
{
    for (size_t i = 0; i < g->ndeps; i++)
        if (g->deps[i] == col) return;
    g->deps = xrealloc(g->deps, (g->ndeps + 1) * sizeof *g->deps);
    g->deps[g->ndeps++] = col;
}

void gen_free(gen *g)
{
    if (!g) return;
    if (g->free_fn) g->free_fn(g);
    expr_free(g->null_when);
    free(g->deps);
    free(g);
}

/* Check spec's keys against the kind's own plus the common ones. */
static int check_kind_keys(gcomp *cc, const ynode *spec, const char *kind, const char *const *keys)
{
    const char *all[40];
    size_t n = 0;
    for (size_t i = 0; i < 4; i++) all[n++] = common_keys[i];
    for (size_t i = 0; keys && keys[i] && n < 39; i++) all[n++] = keys[i];
    all[n] = NULL;
    char ctx[96];
    snprintf(ctx, sizeof ctx, "generator '%s'", kind);
    return yn_check_keys(spec, all, cc->d, ctx);
}

const ynode *gc_need(gcomp *cc, const ynode *spec, const char *key, const char *kind)
{
    const ynode *n = yn_get(spec, key);
    if (!n) diag_node(cc->d, spec, "generator '%s' needs `%s:`", kind, key);
    return n;
}

int gc_opt_double(gcomp *cc, const ynode *spec, const char *key, double *out)
{
    const ynode *n = yn_get(spec, key);
    return n ? yn_double(n, cc->d, key, out) : 0;
}

int gc_opt_int(gcomp *cc, const ynode *spec, const char *key, int64_t *out)
{
    const ynode *n = yn_get(spec, key);
    return n ? yn_int(n, cc->d, key, out) : 0;
}

int gc_opt_bool(gcomp *cc, const ynode *spec, const char *key, bool *out)
{
    const ynode *n = yn_get(spec, key);
    return n ? yn_bool(n, cc->d, key, out) : 0;
}

static int opt_decimals(gcomp *cc, const ynode *spec, int64_t *dec)
{
    if (gc_opt_int(cc, spec, "decimals", dec) < 0) return -1;
    if (*dec < 0 || *dec > 9) {
        diag_node(cc->d, yn_get(spec, "decimals"), "decimals must be between 0 and 9");
        return -1;
    }
    return 0;
}

static arena *marena(gcomp *cc)
{
    return (arena *)cc->m->arena;
}

int literal_val(gcomp *cc, const ynode *n, vtype want, int scale, val *out)
{
    memset(out, 0, sizeof *out);
    char b[64];
    if (yn_is_null(n)) { /* null, ~ or nothing; a quoted 'null' is text */
        out->t = VT_NULL;
        return 0;
    }
    if (want == VT_JSON) {
        sbuf j = {0};
        if (yn_is_scalar(n))
            sbuf_add(&j, n->str, n->len);
        else
            yaml_to_json(n, &j);
        out->t = VT_JSON;
        out->s = arena_strndup(marena(cc), j.p ? j.p : "", j.len);
        out->len = (uint32_t)j.len;
        sbuf_free(&j);
        return 0;
    }
    if (!yn_is_scalar(n)) {
        diag_node(cc->d, n, "expected a single value here, not %s", yn_describe(n, b, sizeof b));
        return -1;
    }
    const char *s = n->str;
    switch (want) {
    case VT_NULL: /* infer */
        if (!n->quoted) {
            char *end;
            errno = 0;
            long long v = strtoll(s, &end, 10);
            if (*s && !errno && *end == '\0') {
                out->t = VT_INT;
                out->i = v;
                return 0;
            }
            int64_t dv;
            int dd = decimal_digits(s);
            if (*s && dd <= 9 && parse_decimal(s, dd, &dv) == 0) {
                out->t = dd ? VT_DEC : VT_INT;
                out->scale = (uint8_t)dd;
                out->i = dv;
                return 0;
            }
            bool bv;
            diag tmpd;
            diag_init(&tmpd, "", NULL);
            if (yn_bool(n, &tmpd, "", &bv) == 0) {
                diag_free(&tmpd);
                out->t = VT_BOOL;
                out->i = bv;
                return 0;
            }
            diag_free(&tmpd);
        }
        out->t = VT_TEXT;
        out->s = arena_strndup(marena(cc), s, n->len);
        out->len = (uint32_t)n->len;
        return 0;
    case VT_INT:
    case VT_BOOL:
        if (want == VT_BOOL) {
            bool bv;
            if (!n->quoted && (strcmp(s, "1") == 0 || strcmp(s, "0") == 0))
                bv = s[0] == '1';
            else if (yn_bool(n, cc->d, "this value", &bv) < 0)
                return -1;
            out->t = VT_BOOL;
            out->i = bv;
            return 0;
        }
        if (yn_int(n, cc->d, "this value", &out->i) < 0) return -1;
        out->t = VT_INT;
        return 0;
    case VT_DEC:
        if (parse_decimal(s, scale, &out->i) < 0) {
            diag_node(cc->d, n, "expected a number, not '%s'", s);
            return -1;
        }
        out->t = VT_DEC;
        out->scale = (uint8_t)scale;
        return 0;
    case VT_DATE:
        if (parse_date(s, &out->i) < 0) {
            diag_node(cc->d, n, "expected a date YYYY-MM-DD, not '%s'", s);
            return -1;
        }
        out->t = VT_DATE;
        return 0;
    case VT_TS:
        if (parse_timestamp(s, &out->i) < 0) {
            diag_node(cc->d, n, "expected a timestamp 'YYYY-MM-DD HH:MM:SS', not '%s'", s);
            return -1;
        }
        out->t = VT_TS;
        return 0;
    case VT_UUID: {
        int k = 0;
        for (const char *p = s; *p && k < 32; p++) {
            if (*p == '-') continue;
            int hv = (*p >= '0' && *p <= '9')   ? *p - '0'
                     : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10
                     : (*p >= 'A' && *p <= 'F') ? *p - 'A' + 10
                                                : -1;
            if (hv < 0) break;
            if (k % 2 == 0)
                out->u[k / 2] = (uint8_t)(hv << 4);
            else
                out->u[k / 2] |= (uint8_t)hv;
            k++;
        }
        if (k != 32 || n->len != 36) {
            diag_node(cc->d, n, "expected a UUID (8-4-4-4-12 hex digits), not '%s'", s);
            return -1;
        }
        out->t = VT_UUID;
        return 0;
    }
    case VT_TEXT:
    case VT_JSON: break;
    }
    out->t = VT_TEXT;
    out->s = arena_strndup(marena(cc), s, n->len);
    out->len = (uint32_t)n->len;
    return 0;
}

void unify_vals(val *v, size_t n, vtype *type, int *scale)
{
    bool all_num = true, all_int = true, any = false;
    vtype first = VT_NULL;
    bool same = true;
    int sc = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].t == VT_NULL) continue;
        if (!any) first = (vtype)v[i].t;
        any = true;
        if (v[i].t != first) same = false;
        if (v[i].t != VT_INT && v[i].t != VT_DEC) all_num = false;
        if (v[i].t != VT_INT) all_int = false;
        if (v[i].t == VT_DEC && v[i].scale > sc) sc = v[i].scale;
    }
    *scale = 0;
    if (!any) {
        *type = VT_NULL;
        return;
    }
    if (all_int || same) {
        *type = first;
        *scale = first == VT_DEC ? sc : 0;
        if (first == VT_DEC)
            for (size_t i = 0; i < n; i++)
                if (v[i].t == VT_DEC && v[i].scale < sc) {
                    v[i].i *= pow10_i64(sc - v[i].scale);
                    v[i].scale = (uint8_t)sc;
                }
        return;
    }
    if (all_num) {
        for (size_t i = 0; i < n; i++) {
            if (v[i].t == VT_NULL) continue;
            v[i].i *= pow10_i64(sc - (v[i].t == VT_DEC ? v[i].scale : 0));
            v[i].t = VT_DEC;
            v[i].scale = (uint8_t)sc;
        }
        *type = VT_DEC;
        *scale = sc;
        return;
    }
    *type = VT_TEXT; /* mixed: keep each value's own text */
}

int gcomp_column(gcomp *cc, const ynode *at, const char *name, bool allow_parent, bool *is_parent)
{
    const mtable *t = cc->t;
    *is_parent = false;
    if (strncmp(name, "parent.", 7) == 0) {
        if (!allow_parent) {
            diag_node(cc->d, at, "'%s': parent columns cannot be used here", name);
            return -1;
        }
        if (t->parent < 0) {
            diag_node(cc->d, at, "'%s': table '%s' has no parent (its rows are not `per:` a table)",
                      name, t->name);
            return -1;
        }
        t = &cc->m->t[t->parent];
        name += 7;
        *is_parent = true;
    }
    const char *names[256];
    size_t nn = 0;
    for (size_t i = 0; i < t->ncols; i++) {
        if (strcmp(t->cols[i].name, name) == 0) return (int)i;
        if (nn < 256) names[nn++] = t->cols[i].name;
    }
    const char *s = sl_suggest(name, names, nn);
    diag_node(cc->d, at, "no column '%s' in table '%s'%s%s%s", name, t->name,
              s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
    return -1;
}

int gc_find_table(gcomp *cc, const ynode *at, const char *name)
{
    const char *names[256];
    size_t nn = 0;
    for (size_t i = 0; i < cc->m->nt; i++) {
        if (strcmp(cc->m->t[i].name, name) == 0) return (int)i;
        if (nn < 256) names[nn++] = cc->m->t[i].name;
    }
    const char *s = sl_suggest(name, names, nn);
    diag_node(cc->d, at, "no table '%s' in this profile%s%s%s", name, s ? " (did you mean '" : "",
              s ? s : "", s ? "'?)" : "");
    return -1;
}

/* A column of another table by name (default: its first column). */
int gc_table_column(gcomp *cc, const ynode *spec, int table)
{
    const mtable *t = &cc->m->t[table];
    const ynode *cn = yn_get(spec, "column");
    if (!cn) return 0;
    const char *name;
    if (yn_str(cn, cc->d, "column", &name) < 0) return -1;
    const mtable *save = cc->t;
    cc->t = t;
    bool par;
    int col = gcomp_column(cc, cn, name, false, &par);
    cc->t = save;
    return col;
}

/* ---- kinds ---------------------------------------------------------------------------------- */

static void free_choice(gen *g)
{
    free(g->choice.vals);
    free(g->choice.cum);
}

static int compile_const(gcomp *cc, gen *g, const ynode *spec)
{
    const ynode *v = gc_need(cc, spec, "value", "const");
    if (!v || literal_val(cc, v, yn_is_scalar(v) ? VT_NULL : VT_JSON, 0, &g->cst.v) < 0) return -1;
    g->fn = fn_const;
    g->type = (vtype)g->cst.v.t;
    g->scale = g->cst.v.scale;
    return 0;
}

static int compile_int(gcomp *cc, gen *g, const ynode *spec)
{
    const ynode *mn = gc_need(cc, spec, "min", "int"), *mx = gc_need(cc, spec, "max", "int");
    if (!mn || !mx) return -1;
    if (yn_int(mn, cc->d, "min", &g->u.min) < 0 || yn_int(mx, cc->d, "max", &g->u.max) < 0)
        return -1;
    if (g->u.max < g->u.min) {
        diag_node(cc->d, mx, "max (%lld) is below min (%lld)", (long long)g->u.max,
                  (long long)g->u.min);
        return -1;
    }
    g->fn = fn_int;
    g->type = VT_INT;
    return 0;
}

static int compile_decimal(gcomp *cc, gen *g, const ynode *spec)
{
    const ynode *mn = gc_need(cc, spec, "min", "decimal"),
                *mx = gc_need(cc, spec, "max", "decimal");
    if (!mn || !mx) return -1;
    double a, b;
    if (yn_double(mn, cc->d, "min", &a) < 0 || yn_double(mx, cc->d, "max", &b) < 0) return -1;
    int64_t dec = decimal_digits(mn->str) > decimal_digits(mx->str) ? decimal_digits(mn->str)
                                                                    : decimal_digits(mx->str);
    if (!yn_get(spec, "decimals")) dec = dec ? dec : 2;
    if (opt_decimals(cc, spec, &dec) < 0) return -1;
    if (parse_decimal(mn->str, (int)dec, &g->u.min) < 0 ||
        parse_decimal(mx->str, (int)dec, &g->u.max) < 0) {
        diag_node(cc->d, mn, "min and max must be plain decimal numbers");
        return -1;
    }
    if (b < a) {
        diag_node(cc->d, mx, "max (%g) is below min (%g)", b, a);
        return -1;
    }
    g->fn = fn_int;
    g->type = dec ? VT_DEC : VT_INT;
    g->scale = (int)dec;
    return 0;
}

static int compile_dist(gcomp *cc, gen *g, const ynode *spec, int dist, const char *kind)
{
    int64_t dec = 0;
    if (opt_decimals(cc, spec, &dec) < 0) return -1;
    g->d.dist = dist;
    if (dist == D_NORMAL || dist == D_LOGNORMAL) {
        const char *ka = dist == D_NORMAL ? "mean" : "mu",
                   *kb = dist == D_NORMAL ? "stddev" : "sigma";
        const ynode *a = gc_need(cc, spec, ka, kind), *b = gc_need(cc, spec, kb, kind);
        if (!a || !b || yn_double(a, cc->d, ka, &g->d.a) < 0 ||
            yn_double(b, cc->d, kb, &g->d.b) < 0)
            return -1;
        if (g->d.b < 0) {
            diag_node(cc->d, b, "%s must not be negative", kb);
            return -1;
        }
    } else {
        const ynode *a = gc_need(cc, spec, "mean", kind);
        if (!a || yn_double(a, cc->d, "mean", &g->d.a) < 0) return -1;
        if (g->d.a <= 0) {
            diag_node(cc->d, a, "mean must be above 0");
            return -1;
        }
    }
    g->d.has_lo = yn_get(spec, "min") != NULL;
    g->d.has_hi = yn_get(spec, "max") != NULL;
    if (gc_opt_double(cc, spec, "min", &g->d.lo) < 0 ||
        gc_opt_double(cc, spec, "max", &g->d.hi) < 0)
        return -1;
    if (g->d.has_lo && g->d.has_hi && g->d.hi < g->d.lo) {
        diag_node(cc->d, yn_get(spec, "max"), "max is below min");
        return -1;
    }
    g->fn = fn_dist;
    g->type = dec ? VT_DEC : VT_INT;
    g->scale = (int)dec;
    return 0;
}

static int compile_normal(gcomp *cc, gen *g, const ynode *s)
{
    return compile_dist(cc, g, s, D_NORMAL, "normal");
}
static int compile_lognormal(gcomp *cc, gen *g, const ynode *s)
{
    return compile_dist(cc, g, s, D_LOGNORMAL, "lognormal");
}
static int compile_exponential(gcomp *cc, gen *g, const ynode *s)
{
    return compile_dist(cc, g, s, D_EXPONENTIAL, "exponential");
}

static int compile_zipf(gcomp *cc, gen *g, const ynode *spec)
{
    int64_t mn = 1, mx = 0;
    double s = 1.0;
    const ynode *mxn = gc_need(cc, spec, "max", "zipf");
    if (!mxn || gc_opt_int(cc, spec, "min", &mn) < 0 || yn_int(mxn, cc->d, "max", &mx) < 0 ||
        gc_opt_double(cc, spec, "s", &s) < 0)
        return -1;
    if (mx < mn) {
        diag_node(cc->d, mxn, "max is below min");
        return -1;
    }
    if (rng_zipf_init(&g->zipf.z, (uint64_t)(mx - mn + 1), s) < 0) {
        diag_node(cc->d, yn_get(spec, "s") ? yn_get(spec, "s") : spec,
                  "zipf exponent s must be above 0");
        return -1;
    }
    g->zipf.min = mn;
    g->fn = fn_zipf;
    g->type = VT_INT;
    return 0;
}

static int compile_bool(gcomp *cc, gen *g, const ynode *spec)
{
    g->b.p = 0.5;
    if (gc_opt_double(cc, spec, "probability", &g->b.p) < 0) return -1;
    if (g->b.p < 0 || g->b.p > 1) {
        diag_node(cc->d, yn_get(spec, "probability"), "probability must be between 0 and 1");
        return -1;
    }
    g->fn = fn_bool;
    g->type = VT_BOOL;
    return 0;
}

static int compile_choice(gcomp *cc, gen *g, const ynode *spec)
{
    const ynode *vals = gc_need(cc, spec, "values", "choice");
    if (!vals) return -1;
    const ynode *w = yn_get(spec, "weights");
    size_t n = vals->n;
    if (!(yn_is_seq(vals) || yn_is_map(vals)) || n == 0) {
        diag_node(cc->d, vals, "values must be a non-empty list, or a mapping of value: weight");
        return -1;
    }
    g->free_fn = free_choice;
    g->choice.vals = xcalloc(n, sizeof(val));
    g->choice.n = n;
    bool weighted = yn_is_map(vals) || w;
    if (weighted) g->choice.cum = xcalloc(n, sizeof(double));
    if (w && (!yn_is_seq(w) || w->n != n)) {
        diag_node(cc->d, w, "weights must be a list as long as values (%zu)", n);
        return -1;
    }
    if (w && yn_is_map(vals)) {
        diag_node(cc->d, w, "give weights either in a values mapping or as a weights list");
        return -1;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const ynode *vn = yn_is_map(vals) ? vals->items[2 * i] : vals->items[i];
        if (literal_val(cc, vn, VT_NULL, 0, &g->choice.vals[i]) < 0) return -1;
        if (weighted) {
            const ynode *wn = yn_is_map(vals) ? vals->items[2 * i + 1] : w->items[i];
            double wt;
            if (yn_double(wn, cc->d, "weight", &wt) < 0) return -1;
            if (wt < 0) {
                diag_node(cc->d, wn, "weights must not be negative");
                return -1;
            }
            sum += wt;
            g->choice.cum[i] = sum;
        }
    }
    if (weighted && !(sum > 0)) {
        diag_node(cc->d, w ? w : vals, "weights add up to 0");
        return -1;
    }
    unify_vals(g->choice.vals, n, &g->type, &g->scale);
    g->fn = fn_choice;
    return 0;
}

static int compile_seq(gcomp *cc, gen *g, const ynode *spec)
{
    g->seq.start = 1;
    g->seq.step = 1;
    if (gc_opt_int(cc, spec, "start", &g->seq.start) < 0 ||
        gc_opt_int(cc, spec, "step", &g->seq.step) < 0)
        return -1;
    g->fn = fn_seq;
    g->row_unique = true;
    g->type = VT_INT;
    return 0;
}

static int compile_uuid(gcomp *cc, gen *g, const ynode *spec)
{
    (void)cc, (void)spec;
    g->fn = fn_uuid;
    g->row_unique = true;
    g->type = VT_UUID;
    return 0;
}

static int compile_date(gcomp *cc, gen *g, const ynode *spec)
{
    const ynode *mn = gc_need(cc, spec, "min", "date"), *mx = gc_need(cc, spec, "max", "date");
    if (!mn || !mx) return -1;
    int64_t a, b;
    val va, vb;
    if (literal_val(cc, mn, VT_DATE, 0, &va) < 0 || literal_val(cc, mx, VT_DATE, 0, &vb) < 0)
        return -1;
    a = va.i, b = vb.i;
    if (b < a) {
        diag_node(cc->d, mx, "max is before min");
        return -1;
    }
    if (gc_opt_bool(cc, spec, "weekdays_only", &g->u.weekdays) < 0) return -1;
    if (g->u.weekdays) {
        int64_t n = weekdays_between(a, b);
        if (n == 0) {
            diag_node(cc->d, mx, "there is no weekday between min and max");
            return -1;
        }
        g->u.min = a;
        g->u.max = n - 1;
    } else {
        g->u.min = a;
        g->u.max = b - a;
    }
    g->u.step = 1;
    g->fn = fn_date;
    g->type = VT_DATE;
    return 0;
}

static int compile_timestamp(gcomp *cc, gen *g, const ynode *spec)
{
    const ynode *mn = gc_need(cc, spec, "min", "timestamp"),
                *mx = gc_need(cc, spec, "max", "timestamp");
    if (!mn || !mx) return -1;
    val va, vb;
    if (literal_val(cc, mn, VT_TS, 0, &va) < 0 || literal_val(cc, mx, VT_TS, 0, &vb) < 0) return -1;
    if (vb.i < va.i) {
        diag_node(cc->d, mx, "max is before min");
        return -1;
    }
    int64_t step_us = 1000000;
    const ynode *st = yn_get(spec, "step");
    if (st) {
        int64_t ns = yn_is_scalar(st) ? sl_parse_duration_ns(st->str) : -1;
        if (ns < 1000) {
            diag_node(cc->d, st, "step must be a duration such as 1s, 15m, 1h (at least 1us)");
            return -1;
        }
        step_us = ns / 1000;
    }
    g->u.min = va.i;
    g->u.step = step_us;
    g->u.max = (vb.i - va.i) / step_us;
    g->fn = fn_date;
    g->type = VT_TS;
    return 0;
}

static int compile_series(gcomp *cc, gen *g, const ynode *spec, bool ts)
{
    const char *kind = ts ? "timestamp_series" : "date_series";
    const ynode *st = gc_need(cc, spec, "start", kind);
    val v;
    if (!st || literal_val(cc, st, ts ? VT_TS : VT_DATE, 0, &v) < 0) return -1;
    g->series.start = v.i;
    g->series.step = 1;
    if (ts) {
        g->series.step = 3600000000LL;
        const ynode *sn = yn_get(spec, "step");
        if (sn) {
            int64_t ns = yn_is_scalar(sn) ? sl_parse_duration_ns(sn->str) : -1;
            if (ns < 1000) {
                diag_node(cc->d, sn, "step must be a duration such as 1d, 1h, 30m");
                return -1;
            }
            g->series.step = ns / 1000;
        }
    } else {
        if (gc_opt_int(cc, spec, "step", &g->series.step) < 0) return -1;
        if (gc_opt_bool(cc, spec, "skip_weekends", &g->series.skip_weekends) < 0) return -1;
    }
    const ynode *by = yn_get(spec, "by");
    if (by) {
        const char *s;
        if (yn_str(by, cc->d, "by", &s) < 0) return -1;
        if (strcmp(s, "row") == 0)
            g->series.by_row = true;
        else if (strcmp(s, "ordinal") != 0) {
            diag_node(cc->d, by, "by must be 'ordinal' (position under the parent) or 'row'");
            return -1;
        }
    }
    g->fn = fn_series;
    g->type = ts ? VT_TS : VT_DATE;
    return 0;
}

static int compile_date_series(gcomp *cc, gen *g, const ynode *s)
{
    return compile_series(cc, g, s, false);
}
static int compile_ts_series(gcomp *cc, gen *g, const ynode *s)
{
    return compile_series(cc, g, s, true);
}

typedef int (*compile_fn)(gcomp *cc, gen *g, const ynode *spec);

static const struct kind {
    const char *name;
    compile_fn fn;
    const char *const keys[12];
} kinds[] = {
    {"const", compile_const, {"value"}},
    {"int", compile_int, {"min", "max"}},
    {"decimal", compile_decimal, {"min", "max", "decimals"}},
    {"normal", compile_normal, {"mean", "stddev", "min", "max", "decimals"}},
    {"lognormal", compile_lognormal, {"mu", "sigma", "min", "max", "decimals"}},
    {"exponential", compile_exponential, {"mean", "min", "max", "decimals"}},
    {"zipf", compile_zipf, {"min", "max", "s"}},
    {"bool", compile_bool, {"probability"}},
    {"choice", compile_choice, {"values", "weights"}},
    {"seq", compile_seq, {"start", "step"}},
    {"uuid", compile_uuid, {NULL}},
    {"date", compile_date, {"min", "max", "weekdays_only"}},
    {"timestamp", compile_timestamp, {"min", "max", "step"}},
    {"date_series", compile_date_series, {"start", "step", "skip_weekends", "by"}},
    {"timestamp_series", compile_ts_series, {"start", "step", "by"}},
    {"ref", compile_ref, {"table", "column", "dist", "s", "hot", "share", "distinct", "row"}},
    {"parent", compile_parent, {"column"}},
    {"fresh", compile_fresh, {"table", "column"}},
    {"children", compile_children, {"table"}},
    {"lookup", compile_lookup, {"ref", "column"}},
    {"map", compile_map, {"from", "ranges", "values", "default"}},
    {"copy", compile_copy, {"from"}},
};

static const char *const text_kinds[] = {"format",     "email",     "phone", "dict",
                                         "first_name", "last_name", "words", "sentence",
                                         "paragraph",  "text",      "json",  NULL};

/* Kinds that can honour unique: true (capacity is checked against the rows later). */
static bool can_be_unique(const gen *g)
{
    static const char *const u[] = {"int",  "decimal",    "date",      "timestamp", "choice",
                                    "seq",  "uuid",       "ref",       "format",    "email",
                                    "dict", "first_name", "last_name", NULL};
    for (size_t i = 0; u[i]; i++)
        if (strcmp(g->kind, u[i]) == 0) return true;
    return false;
}

gen *gen_compile(gcomp *cc, const ynode *spec, const char *path)
{
    char b[64];
    if (!spec || yn_is_scalar(spec)) { /* a constant */
        gen *g = gen_new(cc, spec, path);
        g->kind = "const";
        if (literal_val(cc, spec, VT_NULL, 0, &g->cst.v) < 0) {
            gen_free(g);
            return NULL;
        }
        g->fn = fn_const;
        g->type = (vtype)g->cst.v.t;
        g->scale = g->cst.v.scale;
        return g;
    }
    if (!yn_is_map(spec)) {
        diag_node(cc->d, spec, "a column is a generator mapping ({gen: ...}) or a constant, not %s",
                  yn_describe(spec, b, sizeof b));
        return NULL;
    }
    const ynode *kn = yn_get(spec, "gen");
    const char *kind;
    if (!kn) {
        diag_node(cc->d, spec, "missing `gen:` (which generator fills this column?)");
        return NULL;
    }
    if (yn_str(kn, cc->d, "gen", &kind) < 0) return NULL;

    gen *g = NULL;
    const struct kind *k = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, kind) == 0) k = &kinds[i];
    if (k) {
        g = gen_new(cc, spec, path);
        g->kind = k->name;
        check_kind_keys(cc, spec, kind, k->keys);
        if (k->fn(cc, g, spec) < 0) {
            gen_free(g);
            return NULL;
        }
    } else if (strcmp(kind, "expr") == 0) {
        if (!(g = gen_compile_expr(cc, spec, path))) return NULL;
    } else {
        bool text = false;
        for (size_t i = 0; text_kinds[i]; i++) text |= strcmp(text_kinds[i], kind) == 0;
        if (!text) {
            const char *all[64];
            size_t n = 0;
            for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) all[n++] = kinds[i].name;
            for (size_t i = 0; text_kinds[i]; i++) all[n++] = text_kinds[i];
            all[n++] = "expr";
            const char *s = sl_suggest(kind, all, n);
            if (s)
                diag_node(cc->d, kn, "unknown generator '%s' (did you mean '%s'?)", kind, s);
            else
                diag_node(cc->d, kn, "unknown generator '%s'; see docs/profile.md for the list",
                          kind);
            return NULL;
        }
        if (!(g = gen_compile_text(cc, kind, spec, path))) return NULL;
    }
    const ynode *nl = yn_get(spec, "null");
    if (nl && (yn_double(nl, cc->d, "null", &g->null_ratio) < 0 || g->null_ratio < 0 ||
               g->null_ratio > 1)) {
        if (g->null_ratio < 0 || g->null_ratio > 1)
            diag_node(cc->d, nl, "null is the share of NULLs, between 0 and 1");
        gen_free(g);
        return NULL;
    }
    const ynode *nw = yn_get(spec, "null_when");
    if (nw) {
        const char *src;
        if (yn_str(nw, cc->d, "null_when", &src) < 0 ||
            !(g->null_when = expr_compile(cc, g, nw, src))) {
            gen_free(g);
            return NULL;
        }
    }
    const ynode *un = yn_get(spec, "unique");
    if (un && yn_bool(un, cc->d, "unique", &g->unique) < 0) {
        gen_free(g);
        return NULL;
    }
    if (g->unique && !can_be_unique(g)) {
        diag_node(cc->d, un, "generator '%s' cannot promise unique values", g->kind);
        gen_free(g);
        return NULL;
    }
    if (g->unique && strcmp(g->kind, "ref") == 0 && (g->ref.self || g->ref.distinct)) {
        diag_node(cc->d, un,
                  "a unique reference cannot also be distinct or point at its own table");
        gen_free(g);
        return NULL;
    }
    if (g->unique && (strcmp(g->kind, "int") == 0 || strcmp(g->kind, "decimal") == 0 ||
                      strcmp(g->kind, "date") == 0 || strcmp(g->kind, "timestamp") == 0)) {
        uint64_t span = strcmp(g->kind, "int") == 0 || strcmp(g->kind, "decimal") == 0
                            ? (uint64_t)g->u.max - (uint64_t)g->u.min + 1
                            : (uint64_t)g->u.max + 1;
        rng_perm_init(&g->u.perm, span, g->key);
    }
    if (g->unique && strcmp(g->kind, "choice") == 0) {
        if (g->choice.cum) {
            diag_node(cc->d, un, "a unique choice takes each value once; weights do not apply");
            gen_free(g);
            return NULL;
        }
        rng_perm_init(&g->choice.perm, g->choice.n, g->key);
    }
    return g;
}

uint64_t gen_unique_capacity(const gen *g, const model *m)
{
    if (!g->unique) return 0;
    const char *k = g->kind;
    if (strcmp(k, "int") == 0 || strcmp(k, "decimal") == 0)
        return (uint64_t)g->u.max - (uint64_t)g->u.min + 1;
    if (strcmp(k, "date") == 0 || strcmp(k, "timestamp") == 0) return (uint64_t)g->u.max + 1;
    if (strcmp(k, "choice") == 0) return g->choice.n;
    if (strcmp(k, "seq") == 0) return g->seq.step ? UINT64_MAX : 1;
    if (strcmp(k, "uuid") == 0) return UINT64_MAX;
    if (strcmp(k, "ref") == 0) {
        const mtable *tt = &m->t[g->ref.table];
        return tt->nrows - tt->nisolated;
    }
    if (strcmp(k, "dict") == 0 || strcmp(k, "first_name") == 0 || strcmp(k, "last_name") == 0)
        return g->dict.d ? g->dict.d->n : 0;
    return UINT64_MAX; /* patterns: checked to embed the row when compiled */
}

size_t gen_boundaries(const gen *g, model *m, const sch_col *sc, val *out, size_t max)
{
    const char *k = g->kind;
    size_t n = 0;
    if (max < 2) return 0;
    if (strcmp(k, "int") == 0 || strcmp(k, "decimal") == 0) {
        out[n].t = (uint8_t)g->type, out[n].scale = (uint8_t)g->scale, out[n++].i = g->u.min;
        out[n].t = (uint8_t)g->type, out[n].scale = (uint8_t)g->scale, out[n++].i = g->u.max;
    } else if (strcmp(k, "date") == 0 || strcmp(k, "timestamp") == 0) {
        out[n].t = (uint8_t)g->type, out[n++].i = g->u.min;
        out[n].t = (uint8_t)g->type;
        out[n++].i =
            g->u.weekdays ? add_weekdays(g->u.min, g->u.max) : g->u.min + g->u.max * g->u.step;
    } else if (strcmp(k, "zipf") == 0) {
        out[n].t = VT_INT, out[n++].i = g->zipf.min;
        out[n].t = VT_INT, out[n++].i = g->zipf.min + (int64_t)g->zipf.z.n - 1;
    } else if (strcmp(k, "normal") == 0 || strcmp(k, "lognormal") == 0 ||
               strcmp(k, "exponential") == 0) {
        if (g->d.has_lo)
            out[n].t = (uint8_t)g->type, out[n].scale = (uint8_t)g->scale,
            out[n++].i = dec_from_double(g->d.lo, g->scale);
        if (g->d.has_hi)
            out[n].t = (uint8_t)g->type, out[n].scale = (uint8_t)g->scale,
            out[n++].i = dec_from_double(g->d.hi, g->scale);
    } else {
        n = gen_text_boundaries(g, m, sc, out, max);
    }
    return n;
}
