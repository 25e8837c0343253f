package io.taskbound.test;

import io.taskbound.autoconfigure.TaskboundEngineCustomizer;
import io.taskbound.autoconfigure.TaskboundProperties;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The test clock, the engine's settings for a test, and the tester. */
@Configuration(proxyBeanMethods = false)
class TestEngineConfiguration {

    // The node's heartbeats are read on the test clock too: a clock moved ahead by hours must not
    // make the node take itself for dead and re-queue its own running jobs.
    private static final Duration DEAD_NODE_TIMEOUT = Duration.ofDays(3650);

    @Bean
    @ConditionalOnMissingBean
    TestClock taskboundTestClock() {
        return new TestClock();
    }

    @Bean
    TaskboundEngineCustomizer taskboundTestClockCustomizer(TestClock clock) {
        return builder -> builder.clock(clock);
    }

    // The registry carries the engine's settings: the properties' own, with a dead-node timeout
    // the clock cannot pass, and in inline mode every lane on the inline executor.
    @Bean
    @ConditionalOnMissingBean
    JobRegistry taskboundJobRegistry(TaskboundProperties properties, Environment environment) {
        TaskboundSettings settings = properties.toSettings(Runtime.getRuntime().availableProcessors());
        settings = settings.withTimings(
                settings.pollInterval(), settings.heartbeatInterval(), DEAD_NODE_TIMEOUT, settings.shutdownTimeout());
        if (environment.getProperty(InlineConfiguration.INLINE, Boolean.class, false)) {
            for (var lane : settings.lanes().entrySet()) {
                settings = settings.withLane(lane.getKey(), inline(lane.getValue()));
            }
        }
        return new JobRegistry(settings);
    }

    private static LaneSettings inline(LaneSettings lane) {
        return new LaneSettings(
                InlineExecutor.NAME,
                lane.concurrency(),
                lane.priority(),
                lane.batchSize(),
                lane.timeout(),
                lane.maxAttempts(),
                lane.initialBackoff(),
                lane.maxBackoff());
    }

    @Bean
    @ConditionalOnMissingBean
    TaskboundTester taskboundTester(TaskboundEngine engine, TestClock clock, ObjectProvider<InlineExecutor> inline) {
        return new TaskboundTester(engine, clock, inline.getIfAvailable());
    }
}
