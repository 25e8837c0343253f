package io.taskbound.store;

import io.taskbound.Bound;
import io.taskbound.JobState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A stored job, as read by JPA. The engine's hot paths (enqueue, claim, complete) write this table
 * with single native statements in {@link JobStore}; this mapping serves reads and the dashboard.
 */
@Entity
@Table(name = "taskbound_job")
public class JobEntity {

    @Id
    private UUID id;

    private String name;
    private String lane;

    @Enumerated(EnumType.STRING)
    private Bound bound;

    @Enumerated(EnumType.STRING)
    private JobState state;

    private int priority;

    @Column(name = "run_at")
    private Instant runAt;

    private int attempt;

    @Column(name = "max_attempts")
    private int maxAttempts;

    @Column(name = "timeout_ms")
    private Long timeoutMillis;

    @JdbcTypeCode(SqlTypes.JSON)
    private String args;

    @JdbcTypeCode(SqlTypes.JSON)
    private String result;

    private String error;
    private Integer progress;

    @Column(name = "unique_key")
    private String uniqueKey;

    @Column(name = "schedule_id")
    private String scheduleId;

    @Column(name = "fire_time")
    private Instant fireTime;

    @Column(name = "node_id")
    private UUID nodeId;

    private UUID lease;

    @Column(name = "cancel_requested")
    private boolean cancelRequested;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "wall_time_us")
    private Long wallTimeMicros;

    @Column(name = "cpu_time_us")
    private Long cpuTimeMicros;

    @Column(name = "allocated_bytes")
    private Long allocatedBytes;

    @Column(name = "peak_heap_bytes")
    private Long peakHeapBytes;

    @Column(name = "trace_context")
    private String traceContext;

    protected JobEntity() {}

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getLane() {
        return lane;
    }

    public Bound getBound() {
        return bound;
    }

    public JobState getState() {
        return state;
    }

    public int getPriority() {
        return priority;
    }

    public Instant getRunAt() {
        return runAt;
    }

    public int getAttempt() {
        return attempt;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public Long getTimeoutMillis() {
        return timeoutMillis;
    }

    public String getArgs() {
        return args;
    }

    public String getResult() {
        return result;
    }

    public String getError() {
        return error;
    }

    public Integer getProgress() {
        return progress;
    }

    public String getUniqueKey() {
        return uniqueKey;
    }

    public String getScheduleId() {
        return scheduleId;
    }

    public Instant getFireTime() {
        return fireTime;
    }

    public UUID getNodeId() {
        return nodeId;
    }

    public UUID getLease() {
        return lease;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Long getWallTimeMicros() {
        return wallTimeMicros;
    }

    public Long getCpuTimeMicros() {
        return cpuTimeMicros;
    }

    public Long getAllocatedBytes() {
        return allocatedBytes;
    }

    public Long getPeakHeapBytes() {
        return peakHeapBytes;
    }

    public String getTraceContext() {
        return traceContext;
    }
}
