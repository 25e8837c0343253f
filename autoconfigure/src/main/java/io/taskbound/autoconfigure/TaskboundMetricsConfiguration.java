package io.taskbound.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.metrics.JobMetrics;
import io.taskbound.metrics.LaneMetrics;
import io.taskbound.registry.JobRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

// Not in a process lane's worker JVM: its engine does not run, and its runs are counted by the node
// that handed them over; its lane gauges would only query the store from every worker.
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "taskbound.worker", havingValue = false, matchIfMissing = true)
class TaskboundMetricsConfiguration {

    // A JobListener bean: the engine registers it when it starts, like any other listener.
    @Bean
    @ConditionalOnMissingBean
    JobMetrics taskboundJobMetrics(MeterRegistry registry, JobRegistry jobs) {
        return new JobMetrics(registry, jobs);
    }

    // A MeterBinder bean: Spring Boot binds it to every registry it configures.
    @Bean
    @ConditionalOnMissingBean
    LaneMetrics taskboundLaneMetrics(TaskboundEngine engine) {
        return new LaneMetrics(engine);
    }
}
