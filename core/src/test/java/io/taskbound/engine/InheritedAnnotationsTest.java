package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.Recurring;
import io.taskbound.ScheduleInfo;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.annotation.AliasFor;

/**
 * {@code @Job} and {@code @Recurring} are found where Spring finds annotations: on an interface
 * method the bean implements, on a superclass method it overrides, and on an annotation of the
 * user's own that carries them.
 */
class InheritedAnnotationsTest {

    public interface Invoices {
        @Job(name = "invoices.total", bound = Bound.CPU)
        int total(int net);
    }

    public static class DefaultInvoices implements Invoices {
        @Override
        public int total(int net) {
            return net * 120 / 100;
        }
    }

    public abstract static class Exporter {
        @Job(name = "exports.run")
        public abstract String run(String what);
    }

    public static class CsvExporter extends Exporter {
        @Override
        public String run(String what) {
            return what + ".csv";
        }
    }

    /** A team's own annotation: every report job is CPU-bound with 2 attempts; the name is per use. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Job(bound = Bound.CPU, maxAttempts = 2)
    public @interface ReportJob {
        @AliasFor(annotation = Job.class, attribute = "name")
        String value();
    }

    /** A schedule of the same team: hourly, as a meta-annotation. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Recurring(cron = "@hourly", id = "reports.hourly")
    public @interface Hourly {}

    public static class Reports {
        @ReportJob("reports.summary")
        public String summary(int day) {
            return "summary of day " + day;
        }

        @Hourly
        public void refresh() {}
    }

    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, new DefaultInvoices(), new CsvExporter(), new Reports());
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void aJobDeclaredOnAnInterfaceMethodRunsThroughAReferenceToTheInterface() {
        JobHandle<Integer> handle = engine.jobs().enqueue(Invoices::total, 100);

        assertThat(handle.await(Duration.ofSeconds(30))).isEqualTo(120);
        JobInfo info = engine.info(handle.id());
        assertThat(info.name()).isEqualTo("invoices.total");
        assertThat(info.bound()).isEqualTo(Bound.CPU);
    }

    @Test
    void aJobDeclaredOnAnInterfaceMethodRunsThroughAReferenceToTheClass() {
        JobHandle<Integer> handle = engine.jobs().enqueue(DefaultInvoices::total, 10);

        assertThat(handle.await(Duration.ofSeconds(30))).isEqualTo(12);
    }

    @Test
    void aJobDeclaredOnAnOverriddenSuperclassMethodRunsTheOverride() {
        JobHandle<String> handle = engine.jobs().enqueue(Exporter::run, "orders");

        assertThat(handle.await(Duration.ofSeconds(30))).isEqualTo("orders.csv");
        assertThat(engine.info(handle.id()).name()).isEqualTo("exports.run");
    }

    @Test
    void aMetaAnnotationCarriesItsJobAndRecurringSettings() {
        JobHandle<String> handle = engine.jobs().enqueue(Reports::summary, 3);

        assertThat(handle.await(Duration.ofSeconds(30))).isEqualTo("summary of day 3");
        JobInfo info = engine.info(handle.id());
        assertThat(info.name()).isEqualTo("reports.summary");
        assertThat(info.bound()).isEqualTo(Bound.CPU);
        assertThat(info.maxAttempts()).isEqualTo(2);
        assertThat(engine.jobs().schedules().find("reports.hourly"))
                .get()
                .extracting(ScheduleInfo::cron, ScheduleInfo::jobName)
                .containsExactly("@hourly", "Reports.refresh");
    }
}
