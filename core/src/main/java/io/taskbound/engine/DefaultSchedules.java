package io.taskbound.engine;

import io.taskbound.InvalidScheduleException;
import io.taskbound.JobHandle;
import io.taskbound.RecurringRequest;
import io.taskbound.ScheduleInfo;
import io.taskbound.Schedules;
import io.taskbound.UnknownScheduleException;
import io.taskbound.job.ArgumentCodec;
import io.taskbound.job.ArgumentDecodingException;
import io.taskbound.job.JobDefinition;
import io.taskbound.registry.JobRegistry;
import io.taskbound.schedule.ScheduleTiming;
import io.taskbound.schedule.ScheduledJobs;
import io.taskbound.store.JobStore;
import io.taskbound.store.NewJob;
import io.taskbound.store.ScheduleStore;
import io.taskbound.store.StoredSchedule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Schedules} API over the schedule table. Every change locks the schedule's row in the
 * caller's transaction (or a short one of its own), so it never crosses a firing half-way, and
 * tells the other nodes' firers to look again on commit.
 */
final class DefaultSchedules implements Schedules, DefaultRecurringRequest.ScheduleWriter {

    private final DefaultJobs jobs;
    private final ScheduleStore store;
    private final JobRegistry registry;
    private final ArgumentCodec codec;

    DefaultSchedules(DefaultJobs jobs, ScheduleStore store, JobRegistry registry, ArgumentCodec codec) {
        this.jobs = jobs;
        this.store = store;
        this.registry = registry;
        this.codec = codec;
    }

    RecurringRequest create(String id) {
        return new DefaultRecurringRequest(this, jobs, validId(id));
    }

    @Override
    public List<ScheduleInfo> list() {
        return store.list().stream().map(StoredSchedule::toInfo).toList();
    }

    @Override
    public Optional<ScheduleInfo> find(String id) {
        return store.find(id).map(StoredSchedule::toInfo);
    }

    @Override
    public ScheduleInfo pause(String id) {
        return store.change(id, (stored, now, rows) -> {
            StoredSchedule schedule = existing(id, stored);
            return rows.save(schedule.withState(true, schedule.nextFireAt())).toInfo();
        });
    }

    @Override
    public ScheduleInfo resume(String id) {
        return store.change(id, (stored, now, rows) -> {
            StoredSchedule schedule = existing(id, stored);
            if (!schedule.paused()) {
                return schedule.toInfo();
            }
            return rows.save(schedule.withState(
                            false, ScheduleTiming.of(schedule).next(now)))
                    .toInfo();
        });
    }

    @Override
    public JobHandle<Object> trigger(String id) {
        record Triggered(JobStore.InsertedJob job, JobDefinition definition) {}
        Triggered triggered = store.change(id, (stored, now, rows) -> {
            StoredSchedule schedule = existing(id, stored);
            JobDefinition definition = registry.byName(schedule.jobName());
            NewJob made = ScheduledJobs.newJob(definition, schedule, registry.settings(), null)
                    .madeBy(id, null);
            JobStore.InsertedJob job =
                    jobs.tracing().enqueue(List.of(made), traced -> rows.insertJob(traced.getFirst()));
            return new Triggered(job, definition);
        });
        jobs.wakeAfterCommit(List.of(triggered.job()));
        return jobs.handle(triggered.job().id(), triggered.definition().resultType());
    }

    @Override
    public RecurringRequest update(String id) {
        StoredSchedule schedule = existing(id, store.find(id));
        refuseDeclared(schedule, "changed");
        return new DefaultRecurringRequest(this, jobs, schedule);
    }

    @Override
    public boolean delete(String id) {
        return store.change(id, (stored, now, rows) -> {
            if (stored.isEmpty()) {
                return false;
            }
            refuseDeclared(stored.get(), "deleted");
            rows.delete(id);
            return true;
        });
    }

    /** The store's time, which fire times are reckoned in. */
    @Override
    public Instant now() {
        return store.now();
    }

    @Override
    public List<Instant> preview(String id, int count) {
        StoredSchedule schedule = existing(id, store.find(id));
        return ScheduleTiming.of(schedule).next(store.now(), count);
    }

    /**
     * Stores {@code request}: a new schedule, or a replacement of the API schedule with its id. A
     * schedule whose timing is unchanged keeps its next fire time; otherwise it goes on from the
     * first fire time after now (an interval counting from now).
     */
    @Override
    public ScheduleInfo save(ScheduleDraft request, boolean mustExist) {
        JobDefinition definition = registry.byName(request.jobName());
        if (request.argumentsJson() != null) {
            try {
                codec.decodeArguments(definition, request.argumentsJson());
            } catch (ArgumentDecodingException e) {
                throw new InvalidScheduleException(
                        "Arguments of " + request.describe() + " do not fit job \"" + definition.name() + "\": "
                                + e.getMessage(),
                        e);
            }
        }
        return store.change(request.id(), (stored, now, rows) -> {
            if (mustExist) {
                existing(request.id(), stored);
            }
            stored.ifPresent(schedule -> refuseDeclared(schedule, "replaced through the API"));
            ScheduleTiming wanted = request.timing(now);
            StoredSchedule row;
            if (stored.isPresent() && ScheduleTiming.of(stored.get()).sameAs(wanted)) {
                StoredSchedule current = stored.get();
                row = request.toStored(
                        ScheduleTiming.of(current),
                        current.nextFireAt(),
                        current.paused(),
                        current.lastFireAt(),
                        current.createdAt(),
                        now);
            } else {
                row = request.toStored(
                        wanted,
                        wanted.next(now),
                        stored.map(StoredSchedule::paused).orElse(false),
                        stored.map(StoredSchedule::lastFireAt).orElse(null),
                        stored.map(StoredSchedule::createdAt).orElse(now),
                        now);
            }
            return rows.save(row).toInfo();
        });
    }

    private static StoredSchedule existing(String id, Optional<StoredSchedule> stored) {
        return stored.orElseThrow(() -> new UnknownScheduleException(
                "Unknown schedule \"" + id + "\": no schedule has that id (see jobs.schedules().list())"));
    }

    private static void refuseDeclared(StoredSchedule schedule, String what) {
        if (schedule.declaredBy() != null) {
            throw new InvalidScheduleException("Schedule \"" + schedule.id() + "\" is declared by @Recurring on "
                    + schedule.declaredBy() + " and cannot be " + what + ": change or remove the annotation"
                    + " (schedules are reconciled with the code at start-up), or pause the schedule");
        }
    }

    private static String validId(String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidScheduleException("A schedule id must not be blank");
        }
        if (id.length() > 200) {
            throw new InvalidScheduleException("Schedule id \"" + id.substring(0, 40) + "...\" is " + id.length()
                    + " characters long: use at most 200");
        }
        return id.strip();
    }
}
