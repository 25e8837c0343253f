package io.taskbound;

/**
 * What a schedule does when a node fires it late: after downtime, when every node was down, or
 * when fire times fell due faster than they could be fired. A fire time is on time while it is
 * no older than {@code taskbound.scheduling.misfire-threshold} (a minute by default). The usual
 * case, one fire time due and on time, fires it under every policy; the policies differ when
 * several fire times are due at once or the only one is late.
 */
public enum MisfirePolicy {
    /** Fire once, for the latest due fire time, however late; the others are dropped. The default. */
    FIRE_ONCE,
    /**
     * Fire every due fire time, the latest {@code maxCatchUp} of them. They are queued at once, so
     * they may run side by side whatever the overlap policy.
     */
    FIRE_ALL,
    /** Fire only the latest due fire time, and only if it is on time; the schedule goes on from the next one. */
    SKIP
}
