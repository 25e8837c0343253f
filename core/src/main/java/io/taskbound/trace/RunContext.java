package io.taskbound.trace;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.taskbound.Bound;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The context of a {@code taskbound.run} observation: one run of a job. Its carrier holds the trace
 * headers stored with the job when it was enqueued (empty when nothing traced the enqueue), so that
 * a tracing handler can link the run's span to the enqueue's, or make it its child.
 */
public final class RunContext extends ReceiverContext<Map<String, String>> {

    private final UUID jobId;
    private final String jobName;
    private final String lane;
    private final @Nullable Bound bound;
    private final int attempt;

    RunContext(
            UUID jobId, String jobName, String lane, @Nullable Bound bound, int attempt, Map<String, String> headers) {
        super((carrier, key) -> carrier.get(key), Kind.CONSUMER);
        setCarrier(headers);
        this.jobId = jobId;
        this.jobName = jobName;
        this.lane = lane;
        this.bound = bound;
        this.attempt = attempt;
    }

    public UUID jobId() {
        return jobId;
    }

    public String jobName() {
        return jobName;
    }

    public String lane() {
        return lane;
    }

    /** The bound the job declares; null for a job not registered on this node. */
    public @Nullable Bound bound() {
        return bound;
    }

    /** The run's attempt, from 1. */
    public int attempt() {
        return attempt;
    }
}
