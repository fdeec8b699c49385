-- tpcb: pgbench's TPC-B-like schema ported to SQLite 3.40.
-- Same tables and columns as `pgbench -i`; the primary keys are declared inline
-- (SQLite cannot add a primary key after the fact). They are written INTEGER PRIMARY KEY so
-- they alias the rowid: the table b-tree is the key index, as a heap + pkey is in PostgreSQL.
-- pgbench_history has no key, exactly as in pgbench.

create table pgbench_history (
    tid int,
    bid int,
    aid int,
    delta int,
    mtime timestamp,
    filler char(22)
);

create table pgbench_tellers (
    tid integer not null primary key,
    bid int,
    tbalance int,
    filler char(84)
);

create table pgbench_accounts (
    aid integer not null primary key,
    bid int,
    abalance int,
    filler char(84)
);

create table pgbench_branches (
    bid integer not null primary key,
    bbalance int,
    filler char(88)
);
