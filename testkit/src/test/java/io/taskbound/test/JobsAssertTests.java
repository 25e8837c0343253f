package io.taskbound.test;

import static io.taskbound.test.JobsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskbound.Jobs;
import io.taskbound.UnknownJobException;
import io.taskbound.test.app.KitApplication;
import io.taskbound.test.app.Mailer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The assertions on enqueued jobs, and what their failures say. */
@SpringBootTest(classes = KitApplication.class)
@AutoConfigureTaskboundTest
@EmbeddedPostgresDatabase
class JobsAssertTests {

    @Autowired
    private Jobs jobs;

    @Autowired
    private TestClock clock;

    @Test
    void aJobEnqueuedWithTheseArgumentsIsFound() {
        String to = unique();
        jobs.enqueue(Mailer::send, to, 2);

        assertThat(jobs).hasEnqueued(Mailer::send, to, 2).times(1);
        assertThat(jobs).hasNotEnqueued(Mailer::send, to, 3);
    }

    @Test
    void aMissingJobIsReportedWithThoseEnqueuedWithOtherArguments() {
        String to = unique();
        jobs.enqueue(Mailer::send, to, 2);

        assertThatThrownBy(() -> assertThat(jobs).hasEnqueued(Mailer::send, to, 3))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected a job \"mail.send\" with arguments [\"" + to + "\",3]")
                .hasMessageContaining("those named so have other arguments")
                .hasMessageContaining("mail.send [\"" + to + "\", 2]");
    }

    @Test
    void aJobOfANameNeverEnqueuedIsReportedWithTheLatestJobs() {
        String to = unique();
        jobs.enqueue(Mailer::send, to, 1);

        assertThatThrownBy(() -> assertThat(jobs).hasEnqueued(Mailer::flaky, to))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("none named \"mail.flaky\" was; the latest enqueued were:")
                .hasMessageContaining("mail.send [\"" + to + "\", 1]");
    }

    @Test
    void anUnwantedJobIsReportedWithItsOptions() {
        String to = unique();
        jobs.schedule(Mailer::send, to, 1).lane("cpu").priority(7).enqueue();

        assertThatThrownBy(() -> assertThat(jobs).hasNotEnqueued(Mailer::send, to, 1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected no job \"mail.send\" with arguments [\"" + to + "\",1]")
                .hasMessageContaining("lane cpu, priority 7");
    }

    @Test
    void theOptionsOfAnEnqueueAreChecked() {
        String to = unique();
        Instant at = clock.instant().plus(Duration.ofDays(2));
        jobs.schedule(Mailer::send, to, 1)
                .lane("cpu")
                .priority(7)
                .uniqueKey("digest-" + to)
                .at(at);
        jobs.schedule(Mailer::send, to, 1).in(Duration.ofMinutes(10));

        assertThat(jobs).hasEnqueued(Mailer::send, to, 1).times(2);
        assertThat(jobs)
                .hasEnqueued(Mailer::send, to, 1)
                .inLane("cpu")
                .withPriority(7)
                .withUniqueKey("digest-" + to)
                .runAt(at)
                .times(1);
        assertThat(jobs)
                .hasEnqueued(Mailer::send, to, 1)
                .delayedBy(Duration.ofMinutes(10))
                .inLane("io")
                .times(1);
    }

    @Test
    void anOptionNoMatchingJobHasIsReportedWithTheJobsFound() {
        String to = unique();
        jobs.schedule(Mailer::send, to, 1).priority(3).enqueue();

        assertThatThrownBy(
                        () -> assertThat(jobs).hasEnqueued(Mailer::send, to, 1).withPriority(4))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("with priority 4, but the 1 enqueued so are:")
                .hasMessageContaining("priority 3");
        assertThatThrownBy(
                        () -> assertThat(jobs).hasEnqueued(Mailer::send, to, 1).delayedBy(Duration.ofHours(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("delayed by PT1H");
    }

    @Test
    void aWrongCountIsReportedWithTheJobsFound() {
        String to = unique();
        jobs.enqueue(Mailer::send, to, 1);
        jobs.enqueue(Mailer::send, to, 1);

        assertThatThrownBy(
                        () -> assertThat(jobs).hasEnqueued(Mailer::send, to, 1).times(1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "Expected 1 job(s) \"mail.send\" with arguments [\"" + to + "\",1], but found 2:");
    }

    @Test
    void aLambdaIsRefusedAsEnqueueRefusesIt() {
        assertThatThrownBy(() -> assertThat(jobs).hasEnqueued((Mailer mailer, String to) -> mailer.welcome(to), "x"))
                .isInstanceOf(UnknownJobException.class)
                .hasMessageContaining("Not a method reference");
    }

    private static String unique() {
        return UUID.randomUUID() + "@example.com";
    }
}
