package io.taskbound.sample;

import io.taskbound.JobContext;
import io.taskbound.Recurring;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Watches the render backlog: every 30 seconds it counts the reports waiting to be rendered, keeps
 * the count as the job's result and in its log, and warns when it exceeds {@code
 * pressroom.reports.backlog-warning}, a sign that the CPU lane cannot keep up. However many
 * instances of the app run, one of them counts per interval.
 */
@Component
public class ReportBacklog {

    private static final Logger log = LoggerFactory.getLogger(ReportBacklog.class);

    private final long warning;

    @PersistenceContext
    private EntityManager entityManager;

    public ReportBacklog(@Value("${pressroom.reports.backlog-warning:100}") long warning) {
        this.warning = warning;
    }

    // No @Job: one small query waits on the database, and IO, the default bound, fits.
    @Recurring(every = "PT30S", id = "reports.backlog")
    public long check(JobContext context) {
        long pending = entityManager
                .createQuery("select count(r) from Report r where r.status = 'PENDING'", Long.class)
                .getSingleResult();
        context.log(pending + " report(s) waiting to be rendered");
        if (pending > warning) {
            log.warn("{} reports are waiting to be rendered (warning above {})", pending, warning);
        }
        return pending;
    }
}
