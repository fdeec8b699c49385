-- missing_col.postgres.sql — items lacks the column `score` that missing_col.yaml fills: the
-- DDL runs fine, and seedload must notice before loading (and clean up what it built).
CREATE TABLE parents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES parents(id),
    label TEXT
);
