/* profile.h — a YAML profile read into a model: the system's SQL files, scenarios, and for
 * every table its row count, columns and edge cases. Generator specs stay as YAML nodes
 * (with positions) until gen.c compiles them; workloads stay as nodes for workload.c.
 * docs/profile.md is the reference for every key. */
#ifndef SEEDLOAD_PROFILE_H
#define SEEDLOAD_PROFILE_H

#include "seedload/ydoc.h"
#include <stdint.h>

typedef struct prof_scenario {
    const char *name;
    const char *description;
    double scale;
    const ynode *node;
} prof_scenario;

typedef enum { ROWS_SCALED, ROWS_FIXED, ROWS_PER } prof_rows_kind;

typedef struct prof_rows {
    prof_rows_kind kind;
    double count;       /* SCALED: per unit of scale; FIXED: exact */
    const char *per;    /* PER: parent table */
    int64_t min, max;   /* PER: children of a parent that has any */
    double probability; /* PER: chance that a parent has any children (default 1) */
    const ynode *node;
} prof_rows;

typedef struct prof_column {
    const char *name;
    const ynode *key;  /* the column's key in the mapping (position) */
    const ynode *spec; /* generator spec: a mapping with `gen`, or a scalar constant */
} prof_column;

typedef struct prof_table {
    const char *name;
    const char *description;
    const ynode *key;
    prof_rows rows;
    prof_column *cols;
    size_t ncols;
    const ynode *edge_rows;    /* sequence of pinned rows (may be NULL) */
    bool edge_auto;            /* add boundary-value rows automatically */
    const ynode *edge_exclude; /* sequence of column names that auto mode leaves alone */
} prof_table;

typedef struct profile {
    char *path; /* as given */
    char *dir;  /* directory of the profile (paths resolve against it) */
    const char *name;
    const char *description;
    uint64_t seed;
    char *sql_sqlite; /* resolved paths, NULL if not given */
    char *sql_postgres;
    char *dicts_dir;
    prof_scenario *scenarios;
    size_t nscenarios;
    const char *default_scenario;
    prof_table *tables;
    size_t ntables;
    const ynode *workloads; /* NULL if none */
    const ynode *postgres;  /* PostgreSQL options mapping (NULL if none) */
    uint64_t text_hash;     /* hash of the profile's bytes, for "already identical" */
    ydoc *doc;
    diag diag; /* diagnostics for this file (positions into doc) */
} profile;

/* Load and validate the shape of a profile. All problems found are recorded in
 * p->diag (for a profile that parsed) and counted; returns -1 if there were any errors
 * (then *out may still be set so the caller can print p->diag; free it with prof_free).
 * A missing/unreadable file sets only e (SL_EXIT_USAGE). */
int prof_load(const char *path, profile **out, sl_err *e);
void prof_free(profile *p);

const prof_table *prof_table_find(const profile *p, const char *name);
int prof_table_index(const profile *p, const char *name);
const prof_scenario *prof_scenario_find(const profile *p, const char *name);

/* Resolve a path written in the profile against the profile's directory. Caller frees. */
char *prof_resolve(const profile *p, const char *rel);

#endif
