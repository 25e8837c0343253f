package io.taskbound.figures;

import io.taskbound.WorkerInfo;
import java.util.List;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The figures one node publishes, as stored in its row of the nodes table (JSON). Histograms are
 * sparse bucket counts of {@link LatencyHistogram}, so that readers can add up the nodes.
 *
 * @param version the Taskbound version the node runs
 * @param countingSinceMillis when the node began counting runs (epoch milliseconds, the database's
 *     clock): the run counts cover the last {@link RunWindow#LENGTH}, or since then if that is later
 * @param lanes each lane the node runs, with its capacity here
 * @param jobs each job name the node holds jobs of or ran in the window
 */
record NodeFigures(String version, long countingSinceMillis, List<Lane> lanes, List<Job> jobs) {

    // A mapper of its own: the application's may be configured to write names or numbers in
    // another way, and every node must read what every other wrote.
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A lane on the node: its concurrency, how many of its jobs run and wait for a slot, and its
     * executor's worker processes (none on thread lanes; null as a node of an older version wrote it).
     */
    record Lane(
            String lane,
            int capacity,
            int running,
            int held,
            @Nullable List<WorkerInfo> workers) {

        List<WorkerInfo> workersOrNone() {
            return workers == null ? List.of() : workers;
        }
    }

    /**
     * One job name on the node: jobs running and held now, runs that ended in the window, and the
     * bucket counts of how long those that started in it waited and how long those that ended ran.
     */
    record Job(
            String lane,
            String name,
            int running,
            int held,
            long succeeded,
            long failed,
            SortedMap<Integer, Long> waited,
            SortedMap<Integer, Long> ran) {}

    String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** The figures in {@code json}, or null if there are none or a node of another version wrote what this one cannot read. */
    static @Nullable NodeFigures fromJson(@Nullable String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, NodeFigures.class);
        } catch (JacksonException e) {
            return null;
        }
    }
}
