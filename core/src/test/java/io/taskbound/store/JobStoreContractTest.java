package io.taskbound.store;

import static io.taskbound.store.StoreFixture.failed;
import static io.taskbound.store.StoreFixture.job;
import static io.taskbound.store.StoreFixture.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the job table's statements promise, on real PostgreSQL, with no engine running. */
class JobStoreContractTest {

    private static final Set<String> NAMES = Set.of("Reports.render", "Mail.send");

    private StoreFixture store;
    private JobStore jobs;
    private UUID node;

    @BeforeEach
    void setUp() {
        store = new StoreFixture();
        jobs = store.jobs;
        node = store.node("node-a");
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void insertedJobIsQueuedAndClaimedRunningWithAttemptOneAndALease() {
        Instant now = store.clock.instant();
        UUID id = jobs.insert(job("Reports.render")
                .arguments("[42, \"pdf\"]")
                .maxAttempts(4)
                .timeout(Duration.ofSeconds(5))
                .build());

        JobInfo queued = store.info(id);
        assertThat(queued.state()).isEqualTo(JobState.QUEUED);
        assertThat(queued.attempt()).isZero();
        assertThat(queued.runAt()).isEqualTo(now);
        assertThat(queued.createdAt()).isEqualTo(now);
        assertThat(queued.nodeId()).isNull();

        store.clock.advance(Duration.ofSeconds(3));
        List<ClaimedJob> claimed = jobs.claim("io", 10, NAMES, node);

        assertThat(claimed).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo(id);
            assertThat(job.name()).isEqualTo("Reports.render");
            assertThat(job.lane()).isEqualTo("io");
            assertThat(job.argumentsJson()).isEqualTo("[42, \"pdf\"]");
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.maxAttempts()).isEqualTo(4);
            assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(job.lease()).isNotNull();
        });
        JobInfo running = store.info(id);
        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(running.attempt()).isEqualTo(1);
        assertThat(running.nodeId()).isEqualTo(node.toString());
        assertThat(running.startedAt()).isEqualTo(now.plusSeconds(3));
        assertThat(jobs.claim("io", 10, NAMES, node))
                .as("a running job is not claimed again")
                .isEmpty();
    }

    @Test
    void everyClaimGetsItsOwnLease() {
        jobs.insert(job("Reports.render").build());
        jobs.insert(job("Reports.render").build());

        List<ClaimedJob> claimed = jobs.claim("io", 10, NAMES, node);

        assertThat(claimed).hasSize(2);
        assertThat(claimed.get(0).lease()).isNotEqualTo(claimed.get(1).lease());
    }

    @Test
    void claimTakesOnlyJobsOfItsLane() {
        UUID io = jobs.insert(job("Reports.render").build());
        UUID cpu = jobs.insert(job("Reports.render").lane("cpu").build());

        assertThat(ids(jobs.claim("cpu", 10, NAMES, node))).containsExactly(cpu);
        assertThat(ids(jobs.claim("cpu", 10, NAMES, node))).isEmpty();
        assertThat(ids(jobs.claim("io", 10, NAMES, node))).containsExactly(io);
    }

    @Test
    void delayedJobIsNotClaimedBeforeItsRunAt() {
        Instant now = store.clock.instant();
        UUID delayed =
                jobs.insert(job("Reports.render").delay(Duration.ofMinutes(1)).build());
        UUID at = jobs.insert(job("Reports.render").runAt(now.plusSeconds(90)).build());
        assertThat(store.info(delayed).runAt()).isEqualTo(now.plusSeconds(60));
        assertThat(store.info(at).runAt()).isEqualTo(now.plusSeconds(90));

        assertThat(jobs.claim("io", 10, NAMES, node)).isEmpty();
        store.clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(jobs.claim("io", 10, NAMES, node)).isEmpty();

        store.clock.advance(Duration.ofMillis(1));
        assertThat(ids(jobs.claim("io", 10, NAMES, node))).containsExactly(delayed);

        store.clock.advance(Duration.ofSeconds(30));
        assertThat(ids(jobs.claim("io", 10, NAMES, node))).containsExactly(at);
    }

    @Test
    void jobWhoseNameTheNodeDoesNotKnowIsNeverClaimed() {
        UUID unknown = jobs.insert(job("Legacy.export").build());
        UUID known = jobs.insert(job("Mail.send").build());

        assertThat(ids(jobs.claim("io", 10, NAMES, node))).containsExactly(known);
        assertThat(jobs.claim("io", 10, NAMES, node)).isEmpty();
        assertThat(store.info(unknown).state()).isEqualTo(JobState.QUEUED);

        UUID newer = store.node("node-with-legacy");
        assertThat(ids(jobs.claim("io", 10, Set.of("Legacy.export"), newer)))
                .as("a node that registers the name claims it")
                .containsExactly(unknown);
    }

    @Test
    void claimTakesHigherPriorityFirstThenEarlierRunAtAndNoMoreThanTheLimit() {
        Instant now = store.clock.instant();
        UUID lowLate =
                jobs.insert(job("Reports.render").runAt(now.minusSeconds(10)).build());
        UUID lowEarly =
                jobs.insert(job("Reports.render").runAt(now.minusSeconds(20)).build());
        UUID high = jobs.insert(job("Reports.render").priority(10).build());
        UUID middle = jobs.insert(job("Reports.render").priority(5).build());

        assertThat(ids(jobs.claim("io", 2, NAMES, node))).containsExactlyInAnyOrder(high, middle);
        assertThat(ids(jobs.claim("io", 1, NAMES, node))).containsExactly(lowEarly);
        assertThat(ids(jobs.claim("io", 1, NAMES, node))).containsExactly(lowLate);
        assertThat(jobs.claim("io", 1, NAMES, node)).isEmpty();
    }

    @Test
    void concurrentClaimsNeverReturnTheSameJob() throws Exception {
        int total = 600;
        Set<UUID> inserted = new HashSet<>();
        store.engine.transactions().executeWithoutResult(status -> {
            for (int i = 0; i < total; i++) {
                inserted.add(jobs.insert(job("Reports.render").build()));
            }
        });
        int claimers = 8;
        List<UUID> nodes = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            nodes.add(store.node("node-" + i));
        }
        CyclicBarrier start = new CyclicBarrier(claimers);
        ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
        Map<UUID, Integer> claimsPerNode = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (UUID claimer : nodes) {
                done.add(threads.submit(() -> {
                    start.await();
                    List<ClaimedJob> batch;
                    while (!(batch = jobs.claim("io", 7, NAMES, claimer)).isEmpty()) {
                        batch.forEach(job -> claimed.add(job.id()));
                        claimsPerNode.merge(claimer, batch.size(), Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(claimed).hasSize(total).doesNotHaveDuplicates();
        assertThat(new HashSet<>(claimed)).isEqualTo(inserted);
        assertThat(claimsPerNode).as("claims were concurrent").hasSizeGreaterThan(1);
    }

    @Test
    void completionWithAWrongLeaseHasNoEffect() {
        UUID id = jobs.insert(job("Reports.render").build());
        ClaimedJob claimed = jobs.claim("io", 1, NAMES, node).getFirst();
        ClaimedJob forged = new ClaimedJob(
                id,
                claimed.name(),
                claimed.lane(),
                claimed.argumentsJson(),
                1,
                3,
                null,
                UUID.randomUUID(),
                null,
                claimed.runAtMicros(),
                null);

        assertThat(jobs.complete(List.of(succeeded(forged, "\"forged\"")), List.of(), Map.of(), node))
                .isEmpty();
        JobInfo stillRunning = store.info(id);
        assertThat(stillRunning.state()).isEqualTo(JobState.RUNNING);
        assertThat(stillRunning.resultJson()).isNull();

        assertThat(jobs.complete(List.of(succeeded(claimed, "\"real\"")), List.of(), Map.of(), node))
                .containsExactly(Map.entry(id, JobState.SUCCEEDED));
        assertThat(jobs.complete(
                        List.of(failed(claimed, JobState.DEAD, "late", Duration.ZERO)), List.of(), Map.of(), node))
                .as("a lease is spent once its completion is written")
                .isEmpty();
        JobInfo done = store.info(id);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.resultJson()).isEqualTo("\"real\"");
        assertThat(jobs.attempts(id)).isEmpty();
    }

    @Test
    void completionBatchWritesSucceededRetryingAndDeadWithAnAttemptRowPerFailure() {
        Instant claimedAt = store.clock.instant();
        UUID ok = jobs.insert(job("Reports.render").priority(3).build());
        UUID retrying = jobs.insert(job("Reports.render").priority(2).build());
        UUID dead = jobs.insert(job("Reports.render").priority(1).build());
        Map<UUID, ClaimedJob> claimed = byId(jobs.claim("io", 3, NAMES, node));
        Instant finishedAt = store.clock.advance(Duration.ofSeconds(5));

        Map<UUID, JobState> applied = jobs.complete(
                List.of(
                        succeeded(claimed.get(ok), "{\"pages\": 3}"),
                        failed(claimed.get(retrying), JobState.RETRYING, "boom", Duration.ofSeconds(30)),
                        failed(claimed.get(dead), JobState.DEAD, "fatal", Duration.ZERO)),
                List.of(),
                Map.of(),
                node);

        assertThat(applied)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(ok, JobState.SUCCEEDED, retrying, JobState.RETRYING, dead, JobState.DEAD));

        JobInfo succeeded = store.info(ok);
        assertThat(succeeded.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(succeeded.resultJson()).isEqualTo("{\"pages\": 3}");
        assertThat(succeeded.finishedAt()).isEqualTo(finishedAt);
        assertThat(succeeded.progress()).isEqualTo(100);
        assertThat(succeeded.nodeId()).isNull();
        assertThat(succeeded.wallTime()).isEqualTo(Duration.ofNanos(1_500_000));
        assertThat(succeeded.cpuTime()).isEqualTo(Duration.ofNanos(1_200_000));
        assertThat(succeeded.allocatedBytes()).isEqualTo(4_096L);
        assertThat(succeeded.peakHeapBytes()).isEqualTo(8_192L);
        assertThat(jobs.attempts(ok)).as("a success costs no attempt row").isEmpty();

        JobInfo retry = store.info(retrying);
        assertThat(retry.state()).isEqualTo(JobState.RETRYING);
        assertThat(retry.runAt()).isEqualTo(finishedAt.plusSeconds(30));
        assertThat(retry.finishedAt()).isNull();
        assertThat(retry.error()).isEqualTo("boom");
        assertThat(retry.attempt()).isEqualTo(1);
        assertThat(jobs.attempts(retrying)).singleElement().satisfies(attempt -> {
            assertThat(attempt.getAttempt()).isEqualTo(1);
            assertThat(attempt.getOutcome()).isEqualTo("FAILED");
            assertThat(attempt.getError()).isEqualTo("boom");
            assertThat(attempt.getStackTrace()).contains("Reports.render(Reports.java:42)");
            assertThat(attempt.getNodeId()).isEqualTo(node);
            assertThat(attempt.getStartedAt()).isEqualTo(claimedAt);
            assertThat(attempt.getFinishedAt()).isEqualTo(finishedAt);
            assertThat(attempt.getWallTimeMicros()).isEqualTo(2_000L);
            assertThat(attempt.getPeakHeapBytes()).isNull();
        });

        JobInfo deadJob = store.info(dead);
        assertThat(deadJob.state()).isEqualTo(JobState.DEAD);
        assertThat(deadJob.finishedAt()).isEqualTo(finishedAt);
        assertThat(deadJob.error()).isEqualTo("fatal");
        assertThat(jobs.attempts(dead))
                .singleElement()
                .satisfies(attempt -> assertThat(attempt.getError()).isEqualTo("fatal"));

        assertThat(jobs.claim("io", 10, NAMES, node))
                .as("retry waits for its backoff")
                .isEmpty();
        store.clock.advance(Duration.ofSeconds(30));
        assertThat(jobs.claim("io", 10, NAMES, node)).singleElement().satisfies(again -> {
            assertThat(again.id()).isEqualTo(retrying);
            assertThat(again.attempt()).isEqualTo(2);
        });
    }

    @Test
    void logLinesAndProgressOfRunningJobsAreWrittenWithTheBatch() {
        UUID id = jobs.insert(job("Reports.render").build());
        jobs.claim("io", 1, NAMES, node);
        Instant now = store.clock.instant();

        jobs.complete(
                List.of(),
                List.of(new LogLine(id, 1, now, "first"), new LogLine(id, 1, now.plusMillis(5), "second")),
                Map.of(id, 40),
                node);

        assertThat(jobs.logLines(id))
                .extracting(JobLogEntity::getMessage, JobLogEntity::getAttempt, JobLogEntity::getLoggedAt)
                .containsExactly(tuple("first", 1, now), tuple("second", 1, now.plusMillis(5)));
        assertThat(store.info(id).progress()).isEqualTo(40);
    }

    @Test
    void uniqueKeyReturnsTheLiveJobInsteadOfStoringASecond() {
        UUID first = jobs.insert(job("Reports.render").uniqueKey("report-42").build());

        assertThat(jobs.insert(job("Reports.render").uniqueKey("report-42").build()))
                .isEqualTo(first);
        ClaimedJob running = jobs.claim("io", 1, NAMES, node).getFirst();
        assertThat(jobs.insert(job("Reports.render").uniqueKey("report-42").build()))
                .as("a running job holds its key")
                .isEqualTo(first);
        assertThat(jobs.insert(job("Reports.render").uniqueKey("report-43").build()))
                .isNotEqualTo(first);

        jobs.complete(List.of(succeeded(running, null)), List.of(), Map.of(), node);
        UUID afterFinish =
                jobs.insert(job("Reports.render").uniqueKey("report-42").build());
        assertThat(afterFinish).as("a finished job frees its key").isNotEqualTo(first);
        assertThat(store.info(afterFinish).state()).isEqualTo(JobState.QUEUED);
        assertThat(store.info(first).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aDelayedJobIsDueItsDelayAfterItsCreationOnAClockThatMovesAtEveryRead() {
        // Time passes between any two reads of a test clock that follows the system's; here, a
        // millisecond per read. The insert reads it once, as now() is one instant in a transaction.
        Instant start = store.clock.instant();
        AtomicLong reads = new AtomicLong();
        InstantSource ticking = () -> start.plusMillis(reads.incrementAndGet());
        try (TestEngine engine = TestEngine.create(
                store.dataSource, TaskboundSettings.defaults(), ticking, RandomGenerator.getDefault())) {
            JobStore ticked = engine.engine().store();
            UUID id = ticked.insert(
                    job("Reports.render").delay(Duration.ofMinutes(5)).build());

            JobInfo stored = ticked.info(id).orElseThrow();
            assertThat(Duration.between(stored.createdAt(), stored.runAt())).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() {
        UUID id = jobs.insert(job("Reports.render").delay(Duration.ofMinutes(5)).build());

        assertThat(jobs.cancel(id)).isEqualTo(JobStore.CancelResult.CANCELLED);

        JobInfo cancelled = store.info(id);
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isEqualTo(store.clock.instant());
        store.clock.advance(Duration.ofMinutes(10));
        assertThat(jobs.claim("io", 10, NAMES, node)).isEmpty();
        assertThat(jobs.cancel(id)).isEqualTo(JobStore.CancelResult.NOT_CANCELLABLE);
        assertThat(jobs.cancel(UUID.randomUUID())).isEqualTo(JobStore.CancelResult.NOT_CANCELLABLE);
    }

    @Test
    void cancellingARunningJobOnlyRequestsItAndItsFailureEndsItCancelledNotRetried() {
        UUID id = jobs.insert(job("Reports.render").build());
        ClaimedJob claimed = jobs.claim("io", 1, NAMES, node).getFirst();
        UUID otherNode = store.node("node-b");

        assertThat(jobs.cancel(id)).isEqualTo(JobStore.CancelResult.REQUESTED);

        assertThat(store.info(id).state()).isEqualTo(JobState.RUNNING);
        assertThat(jobs.cancellationsRequested(node)).containsExactly(id);
        assertThat(jobs.cancellationsRequested(otherNode)).isEmpty();

        assertThat(jobs.complete(
                        List.of(failed(claimed, JobState.RETRYING, "interrupted", Duration.ofSeconds(1))),
                        List.of(),
                        Map.of(),
                        node))
                .as("the state the job was left in is reported")
                .containsExactly(Map.entry(id, JobState.CANCELLED));
        JobInfo cancelled = store.info(id);
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(jobs.cancellationsRequested(node)).isEmpty();
    }

    @Test
    void requeueRunningGivesBackTheAttemptOfThisNodesJobsOnly() {
        UUID mine = jobs.insert(job("Reports.render").priority(2).build());
        UUID cancelled = jobs.insert(job("Reports.render").priority(1).build());
        UUID theirs = jobs.insert(job("Reports.render").build());
        Map<UUID, ClaimedJob> claimed = byId(jobs.claim("io", 2, NAMES, node));
        UUID otherNode = store.node("node-b");
        jobs.claim("io", 1, NAMES, otherNode);
        jobs.cancel(cancelled);

        assertThat(jobs.requeueRunning(node)).isEqualTo(2);

        JobInfo requeued = store.info(mine);
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.attempt()).isZero();
        assertThat(requeued.nodeId()).isNull();
        assertThat(requeued.startedAt()).isNull();
        assertThat(jobs.attempts(mine)).as("no attempt is charged").isEmpty();
        assertThat(store.info(cancelled).state())
                .as("a job whose cancellation was requested is not put back")
                .isEqualTo(JobState.CANCELLED);
        assertThat(store.info(theirs).state()).isEqualTo(JobState.RUNNING);

        assertThat(jobs.complete(List.of(succeeded(claimed.get(mine), null)), List.of(), Map.of(), node))
                .as("the lease of the re-queued run is void")
                .isEmpty();
        assertThat(jobs.claim("io", 10, NAMES, otherNode)).singleElement().satisfies(again -> {
            assertThat(again.id()).isEqualTo(mine);
            assertThat(again.attempt()).isEqualTo(1);
        });
    }

    @Test
    void pruneDeletesOnlyFinishedJobsOfTheGivenStateOlderThanTheAge() {
        UUID oldSucceeded = finish(JobState.SUCCEEDED);
        UUID oldSucceededToo = finish(JobState.SUCCEEDED);
        UUID oldDead = finish(JobState.DEAD);
        UUID oldQueued =
                jobs.insert(job("Reports.render").delay(Duration.ofDays(1)).build());
        jobs.complete(List.of(), List.of(new LogLine(oldSucceeded, 1, store.clock.instant(), "kept?")), Map.of(), node);
        store.clock.advance(Duration.ofHours(2));
        UUID newSucceeded = finish(JobState.SUCCEEDED);

        assertThat(jobs.prune(JobState.SUCCEEDED, Duration.ofHours(1), 1))
                .as("limit")
                .isEqualTo(1);
        assertThat(jobs.prune(JobState.SUCCEEDED, Duration.ofHours(1), 100)).isEqualTo(1);
        assertThat(jobs.prune(JobState.SUCCEEDED, Duration.ofHours(1), 100)).isZero();

        assertThat(jobs.info(oldSucceeded)).isEmpty();
        assertThat(jobs.info(oldSucceededToo)).isEmpty();
        assertThat(jobs.logLines(oldSucceeded))
                .as("log lines go with their job")
                .isEmpty();
        assertThat(store.info(newSucceeded).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.info(oldDead).state()).isEqualTo(JobState.DEAD);
        assertThat(store.info(oldQueued).state()).isEqualTo(JobState.QUEUED);

        assertThat(jobs.prune(JobState.DEAD, Duration.ofHours(3), 100))
                .as("not old enough")
                .isZero();
        assertThat(jobs.prune(JobState.DEAD, Duration.ofHours(1), 100)).isEqualTo(1);
        assertThat(jobs.info(oldDead)).isEmpty();
        assertThat(jobs.attempts(oldDead)).as("attempts go with their job").isEmpty();
    }

    private UUID finish(JobState state) {
        UUID id = jobs.insert(job("Reports.render").priority(1_000).build());
        ClaimedJob claimed = jobs.claim("io", 1, NAMES, node).getFirst();
        assertThat(claimed.id()).isEqualTo(id);
        Completion completion =
                state == JobState.SUCCEEDED ? succeeded(claimed, null) : failed(claimed, state, "gone", Duration.ZERO);
        assertThat(jobs.complete(List.of(completion), List.of(), Map.of(), node))
                .containsOnlyKeys(id);
        return id;
    }

    private static List<UUID> ids(List<ClaimedJob> claimed) {
        return claimed.stream().map(ClaimedJob::id).toList();
    }

    private static Map<UUID, ClaimedJob> byId(List<ClaimedJob> claimed) {
        Map<UUID, ClaimedJob> byId = new HashMap<>();
        claimed.forEach(job -> byId.put(job.id(), job));
        return byId;
    }
}
