package io.taskbound.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobEvent;
import io.taskbound.JobHandle;
import io.taskbound.JobListener;
import io.taskbound.JobRequest;
import io.taskbound.loop.Loop;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Listeners cannot hurt jobs: a blocked listener loses events, counted, while every job finishes;
 * one that throws is skipped for that event only; without a listener no event machinery runs.
 */
class ListenerIsolationTest {

    public static class Work {
        final AtomicInteger runs = new AtomicInteger();

        @Job(name = "isolation.quick")
        public void quick() {
            runs.incrementAndGet();
        }
    }

    /** Blocks on its first event until released; records every event it is given. */
    static final class BlockedListener implements JobListener {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger received = new AtomicInteger();

        @Override
        public void onEvent(JobEvent event) {
            if (received.incrementAndGet() == 1) {
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private final Work work = new Work();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void createDatabase() {
        dataSource = TestDatabase.create();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    @Test
    void aBlockedListenerLosesCountedEventsWhileEveryJobFinishes() {
        BlockedListener blocked = new BlockedListener();
        engine = TestEngine.startWith(
                dataSource,
                TestSettings.fast(),
                null,
                builder -> builder.listener(blocked).eventQueueCapacity(100),
                work);
        int jobs = 2_000;
        List<JobRequest<Void>> requests = IntStream.range(0, jobs)
                .mapToObj(i -> engine.jobs().schedule(Work::quick))
                .toList();
        List<JobHandle<Void>> handles = engine.jobs().enqueueAll(requests);

        await("every job run").atMost(Duration.ofSeconds(60)).until(() -> work.runs.get() == jobs);
        handles.getLast().await(Duration.ofSeconds(30));
        assertThat(blocked.received.get())
                .as("the listener is still blocked on its first event")
                .isEqualTo(1);
        EventStats whileBlocked = engine.engine().eventStats();
        assertThat(whileBlocked.queued()).isLessThanOrEqualTo(100);
        assertThat(whileBlocked.dropped()).isGreaterThanOrEqualTo(jobs);

        blocked.release.countDown();
        // Every job was enqueued, started and succeeded: each event was delivered or dropped.
        int emitted = 3 * jobs;
        await("the queue drained").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            EventStats stats = engine.engine().eventStats();
            assertThat(stats.queued()).isZero();
            assertThat(stats.delivered() + stats.dropped()).isEqualTo(emitted);
            assertThat(stats.delivered()).isEqualTo(blocked.received.get());
        });
    }

    @Test
    void aListenerThatThrowsDoesNotStopDeliveryToItselfOrOthers() {
        AtomicInteger calls = new AtomicInteger();
        JobListener throwing = event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug on " + event.kind());
        };
        RecordingListener recorder = new RecordingListener();
        engine = TestEngine.startWith(
                dataSource,
                TestSettings.fast(),
                null,
                builder -> builder.listener(throwing).listener(recorder),
                work);

        UUID first = engine.jobs().enqueue(Work::quick).id();
        recorder.await(first, JobEvent.Kind.SUCCEEDED);
        UUID second = engine.jobs().enqueue(Work::quick).id();
        recorder.await(second, JobEvent.Kind.SUCCEEDED);

        assertThat(recorder.kindsOf(second))
                .containsExactly(JobEvent.Kind.ENQUEUED, JobEvent.Kind.STARTED, JobEvent.Kind.SUCCEEDED);
        assertThat(calls.get()).as("called for every event").isEqualTo(recorder.events.size());
        assertThat(engine.engine().eventStats().listenerFailures()).isEqualTo(calls.get());
    }

    @Test
    void withoutAListenerNoEventLoopRuns() {
        engine = TestEngine.start(dataSource, TestSettings.fast(), work);

        engine.jobs().enqueue(Work::quick).await(Duration.ofSeconds(20));

        assertThat(engine.engine().eventStats()).isEqualTo(EventStats.NONE);
        assertThat(engine.engine().loops()).extracting(Loop.Status::name).doesNotContain("taskbound-events");
    }
}
