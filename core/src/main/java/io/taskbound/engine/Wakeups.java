package io.taskbound.engine;

import io.taskbound.cluster.DatabaseClock;
import io.taskbound.cluster.NotificationListener;
import io.taskbound.lane.Dispatcher;
import io.taskbound.lane.DueWorkPoller;
import io.taskbound.run.RunningJobs;
import io.taskbound.schedule.ScheduleFirer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a node hears into wake-ups of its loops: another node's announcement of a lane's work
 * (due now or later) or of a cancellation, a schedule changed, notifications missed while the
 * LISTEN connection was down, work recovered from a dead node. Also says how long the poller and the
 * schedule firer may sleep, which depends on whether the node is listening.
 */
final class Wakeups {

    private static final Logger log = LoggerFactory.getLogger(Wakeups.class);

    /**
     * How often a node looks for work and schedule changes that no one announced while its LISTEN
     * connection is up; the poll interval when that is longer. Every enqueue, retry, re-queue and
     * schedule change is announced, and an announcement is lost only with a broken connection,
     * after which the node looks at once: these looks guard against the unforeseen, so they can be
     * rare. Half a minute makes them two statements (one for the lanes, one for the schedules) per
     * half minute, where a look per lane every poll interval made an idle node of eleven lanes send
     * eleven a second. The price: work that no one announced waits up to this long instead of one
     * poll interval. Without a listener (poll-only mode, or while it is down), the node looks every
     * poll interval.
     */
    static final Duration QUIET_POLL_INTERVAL = Duration.ofSeconds(30);

    private final Map<String, Dispatcher> dispatchers;
    private final DatabaseClock databaseClock;
    private final RunningJobs running;
    private final Duration pollInterval;
    private final boolean movedClock;
    private volatile @Nullable DueWorkPoller poller;
    private volatile @Nullable ScheduleFirer firer;
    private volatile @Nullable NotificationListener listener;

    /**
     * @param dispatchers the node's dispatchers by lane, as the engine fills and clears them
     * @param movedClock whether the node runs on a clock a test moves: it then polls at the poll
     *     interval, since no notification follows the moved clock
     */
    Wakeups(
            Map<String, Dispatcher> dispatchers,
            DatabaseClock databaseClock,
            RunningJobs running,
            Duration pollInterval,
            boolean movedClock) {
        this.dispatchers = dispatchers;
        this.databaseClock = databaseClock;
        this.running = running;
        this.pollInterval = pollInterval;
        this.movedClock = movedClock;
    }

    /** The loops that look for unannounced work and schedule changes, once started. */
    void lookWith(DueWorkPoller poller, ScheduleFirer firer) {
        this.poller = poller;
        this.firer = firer;
    }

    /** The loop that listens for announcements, once started. */
    void listenWith(NotificationListener listener) {
        this.listener = listener;
    }

    /** Forgets the loops, when the node stops. */
    void detach() {
        poller = null;
        firer = null;
        listener = null;
    }

    /** Wakes this node's dispatcher of {@code lane}, if it has one. */
    void wake(String lane) {
        Dispatcher dispatcher = dispatchers.get(lane);
        if (dispatcher != null) {
            dispatcher.wake();
        }
    }

    /**
     * Wakes this node's dispatcher of {@code lane} at {@code dueAtNanos} (on the {@link
     * System#nanoTime()} scale), or at once if that has passed.
     */
    void wakeAt(String lane, long dueAtNanos) {
        Dispatcher dispatcher = dispatchers.get(lane);
        if (dispatcher == null) {
            return;
        }
        if (dueAtNanos - System.nanoTime() <= 0) {
            dispatcher.wake();
        } else {
            dispatcher.wakeAt(dueAtNanos);
        }
    }

    // Another node announced "lane" (due now) or "lane@<epoch ms>" (due then). The instant is the
    // database's, so the timer follows the database's clock, not this node's: a timer that fires
    // early finds nothing due and leaves the job to the next poll. The payload rounds to the nearest
    // millisecond; one more is never early.
    void laneAnnounced(String payload) {
        int at = payload.lastIndexOf('@');
        if (at < 0) {
            wake(payload);
            return;
        }
        try {
            Instant due = Instant.ofEpochMilli(Long.parseLong(payload.substring(at + 1)) + 1);
            wakeAt(payload.substring(0, at), databaseClock.nanoTimeAt(due));
        } catch (NumberFormatException e) {
            log.debug("Ignoring lane notice with a malformed time: {}", payload);
        }
    }

    void schedulesChanged(String scheduleId) {
        ScheduleFirer current = firer;
        if (current != null) {
            current.wake();
        }
    }

    // The LISTEN connection was opened (again), or it broke: notifications sent while none
    // listened are lost, so the poller and the firer look now, and from then on at the pace that
    // suits whether the node listens. Missed cancellations come with the heartbeat.
    void notificationsMissed() {
        lookForWork();
        schedulesChanged("");
    }

    // Work may be due that no one announced (jobs recovered from a dead node, claims refused while
    // this node was taken for dead): one look finds it for every lane.
    void lookForWork() {
        DueWorkPoller current = poller;
        if (current != null) {
            current.wake();
        }
    }

    /** How long the poller and the firer sleep at most: see {@link #QUIET_POLL_INTERVAL}. */
    Duration pollInterval() {
        NotificationListener current = listener;
        if (movedClock || current == null || !current.listening()) {
            return pollInterval;
        }
        return pollInterval.compareTo(QUIET_POLL_INTERVAL) > 0 ? pollInterval : QUIET_POLL_INTERVAL;
    }

    void cancelledElsewhere(String jobId) {
        try {
            running.requestCancellation(UUID.fromString(jobId));
        } catch (IllegalArgumentException e) {
            log.debug("Ignoring cancellation notice with a malformed job id: {}", jobId);
        }
    }
}
