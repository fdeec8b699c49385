-- bad_check.postgres.sql — a CHECK that one generated row breaks (see bad_check.yaml).
CREATE TABLE parents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES parents(id),
    score INTEGER NOT NULL CONSTRAINT items_score_range CHECK (score BETWEEN 1 AND 10),
    label TEXT
);
