-- library: a tiny schema for seedload's tests (SQLite). Authors, their books, and loans.
CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    name VARCHAR(60) NOT NULL,
    email TEXT UNIQUE,
    born DATE,
    rating REAL CHECK (rating >= 0 AND rating <= 5),
    bio TEXT
);

CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    title VARCHAR(80) NOT NULL,
    isbn TEXT NOT NULL UNIQUE,
    pages INTEGER CHECK (pages > 0),
    meta JSON CHECK (meta IS NULL OR json_valid(meta)),
    note TEXT
);

CREATE INDEX idx_books_author ON books(author_id);
