/* gen_internal.h — the compiled generator tree shared by gen.c (numbers, dates, references,
 * evaluation), gen_text.c (patterns, dictionaries, text, JSON), expr.c (expressions) and
 * model.c (tables, counts, edge cases). Not a public interface. */
#ifndef SEEDLOAD_GEN_INTERNAL_H
#define SEEDLOAD_GEN_INTERNAL_H

#include "seedload/model.h"
#include "seedload/rng.h"

/* ---- a small arena for strings that live as long as the model or a row ---------------- */
typedef struct arena {
    struct ablk *head;
    struct ablk *cur;
} arena;
void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_reset(arena *a); /* keeps the blocks for reuse */
void arena_free(arena *a);

/* ---- dictionaries -------------------------------------------------------------------- */
typedef struct dict {
    char *name;
    const char **w;
    uint32_t *len;
    size_t n;
    char *text;
} dict;

struct dictset {
    char *dir;
    dict **d;
    size_t n;
};
dictset *dictset_new(const char *dir);
void dictset_free(dictset *ds);
/* Load (once) and return dictionary `name` from the profile's dicts directory; NULL with a
 * diagnostic at node n if it is missing or empty. */
const dict *dict_get(dictset *ds, const char *name, diag *d, const ynode *n);

/* ---- evaluation frames ----------------------------------------------------------------- */
typedef struct frame {
    const mtable *t;
    uint64_t row, prow, ord; /* row; parent row and ordinal (per-parent tables) */
    val *v;
    uint8_t *st;      /* per column: 0 pending, 1 computing, 2 done */
    uint64_t *refrow; /* per column: the row a reference chose */
} frame;

#define GEN_MAX_DEPTH 12
#define GEN_PCACHE    64 /* a power of two */

struct genctx {
    const model *m;
    frame fr[GEN_MAX_DEPTH];
    int depth;
    arena scratch; /* text of the current row; reset per gen_row */
    sbuf tmp;      /* builders for patterns, text and JSON */
    /* sequential walk through children: the last located row */
    const mtable *walk_t;
    uint64_t walk_row, walk_prow, walk_ord;
    int64_t elem; /* index of the JSON array element being rendered (-1 outside arrays) */
    /* The last parent value read per (table, column), direct-mapped: child rows come in
     * parent order, so a child table's rows re-read the same parent row many times. Values
     * are pure functions of (table, column, row); text lives in the row arena and is not
     * kept. */
    struct pcache {
        const mtable *t;
        int col;
        uint64_t row;
        val v;
    } pc[GEN_PCACHE];
};

struct gen;
typedef void (*gen_fn)(const struct gen *g, genctx *c, frame *f, uint64_t key, val *out);

/* Draw sub-numbers reserved by the column wrapper. */
#define SUB_NULL 0x7fff0001ULL

typedef struct fmt_part fmt_part;
typedef struct jnode jnode;
typedef struct expr expr;

typedef enum {
    DIST_UNIFORM,
    DIST_ZIPF,
    DIST_HOTSPOT,
} ref_dist;

typedef struct gen {
    gen_fn fn;
    void (*fin)(struct gen *g, const model *m); /* once row counts are known (may be NULL) */
    void (*free_fn)(struct gen *g);             /* kind-specific cleanup (may be NULL) */
    const char *kind;
    uint64_t key;
    double null_ratio;
    vtype type;
    int scale;
    bool unique;
    bool row_unique; /* a different value for every row index, also beyond the generated rows
                      * (seq, uuid, patterns with {n}/{row}/{perm}): what `fresh` needs */
    int col;         /* the column this generator fills, -1 when nested (JSON leaf, pattern part) */
    int tbl;         /* the table it belongs to (-1: an auxiliary table) */
    uint64_t fresh_base; /* `fresh`: the first target row it uses */
    expr *null_when;     /* NULL when this expression is true (any generator) */
    const ynode *node;
    /* same-row columns this generator reads (for cycle checks); parent columns read */
    int *deps;
    size_t ndeps;
    union {
        struct { /* int, decimal (scaled), date (days), timestamp (µs, stepped) */
            int64_t min, max, step;
            rng_perm perm;
            bool weekdays;
        } u;
        struct {
            int64_t start, step;
        } seq;
        struct { /* normal, lognormal, exponential */
            double a, b, lo, hi;
            bool has_lo, has_hi;
            int dist;
        } d;
        struct {
            rng_zipf z;
            int64_t min;
        } zipf;
        struct {
            val *vals;
            double *cum;
            size_t n;
            rng_perm perm;
        } choice;
        struct {
            double p;
        } b;
        struct {
            val v;
        } cst;
        struct {
            int64_t start, step;
            bool skip_weekends, by_row;
        } series;
        struct {
            fmt_part *parts;
            size_t n;
        } fmt;
        struct {
            const dict *d;
            rng_perm perm;
        } dict;
        struct { /* words, sentence, paragraph, text */
            const dict *d;
            int64_t min, max;
        } text;
        struct {
            jnode *root;
        } json;
        struct {
            int table, col;
            ref_dist dist;
            rng_zipf z;
            double hot, share;
            bool distinct, self;
            rng_perm perm; /* unique: one-to-one */
            expr *row;     /* the target row, computed (row: "...") */
        } ref;
        struct {
            int refcol, col; /* same-row reference column; column of the referenced table */
        } lookup;
        struct {
            int col;
            bool parent; /* read the parent row's column */
            double *thr; /* ranges: thresholds (descending) */
            val *out;
            val *keys; /* values: exact matches */
            size_t n;
            val dflt;
            bool has_dflt;
        } map;
        struct {
            expr *e;
        } expr;
    };
} gen;

/* Shared compile context. */
typedef struct gcomp {
    model *m;
    diag *d;
    const mtable *t;  /* the table being compiled */
    const char *path; /* "table.column[.json path]" for keys */
    int col;          /* column index being compiled, -1 inside nested */
    uint8_t *tdeps;   /* per model table: 1 when the table being compiled reads from it */
    uint64_t seed;    /* keys of the generators compiled: the dataset's seed, or a workload's
                       * parameter-stream seed */
} gcomp;

/* Compile one generator spec (a mapping with `gen:`, or a scalar constant). Returns NULL
 * after recording diagnostics. */
gen *gen_compile(gcomp *cc, const ynode *spec, const char *path);
gen *gen_new(gcomp *cc, const ynode *node, const char *path);
void gen_free(gen *g);
void gen_add_dep(gen *g, int col);
/* Evaluate generator g (with null ratio and pins handled by the caller). */
static inline void gen_eval(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    g->fn(g, c, f, key, out);
}

/* Column access from inside a generator: the value of column `col` of frame f (computing
 * it if needed), or of the parent row. */
const val *frame_col(genctx *c, frame *f, int col);
const val *frame_parent_col(genctx *c, frame *f, int col, val *tmp);
/* Evaluate column col of table t at row in a fresh frame; result copied to *out. */
void eval_at(genctx *c, const mtable *t, int col, uint64_t row, val *out);

/* Store text for the current row. */
static inline char *row_text(genctx *c, const char *s, size_t n)
{
    return arena_strndup(&c->scratch, s, n);
}

/* Column lookup by name in the table being compiled; "parent.x" resolves in the parent.
 * Returns the column index (parent: *is_parent = true), or -1 after a diagnostic. */
int gcomp_column(gcomp *cc, const ynode *at, const char *name, bool allow_parent, bool *is_parent);

/* Typed literal from a YAML scalar: inferred (int, decimal, bool, null, text) or, when want is
 * not VT_NULL, converted to that type. Text is copied into the model arena. */
int literal_val(gcomp *cc, const ynode *n, vtype want, int scale, val *out);
/* Unify the types of a list of literals (ints and decimals become decimals). */
void unify_vals(val *v, size_t n, vtype *type, int *scale);

/* Compile helpers for the kinds: a required key (NULL after a diagnostic), optional typed
 * keys (0 when absent, -1 after a diagnostic), a table by name, a column of another table
 * (its `column:` key; default the first). */
const ynode *gc_need(gcomp *cc, const ynode *spec, const char *key, const char *kind);
int gc_opt_double(gcomp *cc, const ynode *spec, const char *key, double *out);
int gc_opt_int(gcomp *cc, const ynode *spec, const char *key, int64_t *out);
int gc_opt_bool(gcomp *cc, const ynode *spec, const char *key, bool *out);
int gc_find_table(gcomp *cc, const ynode *at, const char *name);
int gc_table_column(gcomp *cc, const ynode *spec, int table);

/* gen_ref.c: references and derived kinds (0, or -1 after diagnostics) */
int compile_ref(gcomp *cc, gen *g, const ynode *spec);
int compile_fresh(gcomp *cc, gen *g, const ynode *spec);
int compile_children(gcomp *cc, gen *g, const ynode *spec);
int compile_parent(gcomp *cc, gen *g, const ynode *spec);
int compile_lookup(gcomp *cc, gen *g, const ynode *spec);
int compile_copy(gcomp *cc, gen *g, const ynode *spec);
int compile_map(gcomp *cc, gen *g, const ynode *spec);

/* gen_text.c */
gen *gen_compile_text(gcomp *cc, const char *kind, const ynode *spec, const char *path);
/* expr.c */
gen *gen_compile_expr(gcomp *cc, const ynode *spec, const char *path);
void expr_free(expr *e);
/* An expression embedded in another generator (ref row:, null_when:, array lengths): compiled
 * in the column's table, its same-row reads added to g's dependencies. NULL after a
 * diagnostic at n. Evaluates to NaN for NULL. */
expr *expr_compile(gcomp *cc, gen *g, const ynode *n, const char *src);
double expr_eval(const expr *e, const gen *g, genctx *c, frame *f, uint64_t key);
/* gen_text.c: free helpers for the text kinds */
void fmt_free(fmt_part *p, size_t n);
void jnode_free(jnode *j);

/* Serialise a YAML node as compact JSON (plain scalars typed as YAML would: numbers, true,
 * false, null; everything else a string). */
void yaml_to_json(const ynode *n, sbuf *b);
/* Append s as a JSON string literal (quotes and escapes). */
void json_quote(sbuf *b, const char *s, size_t n);

/* Capacity of a generator when unique (how many distinct values it can make); 0 when it
 * cannot be unique. Checked against the table's rows. */
uint64_t gen_unique_capacity(const gen *g, const model *m);

/* Boundary values for automatic edge cases (declared min/max, empty/longest/multi-byte text).
 * Returns how many were written (at most max). Text is in the model arena. */
size_t gen_boundaries(const gen *g, model *m, const sch_col *sc, val *out, size_t max);
size_t gen_text_boundaries(const gen *g, model *m, const sch_col *sc, val *out, size_t max);

#endif
