package io.taskbound.schedule;

import io.taskbound.job.JobDefinition;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.JobIds;
import io.taskbound.store.NewJob;
import io.taskbound.store.StoredSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The job a schedule makes: its job's definition, with the options the schedule overrides. */
public final class ScheduledJobs {

    private ScheduledJobs() {}

    /** The job of {@code schedule}, to run at {@code runAt} (null for now); not yet tied to a fire time. */
    public static NewJob newJob(
            JobDefinition definition, StoredSchedule schedule, TaskboundSettings settings, @Nullable Instant runAt) {
        String lane = Objects.requireNonNullElse(schedule.lane(), definition.lane());
        int maxAttempts = schedule.maxAttempts() != null ? schedule.maxAttempts() : definition.maxAttempts();
        return new NewJob(
                JobIds.next(),
                definition.name(),
                lane,
                definition.bound(),
                Objects.requireNonNullElse(schedule.priority(), definition.priority()),
                runAt,
                Duration.ZERO,
                maxAttempts > 0 ? maxAttempts : settings.lane(lane).maxAttempts(),
                definition.timeout(),
                schedule.argumentsJson(),
                null);
    }
}
