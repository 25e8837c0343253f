package io.taskbound.store;

import io.taskbound.JobState;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The part of a job that a waiting caller needs: where it is, and its result or error. The name is
 * null where the snapshot comes from an outcome rather than from the table.
 */
public record JobSnapshot(
        UUID id,
        @Nullable String name,
        JobState state,
        @Nullable String resultJson,
        @Nullable String error) {}
