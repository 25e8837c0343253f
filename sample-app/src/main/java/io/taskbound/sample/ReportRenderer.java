package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Renders reports: a simulation that keeps one core busy, so it runs on the CPU lane. */
@Component
public class ReportRenderer {

    @PersistenceContext
    private EntityManager entityManager;

    @Job(name = "reports.render", bound = Bound.CPU, maxAttempts = 3, timeout = "PT2M")
    @Transactional
    public double render(long reportId, JobContext context) {
        Report report = entityManager.find(Report.class, reportId);
        if (report == null) {
            throw new IllegalArgumentException("No report " + reportId);
        }
        context.log("Rendering \"" + report.getTitle() + "\" from " + report.getSamples() + " samples");
        double[] values = new double[report.getSamples()];
        SplittableRandom random = new SplittableRandom(reportId);
        for (int i = 0; i < values.length; i++) {
            // A small Monte Carlo walk per sample: real arithmetic, no waiting.
            double walk = 0;
            for (int step = 0; step < 200; step++) {
                walk += random.nextGaussian();
            }
            values[i] = walk;
            if (i % (values.length / 10 + 1) == 0) {
                context.progress(i * 100 / values.length);
                context.throwIfCancellationRequested();
            }
        }
        Arrays.sort(values);
        double mean = Arrays.stream(values).average().orElse(0);
        double p95 = values[(int) Math.min(values.length - 1, Math.floor(values.length * 0.95))];
        report.rendered(mean, p95, Instant.now());
        context.log("Rendered: mean " + mean + ", p95 " + p95);
        return p95;
    }
}
