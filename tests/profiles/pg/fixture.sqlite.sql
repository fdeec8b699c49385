-- fixture.sqlite.sql — the SQLite side of the pg_faults fixtures (seedload check runs it).
CREATE TABLE parents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES parents(id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    label TEXT
);
