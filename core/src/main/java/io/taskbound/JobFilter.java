package io.taskbound;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which jobs a listing or a bulk action takes: every condition set must hold; an unset one (null,
 * or no states) takes every job. Start from {@link #all()} and narrow it:
 *
 * <pre>{@code
 * JobFilter dead = JobFilter.all().inStates(JobState.DEAD).named("reports.render");
 * }</pre>
 *
 * @param states the states a job may be in; empty for any
 * @param lane the lane, exactly
 * @param name the job's name, exactly
 * @param scheduleId the schedule that made the job
 * @param createdFrom created at or after
 * @param createdBefore created before
 * @param finishedFrom finished at or after (unfinished jobs never match)
 * @param finishedBefore finished before
 * @param argumentsContaining text the job's arguments contain, as stored JSON, ignoring case
 */
public record JobFilter(
        Set<JobState> states,
        @Nullable String lane,
        @Nullable String name,
        @Nullable String scheduleId,
        @Nullable Instant createdFrom,
        @Nullable Instant createdBefore,
        @Nullable Instant finishedFrom,
        @Nullable Instant finishedBefore,
        @Nullable String argumentsContaining) {

    public JobFilter {
        states = states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
        lane = blankToNull(lane);
        name = blankToNull(name);
        scheduleId = blankToNull(scheduleId);
        argumentsContaining = argumentsContaining == null || argumentsContaining.isEmpty() ? null : argumentsContaining;
        if (createdFrom != null && createdBefore != null && !createdFrom.isBefore(createdBefore)) {
            throw new IllegalArgumentException("The created range is empty: from " + createdFrom + " is not before "
                    + createdBefore + "; give a from before the before");
        }
        if (finishedFrom != null && finishedBefore != null && !finishedFrom.isBefore(finishedBefore)) {
            throw new IllegalArgumentException("The finished range is empty: from " + finishedFrom + " is not before "
                    + finishedBefore + "; give a from before the before");
        }
    }

    /** Every job. */
    public static JobFilter all() {
        return new JobFilter(Set.of(), null, null, null, null, null, null, null, null);
    }

    /** Only jobs in one of {@code wanted}. */
    public JobFilter inStates(JobState... wanted) {
        Set<JobState> set = wanted.length == 0 ? Set.of() : EnumSet.of(wanted[0], wanted);
        return new JobFilter(
                set,
                lane,
                name,
                scheduleId,
                createdFrom,
                createdBefore,
                finishedFrom,
                finishedBefore,
                argumentsContaining);
    }

    /** Only jobs of {@code lane}. */
    public JobFilter inLane(String lane) {
        return new JobFilter(
                states,
                lane,
                name,
                scheduleId,
                createdFrom,
                createdBefore,
                finishedFrom,
                finishedBefore,
                argumentsContaining);
    }

    /** Only jobs named {@code name}. */
    public JobFilter named(String name) {
        return new JobFilter(
                states,
                lane,
                name,
                scheduleId,
                createdFrom,
                createdBefore,
                finishedFrom,
                finishedBefore,
                argumentsContaining);
    }

    /** Only jobs made by the schedule {@code scheduleId}. */
    public JobFilter fromSchedule(String scheduleId) {
        return new JobFilter(
                states,
                lane,
                name,
                scheduleId,
                createdFrom,
                createdBefore,
                finishedFrom,
                finishedBefore,
                argumentsContaining);
    }

    /** Only jobs created in [{@code from}, {@code before}); either may be null for no bound. */
    public JobFilter createdBetween(@Nullable Instant from, @Nullable Instant before) {
        return new JobFilter(
                states, lane, name, scheduleId, from, before, finishedFrom, finishedBefore, argumentsContaining);
    }

    /** Only jobs finished in [{@code from}, {@code before}); either may be null for no bound. */
    public JobFilter finishedBetween(@Nullable Instant from, @Nullable Instant before) {
        return new JobFilter(
                states, lane, name, scheduleId, createdFrom, createdBefore, from, before, argumentsContaining);
    }

    /** Only jobs whose stored JSON arguments contain {@code text}, ignoring case. */
    public JobFilter argumentsContaining(String text) {
        Objects.requireNonNull(text, "text");
        return new JobFilter(
                states, lane, name, scheduleId, createdFrom, createdBefore, finishedFrom, finishedBefore, text);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
