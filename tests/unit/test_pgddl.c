/* test_pgddl.c — pgddl_rename_schemas, which rewrites a profile's PostgreSQL DDL so that it
 * builds the staging schemas (lumix -> lumix__seedload_new, auth -> auth__seedload_new):
 * qualifiers (plain and quoted), CREATE/ALTER/DROP SCHEMA [IF [NOT] EXISTS] NAME, GRANT ... ON
 * SCHEMA NAME, relation names inside the strings that name relations ('lumix.x'::regclass,
 * pg_get_serial_sequence('lumix.t', 'id')), and dollar-quoted routine bodies by the same rules
 * (pgddl.h: the swap re-creates routines from their original text, pgddl_is_routine and
 * pgddl_or_replace are tested too); and what must stay as it is: comments (nested ones too),
 * names that merely contain a schema name (lumixer.t, xauth.t, lumix_t), columns and tables
 * called like a schema, and string values that only look like qualified names (an action code
 * 'auth.login'). Each case compares the whole output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seedload/pgddl.h"

static const char *const FROM[] = {"lumix", "auth"};
static const char *const TO[] = {"lumix__seedload_new", "auth__seedload_new"};

/* The rename of sql must be exactly want. A mismatch is printed and counted, and the test goes
 * on with its other cases; END_CASES fails the test if any case failed. */
static int mismatches;
#define RENAMES(sql, want) check_rename(sql, want, __FILE__, __LINE__)
#define END_CASES()                                                                                \
    do {                                                                                           \
        int n_ = mismatches;                                                                       \
        mismatches = 0;                                                                            \
        if (n_) fail_msg("%d case(s) renamed wrongly (above)", n_);                                \
    } while (0)

static void check_rename(const char *sql, const char *want, const char *file, int line)
{
    char *got = pgddl_rename_schemas(sql, FROM, TO, 2);
    if (!got || strcmp(got, want) != 0) {
        /* '# ' lines: tests/run.sh shows them in its summary */
        print_error("# %s:%d: pgddl_rename_schemas\n#   input: %s\n#   want:  %s\n#   got:   %s\n",
                    file, line, sql, want, got ? got : "(null)");
        mismatches++;
    }
    free(got);
}

/* ---- what must be renamed ---------------------------------------------------------------- */

static void test_qualifiers(void **state)
{
    (void)state;
    RENAMES("CREATE TABLE lumix.students (id int)",
            "CREATE TABLE lumix__seedload_new.students (id int)");
    RENAMES("CREATE TABLE auth.users (id int);\nCREATE TABLE lumix.students (user_id int "
            "REFERENCES auth.users(id));",
            "CREATE TABLE auth__seedload_new.users (id int);\n"
            "CREATE TABLE lumix__seedload_new.students (user_id int REFERENCES "
            "auth__seedload_new.users(id));");
    /* several on one line, with and without spaces around them */
    RENAMES("SELECT lumix.a.x,auth.b.y FROM lumix.a JOIN auth.b ON (lumix.a.id=auth.b.id)",
            "SELECT lumix__seedload_new.a.x,auth__seedload_new.b.y FROM lumix__seedload_new.a JOIN "
            "auth__seedload_new.b ON (lumix__seedload_new.a.id=auth__seedload_new.b.id)");
    /* unquoted identifiers fold to lower case: LUMIX.t is lumix.t */
    RENAMES("CREATE INDEX i ON LUMIX.t(x)", "CREATE INDEX i ON lumix__seedload_new.t(x)");
    /* at the very start and the very end of the text */
    RENAMES("lumix.t", "lumix__seedload_new.t");
    RENAMES("x lumix.", "x lumix__seedload_new.");
    /* types, functions and sequences are qualified the same way */
    RENAMES("CREATE TYPE lumix.risk_level AS ENUM ('low', 'high')",
            "CREATE TYPE lumix__seedload_new.risk_level AS ENUM ('low', 'high')");
    RENAMES("ALTER TABLE lumix.s ADD COLUMN r lumix.risk_level DEFAULT 'low'::lumix.risk_level",
            "ALTER TABLE lumix__seedload_new.s ADD COLUMN r lumix__seedload_new.risk_level DEFAULT "
            "'low'::lumix__seedload_new.risk_level");
    RENAMES("CREATE TRIGGER t BEFORE INSERT ON lumix.s FOR EACH ROW EXECUTE FUNCTION lumix.f()",
            "CREATE TRIGGER t BEFORE INSERT ON lumix__seedload_new.s FOR EACH ROW EXECUTE FUNCTION "
            "lumix__seedload_new.f()");
    END_CASES();
}

static void test_quoted_qualifiers(void **state)
{
    (void)state;
    RENAMES("CREATE TABLE \"lumix\".students (id int)",
            "CREATE TABLE \"lumix__seedload_new\".students (id int)");
    RENAMES("CREATE TABLE \"lumix\".\"Students\" (id int)",
            "CREATE TABLE \"lumix__seedload_new\".\"Students\" (id int)");
    RENAMES("CREATE SCHEMA \"auth\"", "CREATE SCHEMA \"auth__seedload_new\"");
    /* a quoted identifier with a doubled quote is one name, not two */
    RENAMES("CREATE TABLE lumix.\"a\"\"b\" (\"lumix\"\"x\" int)",
            "CREATE TABLE lumix__seedload_new.\"a\"\"b\" (\"lumix\"\"x\" int)");
    /* a quoted name that is not a schema name stays, even when it contains one */
    RENAMES("CREATE TABLE \"lumix.t\" (id int)", "CREATE TABLE \"lumix.t\" (id int)");
    RENAMES("CREATE TABLE \"lumixer\".t (id int)", "CREATE TABLE \"lumixer\".t (id int)");
    END_CASES();
}

static void test_create_schema(void **state)
{
    (void)state;
    RENAMES("CREATE SCHEMA lumix;", "CREATE SCHEMA lumix__seedload_new;");
    RENAMES("CREATE SCHEMA IF NOT EXISTS auth;", "CREATE SCHEMA IF NOT EXISTS auth__seedload_new;");
    RENAMES("create schema if not exists auth authorization postgres;",
            "create schema if not exists auth__seedload_new authorization postgres;");
    RENAMES("CREATE SCHEMA\n    IF NOT EXISTS\n    lumix;",
            "CREATE SCHEMA\n    IF NOT EXISTS\n    lumix__seedload_new;");
    RENAMES("ALTER SCHEMA lumix OWNER TO app", "ALTER SCHEMA lumix__seedload_new OWNER TO app");
    RENAMES("DROP SCHEMA IF EXISTS auth CASCADE",
            "DROP SCHEMA IF EXISTS auth__seedload_new CASCADE");
    RENAMES("COMMENT ON SCHEMA lumix IS 'school data'",
            "COMMENT ON SCHEMA lumix__seedload_new IS 'school data'");
    /* the name after SCHEMA is renamed only when it is a profile schema */
    RENAMES("CREATE SCHEMA reporting;", "CREATE SCHEMA reporting;");
    RENAMES("CREATE SCHEMA IF NOT EXISTS lumixer;", "CREATE SCHEMA IF NOT EXISTS lumixer;");
    /* CREATE EXTENSION ... WITH SCHEMA public keeps public (not a profile schema) */
    RENAMES("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA public",
            "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA public");
    RENAMES("CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA auth",
            "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA auth__seedload_new");
    END_CASES();
}

static void test_grant_on_schema(void **state)
{
    (void)state;
    RENAMES("GRANT USAGE ON SCHEMA lumix TO app_reader;",
            "GRANT USAGE ON SCHEMA lumix__seedload_new TO app_reader;");
    RENAMES("GRANT SELECT ON ALL TABLES IN SCHEMA auth TO app_reader;",
            "GRANT SELECT ON ALL TABLES IN SCHEMA auth__seedload_new TO app_reader;");
    RENAMES("ALTER DEFAULT PRIVILEGES IN SCHEMA lumix GRANT SELECT ON TABLES TO r;",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA lumix__seedload_new GRANT SELECT ON TABLES TO r;");
    RENAMES("GRANT SELECT, INSERT ON lumix.students TO app;",
            "GRANT SELECT, INSERT ON lumix__seedload_new.students TO app;");
    RENAMES("REVOKE ALL ON SCHEMA auth FROM PUBLIC;",
            "REVOKE ALL ON SCHEMA auth__seedload_new FROM PUBLIC;");
    END_CASES();
}

static void test_relation_names_in_strings(void **state)
{
    (void)state;
    RENAMES("SELECT 'lumix.x'::regclass", "SELECT 'lumix__seedload_new.x'::regclass");
    RENAMES("SELECT setval(pg_get_serial_sequence('lumix.t','id'), 1)",
            "SELECT setval(pg_get_serial_sequence('lumix__seedload_new.t','id'), 1)");
    /* the line of sql/lumix/postgres.sql that made this necessary */
    RENAMES(
        "SELECT setval(pg_get_serial_sequence('lumix.system_logs', 'id'), COALESCE((SELECT max(id) "
        "FROM lumix.system_logs), 0) + 1, false);",
        "SELECT setval(pg_get_serial_sequence('lumix__seedload_new.system_logs', 'id'), "
        "COALESCE((SELECT max(id) FROM lumix__seedload_new.system_logs), 0) + 1, false);");
    RENAMES("ALTER TABLE auth.users ALTER id SET DEFAULT nextval('auth.users_id_seq'::regclass)",
            "ALTER TABLE auth__seedload_new.users ALTER id SET DEFAULT "
            "nextval('auth__seedload_new.users_id_seq'::regclass)");
    RENAMES("SELECT to_regclass('auth.sessions')",
            "SELECT to_regclass('auth__seedload_new.sessions')");
    /* quoted pieces inside the string */
    RENAMES("SELECT '\"lumix\".x'::regclass", "SELECT '\"lumix__seedload_new\".x'::regclass");
    /* names inside a string that merely contain a schema name stay */
    RENAMES("SELECT 'lumixer.x'::regclass, 'xauth.t'::regclass",
            "SELECT 'lumixer.x'::regclass, 'xauth.t'::regclass");
    /* a doubled quote does not end the string */
    RENAMES("SELECT 'it''s', 'lumix.t'::regclass",
            "SELECT 'it''s', 'lumix__seedload_new.t'::regclass");
    END_CASES();
}

/* ---- what must stay as it is --------------------------------------------------------------- */

/* Routine bodies are renamed too, by the same rules (pgddl.h: so that triggers work while the
 * staging schemas load; the swap creates the routines again from the original text). */
static void test_dollar_quoted_bodies_renamed(void **state)
{
    (void)state;
    const char *fn =
        "CREATE FUNCTION lumix.touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  -- keeps lumix.system_logs current\n"
        "  INSERT INTO lumix.system_logs(level) VALUES ('info'::lumix.log_level);\n"
        "  PERFORM 'auth.users'::regclass, \"auth\".users.id FROM lumixer.t, xauth.t;\n"
        "  RETURN NEW;\n"
        "END $$;";
    const char *want =
        "CREATE FUNCTION lumix__seedload_new.touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  -- keeps lumix.system_logs current\n"
        "  INSERT INTO lumix__seedload_new.system_logs(level) VALUES "
        "('info'::lumix__seedload_new.log_level);\n"
        "  PERFORM 'auth__seedload_new.users'::regclass, \"auth__seedload_new\".users.id FROM "
        "lumixer.t, xauth.t;\n"
        "  RETURN NEW;\n"
        "END $$;";
    RENAMES(fn, want);
    /* tagged dollar quotes, including a $$ inside a tagged body */
    RENAMES("CREATE FUNCTION auth.f() RETURNS int LANGUAGE sql AS $body$ SELECT count(*) FROM "
            "auth.users "
            "WHERE x = $$a$$ AND y = 1 $body$",
            "CREATE FUNCTION auth__seedload_new.f() RETURNS int LANGUAGE sql AS $body$ SELECT "
            "count(*) FROM "
            "auth__seedload_new.users WHERE x = $$a$$ AND y = 1 $body$");
    /* renaming goes on after the body */
    RENAMES("DO $x$ BEGIN PERFORM 1 FROM lumix.t; END $x$; CREATE TABLE lumix.u (id int)",
            "DO $x$ BEGIN PERFORM 1 FROM lumix__seedload_new.t; END $x$; CREATE TABLE "
            "lumix__seedload_new.u (id int)");
    /* a body with no schema name comes back as it was, quotes and all */
    RENAMES("CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $q$ SELECT 'it''s $$' $q$",
            "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $q$ SELECT 'it''s $$' $q$");
    /* $1 is a parameter, not a dollar quote */
    RENAMES("PREPARE p(int) AS SELECT $1 FROM lumix.t",
            "PREPARE p(int) AS SELECT $1 FROM lumix__seedload_new.t");
    /* an identifier may contain '$': x$lumix$ is one name and opens no quote */
    RENAMES("SELECT x$lumix$ FROM lumix.t", "SELECT x$lumix$ FROM lumix__seedload_new.t");
    END_CASES();
}

static void test_is_routine(void **state)
{
    (void)state;
    assert_true(
        pgddl_is_routine("CREATE FUNCTION lumix.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$"));
    assert_true(
        pgddl_is_routine("create or replace function f() returns int language sql as 'select 1'"));
    assert_true(pgddl_is_routine(
        "  CREATE\n  OR   REPLACE\tPROCEDURE lumix.p() LANGUAGE sql AS $$ SELECT 1 $$"));
    assert_true(pgddl_is_routine("CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN END $$"));
    assert_false(pgddl_is_routine("CREATE TABLE functions (id int)"));
    assert_false(pgddl_is_routine(
        "CREATE TRIGGER t BEFORE INSERT ON lumix.s FOR EACH ROW EXECUTE FUNCTION lumix.f()"));
    assert_false(pgddl_is_routine("CREATE FUNCTIONS"));
    assert_false(pgddl_is_routine("CREATE OR FUNCTION f()"));
    assert_false(pgddl_is_routine("DROP FUNCTION f()"));
    assert_false(pgddl_is_routine("SELECT 'CREATE FUNCTION'"));
    assert_false(pgddl_is_routine(""));
}

static void test_or_replace(void **state)
{
    (void)state;
    char *r =
        pgddl_or_replace("CREATE FUNCTION lumix.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$");
    assert_string_equal(
        r, "CREATE OR REPLACE FUNCTION lumix.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$");
    free(r);
    r = pgddl_or_replace("create procedure p() language sql as $$ select 1 $$");
    assert_string_equal(r, "CREATE OR REPLACE procedure p() language sql as $$ select 1 $$");
    free(r);
    /* already OR REPLACE: unchanged */
    r = pgddl_or_replace("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    assert_string_equal(r, "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    free(r);
    /* the original text, not the renamed one: the body names the final schemas */
    const char *orig = "CREATE FUNCTION lumix.g() RETURNS bigint LANGUAGE sql AS $$ SELECT "
                       "count(*) FROM lumix.t $$";
    char *staged = pgddl_rename_schemas(orig, FROM, TO, 2);
    assert_non_null(strstr(staged, "lumix__seedload_new.t"));
    r = pgddl_or_replace(orig);
    assert_string_equal(r, "CREATE OR REPLACE FUNCTION lumix.g() RETURNS bigint LANGUAGE sql AS $$ "
                           "SELECT count(*) FROM lumix.t $$");
    free(r);
    free(staged);
}

static void test_comments_untouched(void **state)
{
    (void)state;
    RENAMES(
        "-- builds lumix.students and CREATE SCHEMA lumix\nCREATE TABLE lumix.students (id int)",
        "-- builds lumix.students and CREATE SCHEMA lumix\nCREATE TABLE "
        "lumix__seedload_new.students (id int)");
    RENAMES("/* lumix.students, 'auth.users'::regclass */ CREATE TABLE auth.users (id int) -- "
            "auth.users",
            "/* lumix.students, 'auth.users'::regclass */ CREATE TABLE auth__seedload_new.users "
            "(id int) -- auth.users");
    RENAMES("CREATE TABLE lumix.t (\n  a int, -- see auth.users\n  b int /* lumix.x */\n)",
            "CREATE TABLE lumix__seedload_new.t (\n  a int, -- see auth.users\n  b int /* lumix.x "
            "*/\n)");
    /* a quote or a dollar sign inside a comment opens nothing */
    RENAMES("-- don't $$\nCREATE TABLE lumix.t (id int)",
            "-- don't $$\nCREATE TABLE lumix__seedload_new.t (id int)");
    RENAMES("/* it's $x$ */ CREATE TABLE lumix.t (id int)",
            "/* it's $x$ */ CREATE TABLE lumix__seedload_new.t (id int)");
    /* a comment at the very end, without a newline */
    RENAMES("CREATE SCHEMA auth; -- auth.x", "CREATE SCHEMA auth__seedload_new; -- auth.x");
    END_CASES();
}

static void test_nested_block_comments_untouched(void **state)
{
    (void)state;
    /* PostgreSQL block comments nest: the comment ends at the second star-slash. */
    RENAMES("/* outer /* inner */ lumix.t */ CREATE TABLE lumix.u (id int)",
            "/* outer /* inner */ lumix.t */ CREATE TABLE lumix__seedload_new.u (id int)");
    END_CASES();
}

static void test_similar_names_untouched(void **state)
{
    (void)state;
    RENAMES("CREATE TABLE lumixer.t (id int)", "CREATE TABLE lumixer.t (id int)");
    RENAMES("CREATE TABLE xauth.t (id int)", "CREATE TABLE xauth.t (id int)");
    RENAMES("CREATE TABLE auth_x.t (id int)", "CREATE TABLE auth_x.t (id int)");
    RENAMES("CREATE TABLE lumix_t (id int)", "CREATE TABLE lumix_t (id int)");
    RENAMES("CREATE TABLE x.lumix (auth int)", "CREATE TABLE x.lumix (auth int)");
    /* a column or table called like a schema, not followed by '.' */
    RENAMES("CREATE TABLE lumix.logs (lumix text, auth int, CHECK (auth > 0))",
            "CREATE TABLE lumix__seedload_new.logs (lumix text, auth int, CHECK (auth > 0))");
    /* t.lumix.x: lumix is a table qualifier here? No: schema.table.column puts the schema
     * first; a name after '.' is never a schema. */
    RENAMES("SELECT s.lumix FROM lumix.s", "SELECT s.lumix FROM lumix__seedload_new.s");
    RENAMES("CREATE SCHEMA lumixer; CREATE SCHEMA xauth;",
            "CREATE SCHEMA lumixer; CREATE SCHEMA xauth;");
    /* the word SCHEMA as a column name does not rename what follows a comma */
    RENAMES("CREATE TABLE lumix.m (schema text, lumix int)",
            "CREATE TABLE lumix__seedload_new.m (schema text, lumix int)");
    END_CASES();
}

static void test_string_values_untouched(void **state)
{
    (void)state;
    /* values that only look like qualified names are data: an action code, a CHECK list, a
     * default, a comment's text. Renaming them changes the data or breaks the CHECK. */
    RENAMES("CREATE TABLE lumix.system_logs (action text DEFAULT 'auth.login' CHECK (action IN "
            "('auth.login', 'auth.logout')))",
            "CREATE TABLE lumix__seedload_new.system_logs (action text DEFAULT 'auth.login' CHECK "
            "(action IN "
            "('auth.login', 'auth.logout')))");
    RENAMES("COMMENT ON TABLE auth.users IS 'accounts; see lumix.students'",
            "COMMENT ON TABLE auth__seedload_new.users IS 'accounts; see lumix.students'");
    END_CASES();
}

static void test_escape_strings(void **state)
{
    (void)state;
    /* E'...' strings end at an unescaped quote: \' does not end them. Misreading it makes the
     * rest of the statement a string, where a quoted schema name is not renamed: the staging
     * table would then reference the OLD auth.users (and lose the key when the swap drops it). */
    RENAMES(
        "CREATE TABLE lumix.notes (body text DEFAULT E'n\\'a', author int REFERENCES "
        "\"auth\".users(id))",
        "CREATE TABLE lumix__seedload_new.notes (body text DEFAULT E'n\\'a', author int REFERENCES "
        "\"auth__seedload_new\".users(id))");
    /* ... nor does it swallow the comment that follows */
    RENAMES("COMMENT ON TABLE lumix.t IS E'Student\\'s table' -- was lumix.old",
            "COMMENT ON TABLE lumix__seedload_new.t IS E'Student\\'s table' -- was lumix.old");
    END_CASES();
}

static void test_edges(void **state)
{
    (void)state;
    RENAMES("", "");
    RENAMES("SELECT 1", "SELECT 1");
    /* unterminated constructs copy the rest as it is, without reading past the end */
    RENAMES("SELECT 'lumix", "SELECT 'lumix");
    RENAMES("SELECT \"lumix", "SELECT \"lumix");
    RENAMES("SELECT $$ lumix.t", "SELECT $$ lumix__seedload_new.t"); /* a body, renamed like one */
    RENAMES("/* lumix.t", "/* lumix.t");
    RENAMES("SELECT $", "SELECT $");
    END_CASES();
    /* n = 0 renames nothing */
    char *got =
        pgddl_rename_schemas("CREATE SCHEMA lumix; CREATE TABLE lumix.t (id int)", FROM, TO, 0);
    assert_non_null(got);
    assert_string_equal(got, "CREATE SCHEMA lumix; CREATE TABLE lumix.t (id int)");
    free(got);
    /* one schema only: the other keeps its name */
    got = pgddl_rename_schemas("CREATE TABLE auth.u (id int); CREATE TABLE lumix.s (id int)",
                               FROM + 1, TO + 1, 1);
    assert_non_null(got);
    assert_string_equal(
        got, "CREATE TABLE auth__seedload_new.u (id int); CREATE TABLE lumix.s (id int)");
    free(got);
    /* a long statement comes back whole */
    size_t n = 200000;
    char *big = malloc(n + 32);
    assert_non_null(big);
    strcpy(big, "SELECT ");
    size_t len = strlen(big);
    while (len + 10 < n) {
        memcpy(big + len, "lumix.t, ", 9);
        len += 9;
    }
    strcpy(big + len, "1");
    got = pgddl_rename_schemas(big, FROM, TO, 2);
    assert_non_null(got);
    size_t count = 0;
    for (const char *p = got; (p = strstr(p, "lumix__seedload_new.t, ")) != NULL; p++) count++;
    assert_int_equal(count, (len - 7) / 9);
    free(got);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qualifiers),
        cmocka_unit_test(test_quoted_qualifiers),
        cmocka_unit_test(test_create_schema),
        cmocka_unit_test(test_grant_on_schema),
        cmocka_unit_test(test_relation_names_in_strings),
        cmocka_unit_test(test_dollar_quoted_bodies_renamed),
        cmocka_unit_test(test_is_routine),
        cmocka_unit_test(test_or_replace),
        cmocka_unit_test(test_comments_untouched),
        cmocka_unit_test(test_nested_block_comments_untouched),
        cmocka_unit_test(test_similar_names_untouched),
        cmocka_unit_test(test_string_values_untouched),
        cmocka_unit_test(test_escape_strings),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
