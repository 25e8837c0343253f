-- The queries scenario's store: ${jobs} jobs made with bulk SQL on a fresh Taskbound schema, as a
-- store looks after ${days} days of work. Statements are separated by lines holding only "--;".
-- Randomness is a hash of the row number and a salt, so every run makes the same jobs, shifted to
-- the instant it was made at; only the log lines (which jobs have them, how many) and the nodes of
-- failed attempts follow a hash of the jobs' ids, which hold that instant, so they vary a little.
--
-- Rows, oldest first, one every ${days} days / ${jobs} (about 2 jobs/s for 1,000,000 over 6 days):
--   the newest 300 QUEUED and the 50 before them RUNNING (on a second node, "bench-node-2");
--   0.2 % of the newest 50,000 RETRYING (1 or 2 failed attempts, retry due within the hour);
--   0.05 % of the last day QUEUED with a delay (run_at up to a day ahead);
--   of the rest, 2 % DEAD (3 failed attempts), 0.5 % CANCELLED, the others SUCCEEDED, 1 % of
--   these after a failed attempt or two.
-- 200 job names ("domain.verb"), their frequencies Zipf-like (weight 1/rank^1.5: the commonest
-- about 40 % of all jobs, the rarest about 0.014 %), each on one of the 11 default lanes.
-- Arguments in one of three shapes, each naming a customer of 100,000 ("c-04711").
-- Every 1,000th job was made by one of 5 schedules (schedule_id, fire_time).
-- Failed attempts carry an error and a stack trace; 5 % of jobs, and every dead one, have log lines.

create function bench_rand(i bigint, salt bigint) returns double precision
    language sql immutable parallel safe
    as $$ select (hashint8extended(i, salt) & 2147483647)::float8 / 2147483648.0::float8 $$;
--;
create function bench_uuid7(epoch_ms bigint, i bigint) returns uuid
    language sql immutable parallel safe
    as $$
    -- RFC 9562 version 7, as JobIds makes them: 48 bits of epoch milliseconds, the version (7), 12
    -- random bits; the variant (binary 10), 62 random bits.
    select encode(int8send((epoch_ms << 16) | 28672 | (hashint8extended(i, 21) & 4095))
                  || int8send((hashint8extended(i, 22) & 4611686018427387903) | (-9223372036854775808)),
                  'hex')::uuid
    $$;
--;
create table bench_name as
with domains (domain, d) as (
    select * from unnest(array['orders', 'mail', 'reports', 'billing', 'invoices', 'users', 'search', 'media',
                               'sync', 'webhooks', 'exports', 'imports', 'notifications', 'payments', 'inventory',
                               'shipping', 'analytics', 'cache', 'audit', 'crm']) with ordinality
), verbs (verb, v) as (
    select * from unnest(array['process', 'send', 'render', 'sync', 'index', 'cleanup', 'charge', 'refund',
                               'notify', 'import']) with ordinality
), ranked as (
    select row_number() over (order by hashint8extended(d * 100 + v, 11)) as rank, domain || '.' || verb as name
      from domains, verbs
)
select rank::int, name,
       -- Most jobs run on the io lane, every lane has some.
       (array['io', 'io', 'network', 'io', 'cpu', 'network', 'latency', 'io', 'concurrency', 'io', 'interactive',
              'throughput', 'network', 'disk', 'io', 'memory', 'gpu', 'constrained', 'cpu', 'io'])[(rank - 1) % 20 + 1]
           as lane,
       1.0 / power(rank, 1.5) as weight
  from ranked;
--;
-- 100,000 slots, each name holding as many as its weight gives it (the rarest 14).
create table bench_slot as
with cumulative as (
    select rank, sum(weight) over (order by rank) / sum(weight) over () as upto from bench_name
), bounds as (
    select rank, round(coalesce(lag(upto) over (order by rank), 0) * 100000)::int as first,
           round(upto * 100000)::int as past
      from cumulative
)
select generate_series(first, past - 1) as slot, rank from bounds;
--;
-- Each job's times as integer microseconds: its creation since the epoch, its (last) start after
-- its creation, its run. Due at creation (a delayed job later), started 2-60 ms after it was due,
-- run for 5 ms to 30 s (median 0.12 s, mean 3.3 s); a retry due a minute after each failure.
create table bench_row as
with base as (
    select (extract(epoch from now())::bigint - ${days} * 86400 - 300) * 1000000 as start_us
), r as (
    select i, ${jobs} - 1 - i as k,
           base.start_us + ((i + bench_rand(i, 1) * 0.9) * (${days} * 86400000000.0 / ${jobs}))::bigint as created_us,
           case when ${jobs} - 1 - i < 300 then 'QUEUED'
                when ${jobs} - 1 - i < 350 then 'RUNNING'
                when ${jobs} - 1 - i < 50000 and bench_rand(i, 2) < 0.002 then 'RETRYING'
                when ${jobs} - 1 - i < ${jobs} / ${days} and bench_rand(i, 3) < 0.0005 then 'DELAYED'
                when bench_rand(i, 4) < 0.02 then 'DEAD'
                when bench_rand(i, 4) < 0.025 then 'CANCELLED'
                else 'SUCCEEDED' end as state
      from base, generate_series(0, ${jobs} - 1) i
), a as (
    select r.*, slot.rank,
           case state when 'QUEUED' then 0 when 'DELAYED' then 0 when 'RUNNING' then 1
                      when 'RETRYING' then 1 + (i % 2) when 'DEAD' then 3 when 'CANCELLED' then 0
                      else case when bench_rand(i, 11) < 0.01 then 2 + (i % 2) else 1 end end as attempt
      from r
      join bench_slot slot on slot.slot = floor(bench_rand(r.i, 6) * 100000)::int
)
select i, k, created_us, state, rank, attempt,
       case when state not in ('QUEUED', 'DELAYED', 'CANCELLED')
            then (attempt - 1) * 60000000::bigint + 2000 + (bench_rand(i, 13) * 58000)::bigint end as start_us,
       case when state in ('SUCCEEDED', 'DEAD') then 5000 + (power(bench_rand(i, 14), 8) * 30000000)::bigint
            end as run_us,
       'c-' || lpad(((hashint8extended(i, 10) & 2147483647) % 100000)::text, 5, '0') as customer
  from a
 order by i;
--;
insert into taskbound_job (id, name, lane, bound, state, priority, run_at, attempt, max_attempts, timeout_ms, args,
                           result, error, progress, schedule_id, fire_time, node_id, lease, created_at, started_at,
                           finished_at, wall_time_us, cpu_time_us, allocated_bytes)
select bench_uuid7(r.created_us / 1000, r.i), n.name, n.lane, upper(n.lane),
       case when r.state = 'DELAYED' then 'QUEUED' else r.state end,
       case when bench_rand(r.i, 5) < 0.05 then 10 else 0 end,
       case r.state when 'DELAYED' then t.created_at + bench_rand(r.i, 12) * interval '1 day'
                    when 'RETRYING' then now() + bench_rand(r.i, 12) * interval '1 hour'
                    else t.created_at + greatest(r.attempt - 1, 0) * interval '1 minute' end,
       r.attempt, 3,
       case when n.lane in ('cpu', 'gpu', 'memory') then 600000 end,
       case n.rank % 3
           when 0 then jsonb_build_array(jsonb_build_object(
               'orderId', 100000 + r.i, 'customer', r.customer, 'amount', round((bench_rand(r.i, 8) * 500)::numeric, 2),
               'currency', (array['EUR', 'USD', 'GBP', 'CHF'])[1 + (r.i % 4)], 'items', 1 + r.i % 7))
           when 1 then jsonb_build_array(
               'user' || (r.i % 100000) || '@example.com', split_part(n.name, '.', 1) || '-' || (r.i % 12),
               jsonb_build_object('locale', (array['de-DE', 'en-GB', 'en-US', 'fr-FR'])[1 + (r.i % 4)],
                                  'customer', r.customer))
           else jsonb_build_array(r.i % 50000, r.customer, r.i % 2 = 0)
       end,
       case when r.state = 'SUCCEEDED' and n.rank % 4 = 0
            then jsonb_build_object('status', 'ok', 'processed', r.i % 1000) end,
       case when r.state in ('DEAD', 'RETRYING')
            then 'java.lang.IllegalStateException: ' || split_part(n.name, '.', 1) || ' service answered 503 for '
                 || r.customer end,
       case when r.state = 'SUCCEEDED' then 100 when r.state = 'RUNNING' then (r.i % 10) * 10 end,
       case when r.i % 1000 = 0 then 'schedule-' || (r.i / 1000) % 5 end,
       case when r.i % 1000 = 0 then date_trunc('second', t.created_at) end,
       case when r.state = 'RUNNING' then '00000000-0000-7000-8000-00000000b002'::uuid end,
       case when r.state = 'RUNNING' then bench_uuid7(r.created_us / 1000, r.i + 7777777) end,
       t.created_at,
       t.created_at + r.start_us * interval '1 microsecond',
       case when r.run_us is not null then t.created_at + (r.start_us + r.run_us) * interval '1 microsecond'
            when r.state = 'CANCELLED' then t.created_at + bench_rand(r.i, 15) * interval '10 minutes' end,
       r.run_us,
       case when r.run_us is not null and n.lane in ('cpu', 'gpu', 'memory') then r.run_us * 9 / 10 end,
       case when r.run_us is not null and n.lane in ('cpu', 'gpu', 'memory') then (bench_rand(r.i, 9) * 5e8)::bigint end
  from bench_row r
  join bench_name n on n.rank = r.rank
  cross join lateral (select timestamptz 'epoch' + r.created_us * interval '1 microsecond' as created_at) t
 order by r.i;
--;
-- Every failed run: the three of a dead job, the one or two of a retrying job, and those before a
-- late success.
insert into taskbound_job_attempt (job_id, attempt, node_id, started_at, finished_at, outcome, error, stack_trace,
                                   wall_time_us, cpu_time_us, allocated_bytes)
select j.id, f.attempt,
       (array['00000000-0000-7000-8000-00000000a001', '00000000-0000-7000-8000-00000000a002',
              '00000000-0000-7000-8000-00000000a003'])[1 + ((uuid_hash(j.id) & 65535) + f.attempt) % 3]::uuid,
       j.created_at + (f.attempt - 1) * interval '1 minute' + interval '20 milliseconds',
       j.created_at + (f.attempt - 1) * interval '1 minute' + interval '20 milliseconds'
           + (50 + f.attempt * 700) * interval '1 millisecond',
       case when f.attempt = 3 and j.lane = 'cpu' then 'TIMED_OUT' else 'FAILED' end,
       'java.lang.IllegalStateException: ' || split_part(j.name, '.', 1) || ' service answered 503 (attempt '
           || f.attempt || ')',
       'java.lang.IllegalStateException: ' || split_part(j.name, '.', 1) || ' service answered 503 (attempt '
           || f.attempt || ')' || E'\n'
           || '	at com.example.' || split_part(j.name, '.', 1) || '.' || initcap(split_part(j.name, '.', 1))
           || 'Client.call(' || initcap(split_part(j.name, '.', 1)) || 'Client.java:' || (80 + f.attempt) || ')' || E'\n'
           || '	at com.example.' || split_part(j.name, '.', 1) || '.' || initcap(split_part(j.name, '.', 1))
           || 'Jobs.' || split_part(j.name, '.', 2) || '(' || initcap(split_part(j.name, '.', 1)) || 'Jobs.java:42)'
           || E'\n'
           || repeat(E'\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n'
                     || E'\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n', 1)
           || E'\tat io.taskbound.run.JobRunner.invoke(JobRunner.java:211)\n'
           || E'\tat io.taskbound.run.JobRunner.run(JobRunner.java:118)\n'
           || E'\tat io.taskbound.lane.VirtualExecutor.lambda$execute$0(VirtualExecutor.java:57)\n'
           || E'\tat java.base/java.lang.VirtualThread.run(VirtualThread.java:466)\n'
           || 'Caused by: java.net.http.HttpTimeoutException: request timed out' || E'\n'
           || E'\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:954)\n'
           || E'\tat java.net.http/jdk.internal.net.http.HttpClientFacade.send(HttpClientFacade.java:133)\n'
           || '	at com.example.' || split_part(j.name, '.', 1) || '.' || initcap(split_part(j.name, '.', 1))
           || 'Client.call(' || initcap(split_part(j.name, '.', 1)) || 'Client.java:77)' || E'\n'
           || E'\t... 6 more',
       (50 + f.attempt * 700) * 1000, null, null
  from taskbound_job j
  cross join lateral generate_series(1, case when j.state = 'DEAD' then j.attempt else j.attempt - 1 end) f (attempt)
 where j.state in ('DEAD', 'RETRYING') or (j.state = 'SUCCEEDED' and j.attempt > 1)
 order by j.id, f.attempt;
--;
-- Log lines: 1 to 8 for 5 % of jobs that ran, two per failed run of a dead job.
insert into taskbound_job_log (job_id, attempt, logged_at, message)
select j.id, greatest(j.attempt, 1), coalesce(j.started_at, j.created_at) + l.line * interval '3 milliseconds',
       case l.line % 4
           when 1 then 'starting ' || j.name || ' for ' || coalesce(j.args -> 0 ->> 'customer', j.args ->> 1, 'batch')
           when 2 then 'fetched ' || (l.line * 37 % 500) || ' records in ' || (l.line * 13 % 90) || ' ms'
           when 3 then 'progress ' || (l.line * 12 % 100) || ' %'
           else 'calling ' || split_part(j.name, '.', 1) || ' service, attempt ' || greatest(j.attempt, 1)
       end
  from taskbound_job j
  cross join lateral generate_series(1, case when j.state = 'DEAD' then 2 * j.attempt
                                            else 1 + (uuid_hash(j.id) & 7) end) l (line)
 where j.started_at is not null
   and (j.state = 'DEAD' or (uuid_hash_extended(j.id, 16) & 1023) < 51)
 order by j.id, l.line;
--;
drop table bench_row;
--;
drop table bench_slot;
--;
drop table bench_name;
--;
drop function bench_uuid7(bigint, bigint);
--;
drop function bench_rand(bigint, bigint);
