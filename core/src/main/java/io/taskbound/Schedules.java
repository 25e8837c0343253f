package io.taskbound;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stored schedules, at runtime: list, pause, resume, trigger, change and delete. Schedules
 * declared with {@code @Recurring} can be paused, resumed and triggered here; their definition
 * lives in the code. Changes take effect on every node at once.
 */
public interface Schedules {

    /** Every schedule, by id. */
    List<ScheduleInfo> list();

    Optional<ScheduleInfo> find(String id);

    /**
     * Stops firing until {@link #resume}; a job already made keeps running.
     *
     * @throws UnknownScheduleException if no schedule has this id
     */
    ScheduleInfo pause(String id);

    /** Fires again from the next fire time after now; fire times that passed while paused are not made up. */
    ScheduleInfo resume(String id);

    /**
     * Makes one job of the schedule now, whatever its overlap policy and even while paused; the
     * schedule's next fire time stays as it is.
     */
    JobHandle<Object> trigger(String id);

    /**
     * Starts a change of a schedule created through the API, with its current settings.
     *
     * @throws UnknownScheduleException if no schedule has this id
     * @throws InvalidScheduleException if a {@code @Recurring} method declares it
     */
    RecurringRequest update(String id);

    /**
     * Deletes a schedule created through the API; jobs it made stay. Returns whether it existed.
     *
     * @throws InvalidScheduleException if a {@code @Recurring} method declares it: remove the
     *     annotation, or pause the schedule
     */
    boolean delete(String id);

    /** The next {@code count} fire times of a stored schedule from now. */
    List<Instant> preview(String id, int count);
}
