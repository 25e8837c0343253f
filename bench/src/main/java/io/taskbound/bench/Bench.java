package io.taskbound.bench;

import io.taskbound.bench.contender.TaskboundContender;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar bench/target/taskbound-bench.jar [--quick] [--metrics] [--tracing] [--scenarios a,b]
 * [--contenders x,y] [--runs n] [--out dir]}: runs the scenarios for the contenders, each contender in its own JVM on
 * its own fresh database of one PostgreSQL server, alternating contenders and repeating, then
 * writes {@code latest.json}, {@code latest.md} and charts to {@code bench/results}; the
 * process-lane scenarios (memory, gc-isolation, process-overhead) write {@code memory.json} and
 * {@code memory.md} instead, so that neither kind of run replaces the other's committed report, and
 * the advisor scenario {@code advisor.json} and {@code advisor.md}.
 */
public final class Bench {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The scale scenario's parts, each run by every node of a scale run on its own database. */
    private static final List<String> SCALE_PARTS = List.of("scale-throughput", "scale-io-fanout");

    private final boolean quick;
    private final List<Scenario> scenarios;
    private final List<String> contenders;
    private final int runs;
    private final Path out;
    private final List<Result> results = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<Report.NotAvailable> notAvailable = new ArrayList<>();
    private final List<Plan> plans = new ArrayList<>();

    private Bench(String[] args) {
        boolean quick = false;
        boolean metrics = false;
        boolean tracing = false;
        List<Scenario> scenarios = null;
        List<String> contenders = Contenders.ALL;
        Integer runs = null;
        Path out = Path.of("bench", "results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--metrics" -> metrics = true;
                case "--tracing" -> tracing = true;
                case "--scenarios" -> scenarios = Scenario.parse(value(args, ++i, "--scenarios"));
                case "--contenders" -> contenders = parseContenders(value(args, ++i, "--contenders"));
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, "--runs"));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                default ->
                    throw new IllegalArgumentException(
                            "Unknown option \"" + args[i]
                                    + "\": use --quick, --metrics, --tracing, --scenarios a,b, --contenders x,y, --runs n, --out dir");
            }
        }
        if (tracing) {
            contenders = besidePlain(contenders, TaskboundContender.TRACED_ALL);
            contenders = besidePlain(contenders, TaskboundContender.TRACED);
            contenders = besidePlain(contenders, TaskboundContender.OBSERVED);
        }
        if (metrics) {
            contenders = besidePlain(contenders, TaskboundContender.WITH_METRICS);
        }
        this.quick = quick;
        this.scenarios = scenarios != null ? scenarios : Scenario.defaults(quick);
        this.contenders = contenders;
        this.runs = runs != null ? runs : quick ? 1 : 3;
        this.out = out;
    }

    // Beside plain Taskbound, alternating with it, so that the report's ratio is the variant's cost.
    private static List<String> besidePlain(List<String> contenders, String variant) {
        if (contenders.contains(variant)) {
            return contenders;
        }
        List<String> with = new ArrayList<>(contenders);
        int plain = with.indexOf("taskbound");
        with.add(plain < 0 ? with.size() : plain + 1, variant);
        return List.copyOf(with);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            Worker.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("app")) {
            AppNode.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("observation-cost")) {
            io.taskbound.bench.contender.ObservationCost.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        try {
            new Bench(args).run();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        // In their declared order, whatever the command line's: the soak streams at half the
        // throughput measured before it in the same worker.
        List<String> single = new ArrayList<>(scenarios.stream()
                .filter(Scenario::singleNode)
                .sorted()
                .map(Scenario::id)
                .toList());
        boolean scale = scenarios.contains(Scenario.SCALE);
        boolean cron = scenarios.contains(Scenario.CRON);
        boolean faults = scenarios.contains(Scenario.FAULTS);
        if (scale) {
            // The one-node part of scale runs in the single-node worker: one JVM launch fewer.
            single.addAll(SCALE_PARTS);
        }
        log("Benchmark: " + (quick ? "quick" : "full") + ", " + runs + " run(s), contenders " + contenders
                + ", scenarios " + scenarios.stream().map(Scenario::id).toList());
        // Each contender's single-node tasks, less the scenarios it cannot run (as it says itself).
        Map<String, List<String>> singleTasks = new LinkedHashMap<>();
        for (String contender : contenders) {
            List<String> tasks = new ArrayList<>(single);
            for (Scenario scenario : scenarios) {
                if (!scenario.singleNode()) {
                    continue;
                }
                Optional<String> reason = notAvailable(contender, scenario);
                if (reason.isPresent()) {
                    tasks.remove(scenario.id());
                    notAvailable.add(new Report.NotAvailable(scenario.id(), contender, reason.get()));
                    log(contender + ": " + scenario.id() + " not available: " + reason.get());
                }
            }
            singleTasks.put(contender, tasks);
        }
        List<String> cronContenders = new ArrayList<>();
        for (String contender : contenders) {
            Optional<String> reason = cron ? notAvailable(contender, Scenario.CRON) : Optional.empty();
            if (reason.isPresent()) {
                notAvailable.add(new Report.NotAvailable(Scenario.CRON.id(), contender, reason.get()));
                log(contender + ": " + Scenario.CRON.id() + " not available: " + reason.get());
            } else if (cron) {
                cronContenders.add(contender);
            }
        }
        // The process-lane scenarios each contender runs, less those it cannot (as it says itself).
        Map<String, List<Scenario>> appScenarios = new LinkedHashMap<>();
        for (String contender : contenders) {
            List<Scenario> runnable = new ArrayList<>();
            for (Scenario scenario :
                    scenarios.stream().filter(Scenario::processLane).sorted().toList()) {
                Optional<String> reason = notAvailable(contender, scenario);
                if (reason.isPresent()) {
                    notAvailable.add(new Report.NotAvailable(scenario.id(), contender, reason.get()));
                    log(contender + ": " + scenario.id() + " not available: " + reason.get());
                } else {
                    runnable.add(scenario);
                }
            }
            appScenarios.put(contender, runnable);
        }
        List<String> faultCases = new ArrayList<>();
        if (faults) {
            for (String contender : contenders) {
                faultCases.addAll(faultCases(contender));
            }
        }
        try (BenchServer server = new BenchServer()) {
            log("PostgreSQL: " + server.version() + " " + server.settings());
            FaultRun faultRun = new FaultRun(server, quick, this::spawn);
            AppRun appRun = new AppRun(server, quick, (contender, args, log) -> spawn(contender, args, log, true));
            // The advisor scenario is Taskbound's alone, and writes a report of its own.
            AdvisorRun advisorRun = scenarios.contains(Scenario.ADVISOR) && contenders.contains("taskbound")
                    ? new AdvisorRun(server, quick, args -> spawn("taskbound", args, null, true), Bench::log)
                    : null;
            List<AdvisorRun.Row> advice = new ArrayList<>();
            List<Failure> adviceFailures = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                // Alternate: each run starts with the next contender, so no one always goes first.
                List<String> order = new ArrayList<>(contenders);
                java.util.Collections.rotate(order, -run);
                for (String contender : order) {
                    runNodes(server, contender, 1, singleTasks.get(contender));
                    if (scale) {
                        for (int nodes = 2; nodes <= (quick ? 2 : 3); nodes++) {
                            runNodes(server, contender, nodes, SCALE_PARTS);
                        }
                    }
                    if (cronContenders.contains(contender)) {
                        runNodes(server, contender, Scenario.CRON_NODES, List.of(Scenario.CRON.id()));
                    }
                    for (Fault fault : Fault.values()) {
                        if (faultCases.contains(contender + "/" + fault.id())) {
                            runFault(faultRun, contender, fault);
                        }
                    }
                    for (Scenario scenario : appScenarios.get(contender)) {
                        runProcessLane(server, appRun, contender, scenario);
                    }
                    if (advisorRun != null && contender.equals("taskbound")) {
                        advisorRun.run(advice, adviceFailures);
                    }
                }
            }
            if (advisorRun != null) {
                new AdvisorReport(
                                quick,
                                advisorRun.runsPerCase(),
                                server.version(),
                                server.settings(),
                                advice,
                                adviceFailures)
                        .write(out);
                log("Report: " + out.resolve(AdvisorReport.NAME + ".md"));
            }
            // The process-lane scenarios go to a report of their own, the others to latest: a run of
            // either kind alone leaves the other's committed report as it is.
            for (boolean processLane : List.of(false, true)) {
                List<Scenario> reported = scenarios.stream()
                        .filter(s -> s.processLane() == processLane && s != Scenario.ADVISOR)
                        .toList();
                if (reported.isEmpty()) {
                    continue;
                }
                List<String> ids = reported.stream().map(Scenario::id).toList();
                String name = processLane ? Scenario.PROCESS_LANE_REPORT : Report.LATEST;
                new Report(
                                name,
                                quick,
                                reported,
                                contenders,
                                server.version(),
                                server.settings(),
                                results.stream()
                                        .filter(r -> ids.contains(r.scenario()))
                                        .toList(),
                                failures.stream()
                                        .filter(f -> ids.contains(f.scenario()))
                                        .toList(),
                                notAvailable.stream()
                                        .filter(n -> ids.contains(n.scenario()))
                                        .toList(),
                                plans.stream()
                                        .filter(p -> ids.contains(p.scenario()))
                                        .toList())
                        .write(out);
                log("Report: " + out.resolve(name + ".md"));
            }
            log("Done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
        }
    }

    /**
     * Runs one process-lane scenario for {@code contender}: each memory case, each gc-isolation case
     * (Taskbound's job on a worker JVM and in the application; a contender without process isolation
     * only in the application), or the process-overhead measurements in an application JVM of their
     * own. A case that fails is reported as not finished, with the figures it has, and the run goes on.
     */
    private void runProcessLane(BenchServer server, AppRun appRun, String contender, Scenario scenario)
            throws Exception {
        if (scenario == Scenario.PROCESS_OVERHEAD) {
            log(contender + ": " + scenario.id());
            String url = server.createDatabase();
            try {
                collect(spawn(contender, List.of("overhead", String.valueOf(quick), url), null, true), contender);
            } finally {
                server.dropDatabase(url);
            }
            return;
        }
        List<String> cases = scenario == Scenario.MEMORY
                ? Arrays.stream(AppRun.MemoryCase.values()).map(c -> c.id).toList()
                : contender.equals("taskbound") ? List.of(AppRun.WORKER, AppRun.IN_APP) : List.of(AppRun.IN_APP);
        for (String caseId : cases) {
            log(contender + ": " + scenario.id() + " " + caseId);
            AppRun.Outcome outcome = scenario == Scenario.MEMORY
                    ? appRun.memory(contender, AppRun.MemoryCase.valueOf(caseId.toUpperCase(java.util.Locale.ROOT)))
                    : appRun.gcIsolation(contender, caseId);
            for (Result result : outcome.results()) {
                results.add(result);
                log("  " + caseId + " " + result.metric() + " = " + String.format("%.3f", result.value()));
            }
            for (Plan note : outcome.notes()) {
                plans.add(note);
                log("  " + caseId + " " + note.text());
            }
            if (outcome.failure() != null) {
                failures.add(new Failure(scenario.id(), contender, outcome.failure()));
                log("  " + scenario.id() + " FAILED: " + outcome.failure());
            }
        }
    }

    /**
     * The fault cases {@code contender} can run, as {@code contender/case}; those it cannot are
     * reported as not available, with its reason.
     */
    private List<String> faultCases(String contender) throws Exception {
        List<String> cases = new ArrayList<>();
        try (Contender instance = Contenders.create(contender)) {
            for (Fault fault : Fault.values()) {
                Optional<String> reason = instance.notAvailable(fault);
                if (reason.isPresent()) {
                    notAvailable.add(
                            new Report.NotAvailable(Scenario.FAULTS.id(), contender, fault.id() + ": " + reason.get()));
                    log(contender + ": " + Scenario.FAULTS.id() + " " + fault.id() + " not available: " + reason.get());
                } else {
                    cases.add(contender + "/" + fault.id());
                }
            }
        }
        return cases;
    }

    /**
     * Runs one fault case; a case whose worker JVMs die, wedge or do not recover in time is reported
     * as not finished, with the figures it has, and the run goes on.
     */
    private void runFault(FaultRun faultRun, String contender, Fault fault) {
        log(contender + " on " + fault.nodes() + " node(s): " + Scenario.FAULTS.id() + " " + fault.id());
        try {
            FaultRun.Outcome outcome = faultRun.run(contender, fault);
            for (Result result : outcome.results()) {
                results.add(result);
                log("  " + fault.id() + " " + result.metric() + " = " + String.format("%.3f", result.value()));
            }
            if (outcome.failure() != null) {
                failures.add(new Failure(Scenario.FAULTS.id(), contender, outcome.failure()));
                log("  " + Scenario.FAULTS.id() + " FAILED: " + outcome.failure());
            }
        } catch (Exception e) {
            String reason =
                    fault.id() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            failures.add(new Failure(Scenario.FAULTS.id(), contender, reason));
            log("  " + Scenario.FAULTS.id() + " FAILED: " + reason);
        }
    }

    /** Why {@code contender} cannot run {@code scenario} at all, as the contender itself says. */
    private static Optional<String> notAvailable(String contender, Scenario scenario) throws Exception {
        try (Contender instance = Contenders.create(contender)) {
            return instance.notAvailable(scenario);
        }
    }

    /**
     * Runs {@code tasks} on {@code nodes} worker JVMs, each task on its own database: single-node
     * scenario ids (with one node only), the parts of the scale scenario, or {@code cron}, which all
     * nodes run together.
     */
    private void runNodes(BenchServer server, String contender, int nodes, List<String> taskIds) throws Exception {
        if (taskIds.isEmpty()) {
            return;
        }
        List<String> tasks = new ArrayList<>();
        for (String task : taskIds) {
            tasks.add(task + "=" + server.createDatabase());
        }
        log(contender + " on " + nodes + " node(s): " + taskIds);
        List<Process> workers = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            List<String> args = new ArrayList<>(
                    List.of(contender, String.valueOf(quick), String.valueOf(node), String.valueOf(nodes)));
            args.addAll(tasks);
            workers.add(spawn(contender, args));
        }
        // A node that fails would leave the others waiting at a barrier: stop them all.
        for (Process worker : workers.subList(1, workers.size())) {
            worker.onExit().thenAccept(exited -> {
                if (exited.exitValue() != 0) {
                    log("  node of " + contender + " failed (exit " + exited.exitValue() + "); stopping the run");
                    workers.forEach(Process::destroyForcibly);
                }
            });
        }
        collect(workers.getFirst(), contender);
        for (Process worker : workers.subList(1, workers.size())) {
            if (!worker.waitFor(2, TimeUnit.MINUTES)) {
                worker.destroyForcibly();
            }
        }
        for (String task : tasks) {
            server.dropDatabase(task.substring(task.indexOf('=') + 1));
        }
    }

    private Process spawn(String contender, List<String> workerArgs) throws IOException {
        return spawn(contender, workerArgs, null);
    }

    private Process spawn(String contender, List<String> workerArgs, @Nullable Path log) throws IOException {
        return spawn(contender, workerArgs, log, false);
    }

    /**
     * A worker JVM, or with {@code app} an application JVM of the process-lane scenarios: the
     * application of BENCHMARKS.md's memory scenario, with a 512 MB heap and the JVM's defaults
     * otherwise (no class-data archive: it is killed, never exits, so would never write one), started
     * from a plain classpath so that it can start Taskbound's worker JVMs. Its output comes through a
     * pipe, or goes to {@code log} if one is given.
     */
    private Process spawn(String contender, List<String> workerArgs, @Nullable Path log, boolean app)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        if (app) {
            List<String> command =
                    new ArrayList<>(List.of(java, "-Xmx512m", "-cp", plainClassPath(), Bench.class.getName(), "app"));
            command.addAll(workerArgs);
            return start(command, log);
        }
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx2g"));
        // A class-data archive per contender, written by the first worker and mapped by the rest,
        // takes a second or more off each worker's start-up; it changes nothing once running.
        Path archive = Path.of(System.getProperty("java.io.tmpdir"), "taskbound-bench-" + contender + ".jsa");
        command.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive));
        // For profiling a worker, e.g. BENCH_WORKER_JVM_ARGS="-XX:StartFlightRecording=filename=w.jfr".
        String extra = System.getenv("BENCH_WORKER_JVM_ARGS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(Arrays.asList(extra.strip().split("\\s+")));
        }
        // Run from the packaged jar, workers start through its launcher; from an IDE, by class.
        if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
            command.addAll(List.of("-jar", classPath, "worker"));
        } else {
            command.addAll(List.of("-cp", classPath, Bench.class.getName(), "worker"));
        }
        command.addAll(workerArgs);
        return start(command, log);
    }

    // Output and errors to the log; no input, so the JVM never waits on it.
    private static Process start(List<String> command, @Nullable Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (log != null) {
            builder.redirectOutput(log.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private @Nullable String plainClassPath;

    private synchronized String plainClassPath() throws IOException {
        if (plainClassPath == null) {
            try {
                plainClassPath = PlainClassPath.resolve();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while extracting the bench jar", e);
            }
        }
        return plainClassPath;
    }

    /** Reads a worker's output: results are kept, the rest is shown only if the worker fails. */
    private void collect(Process worker, String label) throws Exception {
        List<String> log = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(Failure.PREFIX)) {
                    Failure failure = JSON.readValue(line.substring(Failure.PREFIX.length()), Failure.class);
                    failures.add(failure);
                    log("  " + failure.scenario() + " FAILED: " + failure.reason());
                } else if (line.startsWith(Plan.PREFIX)) {
                    plans.add(JSON.readValue(line.substring(Plan.PREFIX.length()), Plan.class));
                } else if (line.startsWith(Plan.NOTE_PREFIX)) {
                    log("  " + line.substring(Plan.NOTE_PREFIX.length()));
                } else if (line.startsWith(Result.PREFIX)) {
                    Result result = JSON.readValue(line.substring(Result.PREFIX.length()), Result.class);
                    results.add(result);
                    log("  " + result.scenario() + (result.fault() == null ? "" : " " + result.fault()) + " "
                            + result.metric() + (result.nodes() == null ? "" : " (" + result.nodes() + " nodes)")
                            + " = "
                            + String.format("%.3f", result.value()));
                } else {
                    log.add(line);
                }
            }
        }
        int exit = worker.waitFor();
        if (exit != 0) {
            log("  worker " + label + " failed (exit " + exit + "); its last lines:");
            log.subList(Math.max(0, log.size() - 30), log.size()).forEach(l -> log("    " + l));
        }
    }

    private static List<String> parseContenders(String names) {
        List<String> parsed = Arrays.stream(names.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        for (String name : parsed) {
            if (!Contenders.ALL.contains(name) && !Contenders.VARIANTS.contains(name)) {
                throw new IllegalArgumentException("Unknown contender \"" + name + "\": use one of " + Contenders.ALL
                        + " or " + Contenders.VARIANTS);
            }
        }
        return parsed;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static void log(String message) {
        System.out.println(message);
        System.out.flush();
    }
}
