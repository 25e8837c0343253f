package io.taskbound.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Taskbound's observations, {@code taskbound.tracing.*}.
 *
 * @param enabled whether enqueues and runs are observed in the application's {@code
 *     ObservationRegistry}
 * @param runSpan how a run's span relates to the span of the enqueue that stored its job
 */
@ConfigurationProperties("taskbound.tracing")
public record TaskboundTracingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("link") RunSpan runSpan) {

    /** How a run's span relates to its enqueue's. */
    public enum RunSpan {
        /** A trace of its own, linked to the enqueue's span. */
        LINK,
        /** The enqueue's child, in the enqueuing code's trace. */
        CHILD
    }
}
