-- two_schemas.postgres.sql — two schemas that qualify every name: an ENUM in one schema used by
-- the other's table, a foreign key across them, a sequence named in a string, a function, a
-- grant on a schema, and a post-load index.
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
    user_id INTEGER NOT NULL REFERENCES pgfix_auth.users(id),
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
