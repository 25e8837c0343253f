package io.taskbound.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Medians, minima and maxima over runs, written as the JSON contract of BENCHMARKS.md, a Markdown
 * report with ratios against each contender, and one bar chart per headline figure.
 */
final class Report {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The figure each scenario is judged by, and whether more is better. */
    private static final Map<String, Headline> HEADLINES = Map.of(
            "throughput", new Headline("jobs_per_s", true),
            "throughput-warm", new Headline("jobs_per_s", true),
            "latency", new Headline("latency_p99_ms", false),
            "io-fanout", new Headline("wall_s", false),
            "cpu", new Headline("efficiency", true),
            "isolation", new Headline("p99_ratio", false),
            "scale", new Headline("jobs_per_s", true),
            "cron", new Headline("lateness_p99_ms", false),
            "soak", new Headline("latency_p99_ms_last_minute", false),
            "idle", new Headline("idle_statements_per_s", false));

    record Headline(String metric, boolean higherIsBetter) {}

    /** A scenario that a contender cannot run at all, and why (as opposed to one it failed). */
    record NotAvailable(String scenario, String contender, String reason) {}

    record Key(
            String scenario,
            String contender,
            String metric,
            @Nullable Integer nodes,
            @Nullable String fault) {}

    record Row(
            String scenario,
            String contender,
            String metric,
            @Nullable Integer nodes,
            @Nullable String fault,
            double median,
            double min,
            double max,
            int runs,
            @Nullable Double ratioToOneNode,
            String settings) {}

    /** The base name of the main report's files. */
    static final String LATEST = "latest";

    private final String name;
    private final boolean quick;
    private final List<Scenario> scenarios;
    private final List<String> contenders;
    private final String postgres;
    private final Map<String, String> serverSettings;
    private final List<Row> rows;
    private final List<Failure> failures;
    private final List<NotAvailable> notAvailable;
    private final List<Plan> plans;

    /**
     * @param name the base name of the files written: {@link #LATEST}, or {@link
     *     Scenario#PROCESS_LANE_REPORT} for the process-lane scenarios
     */
    Report(
            String name,
            boolean quick,
            List<Scenario> scenarios,
            List<String> contenders,
            String postgres,
            Map<String, String> serverSettings,
            List<Result> results,
            List<Failure> failures,
            List<NotAvailable> notAvailable,
            List<Plan> plans) {
        this.name = name;
        this.quick = quick;
        this.scenarios = scenarios;
        this.contenders = contenders;
        this.postgres = postgres;
        this.serverSettings = serverSettings;
        this.rows = aggregate(results);
        this.failures = List.copyOf(failures);
        this.notAvailable = List.copyOf(notAvailable);
        this.plans = List.copyOf(plans);
    }

    private static List<Row> aggregate(List<Result> results) {
        Map<Key, List<Result>> grouped = results.stream()
                .collect(Collectors.groupingBy(
                        r -> new Key(r.scenario(), r.contender(), r.metric(), r.nodes(), r.fault()),
                        LinkedHashMap::new,
                        Collectors.toList()));
        Map<Key, Double> medians = new LinkedHashMap<>();
        grouped.forEach((key, group) -> medians.put(
                key, median(group.stream().mapToDouble(Result::value).toArray())));
        List<Row> rows = new ArrayList<>();
        grouped.forEach((key, group) -> {
            double[] values = group.stream().mapToDouble(Result::value).sorted().toArray();
            Double ratio = null;
            if (key.nodes() != null && key.fault() == null) {
                Double one = medians.get(new Key(key.scenario(), key.contender(), key.metric(), 1, null));
                if (one != null && one > 0) {
                    // For wall time, less is better: the speed-up is one node's time over n nodes'.
                    double median = medians.get(key);
                    ratio = key.metric().equals("wall_s") ? one / median : median / one;
                }
            }
            rows.add(new Row(
                    key.scenario(),
                    key.contender(),
                    key.metric(),
                    key.nodes(),
                    key.fault(),
                    medians.get(key),
                    values[0],
                    values[values.length - 1],
                    values.length,
                    ratio,
                    group.getFirst().settings()));
        });
        return rows;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".json"), json());
        Files.writeString(directory.resolve(name + ".md"), markdown());
        if (!queryPlans().isEmpty()) {
            Files.writeString(directory.resolve(PLANS_FILE), plansMarkdown());
        }
        charts(directory);
    }

    /** The query plans a scenario captured (queries), next to latest.md. */
    static final String PLANS_FILE = "queries-plans.md";

    /**
     * What the process-lane scenarios said beside their figures: the memory cases' one job, as its
     * store keeps it, and the overhead's start times and commands, by case in the call field.
     */
    private List<Plan> notes() {
        return plans.stream()
                .filter(p -> Scenario.byId(p.scenario()).processLane())
                .toList();
    }

    /** The plans of the queries scenario; the api scenario's texts are shown in latest.md itself. */
    private List<Plan> queryPlans() {
        return plans.stream()
                .filter(p -> p.scenario().equals(Scenario.QUERIES.id()))
                .toList();
    }

    private String plansMarkdown() {
        StringBuilder md = new StringBuilder("# Query plans\n\n");
        md.append("Captured by the last run")
                .append(quick ? " (quick: a smaller store)" : "")
                .append(": each call's statements as the contender prepared them, with the values it bound,")
                .append(" explained on the scenario's store. PostgreSQL ")
                .append(postgres)
                .append(".\n");
        String heading = null;
        for (Plan plan : queryPlans()) {
            String next = plan.scenario() + ", " + plan.contender();
            if (!next.equals(heading)) {
                md.append("\n# ").append(next).append("\n");
                heading = next;
            }
            md.append("\n").append(plan.text());
        }
        return md.toString();
    }

    private String json() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", machine(postgres, serverSettings));
        document.put("quick", quick);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("scenario", row.scenario());
            entry.put("contender", row.contender());
            entry.put("metric", row.metric());
            if (row.fault() != null) {
                entry.put("fault", row.fault());
            }
            if (row.nodes() != null) {
                entry.put("nodes", row.nodes());
            }
            entry.put("median", round(row.median()));
            entry.put("min", round(row.min()));
            entry.put("max", round(row.max()));
            entry.put("runs", row.runs());
            if (row.ratioToOneNode() != null) {
                entry.put("ratio_to_1_node", round(row.ratioToOneNode()));
            }
            entry.put("settings", row.settings());
            results.add(entry);
        }
        document.put("results", results);
        document.put("failures", failures);
        // Scenarios no contender can run yet, then scenarios a contender cannot run at all.
        List<Map<String, String>> unavailable = new ArrayList<>();
        scenarios.stream()
                .filter(s -> !s.available())
                .forEach(s -> unavailable.add(Map.of("scenario", s.id(), "reason", s.unavailableReason())));
        for (NotAvailable entry : notAvailable) {
            Map<String, String> item = new LinkedHashMap<>();
            item.put("scenario", entry.scenario());
            item.put("contender", entry.contender());
            item.put("reason", entry.reason());
            unavailable.add(item);
        }
        document.put("not_available", unavailable);
        List<Plan> notes = notes();
        if (!notes.isEmpty()) {
            document.put("notes", notes);
        }
        return JSON.writeValueAsString(document) + "\n";
    }

    /** The machine and server a report's figures come from, as its JSON has them. */
    static Map<String, Object> machine(String postgres, Map<String, String> serverSettings) {
        return Map.of(
                "cores",
                Runtime.getRuntime().availableProcessors(),
                "java",
                System.getProperty("java.version"),
                "postgres",
                postgres,
                "postgres_settings",
                serverSettings);
    }

    /** The same as a report's Markdown says it: two paragraphs, the second ending with its full stop. */
    static String machineMarkdown(String postgres, Map<String, String> serverSettings) {
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ". " + postgres + ".\n\nServer settings: "
                + settings(serverSettings) + ".";
    }

    /** Settings as {@code `key=value`}, comma-separated. */
    static String settings(Map<String, ?> settings) {
        return settings.entrySet().stream()
                .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                .collect(Collectors.joining(", "));
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append(quick ? "Quick run (small sizes, one run): for checks, not for conclusions.\n\n" : "");
        md.append(machineMarkdown(postgres, serverSettings))
                .append("\n\nEach figure is the median over runs, with the minimum and maximum in brackets.")
                .append(" Each contender ran in its own JVM on its own fresh database of the same server,")
                .append(" contenders alternating from run to run.\n");
        for (Scenario scenario : scenarios) {
            md.append("\n## ")
                    .append(scenario.id())
                    .append("\n\n")
                    .append(scenario.description())
                    .append(".\n\n");
            if (!scenario.available()) {
                md.append("*").append(scenario.unavailableReason()).append(".*\n");
                continue;
            }
            List<Row> scenarioRows = rows.stream()
                    .filter(r -> r.scenario().equals(scenario.id()))
                    .sorted(Comparator.comparing(Report::faultOrder)
                            .thenComparing(r -> Objects.requireNonNullElse(r.fault(), ""))
                            .thenComparing(Row::metric)
                            .thenComparing(r -> Objects.requireNonNullElse(r.nodes(), 0))
                            .thenComparing(r -> contenders.indexOf(r.contender())))
                    .toList();
            List<NotAvailable> cannot = notAvailable.stream()
                    .filter(n -> n.scenario().equals(scenario.id()))
                    .toList();
            if (scenarioRows.isEmpty()) {
                md.append(
                        cannot.isEmpty()
                                ? "*No results: every contender's worker failed; see the run's log.*\n"
                                : "*No results.*\n");
                appendNotAvailable(md, cannot);
                continue;
            }
            // Counts and signed lateness (cron) make no sense as a ratio; queries and idle have Taskbound
            // alone, whose figures need no ratio to itself.
            boolean ratios = scenario != Scenario.CRON
                    && scenario != Scenario.FAULTS
                    && scenario != Scenario.QUERIES
                    && scenario != Scenario.API
                    && scenario != Scenario.IDLE
                    && !scenario.processLane();
            if (scenario == Scenario.API) {
                appendApiCalls(
                        md,
                        rows.stream()
                                .filter(r -> r.scenario().equals(scenario.id()))
                                .toList());
                // What the api scenario's probes wrote for the reader (live tabs: the statements).
                plans.stream()
                        .filter(p -> p.scenario().equals(scenario.id()))
                        .forEach(p -> md.append(p.text()).append("\n"));
            }
            if (scenario.processLane()) {
                ProcessLaneTables.byContender(md, scenarioRows, contenders);
                ProcessLaneTables.notes(
                        md,
                        notes().stream()
                                .filter(p -> p.scenario().equals(scenario.id()))
                                .toList());
                appendNotAvailable(md, cannot);
                continue;
            }
            // A column for the case of scenarios that have cases: the faults', the process lane's.
            boolean faults = scenarioRows.stream().anyMatch(r -> r.fault() != null);
            md.append(faults ? (scenario == Scenario.FAULTS ? "| fault " : "| case ") : "")
                    .append("| metric | ")
                    .append(scenario == Scenario.SCALE ? "nodes | " : "")
                    .append("contender | median (min–max) |")
                    .append(scenario == Scenario.SCALE ? " ratio to 1 node |" : "")
                    .append(ratios ? " taskbound ÷ contender |" : "")
                    .append("\n|---|")
                    .append(faults ? "---|" : "")
                    .append(scenario == Scenario.SCALE ? "---|" : "")
                    .append("---|---|")
                    .append(scenario == Scenario.SCALE ? "---|" : "")
                    .append(ratios ? "---|" : "")
                    .append("\n");
            for (Row row : scenarioRows) {
                Row ours = rows.stream()
                        .filter(r -> r.scenario().equals(row.scenario())
                                && r.metric().equals(row.metric())
                                && Objects.equals(r.nodes(), row.nodes())
                                && Objects.equals(r.fault(), row.fault())
                                && r.contender().equals("taskbound"))
                        .findFirst()
                        .orElse(null);
                if (faults) {
                    md.append("| ").append(row.fault()).append(" ");
                }
                md.append("| ").append(row.metric()).append(" | ");
                if (scenario == Scenario.SCALE) {
                    md.append(row.nodes()).append(" | ");
                }
                md.append(row.contender())
                        .append(" | ")
                        .append(format(row.median()))
                        .append(" (")
                        .append(format(row.min()))
                        .append("–")
                        .append(format(row.max()))
                        .append(") |");
                if (scenario == Scenario.SCALE) {
                    md.append(" ")
                            .append(row.ratioToOneNode() == null ? "" : format(row.ratioToOneNode()))
                            .append(" |");
                }
                if (ratios) {
                    md.append(" ")
                            .append(ours == null || row.median() == 0 ? "" : format(ours.median() / row.median()) + "×")
                            .append(" |");
                }
                md.append("\n");
            }
            if (scenario == Scenario.QUERIES && !queryPlans().isEmpty()) {
                md.append("\nThe plans of every call: [")
                        .append(PLANS_FILE)
                        .append("](")
                        .append(PLANS_FILE)
                        .append(").\n");
            }
            appendNotAvailable(md, cannot);
        }
        if (!failures.isEmpty()) {
            md.append("\n## Did not finish\n\n");
            for (Failure failure : failures) {
                md.append("- ")
                        .append(failure.scenario())
                        .append(", ")
                        .append(failure.contender())
                        .append(": ")
                        .append(failure.reason())
                        .append("\n");
            }
        }
        md.append("\n## Contender settings\n\n");
        for (String contender : contenders) {
            rows.stream()
                    .filter(r -> r.contender().equals(contender))
                    .findFirst()
                    .ifPresent(r -> md.append("- **")
                            .append(contender)
                            .append("**: ")
                            .append(r.settings())
                            .append("\n"));
        }
        return md.toString();
    }

    /**
     * The api scenario's calls, one line each with its percentiles and whether its p95 meets the
     * goal ({@link ApiBench#GOAL_P95_MS}), before the scenario's table of every metric.
     */
    private static void appendApiCalls(StringBuilder md, List<Row> scenarioRows) {
        md.append("Per call over HTTP (ms; bytes: median body), goal p95 ≤ ")
                .append(format(ApiBench.GOAL_P95_MS))
                .append(" ms:\n\n| call | p50 | p95 | p99 | max | bytes | p95 goal |\n|---|---|---|---|---|---|---|\n");
        Map<String, Double> byMetric = new LinkedHashMap<>();
        scenarioRows.forEach(r -> byMetric.put(r.metric(), r.median()));
        // The calls in the order they ran (the rows as measured; the table below sorts by metric).
        scenarioRows.stream().filter(r -> r.metric().endsWith("_p95_ms")).forEach(r -> {
            String call = r.metric().substring(0, r.metric().length() - "_p95_ms".length());
            md.append("| `").append(call).append("` |");
            for (String figure : List.of("_p50_ms", "_p95_ms", "_p99_ms", "_max_ms", "_bytes")) {
                Double value = byMetric.get(call + figure);
                String shown = value == null
                        ? ""
                        : figure.equals("_bytes") ? String.format(Locale.ROOT, "%,.0f", value) : format(value);
                md.append(" ").append(shown).append(" |");
            }
            md.append(r.median() <= ApiBench.GOAL_P95_MS ? " pass |\n" : " **FAIL** |\n");
        });
        md.append("\n");
    }

    /** Fault cases in their declared order; rows of other scenarios have none. */
    private static int faultOrder(Row row) {
        for (Fault fault : Fault.values()) {
            if (fault.id().equals(row.fault())) {
                return fault.ordinal();
            }
        }
        return -1;
    }

    private static void appendNotAvailable(StringBuilder md, List<NotAvailable> cannot) {
        if (!cannot.isEmpty()) {
            md.append("\n");
        }
        for (NotAvailable entry : cannot) {
            md.append("- ")
                    .append(entry.contender())
                    .append(": not available: ")
                    .append(entry.reason())
                    .append("\n");
        }
    }

    private void charts(Path directory) throws IOException {
        for (Map.Entry<String, Headline> headline : HEADLINES.entrySet()) {
            String scenario = headline.getKey();
            String metric = headline.getValue().metric();
            List<Row> chartRows = rows.stream()
                    .filter(r -> r.scenario().equals(scenario) && r.metric().equals(metric))
                    .filter(r ->
                            r.nodes() == null || r.nodes() == 1 || scenario.equals("scale") || scenario.equals("cron"))
                    .toList();
            if (chartRows.isEmpty()) {
                continue;
            }
            CategoryChart chart = new CategoryChartBuilder()
                    .width(640)
                    .height(360)
                    .title(scenario + ": " + metric
                            + (headline.getValue().higherIsBetter() ? " (higher is better)" : " (lower is better)"))
                    .yAxisTitle(metric)
                    .build();
            chart.getStyler().setLegendVisible(scenario.equals("scale"));
            chart.getStyler().setLabelsVisible(true);
            chart.getStyler().setDecimalPattern("#,##0.##");
            if (scenario.equals("scale")) {
                for (int nodes = 1; nodes <= 3; nodes++) {
                    int n = nodes;
                    List<Row> series = chartRows.stream()
                            .filter(r -> Objects.equals(r.nodes(), n))
                            .toList();
                    if (!series.isEmpty()) {
                        chart.addSeries(
                                n + " node" + (n == 1 ? "" : "s"),
                                series.stream().map(Row::contender).toList(),
                                series.stream().map(Row::median).toList());
                    }
                }
            } else {
                chart.addSeries(
                        metric,
                        chartRows.stream().map(Row::contender).toList(),
                        chartRows.stream().map(Row::median).toList());
            }
            BitmapEncoder.saveBitmap(
                    chart, directory.resolve(scenario + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    static String format(double value) {
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
