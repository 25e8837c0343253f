package io.taskbound.engine;

import io.taskbound.JobHandle;
import io.taskbound.JobRequest;
import io.taskbound.job.JobDefinition;
import io.taskbound.settings.LaneSettings;
import io.taskbound.store.JobIds;
import io.taskbound.store.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

final class DefaultJobRequest<R> implements JobRequest<R> {

    private final DefaultJobs jobs;
    private final JobDefinition definition;
    private String argumentsJson;
    private @Nullable Duration timeout;
    private int priority;
    private @Nullable String uniqueKey;
    private String lane;
    private int maxAttempts;

    DefaultJobRequest(DefaultJobs jobs, JobDefinition definition, String argumentsJson) {
        this.jobs = jobs;
        this.definition = definition;
        this.argumentsJson = argumentsJson;
        this.priority = definition.priority();
        this.lane = definition.lane();
        this.maxAttempts = definition.maxAttempts();
        this.timeout = definition.timeout();
    }

    @Override
    public JobRequest<R> priority(int priority) {
        this.priority = priority;
        return this;
    }

    @Override
    public JobRequest<R> uniqueKey(String uniqueKey) {
        if (uniqueKey == null || uniqueKey.isBlank()) {
            throw new IllegalArgumentException("Unique key of job \"" + definition.name() + "\" must not be blank");
        }
        this.uniqueKey = uniqueKey;
        return this;
    }

    @Override
    public JobRequest<R> lane(String lane) {
        if (!jobs.settings().lanes().containsKey(lane)) {
            throw new IllegalArgumentException("Unknown lane \"" + lane + "\" for job \"" + definition.name()
                    + "\": use one of " + jobs.settings().lanes().keySet());
        }
        this.lane = lane;
        return this;
    }

    @Override
    public JobRequest<R> maxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "Max attempts of job \"" + definition.name() + "\" must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        return this;
    }

    /**
     * How long a run may take, instead of the job's own timeout. Not on {@link JobRequest}: only
     * commands, whose one job runs whatever it is given, need it per call so far.
     */
    void timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "Timeout of job \"" + definition.name() + "\" must be positive, was " + timeout);
        }
        this.timeout = timeout;
    }

    /** Replaces the arguments, already encoded for the job. */
    void argumentsJson(String argumentsJson) {
        this.argumentsJson = Objects.requireNonNull(argumentsJson, "argumentsJson");
    }

    @Override
    public JobHandle<R> enqueue() {
        return store(null, Duration.ZERO);
    }

    @Override
    public JobHandle<R> in(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException(
                    "Delay of job \"" + definition.name() + "\" must not be negative, was " + delay);
        }
        return store(null, delay);
    }

    @Override
    public JobHandle<R> at(Instant runAt) {
        Objects.requireNonNull(runAt, "runAt");
        return store(runAt, Duration.ZERO);
    }

    private JobHandle<R> store(@Nullable Instant runAt, Duration delay) {
        UUID id = jobs.insert(toNewJob(runAt, delay));
        return jobs.handle(id, definition.resultType());
    }

    /** The row this request stores. */
    NewJob toNewJob(@Nullable Instant runAt, Duration delay) {
        LaneSettings laneSettings = jobs.settings().lane(lane);
        return new NewJob(
                JobIds.next(),
                definition.name(),
                lane,
                definition.bound(),
                priority,
                runAt,
                delay,
                maxAttempts > 0 ? maxAttempts : laneSettings.maxAttempts(),
                timeout,
                argumentsJson,
                uniqueKey);
    }

    JobDefinition definition() {
        return definition;
    }

    String argumentsJson() {
        return argumentsJson;
    }

    /** This request's lane, or null if it is the job's own. */
    @Nullable
    String laneOverride() {
        return lane.equals(definition.lane()) ? null : lane;
    }

    /** This request's priority, or null if it is the job's own. */
    @Nullable
    Integer priorityOverride() {
        return priority == definition.priority() ? null : priority;
    }

    /** This request's attempts, or null if they are the job's own. */
    @Nullable
    Integer maxAttemptsOverride() {
        return maxAttempts == definition.maxAttempts() ? null : maxAttempts;
    }

    java.lang.reflect.Type resultType() {
        return definition.resultType();
    }

    /** Whether this request was made by {@code owner}, so that its definition is this node's. */
    boolean madeBy(DefaultJobs owner) {
        return jobs == owner;
    }
}
