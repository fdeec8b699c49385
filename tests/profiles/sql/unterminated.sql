-- unterminated: a DDL file with a quote that never closes.
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT DEFAULT 'untitled);
