-- The peak heap of a run, as the worker JVM of a process lane measured it. Null for runs in the
-- application's own JVM: its heap is shared by all its threads and says nothing of one job's needs.
alter table taskbound_job add column peak_heap_bytes bigint;
alter table taskbound_job_attempt add column peak_heap_bytes bigint;
