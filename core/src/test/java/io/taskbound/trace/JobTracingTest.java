package io.taskbound.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.taskbound.Job;
import io.taskbound.JobFilter;
import io.taskbound.JobHandle;
import io.taskbound.JobState;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traces of enqueues and runs through a real OpenTelemetry SDK, with W3C propagation, as an
 * application with Micrometer Tracing has them: the enqueue's span is the caller's span's child,
 * its context is stored with the job, and each run's span links to it, or is its child when the
 * linking handler is left out.
 */
class JobTracingTest {

    public static class TracedJobs {
        static final AtomicInteger flakyCalls = new AtomicInteger();
        static volatile String traceIdSeenByJob;

        @Job(name = "mail.send", maxAttempts = 1)
        public void send(int message) {
            traceIdSeenByJob = currentTracer.currentSpan() == null
                    ? null
                    : currentTracer.currentSpan().context().traceId();
        }

        @Job(name = "mail.flaky", maxAttempts = 2)
        public void flaky() {
            if (flakyCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        }

        @Job(name = "mail.digest", maxAttempts = 1)
        public void digest() {}
    }

    private static volatile Tracer currentTracer;

    private final HikariDataSource dataSource = TestDatabase.create();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans))
            .build();
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
        provider.close();
    }

    @Test
    void aRunsSpanStartsATraceOfItsOwnLinkedToTheEnqueueInTheCallersTrace() {
        Tracer tracer = start(true);
        Span request = tracer.nextSpan().name("POST /mail").start();
        JobHandle<Void> job = inSpan(tracer, request, () -> engine.jobs().enqueue(TracedJobs::send, 1));
        job.await(Duration.ofSeconds(30));

        SpanData enqueue = awaitSpan("enqueue mail.send");
        assertThat(enqueue.getTraceId()).isEqualTo(request.context().traceId());
        assertThat(enqueue.getParentSpanId()).isEqualTo(request.context().spanId());
        assertThat(enqueue.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(enqueue.getAttributes().get(AttributeKey.stringKey("taskbound.job.id")))
                .isEqualTo(job.id().toString());

        SpanData run = awaitSpan("run mail.send");
        assertThat(run.getTraceId())
                .as("a trace of its own")
                .isNotEqualTo(request.context().traceId());
        assertThat(run.getParentSpanContext().isValid()).isFalse();
        assertThat(run.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(run.getLinks())
                .extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(enqueue.getSpanId());
        assertThat(run.getLinks().getFirst().getSpanContext().getTraceId()).isEqualTo(enqueue.getTraceId());
        assertThat(run.getAttributes().get(AttributeKey.stringKey("outcome"))).isEqualTo("succeeded");
        assertThat(run.getAttributes().get(AttributeKey.stringKey("taskbound.job")))
                .isEqualTo("mail.send");
        assertThat(run.getAttributes().get(AttributeKey.stringKey("taskbound.lane")))
                .isEqualTo("io");
        assertThat(run.getAttributes().get(AttributeKey.stringKey("taskbound.attempt")))
                .isEqualTo("1");
        assertThat(TracedJobs.traceIdSeenByJob)
                .as("the run's span is current while the job runs")
                .isEqualTo(run.getTraceId());
    }

    @Test
    void withoutTheLinkingHandlerARunsSpanIsTheEnqueuesChild() {
        Tracer tracer = start(false);
        Span request = tracer.nextSpan().name("POST /mail").start();
        JobHandle<Void> job = inSpan(tracer, request, () -> engine.jobs().enqueue(TracedJobs::send, 2));
        job.await(Duration.ofSeconds(30));

        SpanData enqueue = awaitSpan("enqueue mail.send");
        SpanData run = awaitSpan("run mail.send");
        assertThat(run.getTraceId()).isEqualTo(request.context().traceId());
        assertThat(run.getParentSpanId()).isEqualTo(enqueue.getSpanId());
        assertThat(run.getLinks()).isEmpty();
    }

    @Test
    void everyAttemptOfARetriedJobLinksToTheSameEnqueue() {
        start(true);
        TracedJobs.flakyCalls.set(0);
        JobHandle<Void> job = engine.jobs().enqueue(TracedJobs::flaky);
        job.await(Duration.ofSeconds(30));

        SpanData enqueue = awaitSpan("enqueue mail.flaky");
        List<SpanData> runs = await().until(() -> named("run mail.flaky"), found -> found.size() == 2);
        assertThat(runs)
                .allSatisfy(run -> assertThat(run.getLinks())
                        .extracting(link -> link.getSpanContext().getSpanId())
                        .containsExactly(enqueue.getSpanId()));
        SpanData first = runs.stream()
                .filter(run -> "1".equals(run.getAttributes().get(AttributeKey.stringKey("taskbound.attempt"))))
                .findFirst()
                .orElseThrow();
        assertThat(first.getAttributes().get(AttributeKey.stringKey("outcome"))).isEqualTo("failed-will-retry");
        assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(first.getEvents()).anyMatch(event -> event.getName().equals("exception"));
        SpanData second = runs.stream().filter(run -> run != first).findFirst().orElseThrow();
        assertThat(second.getAttributes().get(AttributeKey.stringKey("outcome")))
                .isEqualTo("succeeded");
    }

    @Test
    void aJobMadeByAScheduleLinksToTheFiresSpan() {
        start(true);
        engine.jobs().recurring("digest").every(Duration.ofSeconds(1)).call(TracedJobs::digest);

        SpanData run = awaitSpan("run mail.digest");
        SpanData fire = named("enqueue mail.digest").stream()
                .filter(span -> span.getSpanId()
                        .equals(run.getLinks().getFirst().getSpanContext().getSpanId()))
                .findFirst()
                .orElseThrow();
        assertThat(fire.getAttributes().get(AttributeKey.stringKey("taskbound.schedule")))
                .isEqualTo("digest");
    }

    @Test
    void aJobTriggeredFromASchedulePartOfTheCallersTraceToo() {
        Tracer tracer = start(true);
        engine.jobs().recurring("digest").every(Duration.ofHours(1)).call(TracedJobs::digest);
        Span request = tracer.nextSpan().name("POST /schedules/digest/trigger").start();
        UUID triggered = inSpan(
                tracer,
                request,
                () -> engine.jobs().schedules().trigger("digest").id());

        SpanData enqueue = awaitSpan("enqueue mail.digest");
        assertThat(enqueue.getTraceId()).isEqualTo(request.context().traceId());
        assertThat(enqueue.getAttributes().get(AttributeKey.stringKey("taskbound.job.id")))
                .isEqualTo(triggered.toString());
        SpanData run = awaitSpan("run mail.digest");
        assertThat(run.getLinks().getFirst().getSpanContext().getSpanId()).isEqualTo(enqueue.getSpanId());
    }

    @Test
    void theStoredContextIsTheW3cTraceparentOfTheEnqueue() {
        Tracer tracer = start(true);
        Span request = tracer.nextSpan().name("POST /mail").start();
        UUID id = inSpan(
                tracer,
                request,
                () -> engine.jobs().enqueue(TracedJobs::send, 3).id());
        SpanData enqueue = awaitSpan("enqueue mail.send");

        String stored = storedContext(id);
        Traceparent traceparent = Traceparent.parse(TraceHeaders.decode(stored).get(Traceparent.HEADER));
        assertThat(traceparent).isEqualTo(new Traceparent(enqueue.getTraceId(), enqueue.getSpanId(), true));
        assertThat(engine.jobs().info(id).orElseThrow().traceContext())
                .as("and the API shows it")
                .isEqualTo(stored)
                .startsWith("traceparent: 00-" + enqueue.getTraceId() + "-" + enqueue.getSpanId() + "-");
    }

    @Test
    void aBatchIsOneEnqueueWhoseContextEveryJobCarries() {
        start(true);
        List<UUID> ids = engine
                .jobs()
                .enqueueAll(List.of(
                        engine.jobs().schedule(TracedJobs::send, 5),
                        engine.jobs().schedule(TracedJobs::send, 6),
                        engine.jobs().schedule(TracedJobs::send, 7)))
                .stream()
                .map(JobHandle::id)
                .toList();

        SpanData enqueue = awaitSpan("enqueue mail.send");
        assertThat(named("enqueue mail.send")).hasSize(1);
        assertThat(enqueue.getAttributes().get(AttributeKey.stringKey("taskbound.jobs")))
                .isEqualTo("3");
        assertThat(ids)
                .allSatisfy(id -> assertThat(Traceparent.parse(
                                        TraceHeaders.decode(storedContext(id)).get(Traceparent.HEADER))
                                .spanId())
                        .isEqualTo(enqueue.getSpanId()));
        List<SpanData> runs = await().until(() -> named("run mail.send"), found -> found.size() == 3);
        assertThat(runs)
                .allSatisfy(run -> assertThat(
                                run.getLinks().getFirst().getSpanContext().getSpanId())
                        .isEqualTo(enqueue.getSpanId()));
    }

    @Test
    void aFailingObservationHandlerCostsTheObservationNeverTheJob() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ThrowingHandler());
        engine = TestEngine.startWith(
                dataSource,
                TestSettings.fast(),
                null,
                builder -> builder.tracing(catalog -> new ObservedJobs(observations, catalog)),
                new TracedJobs());

        JobHandle<Void> job = engine.jobs().enqueue(TracedJobs::send, 8);
        job.await(Duration.ofSeconds(30));
        assertThat(engine.awaitState(job.id(), JobState.SUCCEEDED).attempt())
                .as("its scope's failing close did not fail the run")
                .isEqualTo(1);

        engine.jobs().recurring("digest").every(Duration.ofSeconds(1)).call(TracedJobs::digest);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> engine.jobs()
                                .queries()
                                .list(JobFilter.all().named("mail.digest"), null, 10)
                                .items(),
                        fired -> !fired.isEmpty());
    }

    /** Throws where an observation starts (of an enqueue), its scope closes (of a run) and it stops. */
    private static final class ThrowingHandler implements ObservationHandler<Observation.Context> {
        @Override
        public void onStart(Observation.Context context) {
            if (context instanceof EnqueueContext) {
                throw new IllegalStateException("handler broken at start");
            }
        }

        @Override
        public void onScopeClosed(Observation.Context context) {
            throw new IllegalStateException("handler broken at scope close");
        }

        @Override
        public void onStop(Observation.Context context) {
            throw new IllegalStateException("handler broken at stop");
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    @Test
    void nothingIsStoredWhenNothingTraces() {
        engine = TestEngine.start(dataSource, TestSettings.fast(), new TracedJobs());
        UUID id = engine.jobs().enqueue(TracedJobs::send, 4).id();
        assertThat(storedContext(id)).isNull();
        assertThat(engine.jobs().info(id).orElseThrow().traceContext()).isNull();
    }

    private Tracer start(boolean linkRuns) {
        OtelCurrentTraceContext context = new OtelCurrentTraceContext();
        Tracer tracer = new OtelTracer(provider.get("taskbound-test"), context, event -> {});
        currentTracer = tracer;
        OtelPropagator propagator = new OtelPropagator(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()), provider.get("taskbound-test"));
        List<ObservationHandler<?>> tracing = new ArrayList<>();
        if (linkRuns) {
            tracing.add(new LinkedRunHandler(tracer));
        }
        tracing.add(new PropagatingSenderTracingObservationHandler<>(tracer, propagator));
        tracing.add(new PropagatingReceiverTracingObservationHandler<>(tracer, propagator));
        tracing.add(new DefaultTracingObservationHandler(tracer));
        ObservationRegistry observations = ObservationRegistry.create();
        observations
                .observationConfig()
                .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(tracing));
        engine = TestEngine.startWith(
                dataSource,
                TestSettings.fast(),
                null,
                builder -> builder.tracing(catalog -> new ObservedJobs(observations, catalog)),
                new TracedJobs());
        return tracer;
    }

    /** What {@code call} returns, called with {@code span} current, as in a traced request; ends the span. */
    private static <T> T inSpan(Tracer tracer, Span span, Supplier<T> call) {
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            return call.get();
        } finally {
            span.end();
        }
    }

    private SpanData awaitSpan(String name) {
        return await().until(() -> named(name), found -> !found.isEmpty()).getFirst();
    }

    private List<SpanData> named(String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .toList();
    }

    private String storedContext(UUID id) {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("select trace_context from taskbound_job where id = ?")) {
            select.setObject(1, id);
            try (var rows = select.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
