/* model.h — a profile compiled for one scenario: every table's row count, its columns'
 * generators, the parent/child mapping (prefix sums of children per parent), edge-case rows,
 * and the order in which tables load (parents before children).
 *
 * Rows are produced by a genctx, one per thread: gen_row(ctx, table, i) is a pure function
 * of (seed, table, column, i) — the determinism contract in docs/design.md. */
#ifndef SEEDLOAD_MODEL_H
#define SEEDLOAD_MODEL_H

#include "seedload/profile.h"
#include "seedload/schema.h"
#include "seedload/value.h"

typedef struct gen gen;
typedef struct dictset dictset;

typedef struct mcol {
    const char *name;
    const prof_column *src;
    const sch_col *sch; /* NULL when the schema does not describe it */
    gen *g;
    vtype type; /* output type (VT_NULL if it varies) */
    int scale;  /* VT_DEC digits */
} mcol;

typedef struct edge_row {
    val *v;                     /* per column: the pinned value */
    uint8_t *set;               /* per column: 1 when pinned */
    int64_t children;           /* _children for every child table, -1 if not pinned */
    int64_t *children_by_table; /* per table index, -1 if not pinned (NULL if none) */
} edge_row;

typedef struct mtable {
    const char *name;
    int idx;
    const prof_table *src;
    const sch_table *sch;
    mcol *cols;
    size_t ncols;
    int *out; /* the columns written to the target, in order (helpers named _x are not) */
    size_t nout;
    uint64_t nrows;
    /* children per parent */
    int parent;       /* table index, or -1 */
    uint64_t *prefix; /* parent's nrows + 1 entries: rows of this table before parent i */
    uint64_t prefix_len;
    uint64_t per_key;
    /* edge cases: rows 0 .. nedges-1 carry pinned values */
    edge_row *edges;
    size_t nedges, nauto;
    uint64_t *isolated; /* sorted rows with _children: 0, skipped by references */
    size_t nisolated;
    uint64_t key;     /* rng key of the table */
    prof_column *aux; /* auxiliary tables: the columns they own */
} mtable;

typedef struct model {
    const profile *p;
    const schema *sch;
    dictset *dicts;
    mtable *t;
    size_t nt;
    int *order; /* load order: indexes into t */
    uint64_t seed;
    double scale;
    const char *scenario;
    size_t max_cols;
    void *arena; /* constant strings owned by the model */
} model;

/* Compile profile p for a scenario at a scale (scale <= 0: the scenario's own) and seed.
 * sch may be NULL (no SQLite DDL to check against). Problems go to p->diag with positions;
 * returns -1 (e: SL_EXIT_USAGE) if there were any. */
int model_build(const profile *p, const schema *sch, double scale, uint64_t seed, model **out,
                sl_err *e);
void model_free(model *m);

/* An auxiliary table that is never loaded: bench parameters are its columns (a mapping of
 * name → generator spec, compiled like a table's columns, able to refer to the model's
 * tables), and execution k of a transaction is its row k. Its generators are keyed from
 * seed (the run's parameter-stream seed), not the dataset's. Diagnostics go to d. Free with
 * model_aux_free. */
int model_aux_table(model *m, mtable *t, const char *name, const ynode *cols, uint64_t seed,
                    diag *d);
void model_aux_free(mtable *t);

/* `fresh` generators: set the first target row index they use (beyond the loaded rows). */
void gen_set_fresh_base(gen *g, uint64_t base);
/* Is g a `fresh` generator? Its target table and column. */
bool gen_fresh_info(const gen *g, int *table, int *col);
/* Is g a reference to rows of its own table? */
bool gen_is_self_ref(const gen *g);
/* Is g a `seq` generator? Its start and step. */
bool gen_seq_info(const gen *g, int64_t *start, int64_t *step);
const mtable *model_table(const model *m, const char *name);
uint64_t model_total_rows(const model *m);

/* Children of parent row `prow` in table t (t->parent >= 0). */
static inline uint64_t mtable_children(const mtable *t, uint64_t prow)
{
    return t->prefix[prow + 1] - t->prefix[prow];
}

typedef struct genctx genctx;
genctx *genctx_new(const model *m);
void genctx_free(genctx *c);

/* Produce row `row` of table t: an array of t->ncols values, valid until the next call on c.
 * Rows may be asked for in any order; sequential rows are fastest. */
const val *gen_row(genctx *c, const mtable *t, uint64_t row);

/* The value of one column of row `row` of table t (e.g. a key for the bench runner), copied
 * into out; text points into c's scratch memory (valid until the next call). */
void gen_value(genctx *c, const mtable *t, size_t col, uint64_t row, val *out);

/* Parent row and ordinal of child row `row` (t->parent >= 0). */
void mtable_locate(const mtable *t, uint64_t row, uint64_t *parent_row, uint64_t *ordinal);

#endif
