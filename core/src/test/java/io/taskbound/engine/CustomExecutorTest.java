package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.Job;
import io.taskbound.JobError;
import io.taskbound.JobExecutor;
import io.taskbound.JobInfo;
import io.taskbound.JobRun;
import io.taskbound.JobState;
import io.taskbound.RunFigures;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lane runs its jobs through an executor of the user's, registered by name: one that runs them in
 * this JVM through {@link JobRun#runHere()}, and one that runs them "elsewhere" and reports back
 * through {@link JobRun#start}, {@link JobRun#succeeded} and {@link JobRun#failed}, with retries,
 * death, timeouts and cancellation decided by the engine as for the built-in executors.
 */
class CustomExecutorTest {

    public static class Work {
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Job(lane = "here")
        public String greet(String name) {
            threads.add(Thread.currentThread().getName());
            return "hello " + name;
        }

        // Never called in this JVM: the remote executor below acts on the argument instead.
        @Job(lane = "elsewhere", maxAttempts = 3)
        public String remote(String behaviour) {
            throw new AssertionError("runs elsewhere");
        }

        @Job(lane = "elsewhere", maxAttempts = 1, timeout = "PT0.3S")
        public String remoteWithTimeout(String behaviour) {
            throw new AssertionError("runs elsewhere");
        }
    }

    public static class Twice {
        final CountDownLatch inJob = new CountDownLatch(1);
        final CountDownLatch reported = new CountDownLatch(1);

        @Job(lane = "both")
        public String reportedTwice() throws InterruptedException {
            inJob.countDown();
            reported.await();
            return "ran here";
        }
    }

    /** A buggy executor: runs the job here and, while it runs, also reports an outcome of it. */
    static final class Both implements JobExecutor {
        final Twice work;

        Both(Twice work) {
            this.work = work;
        }

        @Override
        public void execute(JobRun run) {
            Thread.ofVirtual().start(run::runHere);
            Thread.ofVirtual().start(() -> {
                try {
                    work.inJob.await();
                } catch (InterruptedException e) {
                    return;
                }
                run.succeeded("\"reported\"");
                work.reported.countDown();
            });
        }

        @Override
        public boolean shutdown(Duration timeout) {
            return true;
        }

        @Override
        public void stopAll() {}
    }

    /** Runs jobs in this JVM on threads of its own, named so that the test can tell. */
    static final class OwnThreads implements JobExecutor {
        final ExecutorService threads = Executors.newFixedThreadPool(
                2, Thread.ofPlatform().name("own-", 1).factory());

        @Override
        public void execute(JobRun run) {
            threads.execute(run::runHere);
        }

        @Override
        public boolean shutdown(Duration timeout) throws InterruptedException {
            threads.shutdown();
            return threads.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void stopAll() {
            threads.shutdownNow();
        }
    }

    /**
     * Stands for a worker process: takes the job's description, never calls its method, and reports
     * from a thread of its own as the argument says.
     */
    static final class Elsewhere implements JobExecutor {
        final ExecutorService worker = Executors.newCachedThreadPool(
                Thread.ofPlatform().name("elsewhere-", 1).factory());
        final Map<UUID, CountDownLatch> stopped = new ConcurrentHashMap<>();
        final Set<UUID> waiting = ConcurrentHashMap.newKeySet();

        @Override
        public void execute(JobRun run) {
            worker.execute(() -> work(run));
        }

        private void work(JobRun run) {
            CountDownLatch stop = new CountDownLatch(1);
            stopped.put(run.jobId(), stop);
            if (!run.start(stop::countDown)) {
                return;
            }
            run.log("attempt " + run.attempt() + " of " + run.maxAttempts() + " with " + run.argumentsJson());
            switch (run.argumentsJson()) {
                case "[\"succeed\"]" -> run.succeeded("\"done on attempt " + run.attempt() + "\"");
                case "[\"measure\"]" ->
                    run.succeeded("\"measured\"", new RunFigures(Duration.ofMillis(7), 2_048L, 64L * 1024 * 1024));
                case "[\"measure and fail\"]" ->
                    run.failed(
                            new JobError("worker.Crash", "crashed", "trace", false),
                            new RunFigures(Duration.ofMillis(3), null, 32L * 1024 * 1024));
                case "[\"fail twice\"]" -> {
                    if (run.attempt() < 3) {
                        run.failed(new JobError("worker.Crash", "crashed on attempt " + run.attempt(), "trace", true));
                    } else {
                        run.succeeded("\"done on attempt " + run.attempt() + "\"");
                    }
                }
                case "[\"always fail\"]" ->
                    run.failed(new JobError("worker.Crash", "crashed on attempt " + run.attempt(), "trace", true));
                case "[\"bad input\"]" ->
                    run.failed(new JobError("worker.BadInput", "cannot read the arguments", "", false));
                case "[\"hang\"]" -> {
                    waiting.add(run.jobId());
                    try {
                        stop.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    run.failed(new JobError("worker.Killed", "stopped by the engine", "killed", true));
                }
                default -> run.failed(new JobError("worker.Unknown", run.argumentsJson(), "", false));
            }
        }

        @Override
        public boolean shutdown(Duration timeout) throws InterruptedException {
            worker.shutdown();
            return worker.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void stopAll() {
            stopped.values().forEach(CountDownLatch::countDown);
            worker.shutdownNow();
        }
    }

    private final HikariDataSource dataSource = TestDatabase.create();
    private final Work work = new Work();
    private final Elsewhere elsewhere = new Elsewhere();
    private TestEngine engine;

    @AfterEach
    void stop() {
        elsewhere.stopAll();
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    private static TaskboundSettings lanes() {
        return TestSettings.fast().withLane("here", lane("own")).withLane("elsewhere", lane("remote"));
    }

    private static LaneSettings lane(String executor) {
        return new LaneSettings(executor, 4, 50, 4, null, 3, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private void start() {
        engine = TestEngine.startWithExecutors(
                dataSource, lanes(), Map.of("own", new OwnThreads(), "remote", elsewhere), work);
    }

    @Test
    void runsALanesJobsOnTheThreadsOfTheExecutorItNames() {
        start();
        UUID id = engine.jobs().enqueue(Work::greet, "Ada").id();

        JobInfo done = engine.awaitState(id, JobState.SUCCEEDED);

        assertThat(done.resultJson()).isEqualTo("\"hello Ada\"");
        assertThat(work.threads).allMatch(name -> name.startsWith("own-"));
        assertThat(engine.engine().lanes())
                .filteredOn(lane -> lane.name().equals("here"))
                .singleElement()
                .satisfies(lane -> assertThat(lane.executor()).isEqualTo("own"));
    }

    @Test
    void aRunEndedByAReportWhileItRanHereEndsOnceAndFreesItsSlotOnce() {
        Twice twice = new Twice();
        engine = TestEngine.startWithExecutors(
                dataSource,
                lanes().withLane("both", lane("both")),
                Map.of("own", new OwnThreads(), "remote", elsewhere, "both", new Both(twice)),
                twice);
        UUID id = engine.jobs().enqueue(Twice::reportedTwice).id();

        JobInfo done = engine.awaitState(id, JobState.SUCCEEDED);

        assertThat(done.resultJson()).isEqualTo("\"reported\"");
        // Ended twice, its slot would be freed twice: the lane would count -1 running jobs.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(engine.engine().lanes())
                        .filteredOn(lane -> lane.name().equals("both"))
                        .singleElement()
                        .satisfies(lane -> {
                            assertThat(lane.running()).isZero();
                            assertThat(lane.held()).isZero();
                        }));
        assertThat(engine.attempts(id)).isEmpty();
    }

    @Test
    void aRunElsewhereReportsItsResultAndLogs() {
        start();
        UUID id = engine.jobs().enqueue(Work::remote, "succeed").id();

        JobInfo done = engine.awaitState(id, JobState.SUCCEEDED);

        assertThat(done.resultJson()).isEqualTo("\"done on attempt 1\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> !engine.logs(id).isEmpty());
        assertThat(engine.logs(id).getFirst().message()).isEqualTo("attempt 1 of 3 with [\"succeed\"]");
    }

    @Test
    void aRunElsewhereStoresWhatItsExecutorMeasuredWithTheEnginesOwnWallTime() {
        start();
        UUID succeeded = engine.jobs().enqueue(Work::remote, "measure").id();
        UUID failed = engine.jobs().enqueue(Work::remote, "measure and fail").id();

        JobInfo done = engine.awaitState(succeeded, JobState.SUCCEEDED);
        engine.awaitState(failed, JobState.DEAD);

        assertThat(done.cpuTime()).isEqualTo(Duration.ofMillis(7));
        assertThat(done.allocatedBytes()).isEqualTo(2_048L);
        assertThat(done.peakHeapBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(done.wallTime()).isNotNull();
        assertThat(engine.attempts(failed)).singleElement().satisfies(attempt -> {
            assertThat(attempt.cpuTime()).isEqualTo(Duration.ofMillis(3));
            assertThat(attempt.allocatedBytes()).isNull();
            assertThat(attempt.peakHeapBytes()).isEqualTo(32L * 1024 * 1024);
        });
    }

    @Test
    void aRetryableFailureReportedFromElsewhereIsRetried() {
        start();
        UUID id = engine.jobs().enqueue(Work::remote, "fail twice").id();

        JobInfo done = engine.awaitState(id, JobState.SUCCEEDED);

        assertThat(done.attempt()).isEqualTo(3);
        assertThat(done.resultJson()).isEqualTo("\"done on attempt 3\"");
        assertThat(engine.attempts(id))
                .extracting(AttemptInfo::outcome, AttemptInfo::error)
                .containsExactly(
                        tuple("FAILED", "worker.Crash: crashed on attempt 1"),
                        tuple("FAILED", "worker.Crash: crashed on attempt 2"));
    }

    @Test
    void aJobFailingElsewhereOnItsLastAttemptIsDead() {
        start();
        UUID id = engine.jobs().enqueue(Work::remote, "always fail").id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.attempt()).isEqualTo(3);
        assertThat(dead.error()).isEqualTo("worker.Crash: crashed on attempt 3");
        assertThat(engine.attempts(id)).hasSize(3).allSatisfy(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("FAILED");
            assertThat(attempt.stackTrace()).isEqualTo("trace");
        });
    }

    @Test
    void aFailureThatRetryingCannotHelpIsDeadAtOnce() {
        start();
        UUID id = engine.jobs().enqueue(Work::remote, "bad input").id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.error()).isEqualTo("worker.BadInput: cannot read the arguments");
    }

    @Test
    void aTimeoutReachesTheStopActionAndCountsAsTimedOut() {
        start();
        UUID id = engine.jobs().enqueue(Work::remoteWithTimeout, "hang").id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        String error = "io.taskbound.JobTimeoutException: Job \"Work.remoteWithTimeout\" timed out after PT0.3S";
        assertThat(dead.error()).isEqualTo(error);
        assertThat(elsewhere.stopped.get(id).getCount())
                .as("stop action called")
                .isZero();
        assertThat(engine.attempts(id)).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("TIMED_OUT");
            assertThat(attempt.error()).isEqualTo(error);
            assertThat(attempt.stackTrace()).contains("Caused by: killed");
        });
    }

    @Test
    void aCancellationReachesTheStopActionAndEndsCancelled() {
        start();
        UUID id = engine.jobs().enqueue(Work::remote, "hang").id();
        await().atMost(Duration.ofSeconds(30)).until(() -> elsewhere.waiting.contains(id));

        assertThat(engine.jobs().cancel(id)).isTrue();

        JobInfo cancelled = engine.awaitState(id, JobState.CANCELLED);
        assertThat(cancelled.attempt()).isEqualTo(1);
        assertThat(elsewhere.stopped.get(id).getCount())
                .as("stop action called")
                .isZero();
    }

    @Test
    void aJobTheExecutorRefusesStaysHeldAndRunsOnceTheExecutorTakesWorkAgain() {
        OwnThreads own = new OwnThreads();
        AtomicInteger refusals = new AtomicInteger(3);
        JobExecutor refusingAtFirst = new JobExecutor() {
            @Override
            public void execute(JobRun run) {
                if (refusals.getAndDecrement() > 0) {
                    throw new RejectedExecutionException("full");
                }
                own.execute(run);
            }

            @Override
            public boolean shutdown(Duration timeout) throws InterruptedException {
                return own.shutdown(timeout);
            }

            @Override
            public void stopAll() {
                own.stopAll();
            }
        };
        engine = TestEngine.startWithExecutors(
                dataSource, lanes(), Map.of("own", refusingAtFirst, "remote", elsewhere), work);

        UUID id = engine.jobs().enqueue(Work::greet, "Grace").id();

        JobInfo done = engine.awaitState(id, JobState.SUCCEEDED);
        assertThat(done.attempt()).as("a refusal is not the job's attempt").isEqualTo(1);
        assertThat(refusals.get()).isNegative();
    }

    @Test
    void anUnknownExecutorNameFailsNamingTheLaneTheNameAndTheExecutorsAvailable() {
        TaskboundSettings settings = lanes().withLane("gpu", lane("worker-jvm"));

        assertThatThrownBy(() -> TestEngine.createWithExecutors(
                        dataSource, settings, Map.of("own", new OwnThreads(), "remote", elsewhere), work))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Lane \"gpu\" names executor \"worker-jvm\"")
                .hasMessageContaining("available: virtual, platform, process, own, remote");
    }

    @Test
    void aUserExecutorCannotTakeABuiltInName() {
        assertThatThrownBy(() ->
                        TestEngine.createWithExecutors(dataSource, lanes(), Map.of("Virtual", new OwnThreads()), work))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"Virtual\" is taken by a built-in executor");
    }
}
