package io.taskbound.autoconfigure;

import io.taskbound.TaskboundEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the engine on this instance: UP while it runs and reaches its store, with the node and,
 * per lane, the jobs running here against the lane's capacity, the jobs claimed here and waiting
 * for a free slot (held), and the jobs queued cluster-wide.
 */
public class TaskboundHealthIndicator extends AbstractHealthIndicator {

    private final TaskboundEngine engine;

    public TaskboundHealthIndicator(TaskboundEngine engine) {
        super("Taskbound health check failed");
        this.engine = engine;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Long> queued = engine.store().queuedByLane();
        Map<String, Object> lanes = new LinkedHashMap<>();
        for (TaskboundEngine.LaneStatus lane : engine.lanes()) {
            lanes.put(
                    lane.name(),
                    Map.of(
                            "executor", lane.executor(),
                            "running", lane.running(),
                            "held", lane.held(),
                            "capacity", lane.capacity(),
                            "queued", queued.getOrDefault(lane.name(), 0L)));
        }
        (engine.isRunning() ? builder.up() : builder.down())
                .withDetail("node", engine.nodeName())
                .withDetail("nodeId", engine.nodeId().toString())
                .withDetail("lanes", lanes);
    }
}
