package io.taskbound.lane;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobExecutor;
import io.taskbound.JobRun;
import io.taskbound.JobState;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A dispatcher claims nothing while its claims-allowed check says no, and claims again after. */
class ClaimsAllowedTest {

    public static class Work {
        @Job(lane = "io")
        public void noop() {}
    }

    private final HikariDataSource dataSource = TestDatabase.create();
    // Built but not started: only the dispatcher below claims.
    private final TestEngine engine =
            TestEngine.create(dataSource, TaskboundSettings.defaults(), null, RandomGenerator.getDefault(), new Work());
    private Dispatcher dispatcher;

    @AfterEach
    void stop() throws InterruptedException {
        dispatcher.close();
        dispatcher.executor().shutdown(Duration.ofSeconds(5));
        engine.close();
        dataSource.close();
    }

    @Test
    void claimsNothingWhileClaimsAreNotAllowed() throws InterruptedException {
        UUID nodeId = UUID.randomUUID();
        engine.engine().nodes().register(nodeId, "claims-allowed-test");
        UUID job = engine.jobs().enqueue(Work::noop).id();
        AtomicBoolean allowed = new AtomicBoolean(false);
        CountDownLatch ran = new CountDownLatch(1);
        LaneSettings io = TaskboundSettings.defaults().lane("io");
        dispatcher = new Dispatcher(
                "io",
                io,
                new JobExecutor() {
                    @Override
                    public void execute(JobRun run) {
                        ran.countDown();
                    }

                    @Override
                    public boolean shutdown(Duration timeout) {
                        return true;
                    }

                    @Override
                    public void stopAll() {}
                },
                engine.engine().store(),
                engine.engine().registry().names(),
                nodeId,
                Duration.ofMillis(200),
                (claimed, whenEnded) -> (JobRun) Proxy.newProxyInstance(
                        JobRun.class.getClassLoader(), new Class<?>[] {JobRun.class}, (proxy, method, args) -> null),
                allowed::get);

        assertThat(dispatcher.runOnce()).as("waits its poll interval").isEqualTo(Duration.ofMillis(200));
        assertThat(engine.info(job).state()).isEqualTo(JobState.QUEUED);

        allowed.set(true);
        dispatcher.runOnce();

        assertThat(engine.info(job).state()).isEqualTo(JobState.RUNNING);
        assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
    }
}
