package io.taskbound.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobEvent;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.TaskboundSettings;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The {@code job} tag takes only names registered on this node, so the series stay few. */
class JobMetricsCardinalityTest {

    public static class Known {
        @Job(name = "reports.render")
        public void render() {}
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobRegistry registry = new JobRegistry(TaskboundSettings.defaults());
    private final JobMetrics metrics = new JobMetrics(meters, registry);

    @Test
    void aThousandUnregisteredNamesMakeOneSeriesTaggedOther() {
        for (int i = 0; i < 1_000; i++) {
            metrics.onEvent(enqueued("tenant-" + i + ".import"));
        }

        assertThat(meters.find(JobMetrics.ENQUEUED).counters()).singleElement().satisfies(counter -> {
            assertThat(counter.getId().getTag("job")).isEqualTo(JobMetrics.OTHER);
            assertThat(counter.count()).isEqualTo(1_000);
        });
    }

    @Test
    void aNameRegisteredAfterTheMetricsWereMadeIsTaggedWithItsName() {
        metrics.onEvent(enqueued("reports.render"));
        registry.register(new Known(), Known.class);
        metrics.onEvent(enqueued("reports.render"));

        assertThat(meters.find(JobMetrics.ENQUEUED).tag("job", JobMetrics.OTHER).counter())
                .extracting(Counter::count)
                .isEqualTo(1.0);
        assertThat(meters.find(JobMetrics.ENQUEUED).tag("job", "reports.render").counter())
                .extracting(Counter::count)
                .isEqualTo(1.0);
    }

    private static JobEvent enqueued(String name) {
        Instant now = Instant.now();
        return new JobEvent(
                JobEvent.Kind.ENQUEUED, UUID.randomUUID(), name, "io", Bound.IO, 0, 3, now, now, null, null, null);
    }
}
