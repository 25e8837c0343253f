package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.taskbound.autoconfigure.app.ShopApplication;
import io.taskbound.trace.LinkedRunHandler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Taskbound's spans in an application traced the way Spring Boot sets it up with OpenTelemetry:
 * the enqueue in the calling code's trace, each run in one of its own linked to it, or the
 * enqueue's child when so configured.
 */
class TaskboundTracingAutoConfigurationTests {

    private final ApplicationContextRunner traced = ShopContexts.onDatabase(
                    ShopContexts.shopApplication()
                            .withConfiguration(AutoConfigurations.of(
                                    ObservationAutoConfiguration.class,
                                    OpenTelemetrySdkAutoConfiguration.class,
                                    OpenTelemetryTracingAutoConfiguration.class,
                                    MicrometerTracingAutoConfiguration.class,
                                    TaskboundTracingAutoConfiguration.class)),
                    ShopContexts.freshDatabaseUrl())
            .withUserConfiguration(SpanCapture.class)
            .withPropertyValues("management.tracing.sampling.probability=1.0");

    @Configuration(proxyBeanMethods = false)
    static class SpanCapture {
        @Bean
        InMemorySpanExporter spans() {
            return InMemorySpanExporter.create();
        }

        @Bean
        SpanProcessor capturing(InMemorySpanExporter spans) {
            return SimpleSpanProcessor.create(spans);
        }
    }

    @Test
    void aRunsSpanIsLinkedToTheEnqueueInTheRequestsTrace() {
        traced.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LinkedRunHandler.class);
            Span request = orderInASpan(context);

            SpanData enqueue = awaitSpan(context, "enqueue mailer.confirm");
            SpanData run = awaitSpan(context, "run mailer.confirm");
            assertThat(enqueue.getTraceId()).isEqualTo(request.context().traceId());
            assertThat(enqueue.getParentSpanId()).isEqualTo(request.context().spanId());
            assertThat(run.getTraceId()).isNotEqualTo(request.context().traceId());
            assertThat(run.getLinks()).hasSize(1);
            assertThat(run.getLinks().getFirst().getSpanContext().getSpanId()).isEqualTo(enqueue.getSpanId());
        });
    }

    @Test
    void aRunsSpanIsTheEnqueuesChildWhenConfigured() {
        traced.withPropertyValues("taskbound.tracing.run-span=child").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(LinkedRunHandler.class);
            Span request = orderInASpan(context);

            SpanData enqueue = awaitSpan(context, "enqueue mailer.confirm");
            SpanData run = awaitSpan(context, "run mailer.confirm");
            assertThat(run.getTraceId()).isEqualTo(request.context().traceId());
            assertThat(run.getParentSpanId()).isEqualTo(enqueue.getSpanId());
        });
    }

    @Test
    void aRunSpanSettingThatIsNeitherIsRefusedByName() {
        traced.withPropertyValues("taskbound.tracing.run-span=sibling").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("taskbound.tracing.run-span");
        });
    }

    @Test
    void nothingIsObservedWhenTurnedOff() {
        traced.withPropertyValues("taskbound.tracing.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(LinkedRunHandler.class);
            orderInASpan(context);
            // The enqueue's span would have ended inside order(), before it returned.
            assertThat(spans(context)).extracting(SpanData::getName).containsExactly("POST /orders");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> context.getBean(ShopApplication.Mailer.class)
                            .confirmed
                            .contains(7L));
        });
    }

    private static Span orderInASpan(AssertableApplicationContext context) {
        Tracer tracer = context.getBean(Tracer.class);
        Span request = tracer.nextSpan().name("POST /orders").start();
        try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
            context.getBean(ShopApplication.Shop.class).order(7L, "book", false);
        } finally {
            request.end();
        }
        return request;
    }

    private static SpanData awaitSpan(AssertableApplicationContext context, String name) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> spans(context).stream()
                                .filter(span -> span.getName().equals(name))
                                .toList(),
                        found -> !found.isEmpty())
                .getFirst();
    }

    private static List<SpanData> spans(AssertableApplicationContext context) {
        return context.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
    }
}
