-- two_schemas_estring.postgres.sql — two_schemas.postgres.sql with an E'...' string (an escaped
-- quote inside) before a quoted schema qualifier in the same statement: the foreign key must
-- reach the new pgfix_auth.users, not the old one.
CREATE SCHEMA pgfix_auth;
CREATE SCHEMA IF NOT EXISTS pgfix_app;

CREATE TYPE pgfix_auth.role AS ENUM ('student', 'teacher');

CREATE TABLE pgfix_auth.users (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role pgfix_auth.role NOT NULL
);

CREATE TABLE pgfix_app.logs (
    id INTEGER PRIMARY KEY,
    note TEXT DEFAULT E'n\'a',
    user_id INTEGER NOT NULL REFERENCES "pgfix_auth".users(id),
    action TEXT NOT NULL,
    flagged BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE FUNCTION pgfix_app.log_count() RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT count(*) FROM pgfix_app.logs);
END
$$;

GRANT USAGE ON SCHEMA pgfix_app TO PUBLIC;

CREATE INDEX idx_logs_user ON pgfix_app.logs (user_id);

-- seedload:post-load
SELECT setval(pg_get_serial_sequence('pgfix_auth.users', 'id'), (SELECT max(id) FROM pgfix_auth.users));
