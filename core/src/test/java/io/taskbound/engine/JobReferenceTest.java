package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobHandle;
import io.taskbound.UnknownJobException;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Type-checked method references of every supported shape reach the right job. */
class JobReferenceTest {

    public static class Shapes {
        @Job
        public String none() {
            return "none";
        }

        @Job
        public int one(int a) {
            return a;
        }

        @Job(name = "shapes.four")
        public String four(String a, long b, List<Integer> c, boolean d) {
            return a + b + c + d;
        }

        @Job
        public String withContext(String a, JobContext context) {
            return a + "@" + context.attempt();
        }

        @Job
        public void procedure(String a) {}

        @Job(bound = Bound.CPU)
        public String contextOnly(JobContext context) {
            return context.jobName();
        }

        public int notAJob(int a) {
            return a;
        }
    }

    private static TestEngine engine;

    @BeforeAll
    static void start() {
        engine = TestEngine.start(TestDatabase.create(), new Shapes());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void everyArityAndTheContextParameterResolve() {
        Duration wait = Duration.ofSeconds(20);
        assertThat(engine.jobs().enqueue(Shapes::none).await(wait)).isEqualTo("none");
        assertThat(engine.jobs().enqueue(Shapes::one, 7).await(wait)).isEqualTo(7);
        assertThat(engine.jobs()
                        .enqueue(Shapes::four, "x", 2L, List.of(1, 2), true)
                        .await(wait))
                .isEqualTo("x2[1, 2]true");
        assertThat(engine.jobs().enqueue(Shapes::withContext, "a").await(wait)).isEqualTo("a@1");
        JobHandle<Void> procedure = engine.jobs().enqueue(Shapes::procedure, "p");
        assertThat(procedure.await(wait)).isNull();
        assertThat(engine.jobs().enqueue(Shapes::contextOnly).await(wait)).isEqualTo("Shapes.contextOnly");
    }

    @Test
    void aMethodWithoutJobIsRefusedWithTheMethodNamed() {
        assertThatThrownBy(() -> engine.jobs().enqueue(Shapes::notAJob, 1))
                .isInstanceOf(UnknownJobException.class)
                .hasMessageContaining("Shapes.notAJob(int) is not a registered job")
                .hasMessageContaining("annotate it with @Job");
    }

    @Test
    void aLambdaIsRefused() {
        assertThatThrownBy(() -> engine.jobs().enqueue((Shapes s, Integer a) -> s.one(a), 1))
                .isInstanceOf(UnknownJobException.class)
                .hasMessageContaining("not a lambda expression");
    }
}
