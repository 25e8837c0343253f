-- The trace context of the code that enqueued a job (W3C traceparent, and tracestate and baggage
-- when there are any), one "name: value" header per line, when the enqueue was traced: its runs'
-- spans link to it, or are its children. Null when nothing traced the enqueue.
alter table taskbound_job add column trace_context text;
