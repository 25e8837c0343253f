package io.taskbound.trace;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.util.Objects;

/**
 * Makes each run's span the root of a trace of its own, linked to the span of the enqueue that
 * stored the job: how OpenTelemetry's messaging conventions relate a message's processing to its
 * sending when the two are apart in time. A job delayed by a day, retried five times or made by a
 * schedule does not stretch its enqueuing request's trace over all of that, and the link still
 * leads from each run to where the job came from.
 *
 * <p>Register it before Micrometer's {@code PropagatingReceiverTracingObservationHandler} (the
 * starter does, unless {@code taskbound.tracing.run-span=child}); without it, that handler makes
 * each run's span the enqueue's child. The link is read from the stored W3C {@code traceparent}; a
 * job enqueued under another propagation format gets a run span without a link.
 */
public final class LinkedRunHandler implements TracingObservationHandler<RunContext> {

    private final Tracer tracer;

    public LinkedRunHandler(Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    @Override
    public void onStart(RunContext context) {
        Span.Builder builder = tracer.spanBuilder().setNoParent().kind(Span.Kind.CONSUMER);
        Traceparent enqueued = Traceparent.parse(context.getCarrier().get(Traceparent.HEADER));
        if (enqueued != null) {
            builder = builder.addLink(new Link(tracer.traceContextBuilder()
                    .traceId(enqueued.traceId())
                    .spanId(enqueued.spanId())
                    .sampled(enqueued.sampled())
                    .build()));
        }
        getTracingContext(context).setSpan(builder.start());
    }

    @Override
    public void onError(RunContext context) {
        Throwable error = context.getError();
        if (error != null) {
            getRequiredSpan(context).error(error);
        }
    }

    @Override
    public void onStop(RunContext context) {
        Span span = getRequiredSpan(context);
        // A span that records nothing (its trace not sampled: most runs, at Spring Boot's default
        // sampling) is ended without its tags and name, which would only be dropped.
        if (!span.isNoop()) {
            tagSpan(context, span);
            span.name(context.getContextualName() != null ? context.getContextualName() : context.getName());
        }
        endSpan(context, span);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof RunContext;
    }

    @Override
    public Tracer getTracer() {
        return tracer;
    }
}
