package io.taskbound.autoconfigure;

import io.taskbound.WorkerInfo;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.event.EventStats;
import io.taskbound.loop.Loop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the engine on this instance: UP while it runs, reaches its store and all its loops run,
 * with the node; per lane the jobs running here against the lane's capacity, the jobs claimed here
 * and waiting for a free slot (held), the jobs queued cluster-wide, and on a process lane its worker
 * JVMs here (pid, state, jobs run, heap in use after the last job, start, current job); and per loop when its last
 * iteration succeeded; with job listeners, the events queued, delivered and dropped. DOWN names a loop whose thread ended until the engine's supervisor has
 * started it again.
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
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("executor", lane.executor());
            detail.put("running", lane.running());
            detail.put("held", lane.held());
            detail.put("capacity", lane.capacity());
            detail.put("queued", queued.getOrDefault(lane.name(), 0L));
            if (!lane.workers().isEmpty() || lane.executor().equalsIgnoreCase("process")) {
                detail.put(
                        "workers",
                        lane.workers().stream()
                                .map(TaskboundHealthIndicator::worker)
                                .toList());
            }
            lanes.put(lane.name(), detail);
        }
        Map<String, Object> loops = new LinkedHashMap<>();
        List<String> dead = new ArrayList<>();
        for (Loop.Status loop : engine.loops()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", loop.dead() ? "DEAD" : loop.running() ? "RUNNING" : "STOPPED");
            detail.put(
                    "lastSuccess",
                    loop.lastSuccess() == null ? "never" : loop.lastSuccess().toString());
            if (loop.failuresInARow() > 0) {
                detail.put("failuresInARow", loop.failuresInARow());
                detail.put("lastFailure", String.valueOf(loop.lastFailure()));
            }
            loops.put(loop.name(), detail);
            if (loop.dead()) {
                dead.add(loop.name());
            }
        }
        (engine.isRunning() && dead.isEmpty() ? builder.up() : builder.down())
                .withDetail("node", engine.nodeName())
                .withDetail("nodeId", engine.nodeId().toString())
                .withDetail("lanes", lanes)
                .withDetail("loops", loops);
        if (!dead.isEmpty()) {
            builder.withDetail("deadLoops", dead);
        }
        EventStats events = engine.eventStats();
        if (!events.equals(EventStats.NONE)) {
            // Dropped events mean a listener is slower than the jobs: worth seeing, not a reason to be DOWN.
            builder.withDetail(
                    "events",
                    Map.of(
                            "queued", events.queued(),
                            "delivered", events.delivered(),
                            "dropped", events.dropped(),
                            "listenerFailures", events.listenerFailures()));
        }
    }

    // Absent values are left out rather than written as null.
    private static Map<String, Object> worker(WorkerInfo worker) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("pid", worker.pid());
        detail.put("state", worker.state().name());
        detail.put("jobsRun", worker.jobsRun());
        if (worker.heapUsedBytes() != null) {
            detail.put("heapUsedBytes", worker.heapUsedBytes());
        }
        detail.put("startedAt", worker.startedAt().toString());
        if (worker.jobId() != null) {
            detail.put("jobId", worker.jobId().toString());
        }
        return detail;
    }
}
