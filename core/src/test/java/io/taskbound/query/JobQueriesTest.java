package io.taskbound.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobDetails;
import io.taskbound.JobFilter;
import io.taskbound.JobHandle;
import io.taskbound.JobLogLine;
import io.taskbound.JobQueries;
import io.taskbound.JobRequest;
import io.taskbound.JobState;
import io.taskbound.JobSummary;
import io.taskbound.Page;
import io.taskbound.StateCount;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read side on PostgreSQL: listings by every filter with keyset paging, details, logs, counts. */
class JobQueriesTest {

    public static class Shop {
        @Job(name = "orders.ship")
        public void ship(long orderId, String customer) {}

        @Job(name = "mail.send", lane = "network")
        public void send(String to) {}

        @Job(name = "reports.flaky", maxAttempts = 3)
        public String flaky(JobContext context) {
            context.log("attempt " + context.attempt() + " starting");
            context.log("attempt " + context.attempt() + " half way");
            if (context.attempt() < 3) {
                throw new IllegalStateException("not yet, attempt " + context.attempt());
            }
            return "done";
        }
    }

    private final MutableClock clock = MutableClock.atNow();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void create() {
        dataSource = TestDatabase.create();
        // Built, not started: the jobs stay as the test stores them.
        engine = TestEngine.create(
                dataSource, TestSettings.onTestClock(), clock, RandomGenerator.getDefault(), new Shop());
    }

    @AfterEach
    void close() {
        engine.close();
        dataSource.close();
    }

    private JobQueries queries() {
        return engine.jobs().queries();
    }

    private List<UUID> enqueueShipments(int count) {
        List<JobRequest<Void>> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(engine.jobs().schedule(Shop::ship, (long) i, "customer-" + (i % 7)));
        }
        return engine.jobs().enqueueAll(requests).stream().map(JobHandle::id).toList();
    }

    private List<UUID> all(JobFilter filter, int size) {
        List<UUID> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<JobSummary> page = queries().list(filter, cursor, size);
            page.items().forEach(job -> seen.add(job.id()));
            cursor = page.next();
        } while (cursor != null);
        return seen;
    }

    @Test
    void aListingIsNewestFirstAndPagesThroughEveryJobOnce() {
        List<UUID> older = enqueueShipments(30);
        clock.advance(Duration.ofSeconds(1));
        List<UUID> newer = enqueueShipments(30);

        Page<JobSummary> first = queries().list(JobFilter.all(), null, 25);
        List<UUID> everything = all(JobFilter.all(), 25);

        assertThat(first.items()).hasSize(25);
        assertThat(first.next()).isNotNull();
        assertThat(first.items().getFirst().createdAt())
                .isAfterOrEqualTo(first.items().getLast().createdAt());
        assertThat(everything).doesNotHaveDuplicates().hasSize(60);
        assertThat(everything.subList(0, 30)).containsExactlyInAnyOrderElementsOf(newer);
        assertThat(everything.subList(30, 60)).containsExactlyInAnyOrderElementsOf(older);
        assertThat(queries().list(JobFilter.all(), null, 60).next()).isNull();
    }

    @Test
    void everyFilterTakesOnlyTheJobsItDescribes() {
        Instant start = clock.instant();
        List<UUID> shipments = enqueueShipments(5);
        clock.advance(Duration.ofMinutes(1));
        Instant later = clock.instant();
        UUID mail = engine.jobs().enqueue(Shop::send, "ada@example.com").id();
        UUID cancelled = engine.jobs().enqueue(Shop::send, "bob@example.com").id();
        assertThat(engine.jobs().cancel(cancelled)).isTrue();

        assertThat(all(JobFilter.all().named("mail.send"), 10)).containsExactlyInAnyOrder(mail, cancelled);
        assertThat(all(JobFilter.all().inLane("network"), 10)).containsExactlyInAnyOrder(mail, cancelled);
        assertThat(all(JobFilter.all().inStates(JobState.CANCELLED), 10)).containsExactly(cancelled);
        assertThat(all(
                        JobFilter.all()
                                .inStates(JobState.QUEUED, JobState.CANCELLED)
                                .named("mail.send"),
                        10))
                .containsExactlyInAnyOrder(mail, cancelled);
        assertThat(all(JobFilter.all().createdBetween(start, later), 10))
                .containsExactlyInAnyOrderElementsOf(shipments);
        assertThat(all(JobFilter.all().createdBetween(later, null), 10)).containsExactlyInAnyOrder(mail, cancelled);
        assertThat(all(JobFilter.all().finishedBetween(start, null), 10)).containsExactly(cancelled);
        assertThat(all(JobFilter.all().argumentsContaining("ADA@example"), 10)).containsExactly(mail);
        assertThat(all(JobFilter.all().argumentsContaining("customer-3"), 10)).containsExactly(shipments.get(3));
        assertThat(all(JobFilter.all().fromSchedule("no-such-schedule"), 10)).isEmpty();
    }

    @Test
    void aRareMatchBeyondTheScanWindowIsReachedThroughTheCursor() {
        UUID rare = engine.jobs().enqueue(Shop::send, "rare@example.com").id();
        clock.advance(Duration.ofSeconds(1));
        enqueueShipments(ListSql.WINDOW + 500);

        Page<JobSummary> first = queries().list(JobFilter.all().named("mail.send"), null, 20);

        // The first page tests one window of rows and stops there, without the match, saying where to go on.
        assertThat(first.items()).isEmpty();
        assertThat(first.next()).isNotNull();
        Page<JobSummary> second = queries().list(JobFilter.all().named("mail.send"), first.next(), 20);
        assertThat(second.items()).extracting(JobSummary::id).containsExactly(rare);
        assertThat(second.next()).isNull();
    }

    @Test
    void detailsHaveEveryFailedAttemptWithItsErrorAndTheLogIsPaged() {
        engine.engine().start();
        JobHandle<String> flaky = engine.jobs().enqueue(Shop::flaky);
        for (int attempt = 1; attempt < 3; attempt++) {
            engine.awaitInfo(flaky.id(), info -> info.state() == JobState.RETRYING);
            clock.advance(Duration.ofMinutes(10));
            engine.engine().wake(engine.info(flaky.id()).lane());
        }
        engine.awaitState(flaky.id(), JobState.SUCCEEDED);

        JobDetails details = queries().details(flaky.id()).orElseThrow();
        assertThat(details.job().resultJson()).isEqualTo("\"done\"");
        assertThat(details.attempts()).extracting(AttemptInfo::attempt).containsExactly(1, 2);
        assertThat(details.attempts()).allSatisfy(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("FAILED");
            assertThat(attempt.error()).contains("not yet, attempt " + attempt.attempt());
            assertThat(attempt.stackTrace()).contains("IllegalStateException").contains("Shop.flaky");
            assertThat(attempt.nodeId()).isEqualTo(engine.engine().nodeId().toString());
        });
        Page<JobLogLine> first = queries().logs(flaky.id(), null, 4);
        Page<JobLogLine> rest = queries().logs(flaky.id(), first.next(), 4);
        assertThat(first.items())
                .extracting(JobLogLine::message)
                .containsExactly(
                        "attempt 1 starting", "attempt 1 half way", "attempt 2 starting", "attempt 2 half way");
        assertThat(rest.items())
                .extracting(JobLogLine::message)
                .containsExactly("attempt 3 starting", "attempt 3 half way");
        assertThat(rest.next()).isNull();
        assertThat(queries().details(UUID.randomUUID())).isEmpty();
    }

    @Test
    void countsAreExactUpToTheLimitAndEstimatedAbove() {
        enqueueShipments(StoreQueries.EXACT_COUNT_LIMIT + 1);
        UUID cancelled = engine.jobs().enqueue(Shop::send, "x@example.com").id();
        engine.jobs().cancel(cancelled);

        Map<JobState, StateCount> counts = queries().counts();

        assertThat(counts.get(JobState.QUEUED).exact()).isFalse();
        assertThat(counts.get(JobState.QUEUED).count()).isGreaterThan(StoreQueries.EXACT_COUNT_LIMIT);
        assertThat(counts.get(JobState.CANCELLED)).isEqualTo(new StateCount(1, true));
        assertThat(counts.get(JobState.DEAD)).isEqualTo(new StateCount(0, true));
    }

    @Test
    void aFilteredCountStopsAtItsLimit() {
        enqueueShipments(5);
        engine.jobs().enqueue(Shop::send, "ada@example.com");
        engine.jobs().enqueue(Shop::send, "bob@example.com");

        assertThat(queries().count(JobFilter.all(), 100)).isEqualTo(7);
        assertThat(queries().count(JobFilter.all().inLane("network"), 100)).isEqualTo(2);
        assertThat(queries().count(JobFilter.all().inLane("network").argumentsContaining("ADA@"), 100))
                .isEqualTo(1);
        assertThat(queries().count(JobFilter.all().inStates(JobState.DEAD), 100))
                .isZero();
        assertThat(queries().count(JobFilter.all(), 3)).isEqualTo(3);
        assertThatThrownBy(() -> queries().count(JobFilter.all(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Count limit 0");
    }

    @Test
    void aCountGivenATimeEitherAnswersInItOrSaysItCouldNot() {
        enqueueShipments(StoreQueries.EXACT_COUNT_LIMIT + 1);
        JobFilter everyCustomer = JobFilter.all().argumentsContaining("customer-");

        assertThat(queries().count(everyCustomer, 100_000, Duration.ofMinutes(1)))
                .hasValue(StoreQueries.EXACT_COUNT_LIMIT + 1);
        // Ten thousand rows' arguments read as text take longer than a millisecond: counting gives up.
        assertThat(queries().count(everyCustomer, 100_000, Duration.ofMillis(1)))
                .isEmpty();
        // The connection is fine afterwards: the cancelled statement ended only its own transaction.
        assertThat(queries().count(everyCustomer, 5, Duration.ofMinutes(1))).hasValue(5);
        assertThatThrownBy(() -> queries().count(everyCustomer, 5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Counting time PT0S");
    }

    @Test
    void theStartedNodeIsListedWithAFreshHeartbeat() {
        engine.engine().start();

        assertThat(queries().nodes()).singleElement().satisfies(node -> {
            assertThat(node.id()).isEqualTo(engine.engine().nodeId());
            assertThat(node.name()).isEqualTo(engine.engine().nodeName());
            assertThat(node.heartbeatAge()).isLessThan(Duration.ofMinutes(1));
        });
    }

    @Test
    void badCursorsAndSizesAreRefusedNamingWhatToPass() {
        enqueueShipments(3);
        String logCursor = Cursors.ofLogLine(5);

        assertThatThrownBy(() -> queries().list(JobFilter.all(), "not-a-cursor", 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"not-a-cursor\"")
                .hasMessageContaining("pass null for the first page");
        assertThatThrownBy(() -> queries().list(JobFilter.all(), logCursor, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listing of jobs");
        assertThatThrownBy(() -> queries().list(JobFilter.all(), null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Page size 0")
                .hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> JobFilter.all().createdBetween(clock.instant(), clock.instant()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("created range is empty");
    }

    @Test
    void pagingWhileJobsChangeStateSeesEveryJobOnceAndSkipsNone() {
        Set<UUID> stored = new HashSet<>(enqueueShipments(10_000));
        engine.engine().start();

        List<UUID> seen = all(JobFilter.all(), 100);

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(stored);
        assertThat(engine.jobs().queries().counts().get(JobState.SUCCEEDED).count())
                .isPositive();
    }
}
