package io.taskbound.store;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A fresh database with the store of an engine that is never started, on a test clock: nothing in
 * the background claims, sweeps or prunes, so each statement's effect is all a test sees.
 */
final class StoreFixture implements AutoCloseable {

    final HikariDataSource dataSource = TestDatabase.create();
    final MutableClock clock = MutableClock.atNow();
    final TestEngine engine =
            TestEngine.create(dataSource, TaskboundSettings.defaults(), clock, RandomGenerator.getDefault());
    final JobStore jobs = engine.engine().store();
    final NodeStore nodes = engine.engine().nodes();

    /** Registers a node, as an engine does at start, so that recovery sees it as alive. */
    UUID node(String name) {
        UUID id = UUID.randomUUID();
        nodes.register(id, name);
        return id;
    }

    JobInfo info(UUID id) {
        return jobs.info(id).orElseThrow(() -> new AssertionError("job " + id + " is not stored"));
    }

    static Draft job(String name) {
        return new Draft(name);
    }

    static Completion succeeded(ClaimedJob job, @Nullable String resultJson) {
        return new Completion(
                job.id(),
                job.lease(),
                JobState.SUCCEEDED,
                resultJson,
                null,
                null,
                "SUCCEEDED",
                Duration.ZERO,
                1_500,
                1_200L,
                4_096L,
                8_192L);
    }

    static Completion failed(ClaimedJob job, JobState next, String error, Duration retryDelay) {
        return new Completion(
                job.id(),
                job.lease(),
                next,
                null,
                error,
                "java.lang.IllegalStateException: " + error + "\n\tat Reports.render(Reports.java:42)",
                "FAILED",
                retryDelay,
                2_000,
                null,
                null,
                null);
    }

    @Override
    public void close() {
        engine.close();
        dataSource.close();
    }

    /** A job to insert, with the defaults of a plain I/O job. */
    static final class Draft {
        private final String name;
        private String lane = "io";
        private int priority;
        private @Nullable Instant runAt;
        private Duration delay = Duration.ZERO;
        private int maxAttempts = 3;
        private @Nullable Duration timeout;
        private String arguments = "[]";
        private @Nullable String uniqueKey;

        private Draft(String name) {
            this.name = name;
        }

        Draft lane(String lane) {
            this.lane = lane;
            return this;
        }

        Draft priority(int priority) {
            this.priority = priority;
            return this;
        }

        Draft runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        Draft delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        Draft maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        Draft timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        Draft arguments(String json) {
            this.arguments = json;
            return this;
        }

        Draft uniqueKey(String uniqueKey) {
            this.uniqueKey = uniqueKey;
            return this;
        }

        NewJob build() {
            return new NewJob(
                    JobIds.next(),
                    name,
                    lane,
                    Bound.IO,
                    priority,
                    runAt,
                    delay,
                    maxAttempts,
                    timeout,
                    arguments,
                    uniqueKey);
        }
    }
}
