package io.taskbound.schedule;

import io.taskbound.InvalidScheduleException;
import io.taskbound.store.ScheduleStore;
import io.taskbound.store.StoredSchedule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the stored schedules match the {@code @Recurring} methods at start-up: creates the new
 * ones, updates the changed ones, deletes those gone from the code. Schedules created through the
 * API are never touched. Nodes starting together take turns, under a database lock.
 */
public final class ScheduleReconciler {

    private static final Logger log = LoggerFactory.getLogger(ScheduleReconciler.class);

    private final ScheduleStore store;

    public ScheduleReconciler(ScheduleStore store) {
        this.store = store;
    }

    /** What reconciliation did. */
    public record Outcome(int created, int updated, int removed) {}

    /**
     * @throws InvalidScheduleException if a declared schedule's id is taken by a schedule created
     *     through the API
     */
    public Outcome reconcile(List<RecurringDefinition> declared) {
        Outcome outcome = store.reconcile((stored, now, rows) -> {
            Map<String, StoredSchedule> byId = new HashMap<>();
            stored.forEach(schedule -> byId.put(schedule.id(), schedule));
            int created = 0, updated = 0, removed = 0;
            Set<String> ids = new HashSet<>();
            for (RecurringDefinition definition : declared) {
                ids.add(definition.id());
                StoredSchedule current = byId.get(definition.id());
                if (current == null) {
                    rows.save(definition.toStored(now));
                    created++;
                } else if (current.declaredBy() == null) {
                    throw new InvalidScheduleException("Schedule id \"" + definition.id() + "\" of @Recurring method "
                            + definition.declaredBy() + " is taken by a schedule created through the API: delete"
                            + " that one (jobs.schedules().delete(\"" + definition.id() + "\")) or give the"
                            + " annotation another id");
                } else if (!definition.matches(current)) {
                    rows.save(definition.applyTo(current, now));
                    updated++;
                }
            }
            for (StoredSchedule schedule : stored) {
                if (schedule.declaredBy() != null && !ids.contains(schedule.id())) {
                    rows.delete(schedule.id());
                    removed++;
                }
            }
            return new Outcome(created, updated, removed);
        });
        if (outcome.created() + outcome.updated() + outcome.removed() > 0) {
            log.info(
                    "Recurring schedules reconciled with the code: {} created, {} updated, {} removed",
                    outcome.created(),
                    outcome.updated(),
                    outcome.removed());
        }
        return outcome;
    }
}
