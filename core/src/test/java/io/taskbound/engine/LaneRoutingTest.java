package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A job runs on the executor of its lane, and its lane follows from its bound type unless chosen. */
class LaneRoutingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    public static class Where {
        @Job(bound = Bound.CPU)
        public String compute() {
            return here();
        }

        @Job(bound = Bound.IO)
        public String fetch() {
            return here();
        }

        @Job(bound = Bound.IO, lane = "disk")
        public String write() {
            return here();
        }

        private static String here() {
            Thread thread = Thread.currentThread();
            return thread.getName() + (thread.isVirtual() ? " virtual" : " platform");
        }
    }

    private static HikariDataSource dataSource;
    private static TestEngine engine;

    @BeforeAll
    static void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.fast(), new Where());
    }

    @AfterAll
    static void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void cpuBoundJobRunsOnANamedPlatformThreadOfTheCpuLane() {
        JobHandle<String> handle = engine.jobs().enqueue(Where::compute);

        assertThat(handle.await(WAIT)).matches("taskbound-cpu-\\d+ platform");
        assertThat(engine.info(handle.id()).lane()).isEqualTo("cpu");
        assertThat(engine.info(handle.id()).bound()).isEqualTo(Bound.CPU);
    }

    @Test
    void ioBoundJobRunsOnAVirtualThreadOfTheIoLane() {
        JobHandle<String> handle = engine.jobs().enqueue(Where::fetch);

        assertThat(handle.await(WAIT)).matches("taskbound-io-vt-\\d+ virtual");
        assertThat(engine.info(handle.id()).lane()).isEqualTo("io");
    }

    @Test
    void laneOnTheAnnotationOverridesTheLaneOfTheBound() {
        JobHandle<String> handle = engine.jobs().enqueue(Where::write);

        assertThat(handle.await(WAIT)).matches("taskbound-disk-\\d+ platform");
        assertThat(engine.info(handle.id()).lane()).isEqualTo("disk");
        assertThat(engine.info(handle.id()).bound())
                .as("the bound type is kept")
                .isEqualTo(Bound.IO);
    }

    @Test
    void laneChosenPerCallOverridesTheJobsOwn() {
        JobHandle<String> onCpu =
                engine.jobs().schedule(Where::fetch).lane("cpu").enqueue();
        JobHandle<String> onIo =
                engine.jobs().schedule(Where::compute).lane("io").enqueue();

        assertThat(onCpu.await(WAIT)).matches("taskbound-cpu-\\d+ platform");
        assertThat(onIo.await(WAIT)).matches("taskbound-io-vt-\\d+ virtual");
        assertThat(engine.info(onCpu.id()).lane()).isEqualTo("cpu");
        assertThat(engine.info(onIo.id()).lane()).isEqualTo("io");
    }

    @Test
    void unknownLaneChosenPerCallIsRefusedWithTheLanesThatExist() {
        assertThatThrownBy(() -> engine.jobs().schedule(Where::fetch).lane("gpu-farm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown lane \"gpu-farm\"")
                .hasMessageContaining("Where.fetch")
                .hasMessageContaining("cpu");
    }
}
