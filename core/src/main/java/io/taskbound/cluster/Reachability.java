package io.taskbound.cluster;

import java.time.Duration;

/**
 * Whether this node has reached the database without a failure for long enough to judge other
 * nodes by their heartbeats, as its own heartbeat, the loop that talks to the database most
 * regularly, finds it. While the database was down or restarting no node could heartbeat; until
 * every node has had a dead-node timeout to heartbeat again, none may be declared dead.
 */
public final class Reachability {

    private volatile boolean failing;
    private volatile boolean everFailed;
    // On the System.nanoTime() scale: when the database answered again after the last failure.
    private volatile long answeringSince;

    /** The database did not answer, or the connection to it broke. */
    void failed() {
        failing = true;
        everFailed = true;
    }

    /** The database answered. */
    void answered() {
        if (failing) {
            answeringSince = System.nanoTime();
            failing = false;
        }
    }

    /**
     * How long until other nodes may be judged: zero if they may now, else what is left of a whole
     * {@code deadNodeTimeout} since the database answered again, or all of it while it does not.
     */
    Duration untilTrusted(Duration deadNodeTimeout) {
        if (failing) {
            return deadNodeTimeout;
        }
        if (!everFailed) {
            return Duration.ZERO;
        }
        long left = answeringSince + deadNodeTimeout.toNanos() - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }
}
