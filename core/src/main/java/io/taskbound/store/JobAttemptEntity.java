package io.taskbound.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One attempt of a job that did not succeed (failed, timed out, lost with its node). A successful
 * run's measurements stay on the job row, so a job that succeeds first time costs no attempt row.
 */
@Entity
@Table(name = "taskbound_job_attempt")
public class JobAttemptEntity {

    @Id
    private Long id;

    @Column(name = "job_id")
    private UUID jobId;

    private int attempt;

    @Column(name = "node_id")
    private UUID nodeId;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    private String outcome;
    private String error;

    @Column(name = "stack_trace")
    private String stackTrace;

    @Column(name = "wall_time_us")
    private Long wallTimeMicros;

    @Column(name = "cpu_time_us")
    private Long cpuTimeMicros;

    @Column(name = "allocated_bytes")
    private Long allocatedBytes;

    @Column(name = "peak_heap_bytes")
    private Long peakHeapBytes;

    protected JobAttemptEntity() {}

    public Long getId() {
        return id;
    }

    public UUID getJobId() {
        return jobId;
    }

    public int getAttempt() {
        return attempt;
    }

    public UUID getNodeId() {
        return nodeId;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getError() {
        return error;
    }

    public String getStackTrace() {
        return stackTrace;
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
}
