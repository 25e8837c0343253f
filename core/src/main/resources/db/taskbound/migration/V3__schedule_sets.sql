-- Which code declared the @Recurring schedules. A set of declarations is known by its fingerprint
-- (a hash of the sorted declarations of one build); "seen" orders the sets by when the cluster first
-- saw each, which is the order in which they were deployed. Each node records the set its code
-- declares, so that a node starting with older code (late in a rolling deploy, or an old instance
-- started by an autoscaler) leaves the schedules of newer code alone while a node of that code lives.

create table taskbound_schedule_set (
    fingerprint   text        primary key,
    seen          bigint      generated always as identity unique,
    first_seen_at timestamptz not null
);

alter table taskbound_node add column schedule_set text;
