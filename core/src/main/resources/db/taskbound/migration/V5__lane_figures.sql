-- Each node publishes its lanes' figures here: its version, the jobs it runs and holds per lane and
-- job name, and its runs of the last minute with their wait and run times as bucket counts. A node
-- writes them only when they changed, so an idle node writes nothing; readers add the nodes up.
alter table taskbound_node add column figures jsonb;

-- The jobs waiting, counted per lane and job name by one node at a time, at most once per figures
-- interval, and only while someone reads the figures: a count of a large queue is not free, and no
-- reader pays for it in its own call. A node takes the turn by moving counted_at forward.
create table taskbound_queue_count (
    id         int         primary key check (id = 1),
    counted_at timestamptz not null,
    counts     jsonb       not null
);
insert into taskbound_queue_count (id, counted_at, counts) values (1, '-infinity', '[]');
