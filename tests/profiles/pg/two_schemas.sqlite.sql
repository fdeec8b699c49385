-- two_schemas.sqlite.sql — SQLite side of the two-schema fixtures: pgfix_auth.users is
-- pgfix_auth_users here, pgfix_app.logs is pgfix_app_logs (docs/profile.md, "Table names").
CREATE TABLE pgfix_auth_users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('student', 'teacher'))
);
CREATE TABLE pgfix_app_logs (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES pgfix_auth_users(id),
    action TEXT NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0
);
