package io.taskbound.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.metrics.JobMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Taskbound's Micrometer metrics: job counters and timers from the engine's
 * job events, and gauges of its lanes and schedules, in the application's {@link MeterRegistry}.
 * Needs Micrometer on the classpath and a registry bean (Spring Boot Actuator makes one);
 * {@code taskbound.metrics.enabled=false} turns it off.
 */
@AutoConfiguration(
        after = {
            TaskboundAutoConfiguration.class,
            MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class
        })
@ConditionalOnClass({MeterRegistry.class, JobMetrics.class})
@ConditionalOnBean({MeterRegistry.class, TaskboundEngine.class})
@ConditionalOnBooleanProperty(name = "taskbound.metrics.enabled", matchIfMissing = true)
@Import(TaskboundMetricsConfiguration.class)
public final class TaskboundMetricsAutoConfiguration {}
