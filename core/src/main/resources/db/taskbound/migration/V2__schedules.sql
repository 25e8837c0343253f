-- Recurring schedules. Any node may fire a schedule: it locks the due row (FOR UPDATE SKIP LOCKED),
-- advances next_fire_at with a compare-and-set, and inserts the job; the unique index on the job's
-- (schedule_id, fire_time) makes a second job for one fire time impossible whatever happens.

create table taskbound_schedule (
    id            text        primary key,
    job_name      text        not null,
    args          jsonb       not null,
    lane          text,
    priority      integer,
    max_attempts  integer,
    cron          text,
    every_ms      bigint,
    zone          text        not null,
    anchor_at     timestamptz not null,
    misfire       text        not null,
    max_catch_up  integer     not null,
    overlap       text        not null,
    jitter_ms     bigint      not null default 0,
    paused        boolean     not null default false,
    next_fire_at  timestamptz not null,
    last_fire_at  timestamptz,
    declared_by   text,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    constraint taskbound_schedule_timing_check check ((cron is null) <> (every_ms is null)),
    constraint taskbound_schedule_misfire_check check (misfire in ('FIRE_ONCE', 'FIRE_ALL', 'SKIP')),
    constraint taskbound_schedule_overlap_check check (overlap in ('SKIP', 'ALLOW'))
);

-- The firer asks for the earliest fire time of the schedules that are not paused.
create index taskbound_schedule_due on taskbound_schedule (next_fire_at) where not paused;

-- Exactly one job per schedule and fire time.
create unique index taskbound_job_schedule_fire on taskbound_job (schedule_id, fire_time)
    where schedule_id is not null;

-- The overlap policy asks whether a schedule has a job queued or running.
create index taskbound_job_schedule_live on taskbound_job (schedule_id)
    where schedule_id is not null and state in ('QUEUED', 'RETRYING', 'RUNNING');
