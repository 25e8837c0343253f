package io.taskbound.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskbound.JobFilter;
import io.taskbound.JobHandle;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.test.app.KitApplication;
import io.taskbound.test.app.Mailer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** Drain and the test clock, with jobs on their lanes' threads as in production. */
@SpringBootTest(classes = KitApplication.class)
@AutoConfigureTaskboundTest
@EmbeddedPostgresDatabase
class TaskboundTesterTests {

    @Autowired
    private Jobs jobs;

    @Autowired
    private TaskboundTester taskbound;

    @Autowired
    private TestClock clock;

    @Autowired
    private Mailer mailer;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private TaskboundEngine engine;

    @Test
    void drainRunsDueJobsAndTheJobsTheyEnqueue() {
        String to = unique("ann");
        jobs.enqueue(Mailer::welcome, to);

        taskbound.drain();

        assertThat(mailer.sender(to)).isNotNull().isNotEqualTo(Thread.currentThread());
        assertThat(jobs.queries().count(JobFilter.all().named("mail.send").argumentsContaining(to), 10))
                .isEqualTo(1);
    }

    @Test
    void aDelayedJobRunsOnlyOnceTheClockHasReachedIt() {
        String to = unique("bob");
        JobHandle<Void> later = jobs.schedule(Mailer::send, to, 1).in(Duration.ofHours(1));

        taskbound.drain();
        assertThat(mailer.sender(to)).isNull();
        assertThat(jobs.info(later.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);

        clock.advance(Duration.ofHours(1));
        taskbound.drain();
        assertThat(mailer.sender(to)).isNotNull();
        assertThat(jobs.info(later.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void anHourOnTheClockFiresTheHourlySchedule() {
        taskbound.drain();
        int before = mailer.digests();
        Instant fireTime = jobs.schedules().find("mail.digest").orElseThrow().nextFireAt();

        clock.advance(Duration.ofHours(1));
        taskbound.drain();

        assertThat(mailer.digests()).isEqualTo(before + 1);
        assertThat(jobs.queries()
                        .count(JobFilter.all().fromSchedule("mail.digest").inStates(JobState.SUCCEEDED), 100))
                .isPositive();
        assertThat(jobs.schedules().find("mail.digest").orElseThrow().nextFireAt())
                .isAfter(fireTime)
                .isAfter(clock.instant());
    }

    @Test
    void theEngineTakesItsTimeFromTheTestClock() {
        clock.advance(Duration.ofDays(1));
        JobHandle<Void> sent = jobs.enqueue(Mailer::send, unique("carl"), 1);

        assertThat(jobs.info(sent.id()).orElseThrow().createdAt())
                .isAfter(Instant.now().plus(Duration.ofHours(23)))
                .isBeforeOrEqualTo(clock.instant());
        taskbound.drain();
    }

    @Test
    void aDrainThatTimesOutListsTheJobsStillRunning() {
        String to = unique("dora");
        JobHandle<Void> held = jobs.enqueue(Mailer::hold, to);
        try {
            assertThatThrownBy(() -> taskbound.drain(Duration.ofMillis(500)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("not drained within PT0.5S")
                    .hasMessageContaining("mail.hold (" + held.id() + ")")
                    .hasMessageContaining("a longer job needs a longer timeout");
        } finally {
            mailer.release();
        }
        taskbound.drain();
        assertThat(mailer.sender(to)).isNotNull();
    }

    @Test
    void withoutInlineModeTheLanesKeepTheirExecutors() {
        assertThat(engine.lanes())
                .extracting(TaskboundEngine.LaneStatus::executor)
                .contains("VIRTUAL", "PLATFORM", "PROCESS")
                .doesNotContain(InlineExecutor.NAME);
        assertThat(taskbound.inline()).isFalse();
    }

    @Test
    void theClockOnlyMovesForward() {
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only goes forward")
                .hasMessageContaining("PT-1S");
    }

    @Test
    void aDrainTimeoutMustBePositive() {
        assertThatThrownBy(() -> taskbound.drain(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
    }

    @Test
    void theDatabaseIsAFreshOneOnTheEmbeddedServer() {
        String name = new JdbcTemplate(dataSource).queryForObject("select current_database()", String.class);
        assertThat(name).startsWith("taskbound_test_");
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID() + "@example.com";
    }
}
