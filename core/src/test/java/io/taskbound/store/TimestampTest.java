package io.taskbound.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobHandle;
import io.taskbound.JobRequest;
import io.taskbound.JobState;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instants are stored as the instants they are, whatever the JVM's time zone: even in the hour
 * that a fall-back DST change repeats, where a local wall time names two instants.
 */
class TimestampTest {

    private static final TimeZone PARIS = TimeZone.getTimeZone("Europe/Paris");
    /** 02:30:00.123456 in Paris, the first time (CEST, +02:00). */
    private static final Instant FIRST_0230 = Instant.parse("2026-10-25T00:30:00.123456Z");
    /** 02:30:00.654321 in Paris, the second time (CET, +01:00), an hour later. */
    private static final Instant SECOND_0230 = Instant.parse("2026-10-25T01:30:00.654321Z");

    public static class Calendar {
        @Job
        public void remind(int day) {}

        @Job
        public void logOnce(JobContext context) {
            context.log("in the repeated hour");
        }
    }

    private TimeZone originalZone;
    private MutableClock clock;
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void openPoolInParis() {
        originalZone = TimeZone.getDefault();
        // Before the pool opens: the driver gives each connection the JVM's zone as its TimeZone.
        TimeZone.setDefault(PARIS);
        clock = new MutableClock(SECOND_0230);
        dataSource = TestDatabase.create();
        engine = TestEngine.create(
                dataSource, TestSettings.onTestClock(), clock, RandomGenerator.getDefault(), new Calendar());
    }

    @AfterEach
    void restoreZone() {
        try {
            engine.close();
            dataSource.close();
        } finally {
            TimeZone.setDefault(originalZone);
        }
    }

    @Test
    void jobScheduledAtAnInstantInTheRepeatedHourIsStoredAtThatInstantToTheMicrosecond() {
        JobHandle<Void> first = engine.jobs().schedule(Calendar::remind, 1).at(FIRST_0230);
        JobHandle<Void> second = engine.jobs().schedule(Calendar::remind, 2).at(SECOND_0230);

        assertThat(engine.info(first.id()).runAt()).isEqualTo(FIRST_0230);
        assertThat(engine.info(second.id()).runAt()).isEqualTo(SECOND_0230);
    }

    @Test
    void jobsEnqueuedInBulkInTheRepeatedHourAreStoredAtTheClocksInstantToTheMicrosecond() {
        for (Instant now : List.of(FIRST_0230, SECOND_0230)) {
            clock.set(now);
            List<JobRequest<Void>> requests = IntStream.range(0, 3)
                    .mapToObj(day -> engine.jobs().schedule(Calendar::remind, day))
                    .toList();

            List<JobHandle<Void>> handles = engine.jobs().enqueueAll(requests);

            assertThat(handles).hasSize(3).allSatisfy(handle -> {
                assertThat(engine.info(handle.id()).runAt()).isEqualTo(now);
                assertThat(engine.info(handle.id()).createdAt()).isEqualTo(now);
            });
        }
    }

    @Test
    void logLineWrittenInTheRepeatedHourKeepsItsInstant() {
        clock.set(FIRST_0230);
        engine.engine().start();

        JobHandle<Void> handle = engine.jobs().enqueue(Calendar::logOnce);

        engine.awaitState(handle.id(), JobState.SUCCEEDED);
        assertThat(engine.engine().store().logLines(handle.id()))
                .singleElement()
                .satisfies(line -> {
                    assertThat(line.getMessage()).isEqualTo("in the repeated hour");
                    assertThat(line.getLoggedAt()).isEqualTo(FIRST_0230);
                });
    }
}
