-- self_ref.postgres.sql — a table whose rows reference earlier rows of the same table.
CREATE TABLE nodes (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES nodes(id),
    label TEXT
);
