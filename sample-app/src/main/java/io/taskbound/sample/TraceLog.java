package io.taskbound.sample;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Logs Taskbound's spans as they end, with their trace ids, in place of a tracing back end: an
 * enqueue's span is in the trace of the request that enqueued, and each run's span starts a trace
 * of its own with a link back to it. With an exporter (OTLP, Zipkin), the same spans go there.
 */
@Component
public class TraceLog implements SpanProcessor {

    private static final Logger log = LoggerFactory.getLogger(TraceLog.class);

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        String name = span.getName();
        SpanContext context = span.getSpanContext();
        if (name.startsWith("enqueue ")) {
            log.info(
                    "span \"{}\": trace {}, span {}, parent span {}",
                    name,
                    context.getTraceId(),
                    context.getSpanId(),
                    span.getParentSpanContext().getSpanId());
        } else if (name.startsWith("run ")) {
            for (LinkData link : span.toSpanData().getLinks()) {
                log.info(
                        "span \"{}\": trace {}, span {}, linked to trace {}, span {}",
                        name,
                        context.getTraceId(),
                        context.getSpanId(),
                        link.getSpanContext().getTraceId(),
                        link.getSpanContext().getSpanId());
            }
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }
}
