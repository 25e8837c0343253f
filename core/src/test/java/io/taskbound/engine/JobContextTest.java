package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobLogLine;
import io.taskbound.JobState;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a job tells through its context (log lines, progress) is stored with the job. */
class JobContextTest {

    public static class Reporter {
        final CountDownLatch atForty = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);

        @Job
        public String render(int pages, JobContext context) throws InterruptedException {
            context.log("rendering " + pages + " pages");
            context.progress(40);
            atForty.countDown();
            if (!finish.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never told to finish");
            }
            context.log("done");
            return context.jobName() + "#" + context.attempt() + "@" + context.jobId();
        }

        @Job(maxAttempts = 1)
        public void overshoot(JobContext context) {
            context.progress(101);
        }
    }

    private static final Reporter reporter = new Reporter();
    private static HikariDataSource dataSource;
    private static TestEngine engine;

    @BeforeAll
    static void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.fast(), reporter);
    }

    @AfterAll
    static void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void logLinesAndProgressAreStoredWhileTheJobRunsAndAfter() throws InterruptedException {
        JobHandle<String> handle = engine.jobs().enqueue(Reporter::render, 3);
        assertThat(reporter.atForty.await(20, TimeUnit.SECONDS)).isTrue();

        JobInfo running =
                engine.awaitInfo(handle.id(), info -> Integer.valueOf(40).equals(info.progress()));
        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(engine.logs(handle.id())).extracting(JobLogLine::message).containsExactly("rendering 3 pages");

        reporter.finish.countDown();

        assertThat(handle.await(Duration.ofSeconds(20))).isEqualTo("Reporter.render#1@" + handle.id());
        assertThat(engine.info(handle.id()).progress())
                .as("a job that succeeds is complete")
                .isEqualTo(100);
        assertThat(engine.logs(handle.id()))
                .extracting(JobLogLine::message, JobLogLine::attempt)
                .containsExactly(tuple("rendering 3 pages", 1), tuple("done", 1));
    }

    @Test
    void progressOutsideZeroToHundredFailsTheRunWithTheValue() {
        JobHandle<Void> handle = engine.jobs().enqueue(Reporter::overshoot);

        JobInfo dead = engine.awaitState(handle.id(), JobState.DEAD);
        assertThat(dead.error()).contains("Progress is a percentage from 0 to 100, was 101");
    }
}
