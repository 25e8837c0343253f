package io.taskbound;

import java.util.Map;

/**
 * One lane across the cluster.
 *
 * @param lane the lane's name
 * @param paused whether claims of the lane are paused cluster-wide ({@link Lanes#pause})
 * @param capacity how many of its jobs the cluster runs at once: its concurrency on every node that
 *     runs it, added up; 0 where no node runs it (its jobs then only wait)
 * @param total the lane's work, all its job names together
 * @param jobs the work of each job name of the lane that has jobs waiting, running, or runs in the
 *     window, by name
 */
public record LaneFigures(String lane, boolean paused, int capacity, WorkFigures total, Map<String, WorkFigures> jobs) {

    public LaneFigures {
        jobs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(jobs));
    }
}
