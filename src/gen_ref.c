/* gen_ref.c — references into other tables and values derived from other columns: ref,
 * parent, fresh, children, lookup, map and copy. A reference is computed from the row index
 * (uniform, zipf or hot-spot over the target's rows, one-to-one when unique, or a row given
 * by an expression); the referenced value is the target column evaluated at that row, so no
 * table is ever held in memory. */
#include "gen_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- references ----------------------------------------------------------------------------- */

static uint64_t skip_isolated(const mtable *t, uint64_t k)
{
    for (size_t i = 0; i < t->nisolated && t->isolated[i] <= k; i++) k++;
    return k;
}

static uint64_t ref_pick(const gen *g, const mtable *tt, frame *f, uint64_t key)
{
    uint64_t n = tt->nrows - tt->nisolated;
    if (g->ref.self) {
        /* Only earlier rows (the table loads in order), and not the isolated ones among them. */
        uint64_t before = 0;
        for (size_t i = 0; i < tt->nisolated && tt->isolated[i] < f->row; i++) before++;
        n = f->row - before;
    }
    if (n == 0) return UINT64_MAX;
    uint64_t k;
    if (g->unique) {
        k = rng_perm_apply(&g->ref.perm, f->row);
    } else if (g->ref.distinct) {
        if (f->ord >= n) return UINT64_MAX; /* more children than targets: no distinct one left */
        rng_perm p;
        rng_perm_init(&p, n, key ^ sl_mix64(f->prow + 1));
        k = rng_perm_apply(&p, f->ord);
    } else if (g->ref.dist == DIST_ZIPF) {
        rng_zipf z = g->ref.z;
        if (z.n != n) rng_zipf_init(&z, n, g->ref.z.s);
        uint64_t r = rng_zipf_sample(&z, key, f->row, 0) - 1;
        rng_perm p;
        rng_perm_init(&p, n, key);
        k = rng_perm_apply(&p, r);
    } else if (g->ref.dist == DIST_HOTSPOT) {
        uint64_t hot = (uint64_t)((double)n * g->ref.hot);
        if (hot < 1) hot = 1;
        if (hot > n) hot = n;
        uint64_t x = rng_at(key, f->row, 1);
        uint64_t r = (rng_unit(rng_at(key, f->row, 0)) < g->ref.share || hot == n)
                         ? rng_below(x, hot)
                         : hot + rng_below(x, n - hot);
        rng_perm p;
        rng_perm_init(&p, n, key);
        k = rng_perm_apply(&p, r);
    } else {
        k = rng_below(rng_at(key, f->row, 0), n);
    }
    return skip_isolated(tt, k);
}

static void fn_ref(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    const mtable *tt = &c->m->t[g->ref.table];
    uint64_t r;
    if (g->ref.row) {
        /* A computed row: outside the table it is NULL, so a bad formula fails loudly on a
         * NOT NULL key instead of pointing somewhere arbitrary. */
        double x = expr_eval(g->ref.row, g, c, f, key);
        r = isnan(x) || x < 0 || x >= (double)tt->nrows ? UINT64_MAX : (uint64_t)x;
    } else {
        r = ref_pick(g, tt, f, key);
    }
    if (r == UINT64_MAX) {
        out->t = VT_NULL;
        return;
    }
    eval_at(c, tt, g->ref.col, r, out);
    /* Remember the chosen row for `lookup` columns of the same row. */
    if (g->col >= 0) f->refrow[g->col] = r;
}

/* How many rows the child table has under this row (its prefix sums say it exactly). */
static void fn_children(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)key;
    const mtable *ct = &c->m->t[g->ref.table];
    out->t = VT_INT;
    out->i = f->row < ct->prefix_len - 1 ? (int64_t)mtable_children(ct, f->row) : 0;
}

/* A key no generated row has: the target column evaluated beyond the loaded rows. Distinct
 * executions (rows of the parameter table) get distinct target rows. */
static void fn_fresh(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)key;
    eval_at(c, &c->m->t[g->ref.table], g->ref.col, g->fresh_base + f->row, out);
}

void gen_set_fresh_base(gen *g, uint64_t base)
{
    if (g && g->fn == fn_fresh) g->fresh_base = base;
}

bool gen_is_self_ref(const gen *g)
{
    return g && g->fn == fn_ref && g->ref.self;
}

bool gen_fresh_info(const gen *g, int *table, int *col)
{
    if (!g || g->fn != fn_fresh) return false;
    *table = g->ref.table;
    *col = g->ref.col;
    return true;
}

static void fn_parent(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)key;
    frame_parent_col(c, f, g->ref.col, out);
}

static void fn_lookup(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)key;
    frame_col(c, f, g->lookup.refcol);
    uint64_t r = f->refrow[g->lookup.refcol];
    const gen *rg = f->t->cols[g->lookup.refcol].g;
    if (r == UINT64_MAX) {
        out->t = VT_NULL;
        return;
    }
    eval_at(c, &c->m->t[rg->ref.table], g->lookup.col, r, out);
}

/* ---- derived -------------------------------------------------------------------------------- */

static const val *source_val(genctx *c, frame *f, int col, bool parent, val *tmp)
{
    return parent ? frame_parent_col(c, f, col, tmp) : frame_col(c, f, col);
}

static void fn_copy(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)key;
    val tmp;
    *out = *source_val(c, f, g->map.col, g->map.parent, &tmp);
}

static bool val_eq(const val *a, const val *b)
{
    if (a->t == VT_TEXT || a->t == VT_JSON || b->t == VT_TEXT || b->t == VT_JSON) {
        if (!((a->t == VT_TEXT || a->t == VT_JSON) && (b->t == VT_TEXT || b->t == VT_JSON)))
            return false;
        return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
    }
    if (a->t == VT_NULL || b->t == VT_NULL) return a->t == b->t;
    if (a->t == VT_UUID || b->t == VT_UUID) return a->t == b->t && memcmp(a->u, b->u, 16) == 0;
    return val_as_double(a) == val_as_double(b);
}

static void fn_map(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)key;
    val tmp;
    const val *src = source_val(c, f, g->map.col, g->map.parent, &tmp);
    if (src->t != VT_NULL) {
        if (g->map.thr) {
            double x = val_as_double(src);
            for (size_t i = 0; i < g->map.n; i++)
                if (x >= g->map.thr[i]) {
                    *out = g->map.out[i];
                    return;
                }
        } else {
            for (size_t i = 0; i < g->map.n; i++)
                if (val_eq(src, &g->map.keys[i])) {
                    *out = g->map.out[i];
                    return;
                }
        }
    }
    if (g->map.has_dflt)
        *out = g->map.dflt;
    else
        out->t = VT_NULL;
}

static void free_map(gen *g)
{
    free(g->map.thr);
    free(g->map.out);
    free(g->map.keys);
}

static void fin_ref(gen *g, const model *m)
{
    const mtable *tt = &m->t[g->ref.table];
    uint64_t n = tt->nrows - tt->nisolated;
    if (g->ref.dist == DIST_ZIPF && n > 0) rng_zipf_init(&g->ref.z, n, g->ref.z.s);
    if (g->unique) rng_perm_init(&g->ref.perm, n ? n : 1, g->key);
}

static void free_ref(gen *g)
{
    expr_free(g->ref.row);
}

/* The table a reference kind names in its `table:` key: its index, or -1 after a diagnostic.
 * *at is the key's node (for later messages). */
static int table_key(gcomp *cc, const ynode *spec, const char *kind, const ynode **at)
{
    const ynode *tn = gc_need(cc, spec, "table", kind);
    const char *name;
    if (!tn || yn_str(tn, cc->d, "table", &name) < 0) return -1;
    if (at) *at = tn;
    return gc_find_table(cc, tn, name);
}

int compile_ref(gcomp *cc, gen *g, const ynode *spec)
{
    int t = table_key(cc, spec, "ref", NULL);
    if (t < 0) return -1;
    int col = gc_table_column(cc, spec, t);
    if (col < 0) return -1;
    g->ref.table = t;
    g->ref.col = col;
    g->ref.self = t == cc->t->idx;
    if (cc->tdeps && !g->ref.self) cc->tdeps[t] = 1;
    g->ref.hot = 0.2;
    g->ref.share = 0.8;
    g->ref.z.s = 1.0;
    const ynode *dn = yn_get(spec, "dist");
    if (dn) {
        const char *ds;
        if (yn_str(dn, cc->d, "dist", &ds) < 0) return -1;
        if (strcmp(ds, "zipf") == 0)
            g->ref.dist = DIST_ZIPF;
        else if (strcmp(ds, "hotspot") == 0)
            g->ref.dist = DIST_HOTSPOT;
        else if (strcmp(ds, "uniform") != 0) {
            static const char *const dists[] = {"uniform", "zipf", "hotspot"};
            const char *sg = sl_suggest(ds, dists, 3);
            diag_node(cc->d, dn, "unknown dist '%s' (uniform, zipf or hotspot)%s%s%s", ds,
                      sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
            return -1;
        }
    }
    if (gc_opt_double(cc, spec, "s", &g->ref.z.s) < 0 ||
        gc_opt_double(cc, spec, "hot", &g->ref.hot) < 0 ||
        gc_opt_double(cc, spec, "share", &g->ref.share) < 0 ||
        gc_opt_bool(cc, spec, "distinct", &g->ref.distinct) < 0)
        return -1;
    if (!(g->ref.z.s > 0)) {
        diag_node(cc->d, yn_get(spec, "s"), "zipf exponent s must be above 0");
        return -1;
    }
    if (g->ref.hot <= 0 || g->ref.hot > 1 || g->ref.share < 0 || g->ref.share > 1) {
        diag_node(cc->d, spec, "hot and share are fractions between 0 and 1");
        return -1;
    }
    const ynode *rown = yn_get(spec, "row");
    if (rown) {
        const char *src;
        if (yn_str(rown, cc->d, "row", &src) < 0 || !(g->ref.row = expr_compile(cc, g, rown, src)))
            return -1;
        g->free_fn = free_ref;
        if (yn_get(spec, "dist") || g->ref.distinct || yn_get(spec, "unique")) {
            diag_node(cc->d, rown,
                      "row: computes the target row itself; it cannot be combined with dist, "
                      "distinct or unique");
            return -1;
        }
    }
    if (g->ref.distinct && cc->t->parent < 0) {
        diag_node(cc->d, yn_get(spec, "distinct"),
                  "distinct: true needs rows per parent (each parent gets distinct references)");
        return -1;
    }
    if (g->ref.self && g->ref.distinct) {
        diag_node(cc->d, yn_get(spec, "distinct"),
                  "a reference to the same table cannot be distinct");
        return -1;
    }
    g->fn = fn_ref;
    g->fin = fin_ref;
    g->type = VT_NULL; /* resolved from the target column */
    return 0;
}

int compile_fresh(gcomp *cc, gen *g, const ynode *spec)
{
    int t = table_key(cc, spec, "fresh", NULL);
    if (t < 0) return -1;
    int col = gc_table_column(cc, spec, t);
    if (col < 0) return -1;
    const gen *tg = cc->m->t[t].cols[col].g;
    if (!tg || !tg->row_unique || tg->null_ratio > 0 || tg->null_when) {
        diag_node(
            cc->d, yn_get(spec, "column"),
            "fresh: column '%s' of '%s' is made by '%s', which does not give every new row a "
            "value of its own; fresh keys come from seq, uuid, or a pattern with {n}, {row} or "
            "{perm} (and no null:)",
            cc->m->t[t].cols[col].name, cc->m->t[t].name, tg ? tg->kind : "nothing");
        return -1;
    }
    g->ref.table = t;
    g->ref.col = col;
    g->fresh_base = cc->m->t[t].nrows; /* the bench runner moves it further */
    g->fn = fn_fresh;
    return 0;
}

int compile_children(gcomp *cc, gen *g, const ynode *spec)
{
    const ynode *tn = NULL;
    int t = table_key(cc, spec, "children", &tn);
    if (t < 0) return -1;
    if (cc->m->t[t].parent != cc->t->idx) {
        diag_node(cc->d, tn, "table '%s' does not have rows per '%s'", cc->m->t[t].name,
                  cc->t->name);
        return -1;
    }
    g->ref.table = t;
    g->fn = fn_children;
    g->type = VT_INT;
    return 0;
}

int compile_parent(gcomp *cc, gen *g, const ynode *spec)
{
    if (cc->t->parent < 0) {
        diag_node(cc->d, spec, "gen: parent needs rows per parent (`rows: {per: TABLE, ...}`)");
        return -1;
    }
    int col = gc_table_column(cc, spec, cc->t->parent);
    if (col < 0) return -1;
    g->ref.table = cc->t->parent;
    g->ref.col = col;
    if (cc->tdeps) cc->tdeps[cc->t->parent] = 1;
    g->fn = fn_parent;
    return 0;
}

int compile_lookup(gcomp *cc, gen *g, const ynode *spec)
{
    const ynode *rn = gc_need(cc, spec, "ref", "lookup"),
                *cn = gc_need(cc, spec, "column", "lookup");
    const char *rname;
    if (!rn || !cn || yn_str(rn, cc->d, "ref", &rname) < 0) return -1;
    bool par;
    int rc = gcomp_column(cc, rn, rname, false, &par);
    if (rc < 0) return -1;
    const ynode *rspec = cc->t->cols[rc].src->spec;
    const ynode *rk = yn_get(rspec, "gen");
    if (!rk || !yn_is_scalar(rk) || strcmp(rk->str, "ref") != 0) {
        diag_node(cc->d, rn,
                  "lookup needs `ref:` to name a column of this table filled by gen: ref");
        return -1;
    }
    const ynode *rt = yn_get(rspec, "table");
    int t = rt && yn_is_scalar(rt) ? prof_table_index(cc->m->p, rt->str) : -1;
    if (t < 0) return -1; /* reported where the ref column is compiled */
    int col = gc_table_column(cc, spec, t);
    if (col < 0) return -1;
    g->lookup.refcol = rc;
    g->lookup.col = col;
    if (cc->tdeps && t != cc->t->idx) cc->tdeps[t] = 1;
    gen_add_dep(g, rc);
    g->fn = fn_lookup;
    return 0;
}

static int source_column(gcomp *cc, gen *g, const ynode *spec, const char *kind)
{
    const ynode *fn = gc_need(cc, spec, "from", kind);
    const char *name;
    if (!fn || yn_str(fn, cc->d, "from", &name) < 0) return -1;
    int col = gcomp_column(cc, fn, name, true, &g->map.parent);
    if (col < 0) return -1;
    g->map.col = col;
    if (!g->map.parent) gen_add_dep(g, col);
    return 0;
}

int compile_copy(gcomp *cc, gen *g, const ynode *spec)
{
    if (source_column(cc, g, spec, "copy") < 0) return -1;
    g->fn = fn_copy;
    return 0;
}

int compile_map(gcomp *cc, gen *g, const ynode *spec)
{
    if (source_column(cc, g, spec, "map") < 0) return -1;
    g->free_fn = free_map;
    const ynode *ranges = yn_get(spec, "ranges"), *values = yn_get(spec, "values");
    if (!!ranges == !!values) {
        diag_node(cc->d, spec,
                  "map needs exactly one of `ranges:` (list of [min, value]) or "
                  "`values:` (mapping of value: result)");
        return -1;
    }
    size_t n;
    if (ranges) {
        if (!yn_is_seq(ranges) || ranges->n == 0) {
            diag_node(cc->d, ranges, "ranges must be a list of [min, value] pairs, highest first");
            return -1;
        }
        n = ranges->n;
        g->map.thr = xcalloc(n, sizeof(double));
        g->map.out = xcalloc(n, sizeof(val));
        for (size_t i = 0; i < n; i++) {
            const ynode *pr = ranges->items[i];
            if (!yn_is_seq(pr) || pr->n != 2) {
                diag_node(cc->d, pr, "each range is a pair [min, value]");
                return -1;
            }
            if (yn_double(pr->items[0], cc->d, "range min", &g->map.thr[i]) < 0 ||
                literal_val(cc, pr->items[1], VT_NULL, 0, &g->map.out[i]) < 0)
                return -1;
            if (i && g->map.thr[i] > g->map.thr[i - 1]) {
                diag_node(cc->d, pr->items[0], "ranges must be listed highest first");
                return -1;
            }
        }
    } else {
        if (!yn_is_map(values) || values->n == 0) {
            diag_node(cc->d, values, "values must be a mapping of value: result");
            return -1;
        }
        n = values->n;
        g->map.keys = xcalloc(n, sizeof(val));
        g->map.out = xcalloc(n, sizeof(val));
        for (size_t i = 0; i < n; i++)
            if (literal_val(cc, values->items[2 * i], VT_NULL, 0, &g->map.keys[i]) < 0 ||
                literal_val(cc, values->items[2 * i + 1], VT_NULL, 0, &g->map.out[i]) < 0)
                return -1;
    }
    g->map.n = n;
    const ynode *dn = yn_get(spec, "default");
    if (dn) {
        if (literal_val(cc, dn, VT_NULL, 0, &g->map.dflt) < 0) return -1;
        g->map.has_dflt = true;
    }
    /* Unify result types, default included. */
    val *all = xcalloc(n + 1, sizeof(val));
    memcpy(all, g->map.out, n * sizeof(val));
    all[n] = g->map.dflt;
    unify_vals(all, n + 1, &g->type, &g->scale);
    memcpy(g->map.out, all, n * sizeof(val));
    g->map.dflt = all[n];
    free(all);
    g->fn = fn_map;
    return 0;
}
