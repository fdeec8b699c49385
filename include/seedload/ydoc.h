/* ydoc.h — a YAML document as a tree of nodes that remember where they came from, and
 * diagnostics that point at them (file:line:col, the line, a caret).
 *
 * libyaml parses; this module keeps scalars, sequences and mappings (with keys in file
 * order), resolves aliases, rejects duplicate keys, and owns every node in one arena. */
#ifndef SEEDLOAD_YDOC_H
#define SEEDLOAD_YDOC_H

#include "seedload/util.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum { YN_SCALAR, YN_SEQ, YN_MAP } yn_kind;

typedef struct ynode {
    yn_kind kind;
    int line, col;   /* 1-based position of the node's first character */
    bool quoted;     /* scalar written in quotes: always a string */
    const char *str; /* scalar text (NUL-terminated) */
    size_t len;
    struct ynode **items; /* SEQ: n items; MAP: n pairs as items[2i] key, items[2i+1] value */
    size_t n;
} ynode;

/* Collected diagnostics for one file. Messages are formatted as
 *   path:line:col: message
 *     <source line>
 *     ^
 * and kept in `out` until printed. */
typedef struct diag {
    const char *path;
    const char *text; /* the file's text, for quoting lines (may be NULL) */
    sbuf out;
    int errors, warnings;
} diag;

void diag_init(diag *d, const char *path, const char *text);
void diag_free(diag *d);
/* Record an error at line/col (0 = no position). */
void diag_error(diag *d, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_warn(diag *d, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Error at a node's position (n may be NULL). */
void diag_node(diag *d, const ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

typedef struct ydoc ydoc;

/* Parse a YAML file. On a syntax error, returns -1 with the error in d (code SL_EXIT_USAGE
 * in e); a missing or unreadable file fills only e. The document owns all nodes. */
int ydoc_load(const char *path, ydoc **out, diag *d, sl_err *e);
/* Parse YAML from memory (name is used in messages). */
int ydoc_parse(const char *name, const char *text, size_t len, ydoc **out, diag *d, sl_err *e);
void ydoc_free(ydoc *doc);
const ynode *ydoc_root(const ydoc *doc);
const char *ydoc_text(const ydoc *doc);

/* Mapping lookup: the value for key (NULL if absent or m is not a map). */
const ynode *yn_get(const ynode *m, const char *key);
/* Mapping key node for key (for positions). */
const ynode *yn_key(const ynode *m, const char *key);
static inline bool yn_is_scalar(const ynode *n)
{
    return n && n->kind == YN_SCALAR;
}
static inline bool yn_is_map(const ynode *n)
{
    return n && n->kind == YN_MAP;
}
static inline bool yn_is_seq(const ynode *n)
{
    return n && n->kind == YN_SEQ;
}
/* A plain (unquoted) scalar that YAML 1.1/1.2 core would read as null: "", "~", "null". */
bool yn_is_null(const ynode *n);

/* Typed reads of a scalar. Each returns 0, or -1 after recording a diagnostic naming `what`. */
int yn_int(const ynode *n, diag *d, const char *what, int64_t *out);
int yn_double(const ynode *n, diag *d, const char *what, double *out);
int yn_bool(const ynode *n, diag *d, const char *what, bool *out);
int yn_str(const ynode *n, diag *d, const char *what, const char **out);

/* Check that every key of map m is one of `allowed` (NULL-terminated); unknown keys get an
 * error with a "did you mean" suggestion. Returns the number of unknown keys. `ctx` names
 * the thing being described ("column", "table", ...). */
int yn_check_keys(const ynode *m, const char *const *allowed, diag *d, const char *ctx);

/* A short description of a node's kind for messages: "a mapping", "a list", "'abc'". */
const char *yn_describe(const ynode *n, char *buf, size_t size);

#endif
