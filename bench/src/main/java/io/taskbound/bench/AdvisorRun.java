package io.taskbound.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The advisor scenario, from the orchestrator: for each subject (a scenario's job) a case with the
 * job declared as Taskbound's contender declares it and a case with it declared wrongly, each in a
 * new application JVM ({@link AdvisorCase}) on a fresh database of the run's server. A case whose
 * JVM fails or prints no advice is reported as a failure, with its last lines, and the run goes on.
 */
final class AdvisorRun {

    /** Starts an application JVM from a plain classpath with these arguments after {@code app}. */
    interface Spawner {
        Process spawn(List<String> appArgs) throws IOException;
    }

    /** A case's JVM is stopped past this: the slowest case (40 holds of 5 s) takes under 4 minutes. */
    private static final Duration CAP = Duration.ofMinutes(8);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final List<String> DECLARATIONS = List.of("correct", "wrong");

    /** What the advisor said of a case in the run-th run (from 1). */
    record Row(int run, AdvisorCase.Outcome outcome) {}

    private final BenchServer server;
    private final boolean quick;
    private final Spawner spawner;
    private final Consumer<String> log;
    private int runs;

    AdvisorRun(BenchServer server, boolean quick, Spawner spawner, Consumer<String> log) {
        this.server = server;
        this.quick = quick;
        this.spawner = spawner;
        this.log = log;
    }

    /** Runs of each case: the advisor's minimum in a quick run, twice it (full confidence) otherwise. */
    int runsPerCase() {
        return Scenario.ADVISOR.size(quick);
    }

    /** Every case once, adding what the advisor said to {@code outcomes} and failed cases to {@code failures}. */
    void run(List<Row> outcomes, List<Failure> failures) throws Exception {
        runs++;
        for (AdvisorCase.Subject subject : AdvisorCase.Subject.values()) {
            for (String declaration : DECLARATIONS) {
                log.accept("taskbound: advisor " + subject.id + " declared " + declaration);
                String url = server.createDatabase();
                try {
                    runCase(subject, declaration, url, outcomes, failures);
                } finally {
                    server.dropDatabase(url);
                }
            }
        }
    }

    private void runCase(
            AdvisorCase.Subject subject, String declaration, String url, List<Row> outcomes, List<Failure> failures)
            throws Exception {
        Process app = spawner.spawn(List.of("advisor", subject.id, declaration, String.valueOf(runsPerCase()), url));
        Thread.ofVirtual().start(() -> {
            try {
                if (!app.waitFor(CAP.toSeconds(), TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            } catch (InterruptedException e) {
                app.destroyForcibly();
            }
        });
        List<String> lines = new ArrayList<>();
        AdvisorCase.Outcome outcome = null;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(AdvisorCase.PREFIX)) {
                    outcome = JSON.readValue(line.substring(AdvisorCase.PREFIX.length()), AdvisorCase.Outcome.class);
                } else {
                    lines.add(line);
                }
            }
        }
        int exit = app.waitFor();
        String where = subject.id + " declared " + declaration;
        if (outcome == null) {
            String reason = where + ": the application JVM printed no advice (exit " + exit + ")";
            failures.add(new Failure(Scenario.ADVISOR.id(), "taskbound", reason));
            log.accept("  FAILED: " + reason + "; its last lines:");
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> log.accept("    " + l));
            return;
        }
        outcomes.add(new Row(runs, outcome));
        log.accept("  declared " + outcome.declared() + ", observed " + outcome.observed() + " (confidence "
                + outcome.confidence() + "), flagged " + outcome.flagged() + ", correct " + outcome.correct()
                + ": " + outcome.reason());
        if (outcome.failure() != null) {
            failures.add(new Failure(Scenario.ADVISOR.id(), "taskbound", where + ": " + outcome.failure()));
            log.accept("  FAILED: " + outcome.failure());
        }
    }
}
