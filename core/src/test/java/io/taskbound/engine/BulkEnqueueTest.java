package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobRequest;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BulkEnqueueTest {

    public static class Squares {
        final Set<Integer> seen = ConcurrentHashMap.newKeySet();

        @Job
        public int square(int x) {
            seen.add(x);
            return x * x;
        }
    }

    @Test
    void enqueuesManyJobsInOneCallAndReturnsTheirHandlesInOrder() {
        Squares squares = new Squares();
        try (TestEngine engine = TestEngine.start(TestDatabase.create(), TestSettings.fast(), squares)) {
            List<JobRequest<Integer>> requests = IntStream.range(0, 2_000)
                    .mapToObj(x -> engine.jobs().schedule(Squares::square, x))
                    .toList();

            List<JobHandle<Integer>> handles = engine.jobs().enqueueAll(requests);

            assertThat(handles).hasSize(2_000);
            assertThat(handles.get(7).await(Duration.ofSeconds(30))).isEqualTo(49);
            assertThat(handles.get(1_999).await(Duration.ofSeconds(30))).isEqualTo(1_999 * 1_999);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> squares.seen.size() == 2_000);
        }
    }

    @Test
    void aUniqueKeyHeldByALiveJobOrEarlierInTheBatchReturnsThatJob() {
        try (TestEngine engine = TestEngine.create(
                TestDatabase.create(),
                TestSettings.fast(),
                null,
                java.util.random.RandomGenerator.getDefault(),
                new Squares())) {
            JobHandle<Integer> existing =
                    engine.jobs().schedule(Squares::square, 1).uniqueKey("one").enqueue();

            List<JobHandle<Integer>> handles = engine.jobs()
                    .enqueueAll(List.of(
                            engine.jobs().schedule(Squares::square, 1).uniqueKey("one"),
                            engine.jobs().schedule(Squares::square, 2).uniqueKey("two"),
                            engine.jobs().schedule(Squares::square, 2).uniqueKey("two"),
                            engine.jobs().schedule(Squares::square, 3)));

            assertThat(handles.get(0).id()).isEqualTo(existing.id());
            assertThat(handles.get(1).id()).isEqualTo(handles.get(2).id());
            assertThat(handles.stream().map(JobHandle::id).distinct()).hasSize(3);
        }
    }

    @Test
    void requestsOfAnotherEngineAreRefused() {
        try (TestEngine one = TestEngine.create(
                        TestDatabase.create(),
                        TestSettings.fast(),
                        null,
                        java.util.random.RandomGenerator.getDefault(),
                        new Squares());
                TestEngine other = TestEngine.create(
                        TestDatabase.create(),
                        TestSettings.fast(),
                        null,
                        java.util.random.RandomGenerator.getDefault(),
                        new Squares())) {
            JobRequest<Integer> foreign = other.jobs().schedule(Squares::square, 1);
            assertThatThrownBy(() -> one.jobs().enqueueAll(List.of(foreign)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("enqueueAll takes requests made by this Jobs");
        }
    }
}
