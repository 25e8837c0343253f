-- Taskbound job store. Applied by Taskbound's own Flyway run (history table
-- taskbound_schema_history); teams that run migrations themselves can apply this file as it is.

create table taskbound_job (
    id               uuid         primary key,
    name             text         not null,
    lane             text         not null,
    bound            text         not null,
    state            text         not null,
    priority         integer      not null default 0,
    run_at           timestamptz  not null,
    attempt          integer      not null default 0,
    max_attempts     integer      not null,
    timeout_ms       bigint,
    args             jsonb        not null,
    result           jsonb,
    error            text,
    progress         integer,
    unique_key       text,
    schedule_id      text,
    fire_time        timestamptz,
    node_id          uuid,
    lease            uuid,
    cancel_requested boolean      not null default false,
    created_at       timestamptz  not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    wall_time_us     bigint,
    cpu_time_us      bigint,
    allocated_bytes  bigint,
    constraint taskbound_job_state_check
        check (state in ('QUEUED', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'DEAD', 'CANCELLED'))
);

-- The claim query reads only due work of one lane in priority order; a partial index keeps it
-- small however many finished jobs are retained.
create index taskbound_job_due on taskbound_job (lane, priority desc, run_at)
    where state in ('QUEUED', 'RETRYING');

-- Dead-node recovery, graceful shutdown and cancellation look up the running jobs of a node.
create index taskbound_job_running on taskbound_job (node_id) where state = 'RUNNING';

-- Retention deletes finished jobs oldest first, per state.
create index taskbound_job_finished on taskbound_job (state, finished_at)
    where state in ('SUCCEEDED', 'DEAD', 'CANCELLED');

-- Idempotent enqueue: one live job per unique key.
create unique index taskbound_job_unique_key on taskbound_job (unique_key)
    where unique_key is not null and state in ('QUEUED', 'RETRYING', 'RUNNING');

create table taskbound_job_attempt (
    id              bigint generated always as identity primary key,
    job_id          uuid        not null references taskbound_job (id) on delete cascade,
    attempt         integer     not null,
    node_id         uuid,
    started_at      timestamptz,
    finished_at     timestamptz not null,
    outcome         text        not null,
    error           text,
    stack_trace     text,
    wall_time_us    bigint,
    cpu_time_us     bigint,
    allocated_bytes bigint
);

create index taskbound_job_attempt_job on taskbound_job_attempt (job_id, attempt);

create table taskbound_job_log (
    id        bigint generated always as identity primary key,
    job_id    uuid        not null references taskbound_job (id) on delete cascade,
    attempt   integer     not null,
    logged_at timestamptz not null,
    message   text        not null
);

create index taskbound_job_log_job on taskbound_job_log (job_id, id);

create table taskbound_node (
    id           uuid        primary key,
    name         text        not null,
    started_at   timestamptz not null,
    heartbeat_at timestamptz not null
);
