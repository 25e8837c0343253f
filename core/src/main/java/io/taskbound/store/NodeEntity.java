package io.taskbound.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An application instance running the engine, alive while its heartbeat is recent. */
@Entity
@Table(name = "taskbound_node")
public class NodeEntity {

    @Id
    private UUID id;

    private String name;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    @Column(name = "schedule_set")
    private String scheduleSet;

    protected NodeEntity() {}

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getHeartbeatAt() {
        return heartbeatAt;
    }

    /**
     * The fingerprint of the {@code @Recurring} schedules the node's code declares; null on a node
     * that runs no jobs.
     */
    public String getScheduleSet() {
        return scheduleSet;
    }
}
