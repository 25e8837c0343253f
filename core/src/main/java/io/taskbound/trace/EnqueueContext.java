package io.taskbound.trace;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The context of a {@code taskbound.enqueue} observation: the jobs an enqueue stores, or a schedule
 * makes. Its carrier collects the trace headers that a tracing handler's propagator writes, which
 * are stored with each job for its runs.
 */
public final class EnqueueContext extends SenderContext<Map<String, String>> {

    private final String jobName;
    private final String lane;
    private final int jobs;

    EnqueueContext(String jobName, String lane, int jobs) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
        setCarrier(new LinkedHashMap<>(4));
        this.jobName = jobName;
        this.lane = lane;
        this.jobs = jobs;
    }

    /** The name of the job enqueued, or of the first one when several are enqueued at once. */
    public String jobName() {
        return jobName;
    }

    /** The lane of the job enqueued, or of the first one. */
    public String lane() {
        return lane;
    }

    /** How many jobs the enqueue stores. */
    public int jobs() {
        return jobs;
    }
}
