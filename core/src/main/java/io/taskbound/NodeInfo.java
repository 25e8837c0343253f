package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A node of the cluster, as its heartbeat and its figures last recorded it.
 *
 * @param heartbeatAge how long ago its last heartbeat was, by the database's clock
 * @param version the Taskbound version it runs; null until it has published its first figures
 * @param lanes the lanes it runs, by name; empty until it has published its first figures
 */
public record NodeInfo(
        UUID id,
        String name,
        Instant startedAt,
        Duration heartbeatAge,
        @Nullable String version,
        List<Lane> lanes) {

    public NodeInfo {
        lanes = List.copyOf(lanes);
    }

    /**
     * A lane on one node.
     *
     * @param running its jobs started on the node and not yet finished
     * @param held its jobs claimed by the node ahead of a free slot
     * @param capacity how many of its jobs the node runs at once: the lane's concurrency there
     */
    public record Lane(String name, int running, int held, int capacity) {}
}
