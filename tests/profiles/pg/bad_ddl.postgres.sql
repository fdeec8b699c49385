-- bad_ddl.postgres.sql — fails halfway: the third statement (line 11) refers to a type that
-- does not exist, after two statements that succeeded.
CREATE TABLE parents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE INDEX idx_parents_name ON parents(name);

-- the bad statement
CREATE TABLE broken (x no_such_type);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES parents(id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    label TEXT
);
