package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.stereotype.Component;

/**
 * Builds an index over every report in memory: all their samples at once, sorted for percentiles
 * across reports, and the words of their titles. Its heap grows with the archive, so it is
 * memory-bound: it runs in a worker JVM of the {@code memory} lane, with a heap budget of its own
 * ({@code taskbound.lanes.memory.process.heap}). A report archive too large for that budget fails
 * this job alone; the application and its other jobs never notice.
 *
 * <p>Its {@link ReportService} is injected in the worker as anywhere else: the worker boots the
 * application's context, making only this bean and what it depends on.
 */
@Component
public class ReportIndexer {

    private final ReportService reports;

    public ReportIndexer(ReportService reports) {
        this.reports = reports;
    }

    /** What the index found (no percentiles for an empty archive); {@code workerPid} says which JVM built it. */
    public record Summary(int reports, long samples, Double p50, Double p99, List<String> topWords, long workerPid) {}

    @Job(name = "reports.index", bound = Bound.MEMORY, timeout = "PT10M")
    public Summary index(JobContext context) {
        List<Report> all = reports.all();
        long total = all.stream().mapToLong(Report::getSamples).sum();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("The archive holds " + total + " samples, more than one index can");
        }
        context.log("Indexing " + all.size() + " reports, " + total + " samples");
        double[] samples = new double[(int) total];
        Map<String, Integer> words = new HashMap<>();
        int at = 0;
        for (int i = 0; i < all.size(); i++) {
            Report report = all.get(i);
            // The report's samples drawn again from its seed, as rendering drew them.
            SplittableRandom random = new SplittableRandom(report.getId());
            for (int k = 0; k < report.getSamples(); k++) {
                samples[at++] = random.nextGaussian();
            }
            for (String word : report.getTitle().toLowerCase(Locale.ROOT).split("\\W+")) {
                if (!word.isEmpty()) {
                    words.merge(word, 1, Integer::sum);
                }
            }
            context.progress((i + 1) * 100 / all.size());
        }
        Arrays.sort(samples);
        List<String> top = words.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(5)
                .map(Map.Entry::getKey)
                .toList();
        context.log("Indexed; top words " + top);
        return new Summary(
                all.size(),
                total,
                percentile(samples, 0.50),
                percentile(samples, 0.99),
                top,
                ProcessHandle.current().pid());
    }

    private static Double percentile(double[] sorted, double quantile) {
        return sorted.length == 0 ? null : sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)];
    }
}
