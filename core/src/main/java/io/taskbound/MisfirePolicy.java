package io.taskbound;

/**
 * What a schedule does with fire times that passed while no node could fire them (every node was
 * down, say). A fire time counts as missed when more than one fell due before a node could fire, or
 * when the only one is older than {@code taskbound.scheduling.misfire-threshold}.
 */
public enum MisfirePolicy {
    /** Fire once for the latest missed fire time; the others are dropped. The default. */
    FIRE_ONCE,
    /** Fire every missed fire time, the latest {@code maxCatchUp} of them. */
    FIRE_ALL,
    /** Fire none of the missed fire times; the schedule goes on from the next one. */
    SKIP
}
