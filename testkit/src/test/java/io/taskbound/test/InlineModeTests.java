package io.taskbound.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.JobHandle;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.test.app.KitApplication;
import io.taskbound.test.app.Mailer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Inline mode: jobs run in the test's thread. */
@SpringBootTest(classes = KitApplication.class)
@AutoConfigureTaskboundTest(inline = true)
@EmbeddedPostgresDatabase
class InlineModeTests {

    @Autowired
    private Jobs jobs;

    @Autowired
    private TaskboundTester taskbound;

    @Autowired
    private TestClock clock;

    @Autowired
    private Mailer mailer;

    @Autowired
    private PlatformTransactionManager transactions;

    @Autowired
    private TaskboundEngine engine;

    @Test
    void everyLaneRunsOnTheInlineExecutor() {
        assertThat(engine.lanes())
                .isNotEmpty()
                .allSatisfy(lane -> assertThat(lane.executor()).isEqualTo(InlineExecutor.NAME));
        assertThat(taskbound.inline()).isTrue();
    }

    @Test
    void anEnqueueReturnsOnceTheJobHasRunInTheCallersThread() {
        String to = unique();
        JobHandle<Void> sent = jobs.enqueue(Mailer::send, to, 1);

        assertThat(mailer.sender(to)).isSameAs(Thread.currentThread());
        assertThat(jobs.info(sent.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void theJobsAJobEnqueuesRunBeforeTheEnqueueReturns() {
        String to = unique();
        jobs.enqueue(Mailer::welcome, to);

        assertThat(mailer.sender(to)).isSameAs(Thread.currentThread());
    }

    @Test
    void aJobEnqueuedInATransactionRunsAtTheNextDrainAfterTheCommit() {
        String to = unique();
        JobHandle<Void> sent =
                new TransactionTemplate(transactions).execute(status -> jobs.enqueue(Mailer::send, to, 1));

        assertThat(mailer.sender(to)).isNull();
        taskbound.drain();
        assertThat(mailer.sender(to)).isSameAs(Thread.currentThread());
        assertThat(jobs.info(sent.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aFailedAttemptIsRetriedOnceTheClockHasPassedItsBackoff() {
        String to = unique();
        JobHandle<Void> flaky = jobs.enqueue(Mailer::flaky, to);

        assertThat(jobs.info(flaky.id()).orElseThrow().state()).isEqualTo(JobState.RETRYING);
        assertThat(mailer.sender(to)).isNull();

        clock.advance(Duration.ofMinutes(1));
        taskbound.drain();
        assertThat(jobs.info(flaky.id()).orElseThrow())
                .satisfies(job -> assertThat(job.state()).isEqualTo(JobState.SUCCEEDED))
                .satisfies(job -> assertThat(job.attempt()).isEqualTo(2));
        assertThat(mailer.sender(to)).isSameAs(Thread.currentThread());
    }

    @Test
    void theAssertionsSeeThroughTheInlineJobs() {
        String to = unique();
        jobs.enqueue(Mailer::send, to, 4);

        JobsAssert.assertThat(jobs).hasEnqueued(Mailer::send, to, 4).times(1);
    }

    private static String unique() {
        return UUID.randomUUID() + "@example.com";
    }
}
