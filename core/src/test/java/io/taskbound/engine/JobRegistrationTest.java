package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskbound.InvalidJobDefinitionException;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.job.JobDefinition;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.TaskboundSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A {@code @Job} method that cannot work is refused when it is registered, with what to change. */
class JobRegistrationTest {

    private final JobRegistry registry = new JobRegistry(TaskboundSettings.defaults());

    public static class WordyTimeout {
        @Job(timeout = "5 minutes")
        public void export() {}
    }

    public static class NegativeTimeout {
        @Job(timeout = "-PT1S")
        public void export() {}
    }

    public static class UnknownLane {
        @Job(lane = "gpu-farm")
        public void train() {}
    }

    public static class First {
        @Job(name = "reports.render")
        public void render() {}
    }

    public static class Second {
        @Job(name = "reports.render")
        public void draw(int page) {}
    }

    public static class Hidden {
        @Job
        void secret() {}
    }

    public static class ContextFirst {
        @Job
        public void run(JobContext context, int a) {}
    }

    public static class NegativeAttempts {
        @Job(maxAttempts = -1)
        public void run() {}
    }

    public static class Valid {
        @Job(timeout = "PT5M", maxAttempts = 2, priority = 7)
        public String render(long id, JobContext context) {
            return "";
        }
    }

    @Test
    void timeoutThatIsNotAnIsoDurationIsRefusedNamingTheMethodAndTheValue() {
        assertThatThrownBy(() -> registry.register(new WordyTimeout(), WordyTimeout.class))
                .isInstanceOf(InvalidJobDefinitionException.class)
                .hasMessageContaining("@Job method WordyTimeout.export()")
                .hasMessageContaining("\"5 minutes\"")
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("PT5M");
    }

    @Test
    void timeoutThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> registry.register(new NegativeTimeout(), NegativeTimeout.class))
                .isInstanceOf(InvalidJobDefinitionException.class)
                .hasMessageContaining("NegativeTimeout.export()")
                .hasMessageContaining("\"-PT1S\"")
                .hasMessageContaining("must be positive");
    }

    @Test
    void unknownLaneIsRefusedWithTheLanesThatExist() {
        assertThatThrownBy(() -> registry.register(new UnknownLane(), UnknownLane.class))
                .isInstanceOf(InvalidJobDefinitionException.class)
                .hasMessageContaining("UnknownLane.train()")
                .hasMessageContaining("lane \"gpu-farm\", which is not configured")
                .hasMessageContaining("cpu")
                .hasMessageContaining("taskbound.lanes.gpu-farm");
    }

    @Test
    void twoMethodsWithOneNameAreRefusedNamingBoth() {
        registry.register(new First(), First.class);

        assertThatThrownBy(() -> registry.register(new Second(), Second.class))
                .isInstanceOf(InvalidJobDefinitionException.class)
                .hasMessageContaining("\"reports.render\"")
                .hasMessageContaining("First.render()")
                .hasMessageContaining("Second.draw(int)");
        assertThat(registry.byName("reports.render").method().getDeclaringClass())
                .isEqualTo(First.class);
    }

    @Test
    void methodsThatCannotBeCalledAsJobsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> registry.register(new Hidden(), Hidden.class))
                .isInstanceOf(InvalidJobDefinitionException.class)
                .hasMessageContaining("Hidden.secret() is not public");
        assertThatThrownBy(() -> registry.register(new ContextFirst(), ContextFirst.class))
                .isInstanceOf(InvalidJobDefinitionException.class)
                .hasMessageContaining("ContextFirst.run(JobContext, int)")
                .hasMessageContaining("make it the last parameter");
        assertThatThrownBy(() -> registry.register(new NegativeAttempts(), NegativeAttempts.class))
                .isInstanceOf(InvalidJobDefinitionException.class)
                .hasMessageContaining("maxAttempts = -1");
    }

    @Test
    void validMethodIsRegisteredWithItsSettingsAndWithoutTheContextAsAnArgument() {
        List<JobDefinition> added = registry.register(new Valid(), Valid.class);

        assertThat(added).singleElement().satisfies(job -> {
            assertThat(job.name()).isEqualTo("Valid.render");
            assertThat(job.lane()).isEqualTo("io");
            assertThat(job.timeout()).isEqualTo(Duration.ofMinutes(5));
            assertThat(job.maxAttempts()).isEqualTo(2);
            assertThat(job.priority()).isEqualTo(7);
            assertThat(job.takesContext()).isTrue();
            assertThat(job.parameters())
                    .extracting(JobDefinition.Parameter::name)
                    .containsExactly("id");
        });
        assertThat(registry.register(new Valid(), Valid.class))
                .as("registering the same method again is harmless")
                .hasSize(1);
    }
}
