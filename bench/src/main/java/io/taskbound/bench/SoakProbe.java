package io.taskbound.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What the soak stream's job body calls: it records, in this worker JVM, when each job of the
 * stream's first and last minute started, and how many jobs ran in each second of the stream.
 * Jobs of the minutes between are only counted: ten minutes of a fast contender's stream are
 * millions of jobs, and only the first and last minute are reported.
 *
 * <p>The stream enqueues a batch of {@code perBatch} jobs per tick, job {@code index} in batch
 * {@code index / perBatch}, so a job's enqueue time is its batch's, kept once per batch.
 */
public final class SoakProbe {

    private static volatile @Nullable Recording recording;

    private SoakProbe() {}

    /** Starts recording a stream of {@code minutes} minutes of {@code batchesPerMinute} batches. */
    static Recording begin(int perBatch, int batchesPerMinute, int minutes) {
        Recording started = new Recording(perBatch, batchesPerMinute, minutes);
        recording = started;
        return started;
    }

    /** Stops recording; jobs that run afterwards are ignored. */
    static void end() {
        recording = null;
    }

    /** The body of the soak's job: it does nothing, so its run finishes as it starts. */
    static void ran(int index) {
        long now = System.nanoTime();
        Recording current = recording;
        if (current != null) {
            current.ran(index, now);
        }
    }

    /** Total size of {@code tables} with their indexes and TOAST, in MB; tables that do not exist count 0. */
    static double tableMegabytes(DataSource dataSource, List<String> tables) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement size =
                        connection.prepareStatement("select coalesce(sum(pg_total_relation_size(to_regclass(t))), 0)"
                                + " from unnest(?::text[]) t")) {
            size.setArray(1, connection.createArrayOf("text", tables.toArray()));
            try (ResultSet rows = size.executeQuery()) {
                rows.next();
                return rows.getLong(1) / (1024.0 * 1024.0);
            }
        }
    }

    /** One soak stream's record. */
    static final class Recording {
        /** Seconds after the stream's planned end in which runs are still counted. */
        private static final int SECONDS_AFTER = 120;

        private final int perBatch;
        private final int batchesPerMinute;
        private final int minutes;
        /** When each batch's enqueue call began; written and read by the stream's thread only. */
        private final long[] enqueuedAt;

        private final AtomicLongArray firstMinuteStarts;
        private final AtomicLongArray lastMinuteStarts;
        private final AtomicLongArray runsPerSecond;
        private volatile long startNanos = Long.MAX_VALUE;

        private Recording(int perBatch, int batchesPerMinute, int minutes) {
            this.perBatch = perBatch;
            this.batchesPerMinute = batchesPerMinute;
            this.minutes = minutes;
            this.enqueuedAt = new long[batchesPerMinute * minutes];
            int jobsPerMinute = perBatch * batchesPerMinute;
            this.firstMinuteStarts = new AtomicLongArray(jobsPerMinute);
            this.lastMinuteStarts = minutes == 1 ? firstMinuteStarts : new AtomicLongArray(jobsPerMinute);
            this.runsPerSecond = new AtomicLongArray(minutes * 60 + SECONDS_AFTER);
        }

        /** The stream begins now: seconds are counted from here. */
        void start(long nanos) {
            startNanos = nanos;
        }

        long startNanos() {
            return startNanos;
        }

        int batches() {
            return enqueuedAt.length;
        }

        int perBatch() {
            return perBatch;
        }

        /** Batch {@code batch}'s enqueue call begins now, before any of its jobs can start. */
        void enqueuing(int batch) {
            enqueuedAt[batch] = System.nanoTime();
        }

        private void ran(int index, long now) {
            int batch = index / perBatch;
            int minute = batch / batchesPerMinute;
            int inMinute = index - minute * batchesPerMinute * perBatch;
            // The first start counts: a job run twice (at-least-once) keeps its first latency.
            if (minute == 0) {
                firstMinuteStarts.compareAndSet(inMinute, 0, now);
            } else if (minute == minutes - 1) {
                lastMinuteStarts.compareAndSet(inMinute, 0, now);
            }
            long second = (now - startNanos) / TimeUnit.SECONDS.toNanos(1);
            if (second >= 0 && second < runsPerSecond.length()) {
                runsPerSecond.incrementAndGet((int) second);
            }
        }

        /** Jobs run per second in minute {@code minute} of the stream, by the time they ran. */
        double jobsPerSecond(int minute) {
            long runs = 0;
            for (int second = minute * 60; second < (minute + 1) * 60; second++) {
                runs += runsPerSecond.get(second);
            }
            return runs / 60.0;
        }

        /**
         * Enqueue-to-start latencies (ms) of the jobs enqueued in the first ({@code last} false) or
         * the last minute, once each has started.
         *
         * @throws IllegalStateException if some have not started by {@code deadlineNanos}
         */
        double[] latenciesMillis(boolean last, long deadlineNanos) throws InterruptedException {
            AtomicLongArray starts = last ? lastMinuteStarts : firstMinuteStarts;
            int firstBatch = last ? (minutes - 1) * batchesPerMinute : 0;
            double[] latencies = new double[starts.length()];
            for (int i = 0; i < latencies.length; i++) {
                long started;
                while ((started = starts.get(i)) == 0) {
                    if (System.nanoTime() > deadlineNanos) {
                        throw new IllegalStateException(notStarted(starts, last));
                    }
                    Thread.sleep(1);
                }
                latencies[i] = (started - enqueuedAt[firstBatch + i / perBatch]) / 1e6;
            }
            return latencies;
        }

        private static String notStarted(AtomicLongArray starts, boolean last) {
            int missing = 0;
            for (int i = 0; i < starts.length(); i++) {
                missing += starts.get(i) == 0 ? 1 : 0;
            }
            return missing + " of the " + starts.length() + " jobs enqueued in the " + (last ? "last" : "first")
                    + " minute had not started " + Worker.SOAK_DRAIN.toSeconds() + " s after the stream ended";
        }
    }
}
