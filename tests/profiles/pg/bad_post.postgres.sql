-- bad_post.postgres.sql — the rows load, then the post-load UNIQUE index (line 14) fails:
-- bad_post.yaml gives items.label only two values.
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

CREATE UNIQUE INDEX items_label_key ON items (label);
