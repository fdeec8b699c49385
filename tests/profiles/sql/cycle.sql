-- cycle: two tables that reference each other; the first reference is nullable.
CREATE TABLE dept (id INTEGER PRIMARY KEY, head_id INTEGER REFERENCES emp(id));
CREATE TABLE emp (id INTEGER PRIMARY KEY, dept_id INTEGER NOT NULL REFERENCES dept(id));
