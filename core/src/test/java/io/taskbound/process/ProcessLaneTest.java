package io.taskbound.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobLogLine;
import io.taskbound.JobState;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lane on the {@code process} executor runs its jobs in worker JVMs: results, log lines and
 * progress come back as from any lane, and a worker that exits, halts, runs out of memory, is killed
 * or times out fails only the job it ran, with how it ended, and is replaced.
 *
 * <p>One engine for the whole class, on a lane of two workers with a 64 MB heap: each worker start
 * costs a JVM, and the tests only add jobs of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessLaneTest {

    /** Runs in a worker JVM: made there by its no-arg constructor, so it holds no state of the test's. */
    public static class WorkerJobs {

        public record Greeting(String text, long pid) {}

        @Job(lane = "worker", maxAttempts = 1)
        public Greeting greet(String name, JobContext context) {
            context.log("greeting " + name);
            context.progress(40);
            context.log("line with\nnewline and ünïcode");
            context.progress(90);
            return new Greeting("hello " + name, ProcessHandle.current().pid());
        }

        @Job(lane = "worker", maxAttempts = 1)
        public String reportProgressUntil(String releaseFile, JobContext context) throws InterruptedException {
            context.progress(40);
            while (!Files.exists(Path.of(releaseFile))) {
                Thread.sleep(10);
            }
            return "released";
        }

        @Job(lane = "worker", maxAttempts = 1)
        public void exit(int status) {
            System.err.println("about to exit with " + status);
            System.exit(status);
        }

        @Job(lane = "worker", maxAttempts = 1)
        public int allocate(int megabytes) {
            List<byte[]> kept = new ArrayList<>();
            for (int i = 0; i < megabytes; i++) {
                kept.add(new byte[1024 * 1024]);
            }
            return kept.size();
        }

        @Job(lane = "worker", maxAttempts = 1)
        public void failAfterAllocating(int megabytes) {
            byte[] held = new byte[megabytes * 1024 * 1024];
            throw new IllegalStateException("failed holding " + held.length + " bytes");
        }

        @Job(lane = "worker", maxAttempts = 1)
        public void block(JobContext context) throws InterruptedException {
            context.log("pid " + ProcessHandle.current().pid());
            Thread.sleep(Duration.ofMinutes(2));
        }

        @Job(lane = "worker", maxAttempts = 1, timeout = "PT1S")
        public void hangWithAChild(JobContext context) throws IOException, InterruptedException {
            Process child = new ProcessBuilder("sleep", "120").start();
            context.log("pid " + ProcessHandle.current().pid() + " child " + child.pid());
            Thread.sleep(Duration.ofMinutes(2));
        }

        @Job(lane = "worker", maxAttempts = 1)
        public int noisy() {
            System.out.println("a library chatting on stdout");
            // Bytes that would read as a frame header of a huge frame, had they reached the protocol.
            System.out.print("\u0000\u0000\u0001\u0000S{\"resultJson\":\"7\"}");
            System.out.flush();
            return 42;
        }

        @Job(lane = "worker", maxAttempts = 2)
        public String haltsOnItsFirstAttempt(JobContext context) {
            if (context.attempt() == 1) {
                Runtime.getRuntime().halt(137);
            }
            return "survived attempt " + context.attempt();
        }
    }

    /** Runs in this JVM, on a lane of virtual threads: the application's ordinary work. */
    public static class HostJobs {
        @Job(lane = "io")
        public int ordinary(int n) throws InterruptedException {
            Thread.sleep(10);
            return n * 2;
        }
    }

    private final HikariDataSource dataSource = TestDatabase.create();
    private TestEngine engine;

    @BeforeAll
    void start() {
        TaskboundSettings settings = TestSettings.fast()
                .withLane(
                        "worker",
                        new LaneSettings("process", 2, 30, 2, null, 1, Duration.ofMillis(10), Duration.ofMillis(10)));
        engine = TestEngine.startWith(
                dataSource,
                settings,
                null,
                builder -> builder.processWorkers((lane, defaults) -> defaults.withHeap("64m")
                        .withJvmOptions(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))),
                new WorkerJobs(),
                new HostJobs());
    }

    @AfterAll
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void runsAJobInAWorkerJvmAndBringsBackItsResultLogLinesAndProgress() {
        UUID id = engine.jobs().enqueue(WorkerJobs::greet, "Ada").id();

        JobInfo done = engine.awaitState(id, JobState.SUCCEEDED);

        assertThat(done.resultJson()).contains("\"text\": \"hello Ada\"");
        assertThat(pidOf(done)).isNotEqualTo(ProcessHandle.current().pid());
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.logs(id).size() == 2);
        assertThat(engine.logs(id))
                .extracting(JobLogLine::message)
                .containsExactly("greeting Ada", "line with\nnewline and ünïcode");
    }

    @Test
    void aWorkerRunStoresTheCpuTimeAllocationAndPeakHeapTheWorkerMeasured() {
        JobInfo inWorker = engine.awaitState(
                engine.jobs().enqueue(WorkerJobs::allocate, 16).id(), JobState.SUCCEEDED);
        JobInfo onThread =
                engine.awaitState(engine.jobs().enqueue(HostJobs::ordinary, 1).id(), JobState.SUCCEEDED);

        long sixteenMegabytes = 16L * 1024 * 1024;
        assertThat(inWorker.cpuTime()).isNotNull().isPositive();
        assertThat(inWorker.allocatedBytes()).isNotNull().isGreaterThanOrEqualTo(sixteenMegabytes);
        assertThat(inWorker.peakHeapBytes()).isNotNull().isGreaterThanOrEqualTo(sixteenMegabytes);
        // The engine's own wall time, from the hand-over to the answer: never less than the CPU time.
        assertThat(inWorker.wallTime()).isGreaterThanOrEqualTo(inWorker.cpuTime());
        assertThat(onThread.peakHeapBytes())
                .as("a run in the application's own JVM")
                .isNull();
    }

    @Test
    void aFailedWorkerRunStoresItsFiguresWithItsAttemptAndADeadWorkerNone() {
        UUID failed = engine.jobs().enqueue(WorkerJobs::failAfterAllocating, 16).id();
        UUID died = engine.jobs().enqueue(WorkerJobs::exit, 5).id();

        assertThat(engine.awaitState(failed, JobState.DEAD).error()).contains("failed holding 16777216 bytes");
        assertThat(engine.attempts(failed)).singleElement().satisfies(attempt -> {
            assertThat(attempt.cpuTime()).isNotNull();
            assertThat(attempt.peakHeapBytes()).isNotNull().isGreaterThanOrEqualTo(16L * 1024 * 1024);
        });
        engine.awaitState(died, JobState.DEAD);
        assertThat(engine.attempts(died)).singleElement().satisfies(attempt -> {
            assertThat(attempt.wallTime()).as("the engine's own").isNotNull();
            assertThat(attempt.peakHeapBytes())
                    .as("nothing came back from the worker")
                    .isNull();
        });
    }

    @Test
    void progressReportedInTheWorkerReachesTheStoreWhileTheJobRuns(@TempDir Path directory) throws IOException {
        Path release = directory.resolve("release");
        UUID id = engine.jobs()
                .enqueue(WorkerJobs::reportProgressUntil, release.toString())
                .id();

        engine.awaitInfo(id, info -> Integer.valueOf(40).equals(info.progress()));
        Files.createFile(release);

        assertThat(engine.awaitState(id, JobState.SUCCEEDED).resultJson()).isEqualTo("\"released\"");
    }

    @Test
    void aHundredOrdinaryJobsOnAnotherLaneAllCompleteWhileAWorkerDies() {
        List<UUID> ordinary = engine
                .jobs()
                .enqueueAll(IntStream.range(0, 100)
                        .mapToObj(n -> engine.jobs().schedule(HostJobs::ordinary, n))
                        .toList())
                .stream()
                .map(JobHandle::id)
                .toList();
        UUID dying = engine.jobs().enqueue(WorkerJobs::exit, 9).id();

        assertThat(engine.awaitState(dying, JobState.DEAD).error()).contains("exit status 9");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ordinary.stream().allMatch(id -> engine.info(id).state() == JobState.SUCCEEDED));
        assertThat(ordinary)
                .allSatisfy(id -> assertThat(engine.info(id).resultJson()).isNotNull());
    }

    @Test
    void aWorkerThatExitsFailsItsJobWithTheExitStatusAndStderrAndIsReplaced() {
        UUID id = engine.jobs().enqueue(WorkerJobs::exit, 3).id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.error())
                .startsWith(Worker.DIED + ": Worker JVM (pid ")
                .contains("died while running job \"WorkerJobs.exit\"")
                .contains("it exited before the job ended (exit status 3)")
                .contains("the last lines of its stderr:\nabout to exit with 3");
        long died = Long.parseLong(dead.error().replaceFirst("(?s).*Worker JVM \\(pid (\\d+)\\).*", "$1"));
        JobInfo after = engine.awaitState(
                engine.jobs().enqueue(WorkerJobs::greet, "after").id(), JobState.SUCCEEDED);
        assertThat(after.resultJson()).contains("hello after");
        assertThat(pidOf(after)).as("a new worker").isNotEqualTo(died);
    }

    @Test
    void aJobThatAllocatesPastTheWorkersHeapFailsAsOutOfMemory() {
        UUID id = engine.jobs().enqueue(WorkerJobs::allocate, 500).id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.error())
                .contains("it ran out of memory, past its heap budget of -Xmx64m (exit status 3)")
                .contains("java.lang.OutOfMemoryError");
        assertThat(engine.awaitState(
                                engine.jobs().enqueue(WorkerJobs::allocate, 8).id(), JobState.SUCCEEDED)
                        .resultJson())
                .isEqualTo("8");
    }

    @Test
    void killingABusyWorkerFailsOnlyItsJob() {
        UUID busy = engine.jobs().enqueue(WorkerJobs::block).id();
        long pid = loggedPid(busy);

        JobInfo meanwhile = engine.awaitState(
                engine.jobs().enqueue(WorkerJobs::greet, "meanwhile").id(), JobState.SUCCEEDED);
        assertThat(pidOf(meanwhile)).as("the other worker").isNotEqualTo(pid);
        assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();

        JobInfo dead = engine.awaitState(busy, JobState.DEAD);
        assertThat(dead.error())
                .contains("Worker JVM (pid " + pid + ")")
                .contains("exit status 137, as a kill by signal 9 (SIGKILL) shows");
        assertThat(engine.awaitState(
                                engine.jobs()
                                        .enqueue(WorkerJobs::greet, "after the kill")
                                        .id(),
                                JobState.SUCCEEDED)
                        .resultJson())
                .contains("hello after the kill");
    }

    @Test
    void aTimeoutKillsTheWorkerAndWhatItStarted() {
        UUID id = engine.jobs().enqueue(WorkerJobs::hangWithAChild).id();
        String line = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> engine.logs(id).stream()
                                .map(JobLogLine::message)
                                .filter(m -> m.startsWith("pid "))
                                .findFirst()
                                .orElse(null),
                        m -> m != null);
        String[] words = line.split(" ");
        long worker = Long.parseLong(words[1]);
        long child = Long.parseLong(words[3]);

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.error())
                .startsWith("io.taskbound.JobTimeoutException: Job \"WorkerJobs.hangWithAChild\" timed out after PT1S");
        assertThat(engine.attempts(id)).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("TIMED_OUT");
            assertThat(attempt.stackTrace())
                    .contains("it was stopped by its lane as the run timed out or was cancelled");
        });
        await("the worker and its child gone").atMost(Duration.ofSeconds(10)).until(() -> gone(worker) && gone(child));
    }

    @Test
    void aCancellationKillsTheWorkerAndEndsTheJobCancelled() {
        UUID id = engine.jobs().enqueue(WorkerJobs::block).id();
        long pid = loggedPid(id);

        assertThat(engine.jobs().cancel(id)).isTrue();

        assertThat(engine.awaitState(id, JobState.CANCELLED).attempt()).isEqualTo(1);
        await("the worker gone").atMost(Duration.ofSeconds(10)).until(() -> gone(pid));
    }

    @Test
    void aJobPrintingToStdoutDoesNotCorruptTheProtocol() {
        UUID id = engine.jobs().enqueue(WorkerJobs::noisy).id();

        assertThat(engine.awaitState(id, JobState.SUCCEEDED).resultJson()).isEqualTo("42");
    }

    @Test
    void aJobWhoseWorkerHaltedIsRetriedAsItsPolicySays() {
        UUID id = engine.jobs().enqueue(WorkerJobs::haltsOnItsFirstAttempt).id();

        JobInfo done = engine.awaitState(id, JobState.SUCCEEDED);

        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.resultJson()).isEqualTo("\"survived attempt 2\"");
        assertThat(engine.attempts(id)).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("FAILED");
            assertThat(attempt.error()).startsWith(Worker.DIED).contains("exit status 137");
        });
    }

    private static long pidOf(JobInfo greeting) {
        Matcher pid = Pattern.compile("\"pid\": ?(\\d+)").matcher(greeting.resultJson());
        assertThat(pid.find()).as("a pid in %s", greeting.resultJson()).isTrue();
        return Long.parseLong(pid.group(1));
    }

    private long loggedPid(UUID id) {
        String line = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> engine.logs(id).stream()
                                .map(JobLogLine::message)
                                .filter(m -> m.startsWith("pid "))
                                .findFirst()
                                .orElse(null),
                        m -> m != null);
        return Long.parseLong(line.substring(4));
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }
}
