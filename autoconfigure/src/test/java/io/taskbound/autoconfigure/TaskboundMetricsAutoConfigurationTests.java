package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskbound.autoconfigure.app.ShopApplication;
import io.taskbound.metrics.JobMetrics;
import io.taskbound.metrics.LaneMetrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TaskboundMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = ShopContexts.onDatabase(
            ShopContexts.shopApplication()
                    .withConfiguration(AutoConfigurations.of(TaskboundMetricsAutoConfiguration.class)),
            ShopContexts.freshDatabaseUrl());

    private final ApplicationContextRunner withMeterRegistry = contextRunner.withConfiguration(AutoConfigurations.of(
            MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class));

    @Test
    void countsJobsAndBindsTheLaneGaugesWhenTheApplicationHasAMeterRegistry() {
        withMeterRegistry.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JobMetrics.class).hasSingleBean(LaneMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            context.getBean(ShopApplication.Shop.class).order(7L, "book", false);

            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> registry.find("taskbound.jobs.finished")
                                    .tags("job", "mailer.confirm", "outcome", "succeeded")
                                    .counter(),
                            counter -> counter != null && counter.count() == 1);
            assertThat(registry.get("taskbound.lane.capacity")
                            .tag("lane", "io")
                            .gauge()
                            .value())
                    .isEqualTo(1000);
        });
    }

    @Test
    void bindsNothingWithoutAMeterRegistry() {
        contextRunner.run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(JobMetrics.class)
                .doesNotHaveBean(LaneMetrics.class));
    }

    @Test
    void bindsNothingWhenTurnedOff() {
        withMeterRegistry
                .withPropertyValues("taskbound.metrics.enabled=false")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(MeterRegistry.class)
                        .doesNotHaveBean(JobMetrics.class)
                        .doesNotHaveBean(LaneMetrics.class));
    }

    @Test
    void bindsNothingInAProcessLanesWorkerJvm() {
        withMeterRegistry
                .withPropertyValues("taskbound.worker=true")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(MeterRegistry.class)
                        .doesNotHaveBean(JobMetrics.class)
                        .doesNotHaveBean(LaneMetrics.class));
    }

    @Test
    void startsWithoutMicrometerOnTheClasspath() {
        contextRunner
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JobMetrics.class));
    }
}
