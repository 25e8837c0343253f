package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.Recurring;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cleanup: low priority work on the constrained lane, so it only takes spare capacity. Every night
 * it purges the reports rendered longer ago than {@code pressroom.reports.retention}; {@code POST
 * /api/housekeeping} purges on demand.
 */
@Component
public class Housekeeping {

    private final Duration retention;

    @PersistenceContext
    private EntityManager entityManager;

    public Housekeeping(@Value("${pressroom.reports.retention:P30D}") Duration retention) {
        this.retention = retention;
    }

    @Job(name = "housekeeping.purge-reports", bound = Bound.CONSTRAINED)
    @Transactional
    public int purgeReportsOlderThan(Duration age, JobContext context) {
        return purge(age, context);
    }

    // At 03:00 in Paris, where the newsroom works, whatever zone the servers run in; the quietest
    // hour, and one that the clocks neither skip nor repeat. After a night with no instance running,
    // the missed purge runs once at the next start (the default misfire policy, FIRE_ONCE).
    @Recurring(cron = "0 0 3 * * *", zone = "Europe/Paris")
    @Job(name = "housekeeping.nightly-purge", bound = Bound.CONSTRAINED)
    @Transactional
    public int nightlyPurge(JobContext context) {
        return purge(retention, context);
    }

    private int purge(Duration age, JobContext context) {
        int purged = entityManager
                .createQuery("delete from Report r where r.renderedAt < :cutoff")
                .setParameter("cutoff", Instant.now().minus(age))
                .executeUpdate();
        context.log("Purged " + purged + " report(s) rendered before " + age + " ago");
        return purged;
    }
}
