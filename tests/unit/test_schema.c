/* test_schema.c — the DDL statement splitter (comments, quotes, PostgreSQL dollar quotes and
 * E'' strings, SQLite trigger bodies, the post-load marker and CREATE INDEX deferral, PRAGMAs,
 * unterminated quotes and comments with their line) and the schema read back from SQLite
 * (columns, NOT NULL, defaults, primary and unique keys, declared lengths). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "seedload/schema.h"

static sql_script *split(const char *text, sql_dialect d)
{
    sql_script *s = NULL;
    sl_err e = {0};
    if (sql_script_parse("t.sql", text, d, &s, &e) < 0) fail_msg("unexpected error: %s", e.msg);
    return s;
}

/* The error message of a script that must not split. */
static const char *split_error(const char *text, sql_dialect d)
{
    static sl_err e;
    memset(&e, 0, sizeof e);
    sql_script *s = (sql_script *)1;
    if (sql_script_parse("t.sql", text, d, &s, &e) == 0)
        fail_msg("expected an error for:\n%s", text);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    return e.msg;
}

static void test_basic_split(void **state)
{
    (void)state;
    sql_script *s = split("CREATE TABLE a (x INT);\n\n"
                          "CREATE TABLE b (\n  y INT\n)  ;  \n"
                          "INSERT INTO a VALUES (1)",
                          DIALECT_SQLITE);
    assert_int_equal(s->n, 3);
    assert_string_equal(s->st[0].sql, "CREATE TABLE a (x INT)");
    assert_int_equal(s->st[0].line, 1);
    assert_string_equal(s->st[1].sql, "CREATE TABLE b (\n  y INT\n)");
    assert_int_equal(s->st[1].line, 3);
    assert_string_equal(s->st[2].sql, "INSERT INTO a VALUES (1)"); /* no trailing ';' needed */
    assert_int_equal(s->st[2].line, 6);
    for (size_t i = 0; i < 3; i++) {
        assert_false(s->st[i].post_load);
        assert_false(s->st[i].is_pragma);
    }
    assert_string_equal(s->path, "t.sql");
    sql_script_free(s);
    s = split("", DIALECT_SQLITE);
    assert_int_equal(s->n, 0);
    sql_script_free(s);
    s = split("  -- only a comment\n ; ;\n", DIALECT_POSTGRES);
    assert_int_equal(s->n, 0);
    sql_script_free(s);
}

static void test_comments(void **state)
{
    (void)state;
    sql_script *s = split("-- a; comment\n"
                          "/* block; comment\n over lines */\n"
                          "CREATE TABLE a (x INT -- trailing; comment\n"
                          ", y INT /* inline; */);\n"
                          "SELECT 1;",
                          DIALECT_SQLITE);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->st[0].sql,
                        "CREATE TABLE a (x INT -- trailing; comment\n, y INT /* inline; */)");
    assert_int_equal(s->st[0].line, 4);
    assert_int_equal(s->st[1].line, 6);
    sql_script_free(s);
}

static void test_nested_comments(void **state)
{
    (void)state;
    /* PostgreSQL nests block comments; SQLite does not. */
    sql_script *s =
        split("/* outer /* inner; */ still; comment */ SELECT 1; SELECT 2;", DIALECT_POSTGRES);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->st[0].sql, "SELECT 1");
    sql_script_free(s);
    s = split("/* a /* b */ SELECT 1; SELECT 2;", DIALECT_SQLITE);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->st[0].sql, "SELECT 1");
    sql_script_free(s);
}

static void test_quotes(void **state)
{
    (void)state;
    sql_script *s = split("INSERT INTO t VALUES ('a;b', 'it''s; ok');\n"
                          "CREATE TABLE \"we;ird\"\"name\" (`x;y` INT, [z;w] INT);\n"
                          "SELECT '--not a comment;', '/*nor this;*/';\n",
                          DIALECT_SQLITE);
    assert_int_equal(s->n, 3);
    assert_string_equal(s->st[0].sql, "INSERT INTO t VALUES ('a;b', 'it''s; ok')");
    assert_string_equal(s->st[1].sql, "CREATE TABLE \"we;ird\"\"name\" (`x;y` INT, [z;w] INT)");
    assert_string_equal(s->st[2].sql, "SELECT '--not a comment;', '/*nor this;*/'");
    sql_script_free(s);
}

static void test_multiline_string_lines(void **state)
{
    (void)state;
    sql_script *s =
        split("SELECT 'line1\nline2\nline3';\n/* x\ny */\nSELECT 2;\n", DIALECT_POSTGRES);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->st[0].line, 1);
    assert_int_equal(s->st[1].line, 6);
    sql_script_free(s);
}

static void test_dollar_quotes(void **state)
{
    (void)state;
    const char *fn = "CREATE FUNCTION f() RETURNS trigger AS $$\n"
                     "BEGIN\n  NEW.x := 1; RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n"
                     "CREATE FUNCTION g(a int) RETURNS int AS $body$\n"
                     "  SELECT $1 + 1; -- $$ inside is text\n"
                     "$body$ LANGUAGE sql;\n"
                     "CREATE FUNCTION h() RETURNS text AS $outer$\n"
                     "  SELECT $inner$;$inner$;\n"
                     "$outer$ LANGUAGE sql;\n"
                     "SELECT 1;\n";
    sql_script *s = split(fn, DIALECT_POSTGRES);
    assert_int_equal(s->n, 4);
    assert_int_equal(s->st[0].line, 1);
    assert_int_equal(s->st[1].line, 6);
    assert_int_equal(s->st[2].line, 9);
    assert_int_equal(s->st[3].line, 12);
    assert_non_null(strstr(s->st[0].sql, "RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql"));
    assert_string_equal(s->st[3].sql, "SELECT 1");
    sql_script_free(s);
}

static void test_dollar_not_a_quote(void **state)
{
    (void)state;
    /* $1 parameters, and '$' inside identifiers, are not dollar quotes */
    sql_script *s = split("PREPARE p AS SELECT $1 + $2;\nCREATE TABLE a$b$ (x INT);\nSELECT 3;",
                          DIALECT_POSTGRES);
    assert_int_equal(s->n, 3);
    assert_string_equal(s->st[0].sql, "PREPARE p AS SELECT $1 + $2");
    assert_string_equal(s->st[1].sql, "CREATE TABLE a$b$ (x INT)");
    sql_script_free(s);
}

static void test_e_strings(void **state)
{
    (void)state;
    sql_script *s = split("SELECT E'it\\'s; here', e'\\\\';\nSELECT 2;", DIALECT_POSTGRES);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->st[0].sql, "SELECT E'it\\'s; here', e'\\\\'");
    sql_script_free(s);
    /* without E a backslash is an ordinary character */
    s = split("SELECT 'C:\\';\nSELECT 2;", DIALECT_POSTGRES);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->st[0].sql, "SELECT 'C:\\'");
    sql_script_free(s);
}

static void test_sqlite_trigger(void **state)
{
    (void)state;
    sql_script *s = split("CREATE TABLE a (x INT, y INT);\n"
                          "CREATE TRIGGER trg AFTER INSERT ON a\n"
                          "BEGIN\n"
                          "  UPDATE a SET y = 1 WHERE x = NEW.x;\n"
                          "  SELECT CASE WHEN NEW.x < 0 THEN RAISE(ABORT, 'no; negatives') END;\n"
                          "END;\n"
                          "CREATE TABLE b (z INT);\n",
                          DIALECT_SQLITE);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->st[1].line, 2);
    assert_non_null(strstr(s->st[1].sql, "WHERE x = NEW.x;\n  SELECT CASE"));
    assert_true(strcmp(s->st[1].sql + strlen(s->st[1].sql) - 3, "END") == 0);
    assert_int_equal(s->st[2].line, 7);
    sql_script_free(s);
}

static void test_post_load(void **state)
{
    (void)state;
    sql_script *s = split("CREATE TABLE a (x INT);\n"
                          "CREATE INDEX i1 ON a(x);\n"
                          "create   unique\n  index i2 ON a(x);\n"
                          "CREATE INDEX IF NOT EXISTS i3 ON a(x);\n"
                          "-- seedload:post-load\n"
                          "ALTER TABLE a ADD COLUMN y INT;\n"
                          "ALTER TABLE a ADD COLUMN z INT;\n"
                          "CREATE TABLE index_stats (x INT);\n"
                          "CREATE INDEXED_THING;\n"
                          "CREATE TABLE c (x INT -- seedload:post-load inside a statement\n);\n"
                          "  -- seedload:post-load   \n"
                          "/* another comment between */\n"
                          "UPDATE a SET x = 1;\n",
                          DIALECT_SQLITE);
    assert_int_equal(s->n, 10);
    static const bool want[] = {false, true, true, true, true, false, false, false, false, true};
    for (size_t i = 0; i < s->n; i++)
        if (s->st[i].post_load != want[i])
            fail_msg("statement %zu (%s): post_load is %d", i, s->st[i].sql, s->st[i].post_load);
    sql_script_free(s);
}

static void test_pragma(void **state)
{
    (void)state;
    sql_script *s =
        split("PRAGMA page_size = 4096;\npragma journal_mode=WAL;\nCREATE TABLE pragmas (x INT);\n"
              "PRAGMAS;\n",
              DIALECT_SQLITE);
    assert_int_equal(s->n, 4);
    assert_true(s->st[0].is_pragma);
    assert_true(s->st[1].is_pragma);
    assert_false(s->st[2].is_pragma);
    assert_false(s->st[3].is_pragma);
    sql_script_free(s);
}

static void test_unterminated(void **state)
{
    (void)state;
    assert_string_equal(split_error("SELECT 1;\nSELECT 'abc;\n\nmore", DIALECT_SQLITE),
                        "t.sql:2: unterminated ' quote");
    assert_string_equal(split_error("SELECT 1;\n\nCREATE TABLE \"x (a INT);", DIALECT_POSTGRES),
                        "t.sql:3: unterminated \" quote");
    assert_string_equal(split_error("SELECT [x;", DIALECT_SQLITE), "t.sql:1: unterminated [ quote");
    assert_string_equal(split_error("SELECT 1;\n/* never\nclosed", DIALECT_SQLITE),
                        "t.sql:2: unterminated /* comment");
    assert_string_equal(split_error("/* a /* b */ c", DIALECT_POSTGRES),
                        "t.sql:1: unterminated /* comment");
    assert_string_equal(
        split_error("SELECT 1;\nCREATE FUNCTION f() AS $fn$\nBEGIN\n", DIALECT_POSTGRES),
        "t.sql:2: unterminated $fn$ quote");
    assert_string_equal(split_error("SELECT $$ x", DIALECT_POSTGRES),
                        "t.sql:1: unterminated $$ quote");
    assert_string_equal(split_error("SELECT E'it\\'s", DIALECT_POSTGRES),
                        "t.sql:1: unterminated ' quote");
}

static void test_load_missing(void **state)
{
    (void)state;
    sql_script *s = (sql_script *)1;
    sl_err e = {0};
    assert_int_equal(sql_script_load("/nonexistent/x.sql", DIALECT_SQLITE, &s, &e), -1);
    assert_null(s);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    assert_string_equal(e.msg, "/nonexistent/x.sql: cannot open: No such file or directory");
}

/* The repository's own DDL files split into statements that SQLite accepts. */
static void test_repo_ddl(void **state)
{
    (void)state;
    sql_script *s = NULL;
    sl_err e = {0};
    assert_int_equal(sql_script_load("sql/edupulse/sqlite.sql", DIALECT_SQLITE, &s, &e), 0);
    size_t idx = 0;
    for (size_t i = 0; i < s->n; i++) idx += s->st[i].post_load;
    assert_int_equal(s->n, 8 + idx); /* eight tables, every other statement an index */
    assert_true(idx >= 20);
    schema *sch = NULL;
    assert_int_equal(schema_from_sqlite(s, &sch, &e), 0);
    assert_int_equal(sch->nt, 8);
    schema_free(sch);
    sql_script_free(s);
    assert_int_equal(sql_script_load("sql/edupulse/postgres.sql", DIALECT_POSTGRES, &s, &e), 0);
    assert_true(s->n > 8);
    sql_script_free(s);
}

static schema *schema_of(const char *ddl)
{
    sql_script *s = split(ddl, DIALECT_SQLITE);
    schema *sch = NULL;
    sl_err e = {0};
    if (schema_from_sqlite(s, &sch, &e) < 0) fail_msg("%s", e.msg);
    sql_script_free(s);
    return sch;
}

static void test_schema_columns(void **state)
{
    (void)state;
    schema *sch =
        schema_of("CREATE TABLE users (\n"
                  "  id INTEGER PRIMARY KEY,\n"
                  "  email VARCHAR(120) NOT NULL UNIQUE,\n"
                  "  code CHAR(3),\n"
                  "  nick character varying(20),\n"
                  "  price NUMERIC(10,2) NOT NULL DEFAULT 0,\n"
                  "  bio TEXT,\n"
                  "  a INT, b INT, c INT, d INT,\n"
                  "  UNIQUE (a, b)\n"
                  ");\n"
                  "CREATE UNIQUE INDEX ux_c ON users(c);\n"
                  "CREATE UNIQUE INDEX ux_d ON users(d) WHERE d > 0;\n"
                  "CREATE TABLE auth_sessions (token TEXT NOT NULL PRIMARY KEY, user_id INT);\n");
    assert_int_equal(sch->nt, 2);
    const sch_table *t = schema_table(sch, "USERS");
    assert_non_null(t);
    assert_string_equal(t->name, "users");
    assert_int_equal(t->ncols, 10);
    const sch_col *c = schema_col(t, "id");
    assert_true(c->pk && c->unique && !c->has_default);
    assert_string_equal(c->decl_type, "INTEGER");
    c = schema_col(t, "Email");
    assert_non_null(c);
    assert_true(c->notnull && c->unique && !c->pk);
    assert_int_equal(c->maxlen, 120);
    assert_int_equal(schema_col(t, "code")->maxlen, 3);
    assert_int_equal(schema_col(t, "nick")->maxlen, 20);
    c = schema_col(t, "price");
    assert_true(c->notnull && c->has_default);
    assert_int_equal(c->maxlen, 0);
    c = schema_col(t, "bio");
    assert_false(c->notnull || c->unique || c->has_default);
    assert_true(schema_col(t, "a")->unique); /* part of UNIQUE (a, b) */
    assert_true(schema_col(t, "b")->unique);
    assert_true(schema_col(t, "c")->unique);  /* unique index */
    assert_false(schema_col(t, "d")->unique); /* partial: not unique for every row */
    assert_null(schema_col(t, "nope"));
    /* a profile table auth.sessions is auth_sessions in SQLite */
    const sch_table *s2 = schema_table(sch, "auth.sessions");
    assert_non_null(s2);
    assert_true(schema_col(s2, "token")->pk && schema_col(s2, "token")->notnull);
    assert_null(schema_table(sch, "nope"));
    char buf[64];
    assert_string_equal(sqlite_table_name("a.b.c", buf, sizeof buf), "a_b_c");
    schema_free(sch);
}

static void test_schema_error(void **state)
{
    (void)state;
    sql_script *s = split("CREATE TABLE a (x INT);\n\nCREATE TABLE a (y INT);\n", DIALECT_SQLITE);
    schema *sch = (schema *)1;
    sl_err e = {0};
    assert_int_equal(schema_from_sqlite(s, &sch, &e), -1);
    assert_null(sch);
    assert_int_equal(e.code, SL_EXIT_USAGE);
    assert_string_equal(e.msg, "t.sql:3: table a already exists");
    sql_script_free(s);
    schema_free(NULL);
    sql_script_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_split),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_nested_comments),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_multiline_string_lines),
        cmocka_unit_test(test_dollar_quotes),
        cmocka_unit_test(test_dollar_not_a_quote),
        cmocka_unit_test(test_e_strings),
        cmocka_unit_test(test_sqlite_trigger),
        cmocka_unit_test(test_post_load),
        cmocka_unit_test(test_pragma),
        cmocka_unit_test(test_unterminated),
        cmocka_unit_test(test_load_missing),
        cmocka_unit_test(test_repo_ddl),
        cmocka_unit_test(test_schema_columns),
        cmocka_unit_test(test_schema_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
