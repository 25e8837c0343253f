package io.taskbound.bench.contender;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.metrics.JobMetrics;
import io.taskbound.metrics.LaneMetrics;
import io.taskbound.registry.JobRegistry;
import io.taskbound.trace.LinkedRunHandler;
import io.taskbound.trace.ObservedJobs;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the observed variants of Taskbound's contender add to its engine, set up as Spring Boot
 * sets them up in an application with Actuator and Micrometer Tracing: Micrometer metrics, and for
 * {@link Level#TRACED} observations of every enqueue and run made into timers and into spans.
 */
final class Observability implements AutoCloseable {

    /** How much is observed. */
    enum Level {
        NONE,
        /** Metrics: a registry with the job listener and the lane gauges, scraped. */
        METRICS,
        /**
         * Metrics, and observations of enqueues and runs with one handler that does nothing: what
         * Taskbound's instrumentation and Micrometer's observations cost before any handler an
         * application installs (timers, spans) does its work.
         */
        OBSERVED,
        /**
         * Metrics, and observations of enqueues and runs: timers, and OpenTelemetry spans, one trace
         * in ten sampled, as Spring Boot's default sampling probability keeps.
         */
        TRACED,
        /** The same with every trace sampled. */
        TRACED_ALL
    }

    /** How often the meters are read, as a Prometheus server scraping them would. */
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);

    private final Level level;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong exported = new AtomicLong();
    private SdkTracerProvider spans;
    private ScheduledExecutorService scraper;

    Observability(Level level) {
        this.level = level;
    }

    static String describe(Level level) {
        String metrics = "with Micrometer metrics: a SimpleMeterRegistry, a JobMetrics listener"
                + " (TaskboundEngine.Builder.listener) and LaneMetrics bound to it, every meter read every "
                + SCRAPE_INTERVAL.toSeconds() + " s from the start of the engine, as a Prometheus server"
                + " scraping it would (the cluster's gauges query the store at most once per figures interval, 5 s)";
        return switch (level) {
            case NONE -> "";
            case METRICS -> "Taskbound's settings, " + metrics + ". ";
            case OBSERVED ->
                "Taskbound's settings, " + metrics + "; and observations of every enqueue and run"
                        + " (TaskboundEngine.Builder.tracing with ObservedJobs) in an ObservationRegistry whose one"
                        + " handler does nothing: Taskbound's instrumentation and Micrometer's observations, without"
                        + " the work of the handlers an application installs. ";
            case TRACED, TRACED_ALL ->
                "Taskbound's settings, " + metrics + "; and observations of every enqueue and run"
                        + " (TaskboundEngine.Builder.tracing with ObservedJobs) in an ObservationRegistry set up as"
                        + " Spring Boot's with Micrometer Tracing over OpenTelemetry: a DefaultMeterObservationHandler"
                        + " (a timer per observation) and the tracing handlers (LinkedRunHandler, the propagating"
                        + " sender and receiver, the default), W3C propagation, "
                        + (level == Level.TRACED_ALL
                                ? "every trace sampled"
                                : "one trace in ten sampled (parent-based, trace-id ratio 0.1: Spring Boot's default)")
                        + ", sampled spans through a BatchSpanProcessor to an exporter that counts and drops them. ";
        };
    }

    /** Adds this level's listener and observations to the engine being built. */
    void configure(TaskboundEngine.Builder builder, JobRegistry registry) {
        if (level == Level.NONE) {
            return;
        }
        builder.listener(new JobMetrics(meters, registry));
        if (level != Level.METRICS) {
            ObservationRegistry observations = level == Level.OBSERVED ? idleHandler() : observations(true, true);
            builder.tracing(catalog -> new ObservedJobs(observations, catalog));
        }
    }

    /** Binds the gauges of the engine built and starts scraping. */
    void started(TaskboundEngine engine) {
        if (level == Level.NONE) {
            return;
        }
        new LaneMetrics(engine).bindTo(meters);
        scraper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("bench-scraper").daemon(true).factory());
        scraper.scheduleAtFixedRate(
                () -> meters.getMeters().forEach(Meter::measure), 0, SCRAPE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * An observation registry as Spring Boot sets one up: with the meter handler (a timer per
     * observation) if {@code meterHandler}, and with the tracing handlers over OpenTelemetry if
     * {@code tracing}, sampling as this level says.
     */
    ObservationRegistry observations(boolean meterHandler, boolean tracing) {
        ObservationRegistry observations = ObservationRegistry.create();
        if (meterHandler) {
            observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        }
        if (tracing) {
            observations.observationConfig().observationHandler(tracingHandlers());
        }
        return observations;
    }

    /** An observation registry whose one handler takes every observation and does nothing with it. */
    static ObservationRegistry idleHandler() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(context -> true);
        return observations;
    }

    private ObservationHandler<?> tracingHandlers() {
        spans = SdkTracerProvider.builder()
                .setSampler(
                        level == Level.TRACED_ALL
                                ? Sampler.alwaysOn()
                                : Sampler.parentBased(Sampler.traceIdRatioBased(0.1)))
                .addSpanProcessor(
                        BatchSpanProcessor.builder(new Dropping(exported)).build())
                .build();
        io.opentelemetry.api.trace.Tracer otel = spans.get("taskbound-bench");
        Tracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {});
        OtelPropagator propagator =
                new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        return new ObservationHandler.FirstMatchingCompositeObservationHandler(List.of(
                new LinkedRunHandler(tracer),
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    /** Spans handed to the exporter so far. */
    long exportedSpans() {
        return exported.get();
    }

    @Override
    public void close() {
        if (scraper != null) {
            scraper.shutdownNow();
        }
        if (spans != null) {
            spans.close();
        }
    }

    /** An exporter that counts the spans it is handed and sends them nowhere. */
    private record Dropping(AtomicLong exported) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            exported.addAndGet(batch.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
