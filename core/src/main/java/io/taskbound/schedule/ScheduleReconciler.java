package io.taskbound.schedule;

import io.taskbound.InvalidScheduleException;
import io.taskbound.store.ScheduleStore;
import io.taskbound.store.StoredSchedule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the stored schedules match the {@code @Recurring} methods at start-up: creates the new
 * ones, updates the changed ones, deletes those gone from the code. Schedules created through the
 * API are never touched. Nodes starting together take turns, under a database lock.
 *
 * <p>During a rolling deploy, old and new code run side by side, and a node of the old code may
 * start after one of the new (the last old instance replaced late, an autoscaler using the old
 * image). The stored schedules follow the newest code that runs: the set of schedules a build
 * declares is known by a fingerprint, the cluster records when it first saw each set, and a node
 * reconciles only if no live node runs a set first seen after its own. Otherwise it leaves the
 * schedules as the newer code declared them and fires those whose jobs it has. A rollback takes
 * effect at the first start of an old node once no node of the newer code is alive.
 */
public final class ScheduleReconciler {

    private static final Logger log = LoggerFactory.getLogger(ScheduleReconciler.class);

    private final ScheduleStore store;
    private final List<RecurringDefinition> declared;
    private final ScheduleStore.DeclaringCode code;

    /**
     * @param nodeId the node, registered with {@link #fingerprint} of {@code declared} before it
     *     reconciles, so that nodes starting together see each other
     * @param liveWithin how recent a node's heartbeat must be for its code to count: the dead-node
     *     timeout
     */
    public ScheduleReconciler(
            ScheduleStore store, List<RecurringDefinition> declared, UUID nodeId, Duration liveWithin) {
        this.store = store;
        this.declared = List.copyOf(declared);
        this.code = new ScheduleStore.DeclaringCode(nodeId, fingerprint(declared), liveWithin);
    }

    /**
     * The fingerprint of a set of declared schedules: a hash of each one's id and of everything
     * reconciliation would write, sorted by id, so that the same code gives the same fingerprint on
     * every node and any change of a declaration gives another.
     */
    public static String fingerprint(List<RecurringDefinition> declared) {
        StringBuilder text = new StringBuilder();
        declared.stream()
                .sorted(Comparator.comparing(RecurringDefinition::id))
                .forEach(d -> text.append(String.join(
                                "\u001f",
                                d.id(),
                                d.jobName(),
                                String.valueOf(d.timing().cron()),
                                String.valueOf(d.timing().every()),
                                d.timing().cron() == null
                                        ? ""
                                        : d.timing().zone().getId(),
                                d.misfire().name(),
                                Integer.toString(d.maxCatchUp()),
                                d.overlap().name(),
                                d.jitter().toString(),
                                d.declaredBy()))
                        .append('\n'));
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** The fingerprint of the schedules this node declares. */
    public String scheduleSet() {
        return code.scheduleSet();
    }

    /** What reconciliation did; {@code deferredTo} is the node of newer code it left them to, if any. */
    public record Outcome(int created, int updated, int removed, ScheduleStore.@Nullable NewerCode deferredTo) {

        static Outcome deferred(ScheduleStore.NewerCode newer) {
            return new Outcome(0, 0, 0, newer);
        }

        /** Whether the stored schedules were left to a node of newer code. */
        public boolean deferred() {
            return deferredTo != null;
        }
    }

    /**
     * @throws InvalidScheduleException if a declared schedule's id is taken by a schedule created
     *     through the API
     */
    public Outcome reconcile() {
        Outcome outcome = store.reconcile(code, this::reconcile, Outcome::deferred);
        if (outcome.deferred()) {
            ScheduleStore.NewerCode newer = outcome.deferredTo();
            log.info(
                    "Recurring schedules left as newer code declared them: node {} runs schedule set {} (first seen"
                            + " {}), this node's set {} was first seen {}. This node fires the stored schedules whose"
                            + " jobs it has; its own declarations take effect when it starts with no node of newer"
                            + " code alive",
                    newer.nodeName(),
                    shortly(newer.scheduleSet()),
                    newer.firstSeenAt(),
                    shortly(code.scheduleSet()),
                    newer.ownFirstSeenAt());
        } else if (outcome.created() + outcome.updated() + outcome.removed() > 0) {
            log.info(
                    "Recurring schedules reconciled with the code: {} created, {} updated, {} removed",
                    outcome.created(),
                    outcome.updated(),
                    outcome.removed());
        }
        return outcome;
    }

    private Outcome reconcile(List<StoredSchedule> stored, Instant now, ScheduleStore.Rows rows) throws SQLException {
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
        return new Outcome(created, updated, removed, null);
    }

    private static String shortly(String fingerprint) {
        return fingerprint.substring(0, 12);
    }
}
