/* test_ydoc.c — YAML documents with positions (ydoc), typed scalar reads, key checks with
 * "did you mean", diagnostics (file:line:col, the quoted line, the caret), and what prof_load
 * reports for broken profiles (all problems listed, each at its position). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "seedload/profile.h"
#include "seedload/ydoc.h"

/* ---- helpers ---------------------------------------------------------------------------- */

typedef struct parsed {
    ydoc *doc;
    diag d;
    sl_err e;
    int rc;
} parsed;

static parsed *parse(const char *text)
{
    parsed *p = calloc(1, sizeof *p);
    diag_init(&p->d, "mem.yaml", NULL);
    p->rc = ydoc_parse("mem.yaml", text, strlen(text), &p->doc, &p->d, &p->e);
    return p;
}

static void parsed_free(parsed *p)
{
    ydoc_free(p->doc);
    diag_free(&p->d);
    free(p);
}

static const char *out_of(const diag *d)
{
    return d->out.p ? d->out.p : "";
}

#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (!strstr(h_, n_)) fail_msg("expected to find:\n%s\nin:\n%s", n_, h_);                   \
    } while (0)
#define assert_not_contains(hay, needle)                                                           \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (strstr(h_, n_)) fail_msg("did not expect:\n%s\nin:\n%s", n_, h_);                      \
    } while (0)

static char tmpdir[256];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/seedload-ydoc.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write text to tmpdir/p.yaml and load it as a profile. *msgs gets the diagnostics. */
static int load_profile(const char *text, profile **p, sl_err *e, const char **msgs)
{
    char path[300];
    snprintf(path, sizeof path, "%s/p.yaml", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    memset(e, 0, sizeof *e);
    int rc = prof_load(path, p, e);
    *msgs = *p ? out_of(&(*p)->diag) : "";
    return rc;
}

/* A minimal valid profile head; tests append tables and other keys. */
#define HEAD "name: t\nschema: {sqlite: s.sql}\n"

/* ---- the tree ------------------------------------------------------------------------------ */

static void test_tree_and_positions(void **state)
{
    (void)state;
    parsed *p = parse("# comment\n"
                      "name: edu\n"
                      "tables:\n"
                      "  students:\n"
                      "    rows: 100\n"
                      "    tags: [a, 'b', \"c\"]\n");
    assert_int_equal(p->rc, 0);
    const ynode *root = ydoc_root(p->doc);
    assert_true(yn_is_map(root));
    assert_int_equal(root->n, 2);
    const ynode *name = yn_get(root, "name");
    assert_true(yn_is_scalar(name));
    assert_string_equal(name->str, "edu");
    assert_int_equal(name->line, 2);
    assert_int_equal(name->col, 7);
    const ynode *k = yn_key(root, "tables");
    assert_int_equal(k->line, 3);
    assert_int_equal(k->col, 1);
    const ynode *st = yn_get(yn_get(root, "tables"), "students");
    assert_true(yn_is_map(st));
    assert_int_equal(st->line, 5);
    assert_int_equal(st->col, 5);
    const ynode *tags = yn_get(st, "tags");
    assert_true(yn_is_seq(tags));
    assert_int_equal(tags->n, 3);
    assert_false(tags->items[0]->quoted);
    assert_true(tags->items[1]->quoted);
    assert_true(tags->items[2]->quoted);
    assert_int_equal(tags->items[2]->col, 20);
    assert_null(yn_get(root, "missing"));
    assert_null(yn_get(name, "x")); /* not a map */
    assert_string_equal(
        ydoc_text(p->doc),
        "# comment\nname: edu\ntables:\n  students:\n    rows: 100\n    tags: [a, 'b', \"c\"]\n");
    parsed_free(p);
}

static void test_keys_keep_file_order(void **state)
{
    (void)state;
    parsed *p = parse("z: 1\na: 2\nm: 3\n");
    const ynode *r = ydoc_root(p->doc);
    assert_string_equal(r->items[0]->str, "z");
    assert_string_equal(r->items[2]->str, "a");
    assert_string_equal(r->items[4]->str, "m");
    parsed_free(p);
}

static void test_empty_document(void **state)
{
    (void)state;
    parsed *p = parse("");
    assert_int_equal(p->rc, 0);
    assert_null(ydoc_root(p->doc));
    parsed_free(p);
    p = parse("# only a comment\n");
    assert_int_equal(p->rc, 0);
    assert_null(ydoc_root(p->doc));
    parsed_free(p);
}

static void test_aliases(void **state)
{
    (void)state;
    parsed *p = parse("base: &b {gen: int, min: 1, max: 9}\nother: *b\n");
    assert_int_equal(p->rc, 0);
    const ynode *r = ydoc_root(p->doc);
    assert_ptr_equal(yn_get(r, "base"), yn_get(r, "other"));
    parsed_free(p);
    p = parse("a: *nope\n");
    assert_int_equal(p->rc, -1);
    assert_string_equal(out_of(&p->d), "mem.yaml:1:4: error: unknown alias '*nope'\n"
                                       "    a: *nope\n"
                                       "       ^\n");
    parsed_free(p);
}

static void test_syntax_error_position(void **state)
{
    (void)state;
    parsed *p = parse("a: 1\n  b: 2\n");
    assert_int_equal(p->rc, -1);
    assert_int_equal(p->e.code, SL_EXIT_USAGE);
    assert_string_equal(p->e.msg, "mem.yaml: invalid YAML");
    assert_string_equal(
        out_of(&p->d),
        "mem.yaml:2:4: error: YAML syntax error: mapping values are not allowed in this context\n"
        "      b: 2\n"
        "       ^\n");
    assert_null(p->doc);
    parsed_free(p);
}

static void test_syntax_error_unclosed_flow(void **state)
{
    (void)state;
    /* The error is found on line 2; it must still quote a line and put a caret under it. */
    parsed *p = parse("a: [1, 2\nb: 3\n");
    assert_int_equal(p->rc, -1);
    const char *o = out_of(&p->d);
    assert_contains(o, "mem.yaml:2:2: error: YAML syntax error: did not find expected ',' or ']'");
    assert_contains(o, "\n    b: 3\n     ^\n");
    parsed_free(p);
}

static void test_syntax_error_unterminated_quote(void **state)
{
    (void)state;
    /* An unterminated string is reported; the message should point at the line where the
     * string starts (the only line the user can fix), not past the end of the file. */
    parsed *p = parse("k: \"unterminated\n");
    assert_int_equal(p->rc, -1);
    const char *o = out_of(&p->d);
    assert_contains(o, "YAML syntax error");
    assert_contains(o, "    k: \"unterminated\n");
    parsed_free(p);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    parsed *p = parse("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n");
    assert_int_equal(p->rc, -1);
    assert_int_equal(p->d.errors, 2);
    const char *o = out_of(&p->d);
    assert_contains(
        o, "mem.yaml:4:3: error: duplicate key 'x' (first at line 3)\n      x: 2\n      ^\n");
    assert_contains(o,
                    "mem.yaml:5:1: error: duplicate key 'a' (first at line 1)\n    a: 3\n    ^\n");
    parsed_free(p);
}

static void test_two_documents(void **state)
{
    (void)state;
    parsed *p = parse("---\na: 1\n---\nb: 2\n");
    assert_int_equal(p->rc, -1);
    assert_contains(out_of(&p->d),
                    "mem.yaml:3:1: error: a profile holds one YAML document; found a second one");
    parsed_free(p);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    sbuf b = {0};
    for (int i = 0; i < 100; i++) sbuf_addc(&b, '[');
    for (int i = 0; i < 100; i++) sbuf_addc(&b, ']');
    parsed *p = parse(b.p);
    assert_int_equal(p->rc, -1);
    assert_contains(out_of(&p->d), "nesting deeper than 64 levels");
    parsed_free(p);
    sbuf_free(&b);
    /* 60 levels are fine */
    for (int i = 0; i < 60; i++) sbuf_addc(&b, '[');
    for (int i = 0; i < 60; i++) sbuf_addc(&b, ']');
    p = parse(b.p);
    assert_int_equal(p->rc, 0);
    parsed_free(p);
    sbuf_free(&b);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    diag d;
    diag_init(&d, "nope", NULL);
    sl_err e = {0};
    ydoc *doc = (ydoc *)1;
    assert_int_equal(ydoc_load("/nonexistent/dir/p.yaml", &doc, &d, &e), -1);
    assert_null(doc);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    assert_string_equal(e.msg, "/nonexistent/dir/p.yaml: cannot open: No such file or directory");
    assert_int_equal(d.errors, 0);
    diag_free(&d);
}

/* ---- typed reads ----------------------------------------------------------------------------- */

static void test_is_null(void **state)
{
    (void)state;
    parsed *p = parse("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: 'null'\ng: nil\nh: []\n");
    const ynode *r = ydoc_root(p->doc);
    assert_true(yn_is_null(yn_get(r, "a")));
    assert_true(yn_is_null(yn_get(r, "b")));
    assert_true(yn_is_null(yn_get(r, "c")));
    assert_true(yn_is_null(yn_get(r, "d")));
    assert_true(yn_is_null(yn_get(r, "e")));
    assert_false(yn_is_null(yn_get(r, "f")));
    assert_false(yn_is_null(yn_get(r, "g")));
    assert_false(yn_is_null(yn_get(r, "h")));
    assert_true(yn_is_null(NULL));
    parsed_free(p);
}

static void test_int(void **state)
{
    (void)state;
    parsed *p = parse("a: 42\nb: -7\nc: 1e6\nd: 100.0\ne: 1.5\nf: abc\ng: '42'\nh: {x: 1}\n"
                      "i: 99999999999999999999\nj: +3\n");
    const ynode *r = ydoc_root(p->doc);
    int64_t v = 0;
    assert_int_equal(yn_int(yn_get(r, "a"), &p->d, "a", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(yn_int(yn_get(r, "b"), &p->d, "b", &v), 0);
    assert_int_equal(v, -7);
    assert_int_equal(yn_int(yn_get(r, "c"), &p->d, "c", &v), 0);
    assert_int_equal(v, 1000000);
    assert_int_equal(yn_int(yn_get(r, "d"), &p->d, "d", &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(yn_int(yn_get(r, "j"), &p->d, "j", &v), 0);
    assert_int_equal(v, 3);
    assert_int_equal(p->d.errors, 0);
    assert_int_equal(yn_int(yn_get(r, "e"), &p->d, "rows", &v), -1);
    assert_int_equal(yn_int(yn_get(r, "f"), &p->d, "rows", &v), -1);
    assert_int_equal(yn_int(yn_get(r, "g"), &p->d, "rows", &v), -1);
    assert_int_equal(yn_int(yn_get(r, "h"), &p->d, "rows", &v), -1);
    assert_int_equal(yn_int(yn_get(r, "i"), &p->d, "rows", &v), -1);
    assert_int_equal(p->d.errors, 5);
    const char *o = out_of(&p->d);
    assert_contains(
        o, "mem.yaml:5:4: error: rows must be an integer, not '1.5'\n    e: 1.5\n       ^\n");
    assert_contains(o, "mem.yaml:6:4: error: rows must be an integer, not 'abc'\n");
    assert_contains(o, "mem.yaml:7:4: error: rows must be an integer, not '42'\n");
    assert_contains(o, "mem.yaml:8:4: error: rows must be an integer, not a mapping\n");
    assert_contains(o,
                    "mem.yaml:9:4: error: rows must be an integer, not '99999999999999999999'\n");
    parsed_free(p);
}

static void test_double(void **state)
{
    (void)state;
    parsed *p = parse("a: 2.5\nb: -1e-3\nc: 7\nd: inf\ne: nan\nf: .inf\ng: 1,5\nh: [1]\n");
    const ynode *r = ydoc_root(p->doc);
    double v = 0;
    assert_int_equal(yn_double(yn_get(r, "a"), &p->d, "x", &v), 0);
    assert_true(v == 2.5);
    assert_int_equal(yn_double(yn_get(r, "b"), &p->d, "x", &v), 0);
    assert_true(v == -1e-3);
    assert_int_equal(yn_double(yn_get(r, "c"), &p->d, "x", &v), 0);
    assert_true(v == 7);
    assert_int_equal(yn_double(yn_get(r, "d"), &p->d, "x", &v), -1);
    assert_int_equal(yn_double(yn_get(r, "e"), &p->d, "x", &v), -1);
    assert_int_equal(yn_double(yn_get(r, "f"), &p->d, "x", &v), -1);
    assert_int_equal(yn_double(yn_get(r, "g"), &p->d, "mean", &v), -1);
    assert_int_equal(yn_double(yn_get(r, "h"), &p->d, "mean", &v), -1);
    assert_contains(out_of(&p->d), "mem.yaml:7:4: error: mean must be a number, not '1,5'\n");
    assert_contains(out_of(&p->d), "mem.yaml:8:4: error: mean must be a number, not a list\n");
    parsed_free(p);
}

static void test_bool(void **state)
{
    (void)state;
    parsed *p = parse("a: true\nb: False\nc: yes\nd: off\ne: 1\nf: 'true'\ng: maybe\n");
    const ynode *r = ydoc_root(p->doc);
    bool v = false;
    assert_int_equal(yn_bool(yn_get(r, "a"), &p->d, "x", &v), 0);
    assert_true(v);
    assert_int_equal(yn_bool(yn_get(r, "b"), &p->d, "x", &v), 0);
    assert_false(v);
    assert_int_equal(yn_bool(yn_get(r, "c"), &p->d, "x", &v), 0);
    assert_true(v);
    assert_int_equal(yn_bool(yn_get(r, "d"), &p->d, "x", &v), 0);
    assert_false(v);
    assert_int_equal(yn_bool(yn_get(r, "e"), &p->d, "unique", &v), -1);
    assert_int_equal(yn_bool(yn_get(r, "f"), &p->d, "unique", &v), -1);
    assert_int_equal(yn_bool(yn_get(r, "g"), &p->d, "unique", &v), -1);
    assert_contains(out_of(&p->d),
                    "mem.yaml:7:4: error: unique must be true or false, not 'maybe'\n");
    parsed_free(p);
}

static void test_str_and_describe(void **state)
{
    (void)state;
    parsed *p = parse("a: hello\nb: {x: 1}\nc: [1]\n"
                      "d: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
    const ynode *r = ydoc_root(p->doc);
    const char *s = NULL;
    assert_int_equal(yn_str(yn_get(r, "a"), &p->d, "name", &s), 0);
    assert_string_equal(s, "hello");
    assert_int_equal(yn_str(yn_get(r, "b"), &p->d, "name", &s), -1);
    assert_int_equal(yn_str(yn_get(r, "c"), &p->d, "name", &s), -1);
    assert_contains(out_of(&p->d),
                    "mem.yaml:2:4: error: name must be a text value, not a mapping\n");
    assert_contains(out_of(&p->d), "mem.yaml:3:4: error: name must be a text value, not a list\n");
    char buf[64];
    assert_string_equal(yn_describe(yn_get(r, "d"), buf, sizeof buf),
                        "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
    assert_string_equal(yn_describe(NULL, buf, sizeof buf), "nothing");
    parsed_free(p);
}

static void test_check_keys(void **state)
{
    (void)state;
    /* (a key that is a list or a mapping is refused when the YAML is read: test_complex_keys) */
    parsed *p = parse("gen: normal\nmean: 1\nstdev: 2\nzzzzzz: 3\n");
    static const char *const allowed[] = {"gen", "mean", "stddev", "min", "max", NULL};
    assert_int_equal(yn_check_keys(ydoc_root(p->doc), allowed, &p->d, "generator 'normal'"), 2);
    const char *o = out_of(&p->d);
    assert_contains(
        o,
        "mem.yaml:3:1: error: unknown key 'stdev' in generator 'normal' (did you mean 'stddev'?)\n"
        "    stdev: 2\n"
        "    ^\n");
    assert_contains(o, "mem.yaml:4:1: error: unknown key 'zzzzzz' in generator 'normal'\n");
    assert_not_contains(o, "'zzzzzz' in generator 'normal' (did you mean");
    assert_int_equal(yn_check_keys(NULL, allowed, &p->d, "x"), 0);
    parsed_free(p);
}

/* ---- diagnostics ----------------------------------------------------------------------------- */

static void test_diag_format(void **state)
{
    (void)state;
    const char *text = "first line\n\tcol: \xc3\xa9t\xc3\xa9 value\nthird\r\nlast";
    diag d;
    diag_init(&d, "f.yaml", text);
    diag_error(&d, 0, 0, "no position %d", 1);
    diag_error(&d, 2, 12, "after UTF-8");
    diag_warn(&d, 3, 1, "windows line");
    diag_error(&d, 4, 5, "last line without newline");
    diag_error(&d, 99, 1, "beyond the end");
    assert_int_equal(d.errors, 4);
    assert_int_equal(d.warnings, 1);
    /* the caret counts characters, not bytes, and keeps the tab so it lines up */
    assert_string_equal(out_of(&d), "f.yaml: error: no position 1\n"
                                    "f.yaml:2:12: error: after UTF-8\n"
                                    "    \tcol: \xc3\xa9t\xc3\xa9 value\n"
                                    "    \t          ^\n"
                                    "f.yaml:3:1: warning: windows line\n"
                                    "    third\n"
                                    "    ^\n"
                                    "f.yaml:4:5: error: last line without newline\n"
                                    "    last\n"
                                    "        ^\n"
                                    "f.yaml:99:1: error: beyond the end\n");
    diag_free(&d);
}

static void test_diag_node(void **state)
{
    (void)state;
    diag d;
    diag_init(&d, "f.yaml", "abc: def\n");
    ynode n = {.kind = YN_SCALAR, .line = 1, .col = 6, .str = "def", .len = 3};
    diag_node(&d, &n, "bad '%s'", n.str);
    diag_node(&d, NULL, "no node");
    assert_string_equal(
        out_of(&d),
        "f.yaml:1:6: error: bad 'def'\n    abc: def\n         ^\nf.yaml: error: no node\n");
    assert_int_equal(d.errors, 2);
    diag_free(&d);
}

/* ---- profiles ------------------------------------------------------------------------------ */

static void test_profile_ok(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e;
    const char *o;
    int rc =
        load_profile("seedload: 1\nname: lib\ndescription: x\nseed: 99\n"
                     "schema: {sqlite: sql/s.sql, postgres: /abs/p.sql}\n"
                     "scenarios:\n  small: {scale: 1, description: tiny}\n  big: 10\n"
                     "tables:\n"
                     "  a: {rows: 10, columns: {id: {gen: seq}}}\n"
                     "  b: {rows: {per: a, min: 0, max: 3, probability: 0.5}, columns: {id: 1}}\n"
                     "  c: {rows: {count: 6, scale: false}, columns: {id: 1}}\n",
                     &p, &e, &o);
    if (rc) fail_msg("%s", o);
    assert_string_equal(p->name, "lib");
    assert_int_equal(p->seed, 99);
    char want[400];
    snprintf(want, sizeof want, "%s/sql/s.sql", tmpdir);
    assert_string_equal(p->sql_sqlite, want);
    assert_string_equal(p->sql_postgres, "/abs/p.sql");
    snprintf(want, sizeof want, "%s/dicts", tmpdir);
    assert_string_equal(p->dicts_dir, want);
    assert_int_equal(p->nscenarios, 2);
    assert_true(prof_scenario_find(p, "big")->scale == 10);
    assert_string_equal(p->default_scenario, "small");
    assert_int_equal(p->ntables, 3);
    assert_int_equal(p->tables[0].rows.kind, ROWS_SCALED);
    assert_int_equal(p->tables[1].rows.kind, ROWS_PER);
    assert_string_equal(p->tables[1].rows.per, "a");
    assert_int_equal(p->tables[1].rows.max, 3);
    assert_true(p->tables[1].rows.probability == 0.5);
    assert_int_equal(p->tables[2].rows.kind, ROWS_FIXED);
    assert_int_equal(prof_table_index(p, "c"), 2);
    assert_int_equal(prof_table_index(p, "zz"), -1);
    prof_free(p);
}

static void test_profile_missing_file(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e = {0};
    assert_int_equal(prof_load("/nonexistent/p.yaml", &p, &e), -1);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    assert_string_equal(e.msg, "/nonexistent/p.yaml: cannot open: No such file or directory");
    prof_free(p);
}

static void test_profile_empty(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e;
    const char *o;
    assert_int_equal(load_profile("", &p, &e, &o), -1);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    assert_contains(o, "p.yaml: error: the profile is empty: it needs at least `name:`, `schema:` "
                       "and `tables:`\n");
    prof_free(p);
    assert_int_equal(load_profile("- a\n- b\n", &p, &e, &o), -1);
    assert_contains(
        o,
        "p.yaml:1:1: error: a profile is a mapping (name:, schema:, scenarios:, tables:, ...)\n");
    prof_free(p);
}

static void test_profile_top_level(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e;
    const char *o;
    assert_int_equal(
        load_profile("seedload: 2\nname: my-app\nschema: {sqlite: s.sql}\nscenarois: {}\n"
                     "tables: {a: {rows: 1, columns: {id: 1}}}\n",
                     &p, &e, &o),
        -1);
    assert_contains(o, "p.yaml:1:11: error: this seedload reads profile format 1, not 2\n");
    assert_contains(o, "p.yaml:2:7: error: name 'my-app' must be letters, digits and '_'\n");
    assert_contains(
        o, "p.yaml:4:1: error: unknown key 'scenarois' in the profile (did you mean 'scenarios'?)\n"
           "    scenarois: {}\n    ^\n");
    assert_int_equal(p->diag.errors, 3);
    assert_string_equal(e.msg + strlen(e.msg) - 10, ": 3 errors");
    prof_free(p);

    assert_int_equal(load_profile("description: only\n", &p, &e, &o), -1);
    assert_contains(o, "error: the profile needs `name:`");
    assert_contains(o,
                    "error: the profile needs `schema:` naming its SQL files (sqlite:, postgres:)");
    assert_contains(o, "error: the profile needs `tables:`");
    prof_free(p);

    assert_int_equal(
        load_profile("name: t\nschema: s.sql\ntables: {a: {rows: 1, columns: {id: 1}}}\n", &p, &e,
                     &o),
        -1);
    assert_contains(o,
                    "p.yaml:2:9: error: schema must be a mapping {sqlite: FILE, postgres: FILE}\n");
    prof_free(p);

    assert_int_equal(
        load_profile(
            "name: t\nschema: {sqllite: s.sql}\ntables: {a: {rows: 1, columns: {id: 1}}}\n", &p, &e,
            &o),
        -1);
    assert_contains(o, "unknown key 'sqllite' in schema (did you mean 'sqlite'?)");
    assert_contains(
        o, "p.yaml:2:9: error: schema names no SQL file (give sqlite: and/or postgres:)\n");
    prof_free(p);
}

static void test_profile_seed(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e;
    const char *o;
    assert_int_equal(
        load_profile(HEAD "seed: abc\ntables: {a: {rows: 1, columns: {id: 1}}}\n", &p, &e, &o), -1);
    assert_contains(o, "p.yaml:3:7: error: seed must be an integer, not 'abc'\n");
    prof_free(p);
    /* docs/profile.md: "seed: default seed (non-negative integer)" */
    assert_int_equal(
        load_profile(HEAD "seed: -5\ntables: {a: {rows: 1, columns: {id: 1}}}\n", &p, &e, &o), -1);
    assert_contains(o, "p.yaml:3:7: error: ");
    prof_free(p);
}

static void test_profile_scenarios(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e;
    const char *o;
    assert_int_equal(load_profile(HEAD
                                  "scenarios:\n  small: {scale: 0}\n  big: {description: x}\n"
                                  "  huge: 2e9\n  odd: [1]\n  typo: {scale: 1, descripton: x}\n"
                                  "default_scenario: medium\n"
                                  "tables: {a: {rows: 1, columns: {id: 1}}}\n",
                                  &p, &e, &o),
                     -1);
    assert_contains(
        o, "p.yaml:4:3: error: scenario 'small' has scale 0; it must be above 0 and at most 1e9\n");
    assert_contains(o, "p.yaml:5:8: error: scenario 'big' needs `scale:`\n");
    assert_contains(
        o,
        "p.yaml:6:3: error: scenario 'huge' has scale 2e+09; it must be above 0 and at most 1e9\n");
    assert_contains(
        o, "p.yaml:7:8: error: scenario 'odd' must be a number or {scale:, description:}\n");
    assert_contains(o, "unknown key 'descripton' in a scenario (did you mean 'description'?)");
    assert_contains(o,
                    "p.yaml:9:19: error: default_scenario 'medium' is not one of the scenarios\n");
    prof_free(p);
}

static void test_profile_rows(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e;
    const char *o;
    assert_int_equal(
        load_profile(
            HEAD
            "tables:\n"
            "  neg: {rows: -5, columns: {id: 1}}\n"                                      /* 4 */
            "  absurd: {rows: 1e13, columns: {id: 1}}\n"                                 /* 5 */
            "  word: {rows: many, columns: {id: 1}}\n"                                   /* 6 */
            "  both: {rows: {per: neg, count: 2, min: 1}, columns: {id: 1}}\n"           /* 7 */
            "  half: {rows: {per: neg, min: 1}, columns: {id: 1}}\n"                     /* 8 */
            "  inv: {rows: {per: neg, min: 5, max: 2}, columns: {id: 1}}\n"              /* 9 */
            "  prob: {rows: {per: neg, count: 1, probability: 1.5}, columns: {id: 1}}\n" /* 10 */
            "  sc: {rows: {per: neg, count: 1, scale: false}, columns: {id: 1}}\n"       /* 11 */
            "  minonly: {rows: {count: 3, min: 1}, columns: {id: 1}}\n"                  /* 12 */
            "  norows: {columns: {id: 1}}\n"                                             /* 13 */
            "  orphan: {rows: {per: studnets, count: 1}, columns: {id: 1}}\n"            /* 14 */
            "  negc: {rows: {per: neg, count: -1}, columns: {id: 1}}\n"                  /* 15 */
            "  many: {rows: {per: neg, count: 2000000000}, columns: {id: 1}}\n"          /* 16 */
            "  typo: {rows: {cuont: 1}, columns: {id: 1}}\n",                            /* 17 */
            &p, &e, &o),
        -1);
    assert_contains(o, "p.yaml:4:15: error: rows must not be negative (got -5)\n");
    assert_contains(o, "p.yaml:5:18: error: rows = 1e+13 is absurd (the limit is 1e+12)\n");
    assert_contains(o, "p.yaml:6:16: error: rows must be a number, not 'many'\n");
    assert_contains(o, "p.yaml:7:34: error: give either `count` or `min`/`max`, not both\n");
    assert_contains(
        o, "p.yaml:8:16: error: rows per parent need `count:` or both `min:` and `max:`\n");
    assert_contains(o, "p.yaml:9:39: error: rows.max (2) is below rows.min (5)\n");
    assert_contains(o, "p.yaml:10:50: error: rows.probability must be between 0 and 1\n");
    assert_contains(o, "p.yaml:11:35: error: `scale` does not apply to rows per parent\n");
    assert_contains(o, "p.yaml:12:30: error: `min` only applies to rows per parent (`per:`)\n");
    assert_contains(o, "p.yaml:13:3: error: table 'norows' needs `rows:`");
    assert_contains(o, "p.yaml:14:24: error: rows per 'studnets': no such table\n");
    assert_contains(o, "p.yaml:15:34: error: children per parent must not be negative\n");
    assert_contains(o, "p.yaml:16:34: error: 2000000000 children per parent is absurd\n");
    assert_contains(o, "p.yaml:17:17: error: unknown key 'cuont' in rows");
    assert_contains(
        o, "p.yaml:17:16: error: rows need `count:` (or `per:` for children per parent)\n");
    assert_int_equal(p->diag.errors, 15);
    prof_free(p);
}

static void test_profile_tables_and_columns(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e;
    const char *o;
    assert_int_equal(
        load_profile(HEAD "tables:\n"
                          "  1bad: {rows: 1, columns: {id: 1}}\n"                        /* 4 */
                          "  a: {rows: 1, colums: {id: 1}}\n"                            /* 5 */
                          "  b: {rows: 1, columns: {}}\n"                                /* 6 */
                          "  c: {rows: 1, columns: {x.y: 1, ok: 2}}\n"                   /* 7 */
                          "  d: 5\n"                                                     /* 8 */
                          "  e: {rows: 1, columns: {id: 1}, edge_cases: 3}\n"            /* 9 */
                          "  f: {rows: 1, columns: {id: 1}, edge_cases: [1, {id: 2}]}\n" /* 10 */
                          "  g: {rows: 1, columns: {id: 1}, edge_cases: {auto: maybe, rows: 1, "
                          "excluded: []}}\n", /* 11 */
                     &p, &e, &o),
        -1);
    assert_contains(o, "p.yaml:4:3: error: table name '1bad' must be letters, digits, '_' (and '.' "
                       "for a schema)\n");
    assert_contains(
        o, "p.yaml:5:16: error: unknown key 'colums' in a table (did you mean 'columns'?)\n");
    assert_contains(o, "p.yaml:5:3: error: table 'a' needs `columns:`\n");
    assert_contains(o, "p.yaml:6:25: error: columns of 'b' must be a non-empty mapping of column "
                       "name to generator\n");
    assert_contains(o, "p.yaml:7:26: error: column name 'x.y' must be letters, digits and '_'\n");
    assert_contains(o, "p.yaml:8:6: error: table 'd' must be a mapping with rows and columns\n");
    assert_contains(o, "p.yaml:9:46: error: edge_cases must be a list of rows or a mapping {auto:, "
                       "rows:, exclude:}\n");
    assert_contains(o, "p.yaml:10:47: error: an edge-case row is a mapping of column: value\n");
    assert_contains(o, "error: edge_cases.auto must be true or false, not 'maybe'");
    assert_contains(o, "error: edge_cases.rows must be a list of rows");
    assert_contains(o, "unknown key 'excluded' in edge_cases (did you mean 'exclude'?)");
    /* every problem is listed, none is lost */
    assert_int_equal(p->diag.errors, 11);
    prof_free(p);
}

static void test_profile_schema_names(void **state)
{
    (void)state;
    profile *p = NULL;
    sl_err e;
    const char *o;
    assert_int_equal(
        load_profile(HEAD "tables:\n  auth.users: {rows: 1, columns: {id: 1}}\n", &p, &e, &o), 0);
    assert_string_equal(p->tables[0].name, "auth.users");
    prof_free(p);
}

static void test_complex_keys(void **state)
{
    (void)state;
    parsed *p = parse("a: 1\n? [x, y]\n: 2\n? {k: v}\n: 3\n");
    assert_int_equal(p->rc, -1);
    assert_contains(out_of(&p->d), "mem.yaml:2:3: error: a key must be a plain name, not a list\n");
    assert_contains(out_of(&p->d),
                    "mem.yaml:4:3: error: a key must be a plain name, not a mapping\n");
    parsed_free(p);
}

static void test_alias_containing_itself(void **state)
{
    (void)state;
    parsed *p = parse("x: &loop {a: *loop}\n");
    assert_int_equal(p->rc, -1);
    assert_contains(out_of(&p->d),
                    "mem.yaml:1:14: error: alias '*loop' refers to a node that contains it\n");
    parsed_free(p);
    p = parse("t: &y {a: [*y]}\n");
    assert_int_equal(p->rc, -1);
    assert_contains(out_of(&p->d), "refers to a node that contains it");
    parsed_free(p);
}

static void test_alias_expansion_bound(void **state)
{
    (void)state;
    /* Each level doubles ten times: 10^7 nodes once every alias is followed. */
    sbuf b = {0};
    sbuf_adds(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 8; i++) {
        sbuf_printf(&b, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++) sbuf_printf(&b, "%s*a%d", k ? ", " : "", i - 1);
        sbuf_adds(&b, "]\n");
    }
    parsed *p = parse(b.p);
    assert_int_equal(p->rc, -1);
    assert_contains(out_of(&p->d), "aliases expand this document to more than a million nodes");
    parsed_free(p);
    sbuf_free(&b);
    /* A few aliases are fine. */
    p = parse("a: &a {k: 1}\nb: *a\nc: *a\n");
    assert_int_equal(p->rc, 0);
    parsed_free(p);
}

static void test_merge_keys(void **state)
{
    (void)state;
    parsed *p =
        parse("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nboth:\n  <<: [*b, {z: 4}]\n");
    assert_int_equal(p->rc, 0);
    const ynode *o = yn_get(ydoc_root(p->doc), "other");
    assert_int_equal(o->n, 2);
    assert_string_equal(yn_get(o, "x")->str, "1");
    assert_string_equal(yn_get(o, "y")->str, "3"); /* the mapping's own value wins */
    assert_null(yn_get(o, "<<"));
    const ynode *bo = yn_get(ydoc_root(p->doc), "both");
    assert_string_equal(yn_get(bo, "z")->str, "4");
    assert_string_equal(yn_get(bo, "x")->str, "1");
    parsed_free(p);
}

static void test_suggest_transpositions(void **state)
{
    (void)state;
    static const char *const c[] = {"email", "count", "title", NULL};
    assert_string_equal(sl_suggest("emial", c, 3), "email");
    assert_string_equal(sl_suggest("cuont", c, 3), "count");
    assert_string_equal(sl_suggest("titel", c, 3), "title");
    assert_null(sl_suggest("zzzzz", c, 3));
    assert_int_equal(sl_levenshtein("ab", "ba"), 1);
}

static void test_syntax_error_names_the_open_construct(void **state)
{
    (void)state;
    parsed *p = parse("a: 1\nb: {x: 1,\n  y: 2\nc: 3\n");
    assert_int_equal(p->rc, -1);
    assert_contains(out_of(&p->d), "(which started at line 2, column 4)");
    assert_contains(out_of(&p->d),
                    "mem.yaml:2:4: error: the construct that is not closed starts here");
    parsed_free(p);
    p = parse("a: 'unterminated\n");
    assert_int_equal(p->rc, -1);
    assert_contains(out_of(&p->d), "mem.yaml:1:");
    parsed_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_positions),
        cmocka_unit_test(test_keys_keep_file_order),
        cmocka_unit_test(test_empty_document),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_syntax_error_position),
        cmocka_unit_test(test_syntax_error_unclosed_flow),
        cmocka_unit_test(test_syntax_error_unterminated_quote),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_two_documents),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_is_null),
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_double),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_str_and_describe),
        cmocka_unit_test(test_check_keys),
        cmocka_unit_test(test_complex_keys),
        cmocka_unit_test(test_alias_containing_itself),
        cmocka_unit_test(test_alias_expansion_bound),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_suggest_transpositions),
        cmocka_unit_test(test_syntax_error_names_the_open_construct),
        cmocka_unit_test(test_diag_format),
        cmocka_unit_test(test_diag_node),
        cmocka_unit_test(test_profile_ok),
        cmocka_unit_test(test_profile_missing_file),
        cmocka_unit_test(test_profile_empty),
        cmocka_unit_test(test_profile_top_level),
        cmocka_unit_test(test_profile_seed),
        cmocka_unit_test(test_profile_scenarios),
        cmocka_unit_test(test_profile_rows),
        cmocka_unit_test(test_profile_tables_and_columns),
        cmocka_unit_test(test_profile_schema_names),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
