package io.taskbound.engine;

import io.taskbound.InvalidScheduleException;
import io.taskbound.JobRef;
import io.taskbound.JobRequest;
import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.RecurringRequest;
import io.taskbound.ScheduleInfo;
import io.taskbound.schedule.ScheduleTiming;
import io.taskbound.store.StoredSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A schedule being written through the API; when finished, its {@link ScheduleDraft} is stored. */
final class DefaultRecurringRequest implements RecurringRequest {

    private final ScheduleWriter schedules;
    private final DefaultJobs jobs;
    private final String id;
    private final boolean update;
    private @Nullable String jobName;
    private @Nullable String argumentsJson;
    private @Nullable String lane;
    private @Nullable Integer priority;
    private @Nullable Integer maxAttempts;
    private @Nullable String cron;
    private @Nullable Duration every;
    private ZoneId zone = ZoneId.systemDefault();
    private MisfirePolicy misfire = MisfirePolicy.FIRE_ONCE;
    private int maxCatchUp = ScheduleInfo.DEFAULT_MAX_CATCH_UP;
    private OverlapPolicy overlap = OverlapPolicy.SKIP;
    private Duration jitter = Duration.ZERO;

    /** A new schedule, or one replacing the API schedule with this id. */
    DefaultRecurringRequest(ScheduleWriter schedules, DefaultJobs jobs, String id) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.id = id;
        this.update = false;
    }

    /** A change of {@code stored}, starting from its settings. */
    DefaultRecurringRequest(ScheduleWriter schedules, DefaultJobs jobs, StoredSchedule stored) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.id = stored.id();
        this.update = true;
        this.jobName = stored.jobName();
        this.argumentsJson = stored.argumentsJson();
        this.lane = stored.lane();
        this.priority = stored.priority();
        this.maxAttempts = stored.maxAttempts();
        this.cron = stored.cron();
        this.every = stored.every();
        this.zone = stored.zone();
        this.misfire = stored.misfire();
        this.maxCatchUp = stored.maxCatchUp();
        this.overlap = stored.overlap();
        this.jitter = stored.jitter();
    }

    @Override
    public RecurringRequest cron(String expression) {
        Objects.requireNonNull(expression, "expression");
        ScheduleTiming.cron(describe(), expression, zone);
        this.cron = expression.strip();
        this.every = null;
        return this;
    }

    @Override
    public RecurringRequest every(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        ScheduleTiming.every(describe(), interval, Instant.EPOCH);
        this.every = interval;
        this.cron = null;
        return this;
    }

    @Override
    public RecurringRequest zone(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
        return this;
    }

    @Override
    public RecurringRequest arguments(String argumentsJson) {
        this.argumentsJson = Objects.requireNonNull(argumentsJson, "argumentsJson");
        return this;
    }

    @Override
    public RecurringRequest misfire(MisfirePolicy policy) {
        this.misfire = Objects.requireNonNull(policy, "policy");
        return this;
    }

    @Override
    public RecurringRequest maxCatchUp(int fires) {
        if (fires < 1) {
            throw new InvalidScheduleException("maxCatchUp of " + describe() + " must be at least 1, was " + fires);
        }
        this.maxCatchUp = fires;
        return this;
    }

    @Override
    public RecurringRequest overlap(OverlapPolicy policy) {
        this.overlap = Objects.requireNonNull(policy, "policy");
        return this;
    }

    @Override
    public RecurringRequest jitter(Duration jitter) {
        Objects.requireNonNull(jitter, "jitter");
        if (jitter.isNegative()) {
            throw new InvalidScheduleException("Jitter of " + describe() + " must not be negative, was " + jitter);
        }
        this.jitter = jitter;
        return this;
    }

    @Override
    public List<Instant> preview(int count) {
        Instant now = schedules.now();
        return ScheduleDraft.timing(describe(), cron, every, zone, now).next(now, count);
    }

    @Override
    public ScheduleInfo call(JobRequest<?> job) {
        if (!(job instanceof DefaultJobRequest<?> request) || !request.madeBy(jobs)) {
            throw new IllegalArgumentException(
                    "call takes a request made by this Jobs' schedule(...) or prepare(...), got " + job);
        }
        this.jobName = request.definition().name();
        this.argumentsJson = request.argumentsJson();
        this.lane = request.laneOverride();
        this.priority = request.priorityOverride();
        this.maxAttempts = request.maxAttemptsOverride();
        return schedules.save(draft(), false);
    }

    @Override
    public ScheduleInfo call(String jobName, String argumentsJson) {
        return call(jobs.prepare(jobName, argumentsJson));
    }

    @Override
    public <T> ScheduleInfo call(JobRef.Proc0<T> job) {
        return call(jobs.prepare(job, new Object[] {}));
    }

    @Override
    public <T, R> ScheduleInfo call(JobRef.Fn0<T, R> job) {
        return call(jobs.prepare(job, new Object[] {}));
    }

    @Override
    public <T> ScheduleInfo call(JobRef.Proc0WithContext<T> job) {
        return call(jobs.prepare(job, new Object[] {}));
    }

    @Override
    public <T, R> ScheduleInfo call(JobRef.Fn0WithContext<T, R> job) {
        return call(jobs.prepare(job, new Object[] {}));
    }

    @Override
    public ScheduleInfo save() {
        if (jobName == null) {
            throw new InvalidScheduleException(
                    describe() + " has no job yet: finish with call(...), such as call(Cleanup::purge)");
        }
        return schedules.save(draft(), update);
    }

    private String describe() {
        return ScheduleDraft.describe(id);
    }

    private ScheduleDraft draft() {
        return new ScheduleDraft(
                id,
                Objects.requireNonNull(jobName),
                argumentsJson,
                lane,
                priority,
                maxAttempts,
                cron,
                every,
                zone,
                misfire,
                maxCatchUp,
                overlap,
                jitter);
    }

    /** Where a finished request goes: the schedules API, told only what it needs. */
    interface ScheduleWriter {
        /** Stores {@code draft}: a new schedule, or (or only, with {@code mustExist}) a replacement. */
        ScheduleInfo save(ScheduleDraft draft, boolean mustExist);

        /** Now by the database clock: an interval's preview counts from it. */
        Instant now();
    }
}
