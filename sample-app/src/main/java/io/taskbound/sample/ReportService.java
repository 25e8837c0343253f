package io.taskbound.sample;

import io.taskbound.JobHandle;
import io.taskbound.Jobs;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates reports and enqueues their rendering in the same transaction: both are stored, or neither. */
@Service
public class ReportService {

    private final Jobs jobs;

    @PersistenceContext
    private EntityManager entityManager;

    public ReportService(Jobs jobs) {
        this.jobs = jobs;
    }

    @Transactional
    public Created create(String title, int samples) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title must not be blank");
        }
        if (samples < 1 || samples > 5_000_000) {
            throw new IllegalArgumentException("samples must be between 1 and 5000000, was " + samples);
        }
        Report report = new Report(title, samples);
        entityManager.persist(report);
        entityManager.flush();
        JobHandle<Double> render = jobs.enqueue(ReportRenderer::render, report.getId());
        return new Created(report.getId(), render.id().toString());
    }

    @Transactional(readOnly = true)
    public List<Report> all() {
        return entityManager
                .createQuery("select r from Report r order by r.id", Report.class)
                .getResultList();
    }

    public Report find(long id) {
        return entityManager.find(Report.class, id);
    }

    public record Created(long reportId, String jobId) {}
}
