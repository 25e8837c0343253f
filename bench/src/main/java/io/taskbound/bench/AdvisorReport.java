package io.taskbound.bench;

import io.taskbound.advice.Advisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@value #NAME}.json and {@value #NAME}.md: what the bound advisor said of each case of the advisor
 * scenario, one row per case and run, beside the machine and server as the other reports give them.
 */
final class AdvisorReport {

    static final String NAME = "advisor";

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final boolean quick;
    private final int runsPerCase;
    private final String postgres;
    private final Map<String, String> serverSettings;
    private final List<AdvisorRun.Row> outcomes;
    private final List<Failure> failures;

    AdvisorReport(
            boolean quick,
            int runsPerCase,
            String postgres,
            Map<String, String> serverSettings,
            List<AdvisorRun.Row> outcomes,
            List<Failure> failures) {
        this.quick = quick;
        this.runsPerCase = runsPerCase;
        this.postgres = postgres;
        this.serverSettings = serverSettings;
        this.outcomes = List.copyOf(outcomes);
        this.failures = List.copyOf(failures);
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(NAME + ".json"), json());
        Files.writeString(directory.resolve(NAME + ".md"), markdown());
    }

    private String json() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", Report.machine(postgres, serverSettings));
        document.put("quick", quick);
        document.put("runs_per_case", runsPerCase);
        document.put("advisor_settings", advisorSettings());
        document.put("description", Scenario.ADVISOR.description());
        List<Map<String, Object>> results = new ArrayList<>();
        for (AdvisorRun.Row row : outcomes) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("run", row.run());
            entry.putAll(JSON.convertValue(row.outcome(), MAP));
            results.add(entry);
        }
        document.put("results", results);
        document.put("failures", failures);
        return JSON.writeValueAsString(document) + "\n";
    }

    /** The heap of each case's application JVM, as the memory scenario's: -Xmx512m. */
    private static final long CASE_HEAP_BYTES = 512L * 1024 * 1024;

    private static Map<String, Object> advisorSettings() {
        Advisor.Settings defaults = Advisor.Settings.defaults();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("window", defaults.window().toString());
        settings.put("min_runs", defaults.minRuns());
        // The default is a quarter of the heap of the JVM the advisor runs in, at most 1 GiB: each
        // case's application JVM (-Xmx512m), not this one.
        settings.put("memory_heavy_bytes", Math.min(Advisor.Settings.DEFAULT_MEMORY_HEAVY_BYTES, CASE_HEAP_BYTES / 4));
        settings.put("sampling_period", String.valueOf(defaults.samplingPeriod()));
        return settings;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# Bound advisor accuracy\n\n");
        md.append(quick ? "Quick run (the advisor's minimum of runs per case): for checks.\n\n" : "");
        md.append(Report.machineMarkdown(postgres, serverSettings))
                .append("\n\nAdvisor settings (the defaults): ")
                .append(Report.settings(advisorSettings()))
                .append(". Runs per case: ")
                .append(runsPerCase)
                .append(".\n\n")
                .append(Scenario.ADVISOR.description())
                .append(".\n\n");
        md.append("| run | scenario | job | declared | lane | expected verdict | observed (expected) | confidence"
                + " | CPU share | alloc/run | alloc rate | worker heap peak | runs | load | flagged? | suggestion"
                + " | correct? |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        outcomes.forEach(row -> md.append(row(row.run(), row.outcome())));
        md.append("\nWhat the advisor said (`BoundAdvice.reason`):\n\n");
        for (AdvisorCase.Outcome o :
                outcomes.stream().map(AdvisorRun.Row::outcome).toList()) {
            md.append("- ")
                    .append(o.scenario())
                    .append(", declared ")
                    .append(o.declaration())
                    .append(": ")
                    .append(o.reason())
                    .append(o.failure() == null ? "" : " **Not every run succeeded:** " + o.failure())
                    .append('\n');
        }
        List<String> failed = new ArrayList<>();
        failures.forEach(f -> failed.add("- " + f.reason()));
        if (!failed.isEmpty()) {
            md.append("\n## Did not finish\n\n")
                    .append(String.join("\n", failed))
                    .append('\n');
        }
        return md.toString();
    }

    /** One case's row of the table. */
    private static String row(int run, AdvisorCase.Outcome o) {
        List<String> cells = List.of(
                String.valueOf(run),
                o.scenario(),
                "`" + o.jobName() + "`",
                o.declared() + " (" + o.declaration() + ")",
                String.valueOf(o.lane()),
                o.expectedFlagged() ? "flagged" : "not flagged",
                o.observed() + " (" + o.expectedObserved() + ")",
                String.valueOf(o.confidence()),
                percent(o.cpuShare()),
                megabytes(o.allocatedBytesPerRun()),
                megabytes(o.allocatedBytesPerSecond()) + (o.allocatedBytesPerSecond() == null ? "" : "/s"),
                megabytes(o.peakHeapBytes()),
                o.advisorRuns() + " of " + o.enqueued(),
                String.format(Locale.ROOT, "%.1f", o.loadAverage()),
                o.flagged() ? "yes" : "no",
                o.suggested() == null ? "–" : o.suggested(),
                o.correct() ? "yes" : "**no**");
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String percent(@Nullable Double share) {
        return share == null ? "–" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static String megabytes(@Nullable Long bytes) {
        return bytes == null ? "–" : String.format(Locale.ROOT, "%,.0f MB", bytes / (1024.0 * 1024));
    }
}
