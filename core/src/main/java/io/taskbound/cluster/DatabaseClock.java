package io.taskbound.cluster;

import io.taskbound.store.NodeStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's clock as seen from this JVM, for timers set to an instant the database gave (a
 * job due at {@code run_at}, announced by another node). Instants compared across nodes are the
 * database's; this JVM's wall clock may be seconds off (no NTP, a VM resumed), and a timer read from
 * it would fire early, find nothing due and leave the job to the next poll, or fire late.
 *
 * <p>Each reading of the database's clock, taken between two readings of {@link System#nanoTime()},
 * bounds where the database's time sits on this JVM's monotonic clock; the timers use the tightest
 * bound of the latest readings that is never early, so they are late by at most the round trip of
 * the best reading. The wall clock is not used for timers at all, only to tell the operator how far
 * it is from the database's.
 */
public final class DatabaseClock {

    private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);

    /** Readings kept: enough to ride out a slow round trip, few enough that drift stays negligible. */
    private static final int READINGS = 8;

    /** A wall clock this far from the database's is worth a warning. */
    private static final Duration WORTH_A_WARNING = Duration.ofSeconds(1);

    private final NodeStore nodes;
    private final InstantSource wallClock;
    // System.nanoTime() minus the database's epoch nanos, as upper bounds from the latest readings.
    private final long[] offsets = new long[READINGS];
    private int readings;
    private volatile long offset;
    private volatile boolean measured;
    private volatile Duration wallClockSkew = Duration.ZERO;
    private boolean warned;

    public DatabaseClock(NodeStore nodes, InstantSource wallClock) {
        this.nodes = nodes;
        this.wallClock = wallClock;
    }

    /** Reads the database's clock once more. */
    public void read() {
        record(nodes.readClock());
    }

    /** Takes in a reading of the database's clock made by another statement (a heartbeat's). */
    public void record(NodeStore.ClockReading reading) {
        Instant wall = wallClock.instant();
        long wallRead = System.nanoTime();
        observe(reading.database(), reading.sentNanos(), reading.receivedNanos(), wall, wallRead);
    }

    /**
     * The instant on the {@link System#nanoTime()} scale at which the database's clock shows {@code
     * databaseInstant}, or a little later; read from the wall clock until the first reading.
     */
    public long nanoTimeAt(Instant databaseInstant) {
        if (!measured) {
            return System.nanoTime()
                    + Duration.between(wallClock.instant(), databaseInstant).toNanos();
        }
        return epochNanos(databaseInstant) + offset;
    }

    /**
     * The database's current time as this JVM reckons it from the latest readings (early by at most
     * the best reading's round trip); the wall clock's until the first reading.
     */
    public Instant now() {
        if (!measured) {
            return wallClock.instant();
        }
        long epochNanos = System.nanoTime() - offset;
        return Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** {@link #now()} in microseconds since the epoch, without making an {@code Instant}. */
    public long nowMicros() {
        if (!measured) {
            Instant now = wallClock.instant();
            return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        }
        return Math.floorDiv(System.nanoTime() - offset, 1_000);
    }

    /** How far this JVM's wall clock runs behind the database's (negative: ahead). */
    public Duration wallClockSkew() {
        return wallClockSkew;
    }

    // The database read its clock at some point between "sent" and "received": taking "received"
    // errs late, never early. Of several readings, the smallest such offset is the tightest.
    synchronized void observe(Instant database, long sent, long received, Instant wall, long wallRead) {
        long databaseNanos = epochNanos(database);
        offsets[readings++ % READINGS] = received - databaseNanos;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < Math.min(readings, READINGS); i++) {
            best = Math.min(best, offsets[i]);
        }
        offset = best;
        measured = true;
        long middle = sent + (received - sent) / 2;
        Instant wallAtMiddle = wall.minusNanos(wallRead - middle);
        Duration skew = Duration.between(wallAtMiddle, database);
        wallClockSkew = skew;
        boolean large = skew.abs().compareTo(WORTH_A_WARNING) >= 0;
        if (large && !warned) {
            log.warn(
                    "This node's clock is {} ms {} the database's; Taskbound times jobs by the database's clock, but"
                            + " the application's own use of the clock is off (is NTP running?)",
                    skew.abs().toMillis(),
                    skew.isNegative() ? "ahead of" : "behind");
        } else if (!large && warned) {
            log.info(
                    "This node's clock is within {} ms of the database's again",
                    skew.abs().toMillis());
        }
        warned = large;
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
