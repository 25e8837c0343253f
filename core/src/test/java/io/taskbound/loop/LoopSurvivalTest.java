package io.taskbound.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A loop never dies of an error, not even of one that strikes again while the error is being
 * logged, as an exhausted heap does; and if its thread ends anyway, the supervisor starts it again.
 */
class LoopSurvivalTest {

    private final List<Loop> started = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(loop -> loop.stop(Duration.ofSeconds(2)));
    }

    /** An error that throws OutOfMemoryError again when anything asks what it is, as logging does. */
    static final class Unprintable extends Error {
        Unprintable() {
            super(null, null, false, false);
        }

        @Override
        public String getMessage() {
            throw new OutOfMemoryError("Java heap space (while logging)");
        }

        @Override
        public String toString() {
            throw new OutOfMemoryError("Java heap space (while logging)");
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            throw new OutOfMemoryError("Java heap space (while logging)");
        }
    }

    static class Flaky extends Loop {
        final AtomicInteger iterations = new AtomicInteger();
        final int failures;

        Flaky(String name, int failures) {
            super(name);
            this.failures = failures;
        }

        @Override
        protected Duration runOnce() {
            if (iterations.incrementAndGet() <= failures) {
                throw new Unprintable();
            }
            return Duration.ofMillis(10);
        }

        @Override
        protected Duration afterFailure() {
            return Duration.ofMillis(10);
        }
    }

    private <T extends Loop> T start(T loop) {
        started.add(loop);
        loop.start();
        return loop;
    }

    @Test
    void aLoopGoesOnAfterErrorsThatFailAgainWhileBeingLogged() {
        Flaky loop = start(new Flaky("test-flaky", 3));

        await().atMost(Duration.ofSeconds(10)).until(() -> loop.iterations.get() >= 6);
        Loop.Status status = loop.status();
        assertThat(status.alive()).isTrue();
        assertThat(status.dead()).isFalse();
        assertThat(status.lastSuccess()).isNotNull();
        assertThat(status.failuresInARow()).isZero();
    }

    @Test
    void theStatusCountsFailuresInARowUntilAnIterationSucceeds() {
        Flaky loop = start(new Flaky("test-failing", Integer.MAX_VALUE));

        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().failuresInARow() >= 3);
        assertThat(loop.status().lastSuccess()).isNull();
        assertThat(loop.status().alive()).isTrue();
    }

    @Test
    void theSupervisorStartsAgainALoopWhoseThreadEnded() {
        AtomicInteger iterations = new AtomicInteger();
        // Its failure handler itself fails the first time: the one way left for a loop's thread to end.
        Loop fragile = start(new Loop("test-fragile") {
            @Override
            protected Duration runOnce() {
                if (iterations.incrementAndGet() == 1) {
                    throw new IllegalStateException("first iteration fails");
                }
                return Duration.ofMillis(10);
            }

            @Override
            protected Duration afterFailure() {
                if (iterations.get() == 1) {
                    throw new IllegalStateException("and so does its handler");
                }
                return Duration.ofMillis(10);
            }
        });
        // The thread ends with the handler's exception, uncaught on purpose: Awaitility would report
        // it as this wait's failure if it came while waiting.
        await().dontCatchUncaughtExceptions()
                .atMost(Duration.ofSeconds(10))
                .until(() -> fragile.status().dead());

        LoopSupervisor supervisor = start(new LoopSupervisor(() -> List.of(fragile), Duration.ofMillis(50)));

        await().atMost(Duration.ofSeconds(10)).until(() -> iterations.get() >= 3);
        assertThat(fragile.status().alive()).isTrue();
        assertThat(supervisor.revived()).containsExactly("test-fragile");
    }

    @Test
    void aStoppedLoopIsNotStartedAgain() {
        Flaky loop = start(new Flaky("test-stopped", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.iterations.get() >= 1);
        loop.stop(Duration.ofSeconds(2));

        assertThat(loop.status().dead()).isFalse();
        assertThat(loop.revive()).isFalse();
    }
}
