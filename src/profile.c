/* profile.c — reading a profile's structure: top-level keys, scenarios, tables, row counts
 * and edge-case lists. Every problem is reported with its position; checking goes on after
 * an error so that one run lists them all. Column generators are checked by gen.c. */
#include "seedload/profile.h"

#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const top_keys[] = {"seedload", "name",      "description", "schema",
                                       "seed",     "dicts",     "scenarios",   "default_scenario",
                                       "tables",   "workloads", "postgres",    NULL};
static const char *const table_keys[] = {"rows", "columns", "edge_cases", "description", NULL};
static const char *const rows_keys[] = {"count", "scale", "per", "min", "max", "probability", NULL};
static const char *const scenario_keys[] = {"scale", "description", NULL};
static const char *const schema_keys[] = {"sqlite", "postgres", NULL};
static const char *const edge_keys[] = {"auto", "rows", "exclude", NULL};

#define MAX_ROWS 1e12 /* more rows than any machine here will hold: an absurd count */

/* "profiles/../sql/x.sql" → "sql/x.sql" (purely textual: no symlinks are followed). */
static char *normalise(char *path)
{
    char *parts[256];
    int n = 0;
    bool abs = path[0] == '/';
    for (char *tok = strtok(path, "/"); tok && n < 256; tok = strtok(NULL, "/")) {
        if (strcmp(tok, ".") == 0) continue;
        if (strcmp(tok, "..") == 0 && n > 0 && strcmp(parts[n - 1], "..") != 0) {
            n--;
            continue;
        }
        parts[n++] = tok;
    }
    sbuf b = {0};
    if (abs) sbuf_addc(&b, '/');
    for (int i = 0; i < n; i++) sbuf_printf(&b, "%s%s", i ? "/" : "", parts[i]);
    if (!b.len) sbuf_addc(&b, '.');
    return sbuf_detach(&b);
}

char *prof_resolve(const profile *p, const char *rel)
{
    if (!rel) return NULL;
    sbuf b = {0};
    if (rel[0] == '/' || !p->dir[0])
        sbuf_adds(&b, rel);
    else
        sbuf_printf(&b, "%s/%s", p->dir, rel);
    char *raw = sbuf_detach(&b), *out = normalise(raw);
    free(raw);
    return out;
}

static bool valid_ident(const char *s)
{
    if (!*s) return false;
    for (const char *q = s; *q; q++) {
        unsigned char c = (unsigned char)*q;
        if (!(c == '_' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z')))
            return false;
    }
    return !(s[0] >= '0' && s[0] <= '9');
}

static void parse_rows(profile *p, prof_table *t, const ynode *n)
{
    diag *d = &p->diag;
    prof_rows *r = &t->rows;
    r->node = n;
    r->probability = 1;
    if (!n) {
        diag_node(d, t->key, "table '%s' needs `rows:` (a count, or {per: parent, min:, max:})",
                  t->name);
        return;
    }
    if (yn_is_scalar(n)) {
        double c;
        if (yn_double(n, d, "rows", &c) < 0) return;
        if (c < 0)
            diag_node(d, n, "rows must not be negative (got %g)", c);
        else if (c > MAX_ROWS)
            diag_node(d, n, "rows = %g is absurd (the limit is %g)", c, MAX_ROWS);
        r->kind = ROWS_SCALED;
        r->count = c;
        return;
    }
    if (!yn_is_map(n)) {
        diag_node(d, n, "rows must be a number or a mapping");
        return;
    }
    yn_check_keys(n, rows_keys, d, "rows");
    const ynode *per = yn_get(n, "per");
    if (per) {
        r->kind = ROWS_PER;
        if (yn_str(per, d, "rows.per", &r->per) < 0) return;
        const ynode *cnt = yn_get(n, "count"), *mn = yn_get(n, "min"), *mx = yn_get(n, "max");
        if (cnt) {
            if (mn || mx) diag_node(d, cnt, "give either `count` or `min`/`max`, not both");
            if (yn_int(cnt, d, "rows.count", &r->min) == 0) r->max = r->min;
        } else {
            if (!mn || !mx) {
                diag_node(d, n, "rows per parent need `count:` or both `min:` and `max:`");
                return;
            }
            if (yn_int(mn, d, "rows.min", &r->min) < 0 || yn_int(mx, d, "rows.max", &r->max) < 0)
                return;
        }
        if (r->min < 0) diag_node(d, cnt ? cnt : mn, "children per parent must not be negative");
        if (r->max < r->min)
            diag_node(d, mx, "rows.max (%lld) is below rows.min (%lld)", (long long)r->max,
                      (long long)r->min);
        if (r->max > 1000000000)
            diag_node(d, mx ? mx : cnt, "%lld children per parent is absurd", (long long)r->max);
        const ynode *pr = yn_get(n, "probability");
        if (pr && yn_double(pr, d, "rows.probability", &r->probability) == 0 &&
            (r->probability < 0 || r->probability > 1))
            diag_node(d, pr, "rows.probability must be between 0 and 1");
        if (yn_get(n, "scale"))
            diag_node(d, yn_key(n, "scale"), "`scale` does not apply to rows per parent");
        return;
    }
    const ynode *cnt = yn_get(n, "count");
    if (!cnt) {
        diag_node(d, n, "rows need `count:` (or `per:` for children per parent)");
        return;
    }
    double c;
    if (yn_double(cnt, d, "rows.count", &c) < 0) return;
    if (c < 0)
        diag_node(d, cnt, "rows must not be negative (got %g)", c);
    else if (c > MAX_ROWS)
        diag_node(d, cnt, "rows = %g is absurd (the limit is %g)", c, MAX_ROWS);
    r->count = c;
    bool scaled = true;
    const ynode *sc = yn_get(n, "scale");
    if (sc) yn_bool(sc, d, "rows.scale", &scaled);
    r->kind = scaled ? ROWS_SCALED : ROWS_FIXED;
    static const char *const per_only[] = {"min", "max", "probability"};
    for (size_t i = 0; i < 3; i++)
        if (yn_get(n, per_only[i]))
            diag_node(d, yn_key(n, per_only[i]), "`%s` only applies to rows per parent (`per:`)",
                      per_only[i]);
}

static void parse_table(profile *p, prof_table *t, const ynode *key, const ynode *body)
{
    diag *d = &p->diag;
    t->name = key->str;
    t->key = key;
    if (!valid_ident(t->name))
        diag_node(d, key, "table name '%s' must be letters, digits, '_' (and '.' for a schema)",
                  t->name);
    if (!yn_is_map(body)) {
        diag_node(d, body ? body : key, "table '%s' must be a mapping with rows and columns",
                  t->name);
        return;
    }
    yn_check_keys(body, table_keys, d, "a table");
    const ynode *desc = yn_get(body, "description");
    if (desc) yn_str(desc, d, "description", &t->description);
    parse_rows(p, t, yn_get(body, "rows"));
    const ynode *cols = yn_get(body, "columns");
    if (!cols) {
        diag_node(d, key, "table '%s' needs `columns:`", t->name);
    } else if (!yn_is_map(cols) || cols->n == 0) {
        diag_node(d, cols,
                  "columns of '%s' must be a non-empty mapping of column name to generator",
                  t->name);
    } else {
        t->cols = xcalloc(cols->n, sizeof *t->cols);
        for (size_t i = 0; i < cols->n; i++) {
            prof_column *c = &t->cols[t->ncols++];
            c->key = cols->items[2 * i];
            c->name = c->key->str;
            c->spec = cols->items[2 * i + 1];
            if (!valid_ident(c->name) || strchr(c->name, '.'))
                diag_node(d, c->key, "column name '%s' must be letters, digits and '_'", c->name);
        }
    }
    const ynode *edge = yn_get(body, "edge_cases");
    if (edge) {
        if (yn_is_seq(edge)) {
            t->edge_rows = edge;
        } else if (yn_is_map(edge)) {
            yn_check_keys(edge, edge_keys, d, "edge_cases");
            const ynode *a = yn_get(edge, "auto");
            if (a) yn_bool(a, d, "edge_cases.auto", &t->edge_auto);
            t->edge_rows = yn_get(edge, "rows");
            if (t->edge_rows && !yn_is_seq(t->edge_rows)) {
                diag_node(d, t->edge_rows, "edge_cases.rows must be a list of rows");
                t->edge_rows = NULL;
            }
            t->edge_exclude = yn_get(edge, "exclude");
            if (t->edge_exclude && !yn_is_seq(t->edge_exclude)) {
                diag_node(d, t->edge_exclude, "edge_cases.exclude must be a list of column names");
                t->edge_exclude = NULL;
            }
        } else {
            diag_node(d, edge,
                      "edge_cases must be a list of rows or a mapping {auto:, rows:, exclude:}");
        }
        if (t->edge_rows)
            for (size_t i = 0; i < t->edge_rows->n; i++)
                if (!yn_is_map(t->edge_rows->items[i]))
                    diag_node(d, t->edge_rows->items[i],
                              "an edge-case row is a mapping of column: value");
    }
}

static void parse_scenarios(profile *p, const ynode *n)
{
    diag *d = &p->diag;
    if (!n) return;
    if (!yn_is_map(n)) {
        diag_node(d, n, "scenarios must be a mapping of name to {scale: X}");
        return;
    }
    p->scenarios = xcalloc(n->n ? n->n : 1, sizeof *p->scenarios);
    for (size_t i = 0; i < n->n; i++) {
        const ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
        prof_scenario *s = &p->scenarios[p->nscenarios++];
        s->name = k->str;
        s->node = k;
        s->scale = 1;
        if (yn_is_scalar(v)) {
            yn_double(v, d, "scenario scale", &s->scale);
        } else if (yn_is_map(v)) {
            yn_check_keys(v, scenario_keys, d, "a scenario");
            const ynode *sc = yn_get(v, "scale");
            if (!sc)
                diag_node(d, v, "scenario '%s' needs `scale:`", s->name);
            else
                yn_double(sc, d, "scale", &s->scale);
            const ynode *ds = yn_get(v, "description");
            if (ds) yn_str(ds, d, "description", &s->description);
        } else {
            diag_node(d, v, "scenario '%s' must be a number or {scale:, description:}", s->name);
        }
        if (!(s->scale > 0) || s->scale > 1e9)
            diag_node(d, k, "scenario '%s' has scale %g; it must be above 0 and at most 1e9",
                      s->name, s->scale);
    }
}

static uint64_t hash_text(const char *t)
{
    return sl_hash64(t, strlen(t), 0x70f11e);
}

int prof_load(const char *path, profile **out, sl_err *e)
{
    *out = NULL;
    profile *p = xcalloc(1, sizeof *p);
    p->path = xstrdup(path);
    char *tmp = xstrdup(path);
    p->dir = xstrdup(dirname(tmp));
    free(tmp);
    if (strcmp(p->dir, ".") == 0) p->dir[0] = '\0';
    diag_init(&p->diag, p->path, NULL);
    *out = p;

    if (ydoc_load(path, &p->doc, &p->diag, e) < 0) return -1;
    diag *d = &p->diag;
    d->text = ydoc_text(p->doc);
    p->text_hash = hash_text(ydoc_text(p->doc));
    const ynode *root = ydoc_root(p->doc);
    if (!root) {
        diag_error(d, 0, 0,
                   "the profile is empty: it needs at least `name:`, `schema:` and `tables:`");
        return sl_fail(e, SL_EXIT_USAGE, "%s: empty profile", path);
    }
    if (!yn_is_map(root)) {
        diag_node(d, root, "a profile is a mapping (name:, schema:, scenarios:, tables:, ...)");
        return sl_fail(e, SL_EXIT_USAGE, "%s: not a profile", path);
    }
    yn_check_keys(root, top_keys, d, "the profile");

    const ynode *ver = yn_get(root, "seedload");
    int64_t v = 1;
    if (ver && yn_int(ver, d, "seedload (format version)", &v) == 0 && v != 1)
        diag_node(d, ver, "this seedload reads profile format 1, not %lld", (long long)v);
    const ynode *nm = yn_get(root, "name");
    if (!nm)
        diag_error(d, 1, 1, "the profile needs `name:`");
    else if (yn_str(nm, d, "name", &p->name) == 0 && !valid_ident(p->name))
        diag_node(d, nm, "name '%s' must be letters, digits and '_'", p->name);
    const ynode *ds = yn_get(root, "description");
    if (ds) yn_str(ds, d, "description", &p->description);
    const ynode *sd = yn_get(root, "seed");
    int64_t seed = 1;
    if (sd && yn_int(sd, d, "seed", &seed) == 0 && seed < 0)
        diag_node(d, sd, "seed must not be negative (got %lld)", (long long)seed);
    p->seed = (uint64_t)seed;

    const ynode *sch = yn_get(root, "schema");
    if (!sch) {
        diag_error(d, 1, 1,
                   "the profile needs `schema:` naming its SQL files (sqlite:, postgres:)");
    } else if (!yn_is_map(sch)) {
        diag_node(d, sch, "schema must be a mapping {sqlite: FILE, postgres: FILE}");
    } else {
        yn_check_keys(sch, schema_keys, d, "schema");
        const char *s;
        const ynode *n;
        if ((n = yn_get(sch, "sqlite")) && yn_str(n, d, "schema.sqlite", &s) == 0)
            p->sql_sqlite = prof_resolve(p, s);
        if ((n = yn_get(sch, "postgres")) && yn_str(n, d, "schema.postgres", &s) == 0)
            p->sql_postgres = prof_resolve(p, s);
        if (!p->sql_sqlite && !p->sql_postgres)
            diag_node(d, sch, "schema names no SQL file (give sqlite: and/or postgres:)");
    }
    const ynode *dn = yn_get(root, "dicts");
    const char *dicts = "dicts";
    if (dn) yn_str(dn, d, "dicts", &dicts);
    p->dicts_dir = prof_resolve(p, dicts);

    parse_scenarios(p, yn_get(root, "scenarios"));
    const ynode *defs = yn_get(root, "default_scenario");
    if (defs && yn_str(defs, d, "default_scenario", &p->default_scenario) == 0 &&
        !prof_scenario_find(p, p->default_scenario))
        diag_node(d, defs, "default_scenario '%s' is not one of the scenarios",
                  p->default_scenario);
    if (!p->default_scenario && prof_scenario_find(p, "small")) p->default_scenario = "small";

    const ynode *tables = yn_get(root, "tables");
    if (!tables) {
        diag_error(d, 1, 1, "the profile needs `tables:`");
    } else if (!yn_is_map(tables) || tables->n == 0) {
        diag_node(d, tables, "tables must be a non-empty mapping of table name to its description");
    } else {
        p->tables = xcalloc(tables->n, sizeof *p->tables);
        for (size_t i = 0; i < tables->n; i++)
            parse_table(p, &p->tables[p->ntables++], tables->items[2 * i],
                        tables->items[2 * i + 1]);
        for (size_t i = 0; i < p->ntables; i++) {
            prof_table *t = &p->tables[i];
            if (t->rows.kind == ROWS_PER && t->rows.per && prof_table_index(p, t->rows.per) < 0) {
                const char *names[256];
                size_t nn = 0;
                for (size_t j = 0; j < p->ntables && nn < 256; j++) names[nn++] = p->tables[j].name;
                const char *s = sl_suggest(t->rows.per, names, nn);
                diag_node(d, yn_get(t->rows.node, "per"), "rows per '%s': no such table%s%s%s",
                          t->rows.per, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            }
        }
    }
    p->workloads = yn_get(root, "workloads");
    p->postgres = yn_get(root, "postgres");
    if (d->errors)
        return sl_fail(e, SL_EXIT_USAGE, "%s: %d error%s", path, d->errors,
                       d->errors == 1 ? "" : "s");
    return 0;
}

void prof_free(profile *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->ntables; i++) free(p->tables[i].cols);
    free(p->tables);
    free(p->scenarios);
    free(p->sql_sqlite);
    free(p->sql_postgres);
    free(p->dicts_dir);
    ydoc_free(p->doc);
    diag_free(&p->diag);
    free(p->path);
    free(p->dir);
    free(p);
}

int prof_table_index(const profile *p, const char *name)
{
    for (size_t i = 0; i < p->ntables; i++)
        if (strcmp(p->tables[i].name, name) == 0) return (int)i;
    return -1;
}

const prof_table *prof_table_find(const profile *p, const char *name)
{
    int i = prof_table_index(p, name);
    return i < 0 ? NULL : &p->tables[i];
}

const prof_scenario *prof_scenario_find(const profile *p, const char *name)
{
    for (size_t i = 0; i < p->nscenarios; i++)
        if (strcmp(p->scenarios[i].name, name) == 0) return &p->scenarios[i];
    return NULL;
}
