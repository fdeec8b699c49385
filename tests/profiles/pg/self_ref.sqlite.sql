-- self_ref.sqlite.sql — SQLite side of self_ref.yaml.
CREATE TABLE nodes (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES nodes(id),
    label TEXT
);
