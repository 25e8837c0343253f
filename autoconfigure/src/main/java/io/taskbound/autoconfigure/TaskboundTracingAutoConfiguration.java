package io.taskbound.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.taskbound.trace.LinkedRunHandler;
import io.taskbound.trace.ObservedJobs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of Taskbound's observations: {@code taskbound.enqueue} and {@code
 * taskbound.run} in the application's {@link ObservationRegistry}, so that a tracing bridge makes
 * spans of them and stores each enqueue's trace context with its jobs. With Micrometer Tracing, each
 * run's span starts a trace of its own linked to its enqueue's ({@link LinkedRunHandler}), or is the
 * enqueue's child with {@code taskbound.tracing.run-span=child}. {@code
 * taskbound.tracing.enabled=false} turns it off.
 */
@AutoConfiguration(
        before = TaskboundAutoConfiguration.class,
        after = {ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class})
@ConditionalOnClass({ObservationRegistry.class, ObservedJobs.class})
@ConditionalOnBooleanProperty(name = "taskbound.tracing.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TaskboundTracingProperties.class)
public final class TaskboundTracingAutoConfiguration {

    /**
     * Ahead of Micrometer's receiver handler ({@value
     * MicrometerTracingAutoConfiguration#RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER}), which would
     * make the run's span the enqueue's child: the first tracing handler that supports a context
     * handles it.
     */
    static final int LINKED_RUN_HANDLER_ORDER =
            MicrometerTracingAutoConfiguration.RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER - 100;

    // The registry is asked for when the engine is built, so that its handlers are all in place.
    // The registry is asked for when the engine is built, so that its handlers are all in place.
    // The properties are bound here, so that a run-span that is neither link nor child is refused.
    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    TaskboundEngineCustomizer taskboundObservations(
            ObjectProvider<ObservationRegistry> registry, TaskboundTracingProperties properties) {
        return builder -> builder.tracing(catalog -> new ObservedJobs(registry.getObject(), catalog));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Tracer.class, LinkedRunHandler.class})
    @ConditionalOnBean(Tracer.class)
    @ConditionalOnExpression("!'${taskbound.tracing.run-span:link}'.trim().equalsIgnoreCase('child')")
    static class LinkedRuns {

        @Bean
        @ConditionalOnMissingBean
        @Order(LINKED_RUN_HANDLER_ORDER)
        LinkedRunHandler taskboundLinkedRunHandler(Tracer tracer) {
            return new LinkedRunHandler(tracer);
        }
    }
}
