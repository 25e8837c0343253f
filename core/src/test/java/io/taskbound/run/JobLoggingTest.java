package io.taskbound.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobHandle;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What a job's runs write to SLF4J: the application's own log lines carry the job in the MDC, and
 * the job's {@code JobContext} lines go to a logger named after the job, on a thread lane and from a
 * worker JVM alike.
 */
class JobLoggingTest {

    private static final String WORKER_LANE = "workers";

    public static class LoggingJobs {

        private static final org.slf4j.Logger applicationLog = LoggerFactory.getLogger("shop.Invoices");

        @Job(name = "invoices.send", maxAttempts = 1)
        public void send(int invoice, JobContext context) {
            applicationLog.info("sending invoice {}", invoice);
            context.log("sent invoice " + invoice);
        }

        @Job(name = "invoices.archive", lane = WORKER_LANE, maxAttempts = 1)
        public void archive(int invoice, JobContext context) {
            context.log("archived invoice " + invoice + " in a worker");
        }
    }

    private final HikariDataSource dataSource = TestDatabase.create();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Logger> captured =
            List.of(logger("shop.Invoices"), logger(JobLines.DEFAULT_PREFIX), logger("custom.prefix"));
    private TestEngine engine;

    @BeforeEach
    void capture() {
        appender.start();
        captured.forEach(logger -> {
            logger.addAppender(appender);
            logger.setLevel(Level.INFO);
        });
    }

    @AfterEach
    void stop() {
        captured.forEach(logger -> logger.detachAppender(appender));
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    @Test
    void theApplicationsLogLinesDuringARunCarryTheJobInTheMdc() {
        start(builder -> {});

        JobHandle<Void> run = engine.jobs().enqueue(LoggingJobs::send, 7);
        run.await(Duration.ofSeconds(30));
        UUID id = run.id();

        ILoggingEvent line = only("shop.Invoices");
        assertThat(line.getFormattedMessage()).isEqualTo("sending invoice 7");
        assertThat(line.getMDCPropertyMap())
                .containsEntry("taskbound.job.id", id.toString())
                .containsEntry("taskbound.job.name", "invoices.send")
                .containsEntry("taskbound.job.attempt", "1")
                .containsEntry("taskbound.lane", "io");
        assertThat(MDC.get("taskbound.job.id"))
                .as("nothing left on the test's thread")
                .isNull();
    }

    @Test
    void contextLinesGoToALoggerNamedAfterTheJob() {
        start(builder -> {});

        JobHandle<Void> run = engine.jobs().enqueue(LoggingJobs::send, 8);
        run.await(Duration.ofSeconds(30));
        UUID id = run.id();

        ILoggingEvent line = only("taskbound.job.invoices.send");
        assertThat(line.getFormattedMessage()).isEqualTo("sent invoice 8");
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        assertThat(line.getMDCPropertyMap()).containsEntry("taskbound.job.id", id.toString());
        assertThat(engine.jobs().queries().logs(id, null, 100).items())
                .as("and to the job's stored log as ever")
                .anyMatch(stored -> stored.message().equals("sent invoice 8"));
    }

    @Test
    void contextLinesOfAJobInAWorkerJvmAreLoggedOnTheNodeWithTheJobInTheMdc() {
        start(builder -> {});

        JobHandle<Void> run = engine.jobs().enqueue(LoggingJobs::archive, 9);
        run.await(Duration.ofSeconds(60));
        UUID id = run.id();

        ILoggingEvent line = await().until(() -> find("taskbound.job.invoices.archive"), found -> found != null);
        assertThat(line.getFormattedMessage()).isEqualTo("archived invoice 9 in a worker");
        assertThat(line.getMDCPropertyMap())
                .containsEntry("taskbound.job.id", id.toString())
                .containsEntry("taskbound.lane", WORKER_LANE);
    }

    @Test
    void thePrefixIsConfigurableAndABlankOneWritesLinesOnlyToTheStoredLog() {
        start(builder -> builder.jobLogger("custom.prefix"));
        engine.jobs().enqueue(LoggingJobs::send, 10).await(Duration.ofSeconds(30));
        assertThat(only("custom.prefix.invoices.send").getFormattedMessage()).isEqualTo("sent invoice 10");

        engine.close();
        appender.list.clear();
        start(builder -> builder.jobLogger(" "));
        JobHandle<Void> run = engine.jobs().enqueue(LoggingJobs::send, 11);
        run.await(Duration.ofSeconds(30));
        UUID id = run.id();
        assertThat(appender.list).extracting(ILoggingEvent::getLoggerName).containsExactly("shop.Invoices");
        assertThat(engine.jobs().queries().logs(id, null, 100).items())
                .anyMatch(stored -> stored.message().equals("sent invoice 11"));
    }

    private void start(java.util.function.Consumer<io.taskbound.engine.TaskboundEngine.Builder> customizer) {
        TaskboundSettings settings = TestSettings.fast()
                .withLane(
                        WORKER_LANE,
                        new LaneSettings("process", 1, 30, 1, null, 1, Duration.ofMillis(10), Duration.ofMillis(10)));
        engine = TestEngine.startWith(dataSource, settings, null, customizer, new LoggingJobs());
    }

    private ILoggingEvent only(String loggerName) {
        List<ILoggingEvent> lines = appender.list.stream()
                .filter(event -> event.getLoggerName().equals(loggerName))
                .toList();
        assertThat(lines)
                .as("lines of logger %s among %s", loggerName, appender.list)
                .hasSize(1);
        return lines.getFirst();
    }

    private ILoggingEvent find(String loggerName) {
        return List.copyOf(appender.list).stream()
                .filter(event -> event.getLoggerName().equals(loggerName))
                .findFirst()
                .orElse(null);
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
