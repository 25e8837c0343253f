package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every run records what it cost, so that a declared bound can be checked against the observed one. */
class MeasurementTest {

    private static final int ALLOCATED = 8 * 1024 * 1024;

    public static class Work {
        @Job(bound = Bound.CPU)
        public long burn() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long until = threads.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(50);
            long sum = 0;
            for (int i = 0; i < 8; i++) {
                byte[] block = new byte[ALLOCATED / 8];
                block[i] = (byte) i;
                sum += block.length + block[i];
            }
            while (threads.getCurrentThreadCpuTime() < until) {
                for (int i = 0; i < 10_000; i++) {
                    sum += (sum ^ i) % 7;
                }
            }
            return sum;
        }

        @Job(bound = Bound.IO)
        public void waitBriefly() throws InterruptedException {
            Thread.sleep(50);
        }
    }

    private static HikariDataSource dataSource;
    private static TestEngine engine;

    @BeforeAll
    static void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.fast(), new Work());
    }

    @AfterAll
    static void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void cpuLaneRunRecordsWallTimeCpuTimeAndAllocatedBytes() {
        JobHandle<Long> handle = engine.jobs().enqueue(Work::burn);
        handle.await(Duration.ofSeconds(20));

        JobInfo job = engine.info(handle.id());
        assertThat(job.wallTime()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(job.cpuTime()).isNotNull().isGreaterThanOrEqualTo(Duration.ofMillis(45));
        assertThat(job.cpuTime()).isLessThanOrEqualTo(job.wallTime().plusMillis(10));
        assertThat(job.allocatedBytes()).isNotNull().isGreaterThanOrEqualTo((long) ALLOCATED);
        assertThat(job.peakHeapBytes())
                .as("the application's heap is every thread's")
                .isNull();
    }

    @Test
    void virtualThreadRunRecordsWallTimeOnly() {
        JobHandle<Void> handle = engine.jobs().enqueue(Work::waitBriefly);
        handle.await(Duration.ofSeconds(20));

        JobInfo job = engine.info(handle.id());
        assertThat(job.wallTime()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(job.cpuTime()).as("not attributable on a virtual thread").isNull();
        assertThat(job.allocatedBytes()).isNull();
        assertThat(job.peakHeapBytes()).isNull();
    }
}
