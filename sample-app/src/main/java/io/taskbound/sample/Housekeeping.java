package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Nightly cleanup: low priority work on the constrained lane, so it only takes spare capacity. */
@Component
public class Housekeeping {

    @PersistenceContext
    private EntityManager entityManager;

    @Job(name = "housekeeping.purge-reports", bound = Bound.CONSTRAINED)
    @Transactional
    public int purgeReportsOlderThan(Duration age, JobContext context) {
        int purged = entityManager
                .createQuery("delete from Report r where r.renderedAt < :cutoff")
                .setParameter("cutoff", Instant.now().minus(age))
                .executeUpdate();
        context.log("Purged " + purged + " report(s) rendered before " + age + " ago");
        return purged;
    }
}
