package io.taskbound.schedule;

import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.JobDefinition;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.NewJob;
import io.taskbound.store.ScheduleStore;
import io.taskbound.store.StoredSchedule;
import io.taskbound.trace.JobTracing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a due schedule fires: normally one job for its fire time; after downtime, what its
 * misfire policy says; nothing while its previous job is still going, if its overlap policy says
 * so. Always moves the schedule on to its first fire time after now.
 */
public final class FirePlanner implements ScheduleStore.Firing {

    private static final Logger log = LoggerFactory.getLogger(FirePlanner.class);

    private final JobCatalog catalog;
    private final TaskboundSettings settings;
    private final Duration misfireThreshold;
    private final RandomGenerator random;
    private final JobTracing tracing;

    /** @param tracing observes each schedule's fire, whose trace context its jobs carry */
    public FirePlanner(JobCatalog jobs, TaskboundSettings settings, RandomGenerator random, JobTracing tracing) {
        this.catalog = jobs;
        this.tracing = tracing;
        this.settings = settings;
        this.misfireThreshold = settings.misfireThreshold();
        this.random = random;
    }

    // A schedule that cannot fire (its stored cron edited by hand into nonsense, a lane this node
    // lacks) must not hold up the others in its batch, nor be retried in a tight loop: it is logged
    // and moved on, to its next fire time or, without a usable timing, a minute later.
    @Override
    public ScheduleStore.Fire decide(StoredSchedule schedule, boolean busy, Instant now) {
        ScheduleTiming timing;
        try {
            timing = ScheduleTiming.of(schedule);
        } catch (RuntimeException e) {
            log.error("Schedule {} cannot be read and is retried in a minute: {}", schedule.id(), e.getMessage());
            return new ScheduleStore.Fire(List.of(), now.plus(Duration.ofMinutes(1)), null);
        }
        try {
            return decide(schedule, timing, busy, now);
        } catch (RuntimeException e) {
            log.error("Schedule {} could not fire at {} and goes on from its next fire time", schedule.id(), now, e);
            return new ScheduleStore.Fire(List.of(), timing.next(now), null);
        }
    }

    private ScheduleStore.Fire decide(StoredSchedule schedule, ScheduleTiming timing, boolean busy, Instant now) {
        int keep = schedule.misfire() == MisfirePolicy.FIRE_ALL ? Math.max(1, schedule.maxCatchUp()) : 1;
        ScheduleTiming.Due due = timing.due(schedule.nextFireAt(), now, keep);
        Instant next = timing.next(now);
        List<Instant> fires = fireTimes(schedule, due, now);
        if (!fires.isEmpty() && busy && schedule.overlap() == OverlapPolicy.SKIP) {
            log.debug(
                    "Schedule {}: skipping fire time {}, its previous job is still queued or running",
                    schedule.id(),
                    fires.getLast());
            fires = List.of();
        }
        List<NewJob> jobs = new ArrayList<>(fires.size());
        JobDefinition definition = catalog.byName(schedule.jobName());
        for (Instant fireTime : fires) {
            jobs.add(ScheduledJobs.newJob(definition, schedule, settings, runAt(schedule, fireTime))
                    .madeBy(schedule.id(), fireTime));
        }
        // The fire's observation covers making the jobs; the firer inserts them with others due now.
        List<NewJob> traced = jobs.isEmpty() ? jobs : tracing.enqueue(jobs, made -> made);
        return new ScheduleStore.Fire(traced, next, fires.isEmpty() ? null : fires.getLast());
    }

    private List<Instant> fireTimes(StoredSchedule schedule, ScheduleTiming.Due due, Instant now) {
        if (due.count() == 0) {
            return List.of();
        }
        Instant latest = due.latest().getLast();
        boolean latestOnTime = !now.isAfter(latest.plus(misfireThreshold));
        if (due.count() == 1 && latestOnTime) {
            return List.of(latest);
        }
        List<Instant> fires = switch (schedule.misfire()) {
            case FIRE_ONCE -> List.of(latest);
            case FIRE_ALL -> due.latest();
            case SKIP -> latestOnTime ? List.of(latest) : List.of();
        };
        log.info(
                "Schedule {} missed {} fire time(s) from {} while no node could fire it; {} fires {} of them",
                schedule.id(),
                due.describeCount(),
                schedule.nextFireAt(),
                schedule.misfire(),
                fires.size());
        return fires;
    }

    private Instant runAt(StoredSchedule schedule, Instant fireTime) {
        long jitterMillis = schedule.jitter().toMillis();
        return jitterMillis <= 0 ? fireTime : fireTime.plusMillis(random.nextLong(jitterMillis + 1));
    }
}
