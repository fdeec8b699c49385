-- uniqref: a foreign key to a column made unique by CREATE UNIQUE INDEX (PostgreSQL).
CREATE TABLE region (id INTEGER PRIMARY KEY, code TEXT NOT NULL);
CREATE UNIQUE INDEX region_code ON region(code);
CREATE TABLE shop (id INTEGER PRIMARY KEY, region_code TEXT NOT NULL REFERENCES region(code));
