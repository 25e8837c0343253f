-- Listings of jobs (dashboards, tools) page newest first by id: ids are time-ordered UUIDs, so the
-- primary key serves the unfiltered listing and those whose conditions most rows meet. Finished
-- states can hold millions of rows among which a few matter (the dead ones, say): a listing of
-- them walks this index instead, newest first. A job enters it once, when it finishes.
create index taskbound_job_finished_by_id on taskbound_job (state, id)
    where state in ('SUCCEEDED', 'DEAD', 'CANCELLED');

-- Lanes paused for the whole cluster. Every claim reads this table (one primary-key probe of a
-- table of a few rows), so a pause holds on every node as soon as it commits, notifications or not.
create table taskbound_paused_lane (
    lane      text        primary key,
    paused_at timestamptz not null
);
