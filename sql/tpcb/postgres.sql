-- tpcb: the TPC-B-like schema that `pgbench -i` creates (PostgreSQL 15, default options:
-- scale < 20000 so aid is int, fillfactor 100, no partitioning, no foreign keys).
-- Table order, column lists and storage options are pgbench's own ("d"/"t" init steps);
-- the primary keys come after the load exactly like pgbench's "p" step.

create table pgbench_history (
    tid int,
    bid int,
    aid int,
    delta int,
    mtime timestamp,
    filler char(22)
);

create table pgbench_tellers (
    tid int not null,
    bid int,
    tbalance int,
    filler char(84)
) with (fillfactor=100);

create table pgbench_accounts (
    aid int not null,
    bid int,
    abalance int,
    filler char(84)
) with (fillfactor=100);

create table pgbench_branches (
    bid int not null,
    bbalance int,
    filler char(88)
) with (fillfactor=100);

-- pgbench's "p" step (initCreatePKeys), run after the rows are in.
-- seedload:post-load
alter table pgbench_branches add primary key (bid);
-- seedload:post-load
alter table pgbench_tellers add primary key (tid);
-- seedload:post-load
alter table pgbench_accounts add primary key (aid);
