/* model.c — compiling a profile for one scenario: tables checked against the schema, column
 * generators, row counts (scaled, fixed, or children per parent through prefix sums),
 * edge-case rows (pinned and automatic), unique capacities, and the load order. */
#include "gen_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const children_key = "_children";

void model_free(model *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->nt; i++) {
        mtable *t = &m->t[i];
        for (size_t j = 0; j < t->ncols; j++) gen_free(t->cols[j].g);
        for (size_t j = 0; j < t->nedges; j++) {
            free(t->edges[j].v);
            free(t->edges[j].set);
            free(t->edges[j].children_by_table);
        }
        free(t->edges);
        free(t->cols);
        free(t->out);
        free(t->prefix);
        free(t->isolated);
    }
    free(m->t);
    free(m->order);
    dictset_free(m->dicts);
    if (m->arena) {
        arena_free(m->arena);
        free(m->arena);
    }
    free(m);
}

const mtable *model_table(const model *m, const char *name)
{
    for (size_t i = 0; i < m->nt; i++)
        if (strcmp(m->t[i].name, name) == 0) return &m->t[i];
    return NULL;
}

uint64_t model_total_rows(const model *m)
{
    uint64_t n = 0;
    for (size_t i = 0; i < m->nt; i++) n += m->t[i].nrows;
    return n;
}

/* ---- schema checks ------------------------------------------------------------------------ */

static void check_schema(model *m, diag *d)
{
    const schema *s = m->sch;
    for (size_t i = 0; i < m->nt; i++) {
        mtable *t = &m->t[i];
        t->sch = schema_table(s, t->name);
        if (!t->sch) {
            const char *names[256];
            size_t nn = 0;
            for (size_t j = 0; j < s->nt && nn < 256; j++) names[nn++] = s->t[j].name;
            char buf[256];
            const char *sg = sl_suggest(sqlite_table_name(t->name, buf, sizeof buf), names, nn);
            diag_node(d, t->src->key, "table '%s' is not created by %s%s%s%s", t->name,
                      m->p->sql_sqlite, sg ? " (did you mean '" : "", sg ? sg : "",
                      sg ? "'?)" : "");
            continue;
        }
        for (size_t j = 0; j < t->ncols; j++) {
            mcol *c = &t->cols[j];
            if (c->name[0] == '_') continue; /* helpers are never written */
            c->sch = schema_col(t->sch, c->name);
            if (c->sch) continue;
            const char *names[512];
            size_t nn = 0;
            for (size_t k = 0; k < t->sch->ncols && nn < 512; k++)
                names[nn++] = t->sch->cols[k].name;
            const char *sg = sl_suggest(c->name, names, nn);
            diag_node(d, c->src->key, "column '%s' is not in table '%s' of %s%s%s%s", c->name,
                      t->name, m->p->sql_sqlite, sg ? " (did you mean '" : "", sg ? sg : "",
                      sg ? "'?)" : "");
        }
        for (size_t k = 0; k < t->sch->ncols; k++) {
            const sch_col *sc = &t->sch->cols[k];
            bool filled = false;
            for (size_t j = 0; j < t->ncols && !filled; j++) filled = t->cols[j].sch == sc;
            bool rowid = sc->pk && strcasecmp(sc->decl_type, "integer") == 0;
            if (!filled && sc->notnull && !sc->has_default && !rowid)
                diag_node(d, t->src->key,
                          "table '%s': column '%s' is NOT NULL without a default in %s, so the "
                          "profile must fill it",
                          t->name, sc->name, m->p->sql_sqlite);
        }
    }
}

/* ---- same-row dependency cycles --------------------------------------------------------- */

static bool dep_cycle(const mtable *t, int col, uint8_t *mark, diag *d)
{
    if (mark[col] == 2) return false;
    if (mark[col] == 1) {
        diag_node(d, t->cols[col].src->key,
                  "column '%s' of '%s' depends on itself through other columns", t->cols[col].name,
                  t->name);
        return true;
    }
    mark[col] = 1;
    const gen *g = t->cols[col].g;
    for (size_t i = 0; g && i < g->ndeps; i++)
        if (dep_cycle(t, g->deps[i], mark, d)) return true;
    mark[col] = 2;
    return false;
}

/* Types of references and copies come from the column they read. Returns true when the
 * column's type changed. */
static bool resolve_col_type(model *m, const mtable *t, mcol *c)
{
    gen *g = c->g;
    if (!g) return false;
    const mcol *src = NULL;
    if (strcmp(g->kind, "ref") == 0 || strcmp(g->kind, "parent") == 0 ||
        strcmp(g->kind, "fresh") == 0)
        src = &m->t[g->ref.table].cols[g->ref.col];
    else if (strcmp(g->kind, "lookup") == 0) {
        const gen *rg = t->cols[g->lookup.refcol].g;
        if (rg) src = &m->t[rg->ref.table].cols[g->lookup.col];
    } else if (strcmp(g->kind, "copy") == 0)
        src = g->map.parent ? &m->t[t->parent].cols[g->map.col] : &t->cols[g->map.col];
    if (!src || (src->type == c->type && src->scale == c->scale)) return false;
    g->type = c->type = src->type;
    g->scale = c->scale = src->scale;
    return true;
}

static void resolve_types(model *m)
{
    for (int pass = 0; pass < 16; pass++) {
        bool changed = false;
        for (size_t i = 0; i < m->nt; i++)
            for (size_t j = 0; j < m->t[i].ncols; j++)
                changed |= resolve_col_type(m, &m->t[i], &m->t[i].cols[j]);
        if (!changed) break;
    }
}

/* ---- edge cases --------------------------------------------------------------------------- */

static edge_row *add_edge(mtable *t)
{
    t->edges = xrealloc(t->edges, (t->nedges + 1) * sizeof *t->edges);
    edge_row *e = &t->edges[t->nedges++];
    e->v = xcalloc(t->ncols ? t->ncols : 1, sizeof(val));
    e->set = xcalloc(t->ncols ? t->ncols : 1, 1);
    e->children = -1;
    e->children_by_table = NULL;
    return e;
}

static void parse_children(model *m, mtable *t, edge_row *e, const ynode *n, diag *d)
{
    if (yn_is_scalar(n)) {
        if (yn_int(n, d, children_key, &e->children) == 0 && e->children < 0)
            diag_node(d, n, "%s must not be negative", children_key);
        return;
    }
    if (!yn_is_map(n)) {
        diag_node(d, n, "%s is a count, or a mapping of child table: count", children_key);
        return;
    }
    e->children_by_table = xcalloc(m->nt, sizeof(int64_t));
    for (size_t i = 0; i < m->nt; i++) e->children_by_table[i] = -1;
    for (size_t i = 0; i < n->n; i++) {
        const ynode *k = n->items[2 * i];
        int ti = -1;
        for (size_t j = 0; j < m->nt; j++)
            if (strcmp(m->t[j].name, k->str) == 0) ti = (int)j;
        if (ti < 0 || m->t[ti].parent != t->idx) {
            diag_node(d, k, "'%s' is not a table with rows per '%s'", k->str, t->name);
            continue;
        }
        int64_t v;
        if (yn_int(n->items[2 * i + 1], d, "children", &v) == 0) {
            if (v < 0) diag_node(d, n->items[2 * i + 1], "children must not be negative");
            e->children_by_table[ti] = v;
        }
    }
}

static void parse_edges(model *m, mtable *t, diag *d)
{
    const ynode *rows = t->src->edge_rows;
    gcomp cc = {.m = m, .d = d, .t = t, .col = -1, .seed = m->seed};
    for (size_t r = 0; rows && r < rows->n; r++) {
        const ynode *row = rows->items[r];
        if (!yn_is_map(row)) continue;
        edge_row *e = add_edge(t);
        for (size_t i = 0; i < row->n; i++) {
            const ynode *k = row->items[2 * i], *v = row->items[2 * i + 1];
            if (strcmp(k->str, children_key) == 0) {
                parse_children(m, t, e, v, d);
                continue;
            }
            bool par;
            int col = gcomp_column(&cc, k, k->str, false, &par);
            if (col < 0) continue;
            mcol *c = &t->cols[col];
            if (literal_val(&cc, v, c->type == VT_NULL ? VT_NULL : c->type, c->scale, &e->v[col]) ==
                0)
                e->set[col] = 1;
        }
    }
}

static bool excluded(const mtable *t, const char *col)
{
    const ynode *ex = t->src->edge_exclude;
    for (size_t i = 0; ex && i < ex->n; i++)
        if (yn_is_scalar(ex->items[i]) && strcmp(ex->items[i]->str, col) == 0) return true;
    return false;
}

/* Automatic boundary rows: row k pins every eligible column to its k-th boundary value. */
static void auto_edges(model *m, mtable *t)
{
    enum { MAXB = 8 };
    val *b = xcalloc(t->ncols * MAXB, sizeof(val));
    size_t *nb = xcalloc(t->ncols, sizeof(size_t));
    /* Columns that others derive from keep their min/max but are never pinned to NULL: a
     * NULL would flow into derived columns that may be NOT NULL. */
    uint8_t *used = xcalloc(t->ncols, 1);
    for (size_t j = 0; j < t->ncols; j++)
        for (size_t k = 0; t->cols[j].g && k < t->cols[j].g->ndeps; k++)
            used[t->cols[j].g->deps[k]] = 1;
    size_t rows = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        const mcol *c = &t->cols[j];
        if (!c->g || c->g->unique || (c->sch && (c->sch->unique || c->sch->fk)) ||
            excluded(t, c->name) || c->name[0] == '_') /* helpers only feed other columns */
            continue;
        nb[j] = gen_boundaries(c->g, m, c->sch, b + j * MAXB, MAXB - 1);
        bool nullable =
            !used[j] && (c->sch ? !c->sch->notnull && !c->sch->pk : c->g->null_ratio > 0);
        if (nb[j] && nullable) b[j * MAXB + nb[j]++].t = VT_NULL;
        if (nb[j] > rows) rows = nb[j];
    }
    for (size_t k = 0; k < rows; k++) {
        edge_row *e = add_edge(t);
        for (size_t j = 0; j < t->ncols; j++)
            if (k < nb[j]) {
                e->v[j] = b[j * MAXB + k];
                e->set[j] = 1;
            }
    }
    t->nauto = rows;
    free(b);
    free(nb);
    free(used);
}

/* ---- row counts --------------------------------------------------------------------------- */

static int64_t pinned_children(const mtable *parent, uint64_t prow, int child)
{
    if (prow >= parent->nedges) return -1;
    const edge_row *e = &parent->edges[prow];
    if (e->children_by_table && e->children_by_table[child] >= 0)
        return e->children_by_table[child];
    return e->children;
}

static int count_rows(model *m, mtable *t, diag *d)
{
    const prof_rows *r = &t->src->rows;
    if (r->kind == ROWS_PER && t->parent < 0) { /* its parent was reported missing */
        t->nrows = 0;
        return 0;
    }
    if (r->kind == ROWS_PER) {
        const mtable *p = &m->t[t->parent];
        /* Refuse absurd sizes before allocating one counter per parent. */
        if ((double)p->nrows * (double)(r->max > 0 ? r->max : 1) > 1e12 || (double)p->nrows > 4e9) {
            diag_node(d, r->node,
                      "table '%s' would have up to %.3g rows at this scale (%llu parents): absurd",
                      t->name, (double)p->nrows * (double)r->max, (unsigned long long)p->nrows);
            return -1;
        }
        t->prefix_len = p->nrows + 1;
        t->prefix = xmalloc(t->prefix_len * sizeof(uint64_t));
        uint64_t sum = 0;
        for (uint64_t j = 0; j < p->nrows; j++) {
            t->prefix[j] = sum;
            int64_t pin = pinned_children(p, j, t->idx);
            uint64_t n;
            if (pin >= 0)
                n = (uint64_t)pin;
            else if (r->probability < 1 && rng_unit(rng_at(t->per_key, j, 0)) >= r->probability)
                n = 0;
            else
                n = (uint64_t)rng_range(rng_at(t->per_key, j, 1), r->min, r->max);
            sum += n;
        }
        t->prefix[p->nrows] = sum;
        t->nrows = sum;
    } else {
        if (r->count < 0 || r->count > 1e12) { /* already reported by the profile's checks */
            t->nrows = 0;
            return 0;
        }
        double c = r->kind == ROWS_SCALED ? r->count * m->scale : r->count;
        double n = floor(c + 0.5);
        if (n > 1e12) {
            diag_node(d, r->node, "table '%s' would have %.3g rows at this scale: absurd", t->name,
                      n);
            return -1;
        }
        if (r->count > 0 && n < 1) n = 1;
        t->nrows = (uint64_t)n;
    }
    if ((double)t->nrows > 1e12) {
        diag_node(d, r->node, "table '%s' would have %llu rows at this scale: absurd", t->name,
                  (unsigned long long)t->nrows);
        return -1;
    }
    return 0;
}

static void finish_edges(model *m, mtable *t, diag *d)
{
    if (t->src->edge_auto) auto_edges(m, t);
    if (t->nedges > t->nrows) {
        if (t->nrows > 0 || t->nedges - t->nauto > 0)
            diag_warn(d, t->src->key->line, t->src->key->col,
                      "table '%s' has %zu edge-case rows but only %llu rows at this scale; the "
                      "extra edge cases are left out",
                      t->name, t->nedges, (unsigned long long)t->nrows);
        for (size_t j = (size_t)t->nrows; j < t->nedges; j++) {
            free(t->edges[j].v);
            free(t->edges[j].set);
            free(t->edges[j].children_by_table);
        }
        t->nedges = (size_t)t->nrows;
    }
    for (size_t j = 0; j < t->nedges; j++)
        if (t->edges[j].children == 0 && !t->edges[j].children_by_table) {
            t->isolated = xrealloc(t->isolated, (t->nisolated + 1) * sizeof(uint64_t));
            t->isolated[t->nisolated++] = j;
        }
}

/* ---- load order ------------------------------------------------------------------------- */

static int load_order(model *m, uint8_t *deps, diag *d)
{
    size_t n = m->nt;
    m->order = xcalloc(n ? n : 1, sizeof(int));
    uint8_t *done = xcalloc(n ? n : 1, 1);
    size_t k = 0;
    while (k < n) {
        bool progress = false;
        for (size_t i = 0; i < n; i++) {
            if (done[i]) continue;
            bool ready = true;
            for (size_t j = 0; j < n && ready; j++)
                if (deps[i * n + j] && !done[j] && j != i) ready = false;
            if (ready) {
                done[i] = 1;
                m->order[k++] = (int)i;
                progress = true;
            }
        }
        if (progress) continue;
        /* A cycle: break it at a reference whose column may be NULL (SQLite checks foreign keys
         * after the rows; PostgreSQL needs the foreign key in a post-load statement); without one
         * the data cannot be loaded. */
        bool broken = false;
        for (size_t i = 0; i < n && !broken; i++) {
            if (done[i]) continue;
            mtable *t = &m->t[i];
            for (size_t c = 0; c < t->ncols && !broken; c++) {
                const gen *g = t->cols[c].g;
                if (!g || strcmp(g->kind, "ref") != 0 || done[g->ref.table]) continue;
                bool nullable = t->cols[c].sch ? !t->cols[c].sch->notnull : g->null_ratio > 0;
                if (nullable) {
                    deps[i * n + (size_t)g->ref.table] = 0;
                    broken = true;
                }
            }
        }
        /* A schema foreign key with a nullable column (filled by any generator) breaks it too. */
        for (size_t i = 0; i < n && !broken; i++) {
            if (done[i] || !m->t[i].sch) continue;
            for (size_t j = 0; j < n && !broken; j++) {
                if (done[j] || !deps[i * n + j] || j == i) continue;
                bool nullable_fk = false;
                for (size_t c = 0; c < m->t[i].ncols; c++) {
                    const sch_col *sc = m->t[i].cols[c].sch;
                    if (sc && sc->fk && !sc->notnull) nullable_fk = true;
                }
                if (nullable_fk) {
                    deps[i * n + j] = 0;
                    broken = true;
                }
            }
        }
        if (broken) continue;
        sbuf names = {0};
        const ynode *at = NULL;
        for (size_t i = 0; i < n; i++)
            if (!done[i]) {
                if (names.len) sbuf_adds(&names, " -> ");
                sbuf_adds(&names, m->t[i].name);
                if (!at) at = m->t[i].src->key;
            }
        diag_node(d, at,
                  "foreign-key cycle without a nullable column: %s (make one of the "
                  "references nullable so the cycle can be loaded)",
                  names.p);
        sbuf_free(&names);
        free(done);
        return -1;
    }
    free(done);
    return 0;
}

/* ---- build -------------------------------------------------------------------------------- */

int model_build(const profile *p, const schema *sch, double scale, uint64_t seed, model **out,
                sl_err *e)
{
    diag *d = (diag *)&p->diag;
    int errs0 = d->errors;
    model *m = xcalloc(1, sizeof *m);
    *out = m;
    m->p = p;
    m->sch = sch;
    m->seed = seed;
    m->scale = scale;
    m->arena = xcalloc(1, sizeof(arena));
    m->dicts = dictset_new(p->dicts_dir);
    m->nt = p->ntables;
    m->t = xcalloc(m->nt ? m->nt : 1, sizeof *m->t);
    for (size_t i = 0; i < m->nt; i++) {
        mtable *t = &m->t[i];
        const prof_table *pt = &p->tables[i];
        t->idx = (int)i;
        t->name = pt->name;
        t->src = pt;
        t->parent = -1;
        t->ncols = pt->ncols;
        t->cols = xcalloc(t->ncols ? t->ncols : 1, sizeof *t->cols);
        t->out = xcalloc(t->ncols ? t->ncols : 1, sizeof(int));
        for (size_t j = 0; j < t->ncols; j++) {
            t->cols[j].name = pt->cols[j].name;
            t->cols[j].src = &pt->cols[j];
            if (pt->cols[j].name[0] != '_') t->out[t->nout++] = (int)j; /* _x: helper column */
        }
        if (t->ncols > m->max_cols) m->max_cols = t->ncols;
        char kp[300];
        snprintf(kp, sizeof kp, "rows:%s", t->name);
        t->per_key = rng_key(seed, kp);
        t->key = rng_key(seed, t->name);
        if (pt->rows.kind == ROWS_PER && pt->rows.per)
            t->parent = prof_table_index(p, pt->rows.per);
    }
    /* Per-parent chains must end: a table cannot be its own ancestor. */
    for (size_t i = 0; i < m->nt; i++) {
        int steps = 0;
        for (int a = m->t[i].parent; a >= 0 && steps <= (int)m->nt; a = m->t[a].parent) steps++;
        if (steps > (int)m->nt) {
            diag_node(d, m->t[i].src->rows.node,
                      "rows of '%s' are per a chain of parents that loops", m->t[i].name);
            m->t[i].parent = -1;
        }
    }
    if (sch) check_schema(m, d);

    size_t n = m->nt;
    uint8_t *deps = xcalloc(n ? n * n : 1, 1);
    for (size_t i = 0; i < n; i++) {
        mtable *t = &m->t[i];
        if (t->parent >= 0) deps[i * n + (size_t)t->parent] = 1;
        for (size_t j = 0; j < t->ncols; j++) {
            char path[512];
            snprintf(path, sizeof path, "%s.%s", t->name, t->cols[j].name);
            gcomp cc = {
                .m = m, .d = d, .t = t, .col = (int)j, .tdeps = deps + i * n, .seed = m->seed};
            gen *g = gen_compile(&cc, t->cols[j].src->spec, path);
            if (!g) continue;
            g->col = (int)j;
            t->cols[j].g = g;
            t->cols[j].type = g->type;
            t->cols[j].scale = g->scale;
        }
    }
    /* The schema's own foreign keys order the load too, whatever fills the column. */
    for (size_t i = 0; i < n; i++) {
        const sch_table *st = m->t[i].sch;
        for (size_t f = 0; st && f < st->nfk; f++)
            for (size_t j = 0; j < n; j++) {
                char buf[256];
                if (j != i && strcasecmp(sqlite_table_name(m->t[j].name, buf, sizeof buf),
                                         st->fk_tables[f]) == 0)
                    deps[i * n + j] = 1;
            }
    }
    if (d->errors == errs0) {
        for (size_t i = 0; i < n; i++) {
            uint8_t *mark = xcalloc(m->t[i].ncols ? m->t[i].ncols : 1, 1);
            for (size_t j = 0; j < m->t[i].ncols; j++)
                if (dep_cycle(&m->t[i], (int)j, mark, d)) break;
            free(mark);
        }
        resolve_types(m);
        for (size_t i = 0; i < n; i++) {
            mtable *t = &m->t[i];
            for (size_t j = 0; j < t->ncols; j++) {
                const gen *g = t->cols[j].g;
                if (g && strcmp(g->kind, "ref") == 0 && g->ref.self && t->cols[j].sch &&
                    t->cols[j].sch->notnull)
                    diag_node(d, t->cols[j].src->key,
                              "foreign-key cycle without a nullable column: '%s.%s' refers to its "
                              "own table but is NOT NULL, so the first row has nothing to refer to",
                              t->name, t->cols[j].name);
            }
        }
    }
    if (d->errors == errs0) {
        for (size_t i = 0; i < n; i++) parse_edges(m, &m->t[i], d);
        /* Counts in parent-first order. */
        uint8_t *counted = xcalloc(n ? n : 1, 1);
        for (size_t round = 0; round < n && d->errors == errs0; round++)
            for (size_t i = 0; i < n; i++) {
                mtable *t = &m->t[i];
                if (counted[i] || (t->parent >= 0 && !counted[t->parent])) continue;
                if (count_rows(m, t, d) == 0) finish_edges(m, t, d);
                counted[i] = 1;
            }
        free(counted);
    }
    if (d->errors == errs0) {
        for (size_t i = 0; i < n; i++) {
            mtable *t = &m->t[i];
            for (size_t j = 0; j < t->ncols; j++) {
                gen *g = t->cols[j].g;
                if (!g) continue;
                if (strcmp(g->kind, "ref") == 0) {
                    const mtable *tt = &m->t[g->ref.table];
                    if (tt->nrows == tt->nisolated && t->nrows > 0 && !g->ref.self &&
                        g->null_ratio < 1)
                        diag_node(d, t->cols[j].src->spec,
                                  "'%s.%s' refers to table '%s', which has no rows at this scale",
                                  t->name, t->cols[j].name, tt->name);
                    uint64_t most =
                        0; /* the largest number of children any parent has, pins included */
                    if (g->ref.distinct && t->parent >= 0)
                        for (uint64_t pr = 0; pr + 1 < t->prefix_len; pr++)
                            if (mtable_children(t, pr) > most) most = mtable_children(t, pr);
                    if (g->ref.distinct && t->src->rows.kind == ROWS_PER &&
                        most > tt->nrows - tt->nisolated)
                        diag_node(d, yn_get(t->cols[j].src->spec, "distinct"),
                                  "'%s.%s': up to %lld distinct references per parent, but '%s' "
                                  "has only %llu rows at this scale",
                                  t->name, t->cols[j].name, (long long)most, tt->name,
                                  (unsigned long long)(tt->nrows - tt->nisolated));
                }
                if (g->fin) g->fin(g, m);
                if (g->unique) {
                    uint64_t cap = gen_unique_capacity(g, m);
                    if (cap < t->nrows)
                        diag_node(d, yn_get(t->cols[j].src->spec, "unique"),
                                  "'%s.%s' is unique, but its generator can make only %llu "
                                  "distinct values and the table has %llu rows at this scale",
                                  t->name, t->cols[j].name, (unsigned long long)cap,
                                  (unsigned long long)t->nrows);
                }
            }
        }
    }
    if (d->errors == errs0) load_order(m, deps, d);
    free(deps);
    if (d->errors != errs0)
        return sl_fail(e, SL_EXIT_USAGE, "%s: %d error%s", p->path, d->errors - errs0,
                       d->errors - errs0 == 1 ? "" : "s");
    return 0;
}

/* ---- auxiliary tables (bench parameters) --------------------------------------------- */

int model_aux_table(model *m, mtable *t, const char *name, const ynode *cols, uint64_t seed,
                    diag *d)
{
    int errs0 = d->errors;
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    t->idx = -1;
    t->parent = -1;
    t->nrows = UINT64_MAX;
    size_t n = yn_is_map(cols) ? cols->n : 0;
    t->aux = xcalloc(n ? n : 1, sizeof(prof_column));
    t->cols = xcalloc(n ? n : 1, sizeof(mcol));
    t->out = xcalloc(n ? n : 1, sizeof(int));
    t->ncols = n;
    for (size_t j = 0; j < n; j++) {
        t->aux[j].key = cols->items[2 * j];
        t->aux[j].name = cols->items[2 * j]->str;
        t->aux[j].spec = cols->items[2 * j + 1];
        t->cols[j].name = t->aux[j].name;
        t->cols[j].src = &t->aux[j];
        t->out[t->nout++] = (int)j;
    }
    if (n > m->max_cols) m->max_cols = n;
    for (size_t j = 0; j < n; j++) {
        char path[512];
        snprintf(path, sizeof path, "%s.%s", name, t->cols[j].name);
        gcomp cc = {.m = m, .d = d, .t = t, .col = (int)j, .seed = seed};
        gen *g = gen_compile(&cc, t->cols[j].src->spec, path);
        if (!g) continue;
        g->col = (int)j;
        t->cols[j].g = g;
        t->cols[j].type = g->type;
        t->cols[j].scale = g->scale;
    }
    if (d->errors != errs0) return -1;
    uint8_t *mark = xcalloc(n ? n : 1, 1);
    for (size_t j = 0; j < n; j++)
        if (dep_cycle(t, (int)j, mark, d)) break;
    free(mark);
    for (int pass = 0; pass < 4; pass++)
        for (size_t j = 0; j < n; j++) resolve_col_type(m, t, &t->cols[j]);
    for (size_t j = 0; j < n; j++)
        if (t->cols[j].g && t->cols[j].g->fin) t->cols[j].g->fin(t->cols[j].g, m);
    return d->errors != errs0 ? -1 : 0;
}

void model_aux_free(mtable *t)
{
    for (size_t j = 0; j < t->ncols; j++) gen_free(t->cols[j].g);
    free(t->cols);
    free(t->out);
    free(t->aux);
    free((char *)t->name);
    memset(t, 0, sizeof *t);
}
