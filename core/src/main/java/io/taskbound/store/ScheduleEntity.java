package io.taskbound.store;

import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A stored schedule, as read by JPA (so that {@code ddl-auto=validate} checks the table, and for
 * queries of the application's own). The engine reads and writes it through {@link ScheduleStore}.
 */
@Entity
@Table(name = "taskbound_schedule")
public class ScheduleEntity {

    @Id
    private String id;

    @Column(name = "job_name")
    private String jobName;

    @JdbcTypeCode(SqlTypes.JSON)
    private String args;

    private String lane;
    private Integer priority;

    @Column(name = "max_attempts")
    private Integer maxAttempts;

    private String cron;

    @Column(name = "every_ms")
    private Long everyMillis;

    private String zone;

    @Column(name = "anchor_at")
    private Instant anchorAt;

    @Enumerated(EnumType.STRING)
    private MisfirePolicy misfire;

    @Column(name = "max_catch_up")
    private int maxCatchUp;

    @Enumerated(EnumType.STRING)
    private OverlapPolicy overlap;

    @Column(name = "jitter_ms")
    private long jitterMillis;

    private boolean paused;

    @Column(name = "next_fire_at")
    private Instant nextFireAt;

    @Column(name = "last_fire_at")
    private Instant lastFireAt;

    @Column(name = "declared_by")
    private String declaredBy;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    protected ScheduleEntity() {}

    public String getId() {
        return id;
    }

    public String getJobName() {
        return jobName;
    }

    public String getArgs() {
        return args;
    }

    public String getLane() {
        return lane;
    }

    public Integer getPriority() {
        return priority;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public String getCron() {
        return cron;
    }

    public Long getEveryMillis() {
        return everyMillis;
    }

    public String getZone() {
        return zone;
    }

    public Instant getAnchorAt() {
        return anchorAt;
    }

    public MisfirePolicy getMisfire() {
        return misfire;
    }

    public int getMaxCatchUp() {
        return maxCatchUp;
    }

    public OverlapPolicy getOverlap() {
        return overlap;
    }

    public long getJitterMillis() {
        return jitterMillis;
    }

    public boolean isPaused() {
        return paused;
    }

    public Instant getNextFireAt() {
        return nextFireAt;
    }

    public Instant getLastFireAt() {
        return lastFireAt;
    }

    public String getDeclaredBy() {
        return declaredBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
