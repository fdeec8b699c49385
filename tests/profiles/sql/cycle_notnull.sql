-- cycle_notnull: two tables that reference each other with NOT NULL columns only.
CREATE TABLE dept (id INTEGER PRIMARY KEY, head_id INTEGER NOT NULL REFERENCES emp(id));
CREATE TABLE emp (id INTEGER PRIMARY KEY, dept_id INTEGER NOT NULL REFERENCES dept(id));
