package io.taskbound.run;

import io.taskbound.JobContext;
import io.taskbound.job.ArgumentCodec;
import io.taskbound.job.ArgumentDecodingException;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.JobDefinition;
import io.taskbound.store.ClaimedJob;
import org.jspecify.annotations.Nullable;

/**
 * A job's method called in this JVM: its arguments decoded from JSON, the registered method invoked,
 * and its result encoded as JSON for the store.
 */
final class LocalInvocation {

    private final JobCatalog registry;
    private final ArgumentCodec codec;

    LocalInvocation(JobCatalog registry, ArgumentCodec codec) {
        this.registry = registry;
        this.codec = codec;
    }

    /** Calls the job's method on this thread; throws what it threw, or why it could not be called. */
    Returned invoke(ClaimedJob job, JobContext context) throws Throwable {
        JobDefinition definition = registry.find(job.name());
        if (definition == null) {
            throw new ArgumentDecodingException("Job \"" + job.name() + "\" is not registered on this node");
        }
        Object[] arguments = codec.decodeArguments(definition, job.argumentsJson());
        return new Returned(definition, definition.invoke(arguments, context));
    }

    /** What a job's method returned, not yet encoded: it is encoded only when it counts. */
    record Returned(JobDefinition definition, @Nullable Object result) {}

    /** The result as JSON; throws {@link UnstorableResultException} when it cannot be stored. */
    @Nullable
    String encode(Returned returned) {
        JobDefinition definition = returned.definition();
        String json;
        try {
            json = codec.encodeResult(definition, returned.result());
        } catch (RuntimeException e) {
            throw new UnstorableResultException(
                    "Result of job \"" + definition.name() + "\" ("
                            + definition.resultType().getTypeName() + ") cannot be written as JSON: " + e.getMessage()
                            + "; return a plain data object (a record or DTO) instead",
                    e);
        }
        return storable(definition.name(), json);
    }

    /** {@code json} if PostgreSQL can store it; throws {@link UnstorableResultException} if not. */
    static @Nullable String storable(String jobName, @Nullable String json) {
        if (StoredText.holdsNul(json)) {
            throw new UnstorableResultException("Result of job \"" + jobName
                    + "\" holds a NUL character (\\u0000), which PostgreSQL cannot store; remove it from the result");
        }
        return json;
    }
}
