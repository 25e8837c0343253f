package io.taskbound;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

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
 * @param workers the worker processes of the lane on each node that has any, by node id, as each
 *     node last published them (once per figures interval, when they changed): a lane on the {@code
 *     process} executor has its worker JVMs here, a thread lane none
 */
public record LaneFigures(
        String lane,
        boolean paused,
        int capacity,
        WorkFigures total,
        Map<String, WorkFigures> jobs,
        Map<UUID, List<WorkerInfo>> workers) {

    public LaneFigures {
        jobs = Collections.unmodifiableMap(new TreeMap<>(jobs));
        TreeMap<UUID, List<WorkerInfo>> byNode = new TreeMap<>();
        workers.forEach((node, list) -> byNode.put(node, List.copyOf(list)));
        workers = Collections.unmodifiableMap(byNode);
    }

    /** The lane's worker processes on all nodes together. */
    public List<WorkerInfo> allWorkers() {
        return workers.values().stream().flatMap(List::stream).toList();
    }
}
