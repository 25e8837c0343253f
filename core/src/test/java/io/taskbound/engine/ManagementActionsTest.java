package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.InvalidJobStateException;
import io.taskbound.Job;
import io.taskbound.JobEvent;
import io.taskbound.JobFilter;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobRequest;
import io.taskbound.JobState;
import io.taskbound.UnknownJobException;
import io.taskbound.store.JobAdministration;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retry, delete and cancel, one job or by filter, and lanes paused for the cluster. */
class ManagementActionsTest {

    public static class Work {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean failing = true;

        @Job(name = "work.fragile", maxAttempts = 1)
        public String fragile() {
            runs.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("the printer is on fire");
            }
            return "printed";
        }

        @Job(name = "work.quick")
        public void quick(int n) {
            runs.incrementAndGet();
        }

        @Job(name = "work.held")
        public void held() throws InterruptedException {
            runs.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
        }
    }

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : closing.reversed()) {
            resource.close();
        }
    }

    private HikariDataSource database() {
        HikariDataSource pool = TestDatabase.create();
        closing.add(pool);
        return pool;
    }

    private TestEngine started(HikariDataSource pool, Work work) {
        TestEngine engine = TestEngine.start(pool, TestSettings.fast(), work);
        closing.add(engine);
        return engine;
    }

    @Test
    void aDeadJobRetriedRunsAgainKeepingTheHistoryOfItsFailedAttempt() {
        Work work = new Work();
        TestEngine engine = started(database(), work);
        JobHandle<String> job = engine.jobs().enqueue(Work::fragile);
        engine.awaitState(job.id(), JobState.DEAD);
        work.failing = false;

        JobInfo retried = engine.jobs().retry(job.id());

        assertThat(retried.state()).isIn(JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED);
        assertThat(job.await(Duration.ofSeconds(30))).isEqualTo("printed");
        JobInfo done = engine.info(job.id());
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(engine.jobs().queries().details(job.id()).orElseThrow().attempts())
                .singleElement()
                .extracting(AttemptInfo::error)
                .asString()
                .contains("the printer is on fire");
        assertThat(work.runs).hasValue(2);
    }

    @Test
    void aSucceededJobRetriedRunsOnceMore() {
        Work work = new Work();
        TestEngine engine = started(database(), work);
        JobHandle<Void> job = engine.jobs().enqueue(Work::quick, 1);
        engine.awaitState(job.id(), JobState.SUCCEEDED);

        engine.jobs().retry(job.id());

        await().atMost(Duration.ofSeconds(30)).until(() -> work.runs.get() == 2);
        engine.awaitState(job.id(), JobState.SUCCEEDED);
    }

    @Test
    void actionsAJobsStateDoesNotAllowAreRefusedNamingTheJobItsStateAndWhatIsAllowed() {
        Work work = new Work();
        TestEngine engine = started(database(), work);
        JobHandle<Void> running = engine.jobs().enqueue(Work::held);
        engine.awaitState(running.id(), JobState.RUNNING);

        assertThatThrownBy(() -> engine.jobs().retry(running.id()))
                .isInstanceOf(InvalidJobStateException.class)
                .hasMessageContaining("work.held")
                .hasMessageContaining(running.id().toString())
                .hasMessageContaining("is RUNNING")
                .hasMessageContaining("CANCELLED, DEAD, RETRYING, SUCCEEDED");
        assertThatThrownBy(() -> engine.jobs().delete(running.id()))
                .isInstanceOf(InvalidJobStateException.class)
                .hasMessageContaining("is RUNNING")
                .hasMessageContaining("cancel it first");
        UUID nobody = UUID.randomUUID();
        assertThatThrownBy(() -> engine.jobs().retry(nobody))
                .isInstanceOf(UnknownJobException.class)
                .hasMessageContaining(nobody.toString());
        assertThatThrownBy(() -> engine.jobs().lanes().pause("gpu-farm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"gpu-farm\"")
                .hasMessageContaining("io");
        work.release.countDown();
        engine.awaitState(running.id(), JobState.SUCCEEDED);
        assertThat(engine.info(running.id()).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aDeletedJobIsGoneWithItsAttempts() {
        Work work = new Work();
        TestEngine engine = started(database(), work);
        JobHandle<String> job = engine.jobs().enqueue(Work::fragile);
        engine.awaitState(job.id(), JobState.DEAD);

        engine.jobs().delete(job.id());

        assertThat(engine.jobs().info(job.id())).isEmpty();
        assertThat(engine.jobs().queries().details(job.id())).isEmpty();
    }

    @Test
    void bulkActionsTakeFiftyThousandJobsInBatches() {
        HikariDataSource pool = database();
        Work work = new Work();
        // Not started: the jobs stay queued for the actions.
        TestEngine engine = TestEngine.create(pool, TestSettings.fast(), null, new java.util.SplittableRandom(1), work);
        closing.add(engine);
        List<JobRequest<Void>> requests = IntStream.range(0, 50_000)
                .mapToObj(i -> engine.jobs().schedule(Work::quick, i))
                .toList();
        engine.jobs().enqueueAll(requests);
        JobHandle<String> other = engine.jobs().enqueue(Work::fragile);
        JobFilter quick = JobFilter.all().named("work.quick");

        assertThat(engine.jobs().cancelAll(quick)).isEqualTo(50_000);
        assertThat(count(engine, JobFilter.all().inStates(JobState.CANCELLED))).isEqualTo(50_000);
        assertThat(engine.info(other.id()).state()).isEqualTo(JobState.QUEUED);
        assertThat(engine.jobs().cancelAll(quick)).isZero();
        assertThat(engine.jobs().retryAll(quick.inStates(JobState.CANCELLED))).isEqualTo(50_000);
        assertThat(count(engine, JobFilter.all().inStates(JobState.QUEUED))).isEqualTo(50_001);
        assertThat(engine.jobs().cancelAll(quick)).isEqualTo(50_000);
        assertThat(engine.jobs().deleteAll(quick)).isEqualTo(50_000);
        assertThat(engine.jobs().queries().list(quick, null, 10).items()).isEmpty();
        assertThat(engine.info(other.id()).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void retryingByFilterRunsEachJobOnceEvenWhenItFailsAgainAtOnce() {
        Work work = new Work();
        TestEngine engine = started(database(), work);
        int count = JobAdministration.BATCH + 200;
        List<UUID> ids = engine
                .jobs()
                .enqueueAll(IntStream.range(0, count)
                        .mapToObj(i -> engine.jobs().schedule(Work::fragile))
                        .toList())
                .stream()
                .map(JobHandle::id)
                .toList();
        JobFilter dead = JobFilter.all().inStates(JobState.DEAD).named("work.fragile");
        await().atMost(Duration.ofSeconds(60)).until(() -> count(engine, dead) == count);

        // Each retried job fails again at once and is DEAD again while later passes run: a pass must
        // not take it again.
        assertThat(engine.jobs().retryAll(dead)).isEqualTo(count);

        await().atMost(Duration.ofSeconds(60)).until(() -> count(engine, dead) == count);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> work.runs.get() == 2 * count);
        assertThat(ids).allSatisfy(id -> assertThat(engine.info(id).attempt()).isEqualTo(2));
    }

    @Test
    void aJobWhoseUniqueKeyALiveJobHoldsIsNotRetriedAndTheErrorNamesTheHolder() {
        Work work = new Work();
        TestEngine engine = started(database(), work);
        JobHandle<String> first =
                engine.jobs().schedule(Work::fragile).uniqueKey("print-7").enqueue();
        engine.awaitState(first.id(), JobState.DEAD);
        engine.jobs().lanes().pause("io");
        UUID second = engine.jobs()
                .schedule(Work::fragile)
                .uniqueKey("print-7")
                .enqueue()
                .id();

        assertThatThrownBy(() -> engine.jobs().retry(first.id()))
                .isInstanceOf(InvalidJobStateException.class)
                .hasMessageContaining(first.id().toString())
                .hasMessageContaining("\"print-7\"")
                .hasMessageContaining(second.toString());
        assertThat(engine.jobs().retryAll(JobFilter.all().inStates(JobState.DEAD)))
                .isZero();
        assertThat(engine.info(first.id()).state()).isEqualTo(JobState.DEAD);
    }

    @Test
    void aLanePausedOnOneNodeStopsClaimingOnEveryNodeAndRunningJobsFinish() {
        HikariDataSource poolA = database();
        HikariDataSource poolB = TestDatabase.anotherPool(poolA);
        closing.add(poolB);
        Work work = new Work();
        TestEngine a = started(poolA, work);
        TestEngine b = started(poolB, work);
        JobHandle<Void> running = a.jobs().enqueue(Work::held);
        a.awaitState(running.id(), JobState.RUNNING);

        a.jobs().lanes().pause("io");
        assertThat(b.jobs().lanes().paused()).containsExactly("io");
        List<UUID> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add((i % 2 == 0 ? a : b).jobs().enqueue(Work::quick, i).id());
        }
        work.release.countDown();
        a.awaitState(running.id(), JobState.SUCCEEDED);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> work.runs.get() == 1);
        assertThat(waiting).allSatisfy(id -> assertThat(a.info(id).state()).isEqualTo(JobState.QUEUED));

        b.jobs().lanes().resume("io");
        await().atMost(Duration.ofSeconds(10)).until(() -> work.runs.get() == 21);
        assertThat(a.jobs().lanes().paused()).isEmpty();
    }

    @Test
    void actionsAreToldToJobListenersAfterTheyCommit() {
        Work work = new Work();
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        TestEngine engine = TestEngine.startWith(
                database(), TestSettings.fast(), null, builder -> builder.listener(events::add), work);
        closing.add(engine);
        engine.jobs().lanes().pause("io");
        List<UUID> waiting = IntStream.range(0, 3)
                .mapToObj(i -> engine.jobs().enqueue(Work::quick, i).id())
                .toList();
        JobHandle<String> dead = engine.jobs().enqueue(Work::fragile);
        engine.jobs().lanes().resume("io");
        engine.awaitState(dead.id(), JobState.DEAD);
        work.failing = false;

        engine.jobs().lanes().pause("io");
        List<UUID> more = IntStream.range(0, 3)
                .mapToObj(i -> engine.jobs().enqueue(Work::quick, 10 + i).id())
                .toList();
        assertThat(engine.jobs().cancelAll(JobFilter.all().named("work.quick").inStates(JobState.QUEUED)))
                .isEqualTo(3);
        engine.jobs().lanes().resume("io");
        engine.jobs().retry(dead.id());
        engine.awaitState(dead.id(), JobState.SUCCEEDED);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(more)
                    .allSatisfy(id -> assertThat(kinds(events, id))
                            .containsExactly(JobEvent.Kind.ENQUEUED, JobEvent.Kind.CANCELLED));
            assertThat(kinds(events, dead.id()))
                    .containsExactly(
                            JobEvent.Kind.ENQUEUED,
                            JobEvent.Kind.STARTED,
                            JobEvent.Kind.DEAD,
                            JobEvent.Kind.ENQUEUED,
                            JobEvent.Kind.STARTED,
                            JobEvent.Kind.SUCCEEDED);
        });
        assertThat(waiting).allSatisfy(id -> assertThat(kinds(events, id)).contains(JobEvent.Kind.SUCCEEDED));
    }

    private static List<JobEvent.Kind> kinds(List<JobEvent> events, UUID jobId) {
        return events.stream()
                .filter(e -> e.jobId().equals(jobId))
                .map(JobEvent::kind)
                .toList();
    }

    private static int count(TestEngine engine, JobFilter filter) {
        int count = 0;
        String cursor = null;
        do {
            var page = engine.jobs().queries().list(filter, cursor, 1_000);
            count += page.items().size();
            cursor = page.next();
        } while (cursor != null);
        return count;
    }
}
