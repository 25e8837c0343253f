package io.taskbound.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobState;
import io.taskbound.WorkerInfo;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker JVMs of a process lane, seen from outside as the application's child processes: started
 * lazily or with the lane, replaced after their number of jobs, when a job leaves too much heap in
 * use, or after waiting too long, and gone when the engine stops.
 */
class ProcessWorkerPoolTest {

    private static final String LANE = "pool";

    public static class PidJobs {

        // In the worker JVM: what a job leaves reachable there, as a static cache would.
        private static byte[] kept;

        @Job(lane = LANE, maxAttempts = 1)
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Job(lane = LANE, maxAttempts = 1)
        public void waitFor(String releaseFile) throws InterruptedException {
            while (!Files.exists(Path.of(releaseFile))) {
                Thread.sleep(10);
            }
        }

        @Job(lane = LANE, maxAttempts = 1)
        public long pidAfter(String releaseFile) throws InterruptedException {
            waitFor(releaseFile);
            return ProcessHandle.current().pid();
        }

        @Job(lane = LANE, maxAttempts = 1)
        public long keep(int megabytes) {
            kept = new byte[megabytes * 1024 * 1024];
            return ProcessHandle.current().pid();
        }

        @Job(lane = LANE, maxAttempts = 1)
        public long churn(int megabytes) {
            long sum = 0;
            for (int i = 0; i < megabytes; i++) {
                byte[] garbage = new byte[1024 * 1024];
                garbage[i % garbage.length] = (byte) i;
                sum += garbage[i % garbage.length];
            }
            return sum >= 0 ? ProcessHandle.current().pid() : -1;
        }
    }

    private final HikariDataSource dataSource = TestDatabase.create();
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    private void start(UnaryOperator<ProcessSettings> workers) {
        start(1, workers);
    }

    private void start(int concurrency, UnaryOperator<ProcessSettings> workers) {
        TaskboundSettings settings = TestSettings.fast()
                .withLane(
                        LANE,
                        new LaneSettings(
                                "process",
                                concurrency,
                                30,
                                concurrency,
                                null,
                                1,
                                Duration.ofMillis(10),
                                Duration.ofMillis(10)));
        engine = TestEngine.startWith(
                dataSource,
                settings,
                null,
                builder -> builder.processWorkers((lane, defaults) ->
                        workers.apply(defaults.withJvmOptions(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")))),
                new PidJobs());
    }

    @Test
    void lazyWorkersStartWithTheFirstJobAndEagerOnesWithTheLane() {
        start(settings -> settings.withEagerStart(true));

        List<Long> warm = await("a worker started ahead of any job")
                .atMost(Duration.ofSeconds(30))
                .until(ProcessWorkerPoolTest::workers, pids -> pids.size() == 1);

        assertThat(runPid()).isEqualTo(warm.getFirst());
        engine.close();
        engine = null;
        start(UnaryOperator.identity());
        assertThat(workers()).as("no worker before the first job").isEmpty();
        assertThat(runPid()).isNotEqualTo(warm.getFirst());
    }

    @Test
    void severalEagerWorkersStartWithTheLaneAndRunItsJobsSideBySide(@TempDir Path directory) throws IOException {
        start(3, settings -> settings.withEagerStart(true));
        List<Long> warm = await("three workers started ahead of any job")
                .atMost(Duration.ofSeconds(60))
                .until(ProcessWorkerPoolTest::workers, pids -> pids.size() == 3);
        Path release = directory.resolve("release");

        List<UUID> ids = List.of(
                engine.jobs().enqueue(PidJobs::pidAfter, release.toString()).id(),
                engine.jobs().enqueue(PidJobs::pidAfter, release.toString()).id(),
                engine.jobs().enqueue(PidJobs::pidAfter, release.toString()).id());
        await("the three jobs running at once")
                .atMost(Duration.ofSeconds(30))
                .until(() -> ids.stream()
                        .allMatch(id -> engine.jobs().find(id).orElseThrow().state() == JobState.RUNNING));
        Files.createFile(release);

        assertThat(ids.stream().map(this::pidOf).toList())
                .as("each on a worker of its own, the ones started with the lane")
                .containsExactlyInAnyOrderElementsOf(warm);
    }

    @Test
    void whatTheWorkersJvmLogsAtStartUpDoesNotCorruptTheProtocol() {
        // A class-data cache that cannot be read: the JVM logs errors and goes on without it. Its
        // unified logging writes to stdout unless told otherwise, where the lane reads frames.
        Path missing =
                Path.of(System.getProperty("java.io.tmpdir"), "taskbound-no-such-cache-" + UUID.randomUUID() + ".aot");
        start(settings -> settings.withJvmOptions(List.of("-XX:AOTCache=" + missing)));

        assertThat(runPid()).isPositive();
    }

    @Test
    void aWorkerIsReplacedAfterItsNumberOfJobs() {
        start(settings -> settings.withMaxJobsPerWorker(2));

        long first = runPid();
        long second = runPid();
        long third = runPid();

        assertThat(second).isEqualTo(first);
        assertThat(third).isNotEqualTo(first);
        await("the worn-out worker gone").atMost(Duration.ofSeconds(10)).until(() -> gone(first));
    }

    @Test
    void aWorkerIsRecycledWhenAJobLeavesMoreHeapInUseThanTheLaneAllows() {
        start(settings -> settings.withHeap("256m").withRecycleAboveHeap("64m"));

        long keeper = pidOf(engine.jobs().enqueue(PidJobs::keep, 100).id());
        long next = runPid();

        assertThat(next).as("a fresh worker").isNotEqualTo(keeper);
        await("the worker holding 100 MB gone").atMost(Duration.ofSeconds(10)).until(() -> gone(keeper));
    }

    @Test
    void garbageAJobLeavesBehindDoesNotRecycleItsWorker() {
        // A young generation of 200 MB holds the 120 MB the job drops without a collection, so the
        // heap in use reads above the threshold after the job until the worker collects it, which it
        // does before it reports such a reading.
        start(settings -> settings.withHeap("256m")
                .withRecycleAboveHeap("64m")
                .withJvmOptions(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmn200m")));

        long churner = pidOf(engine.jobs().enqueue(PidJobs::churn, 120).id());

        assertThat(runPid()).isEqualTo(churner);
        assertThat(engine.engine().lanes())
                .filteredOn(lane -> lane.name().equals(LANE))
                .singleElement()
                .satisfies(lane ->
                        assertThat(lane.workers().getFirst().heapUsedBytes()).isLessThan(64L * 1024 * 1024));
    }

    @Test
    void aLazyLanesIdleWorkerIsClosedAndTheNextJobStartsAnother() {
        start(settings -> settings.withIdleTimeout(Duration.ofMillis(300)));
        long first = runPid();

        await("the idle worker closed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> gone(first) && workers().isEmpty());

        assertThat(runPid()).isNotEqualTo(first);
    }

    @Test
    void anEagerLanesIdleWorkerIsReplacedByAFreshOneThatWaits() {
        start(settings -> settings.withEagerStart(true).withIdleTimeout(Duration.ofMillis(300)));
        long warm = await("a worker started ahead of any job")
                .atMost(Duration.ofSeconds(30))
                .until(ProcessWorkerPoolTest::workers, pids -> pids.size() == 1)
                .getFirst();
        assertThat(runPid()).isEqualTo(warm);

        List<Long> replaced = await("the idle worker replaced")
                .atMost(Duration.ofSeconds(30))
                .until(ProcessWorkerPoolTest::workers, pids -> pids.size() == 1 && !pids.contains(warm));

        // A fresh worker that ran nothing has nothing to give back: it waits for the next job.
        assertThat(runPid()).isEqualTo(replaced.getFirst());
        assertThat(gone(warm)).isTrue();
    }

    @Test
    void theLaneReportListsEachWorkerWithItsPidStateAndJobs() {
        start(UnaryOperator.identity());
        long pid = runPid();
        runPid();

        WorkerInfo worker = await("the worker in the lane report")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> engine.jobs()
                                .queries()
                                .lanes()
                                .lane(LANE)
                                .orElseThrow()
                                .workers(),
                        byNode -> byNode.containsKey(engine.engine().nodeId())
                                && byNode.get(engine.engine().nodeId())
                                                .getFirst()
                                                .jobsRun()
                                        == 2)
                .get(engine.engine().nodeId())
                .getFirst();

        assertThat(worker.pid()).isEqualTo(pid);
        assertThat(worker.state()).isEqualTo(WorkerInfo.State.IDLE);
        assertThat(worker.jobId()).isNull();
        assertThat(worker.heapUsedBytes()).isNotNull().isPositive();
        assertThat(worker.startedAt()).isBefore(Instant.now());
        assertThat(engine.jobs().queries().lanes().lane("io").orElseThrow().workers())
                .as("a thread lane")
                .isEmpty();
    }

    @Test
    void aBusyWorkerShowsTheJobItRuns(@TempDir Path directory) throws IOException {
        start(UnaryOperator.identity());
        Path release = directory.resolve("release");
        UUID id = engine.jobs().enqueue(PidJobs::waitFor, release.toString()).id();

        TaskboundEngine.LaneStatus lane = await("the worker busy with the job")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> engine.engine().lanes().stream()
                                .filter(status -> status.name().equals(LANE))
                                .findFirst()
                                .orElseThrow(),
                        status -> !status.workers().isEmpty()
                                && status.workers().getFirst().state() == WorkerInfo.State.BUSY);

        assertThat(lane.workers()).singleElement().satisfies(worker -> {
            assertThat(worker.jobId()).isEqualTo(id);
            assertThat(worker.jobsRun()).isZero();
            assertThat(worker.heapUsedBytes()).as("before its first job ends").isNull();
        });
        Files.createFile(release);
        engine.awaitState(id, JobState.SUCCEEDED);
    }

    @Test
    void stoppingTheEngineStopsItsWorkers() {
        start(UnaryOperator.identity());
        long worker = runPid();

        engine.close();
        engine = null;

        await("the worker gone").atMost(Duration.ofSeconds(10)).until(() -> gone(worker));
        assertThat(workers()).isEmpty();
    }

    private long runPid() {
        return pidOf(engine.jobs().enqueue(PidJobs::pid).id());
    }

    private long pidOf(UUID id) {
        return Long.parseLong(engine.awaitState(id, JobState.SUCCEEDED).resultJson());
    }

    // This JVM's live children that are this lane's workers.
    private static List<Long> workers() {
        String property = "-D" + Worker.WORKER_PROPERTY + ".lane=" + LANE;
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(child -> arguments(child).contains(property))
                .map(ProcessHandle::pid)
                .toList();
    }

    // The JDK gives no arguments for a command line longer than a page, as a worker's classpath
    // makes it; Linux has them all in /proc.
    private static List<String> arguments(ProcessHandle process) {
        Optional<String[]> given = process.info().arguments();
        if (given.isPresent()) {
            return List.of(given.get());
        }
        try {
            byte[] line = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return List.of(new String(line, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }
}
