-- two_schemas_trigger.postgres.sql — two_schemas.postgres.sql plus a BEFORE INSERT trigger whose
-- body names its own schema (like lumix.update_risk_level casting to lumix.risk_level): the
-- trigger fires while the rows are loaded, so the body must work then too; and a LANGUAGE sql
-- function, whose body PostgreSQL checks when it is created (check_function_bodies).
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

CREATE FUNCTION pgfix_app.flag_edits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.flagged := NEW.action = 'edit' AND (SELECT role FROM pgfix_auth.users WHERE id = NEW.user_id) = 'student'::pgfix_auth.role;
    RETURN NEW;
END
$$;

CREATE TRIGGER trigger_flag_edits BEFORE INSERT ON pgfix_app.logs
    FOR EACH ROW EXECUTE FUNCTION pgfix_app.flag_edits();

CREATE FUNCTION pgfix_app.edits_of(p_user integer) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM pgfix_app.logs WHERE user_id = p_user AND action = 'edit'
$$;
