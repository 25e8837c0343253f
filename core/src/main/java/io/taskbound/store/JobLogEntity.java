package io.taskbound.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A line a job wrote through {@link io.taskbound.JobContext#log(String)}. */
@Entity
@Table(name = "taskbound_job_log")
public class JobLogEntity {

    @Id
    private Long id;

    @Column(name = "job_id")
    private UUID jobId;

    private int attempt;

    @Column(name = "logged_at")
    private Instant loggedAt;

    private String message;

    protected JobLogEntity() {}

    public Long getId() {
        return id;
    }

    public UUID getJobId() {
        return jobId;
    }

    public int getAttempt() {
        return attempt;
    }

    public Instant getLoggedAt() {
        return loggedAt;
    }

    public String getMessage() {
        return message;
    }
}
