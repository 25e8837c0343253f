package io.taskbound.job;

import io.taskbound.JobState;
import io.taskbound.JobTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * How a run ended, as metrics and traces name it in their {@code outcome} tag. A run that timed out
 * and will run again is {@code timed-out}; on its last attempt it is {@code dead}, like any other
 * failure that ends the job, so that {@code dead} alone counts the jobs given up.
 */
public enum RunOutcome {
    SUCCEEDED("succeeded"),
    FAILED_WILL_RETRY("failed-will-retry"),
    TIMED_OUT("timed-out"),
    DEAD("dead"),
    CANCELLED("cancelled");

    private final String tag;

    RunOutcome(String tag) {
        this.tag = tag;
    }

    /** The tag's value. */
    public String tag() {
        return tag;
    }

    /**
     * The outcome of a run that left its job in {@code state}: {@code SUCCEEDED}, {@code RETRYING},
     * {@code DEAD} or {@code CANCELLED}, with the {@code error} written for it, if any.
     */
    public static RunOutcome of(JobState state, @Nullable String error) {
        return switch (state) {
            case SUCCEEDED -> SUCCEEDED;
            case RETRYING -> timedOut(error) ? TIMED_OUT : FAILED_WILL_RETRY;
            case DEAD -> DEAD;
            case CANCELLED -> CANCELLED;
            case QUEUED, RUNNING -> throw new IllegalArgumentException("Not the state a run ends in: " + state);
        };
    }

    // The engine writes a run that overran its timeout as a JobTimeoutException, whatever the job threw.
    private static boolean timedOut(@Nullable String error) {
        return error != null && error.startsWith(JobTimeoutException.class.getName());
    }
}
