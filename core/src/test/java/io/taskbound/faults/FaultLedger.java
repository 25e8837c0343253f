package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * What a fault test's jobs did, counted where it happens: how often each job key's effect ran, on
 * whichever node ran it; and what the store says of them, read by SQL on a pool the fault leaves
 * alone. The figures every fault test asserts and prints: lost, dead, duplicated.
 */
final class FaultLedger {

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    /** Records one run of the job with {@code key}; called by the job itself. */
    void ran(String key) {
        runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Whether the job with {@code key} has run at least once. */
    boolean hasRun(String key) {
        return runs.containsKey(key);
    }

    /** Job keys whose effect happened more than once. */
    long duplicates() {
        return runs.values().stream().filter(count -> count.get() > 1).count();
    }

    /** Job keys whose effect happened at least once. */
    int distinctRuns() {
        return runs.size();
    }

    /** Stored jobs called {@code name} by state. */
    static Map<String, Long> states(DataSource direct, String name) {
        Map<String, Long> states = new TreeMap<>();
        try (Connection connection = direct.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select state, count(*) from taskbound_job where name = ? group by state")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the job store", e);
        }
        return states;
    }

    /** The highest attempt among stored jobs called {@code name}: 1 when no run was charged twice. */
    static int highestAttempt(DataSource direct, String name) {
        try (Connection connection = direct.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select coalesce(max(attempt), 0) from taskbound_job where name = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the job store", e);
        }
    }

    /**
     * Asserts the outcome every fault test promises for the {@code enqueued} jobs called {@code
     * name}: all stored and SUCCEEDED (nothing lost, nothing dead, none left retrying), no attempt
     * charged twice, and each job's effect exactly once.
     */
    void assertNothingLostNothingDeadNothingTwice(DataSource direct, String name, int enqueued) {
        assertThat(states(direct, name)).as("stored states of %s", name).isEqualTo(Map.of("SUCCEEDED", (long)
                enqueued));
        assertThat(highestAttempt(direct, name)).as("highest attempt").isEqualTo(1);
        assertThat(distinctRuns()).as("jobs whose effect happened").isEqualTo(enqueued);
        assertThat(duplicates()).as("jobs whose effect happened twice").isZero();
    }

    /** The figures line a fault test prints: {@code FAULT <name>: <recovery>, 200 jobs, 0 lost, ...}. */
    String report(String fault, String recovery, DataSource direct, String name, int enqueued) {
        Map<String, Long> states = states(direct, name);
        long succeeded = states.getOrDefault("SUCCEEDED", 0L);
        return "FAULT " + fault + ": " + recovery + ", " + enqueued + " jobs, " + (enqueued - succeeded) + " lost, "
                + states.getOrDefault("DEAD", 0L) + " dead, " + duplicates() + " duplicates";
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
    }
}
