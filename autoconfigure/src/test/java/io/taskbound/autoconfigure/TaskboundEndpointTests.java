package io.taskbound.autoconfigure;

import static io.taskbound.autoconfigure.ShopContexts.freshDatabaseUrl;
import static io.taskbound.autoconfigure.ShopContexts.onDatabase;
import static io.taskbound.autoconfigure.ShopContexts.shopApplication;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.Bound;
import io.taskbound.BoundAdvice;
import io.taskbound.Job;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.LaneAdvice;
import io.taskbound.autoconfigure.app.ShopApplication;
import io.taskbound.autoconfigure.app.ShopApplication.Mailer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** The {@code taskbound} Actuator endpoint: its overview, its actions, and its answers to bad requests. */
class TaskboundEndpointTests {

    private final ApplicationContextRunner exposed = onDatabase(shopApplication(), freshDatabaseUrl())
            .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=taskbound");

    @Test
    void theOverviewShowsLanesNodesAndSchedules() {
        exposed.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            jobs.recurring("mail.digest").every(Duration.ofHours(1)).call("mailer.confirm", "[1]");
            TaskboundEndpoint endpoint = context.getBean(TaskboundEndpoint.class);

            TaskboundEndpoint.Overview overview =
                    await().until(endpoint::overview, o -> !o.nodes().isEmpty());

            assertThat(overview.lanes().lane("network")).isPresent();
            assertThat(overview.schedules()).extracting("id").containsExactly("mail.digest");
            assertThat(overview.paused()).isEmpty();
        });
    }

    @Test
    void theOverviewShowsWhatTheBoundAdvisorObserved() {
        exposed.withPropertyValues("taskbound.advisor.min-runs=1").run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            context.getBean(ShopApplication.Shop.class).order(7, "lamp", false);
            TaskboundEndpoint endpoint = context.getBean(TaskboundEndpoint.class);

            BoundAdvice advice = await().until(
                            () -> endpoint.overview().advice(),
                            seen -> seen.stream()
                                    .anyMatch(found -> found.jobName().equals("mailer.confirm")))
                    .getFirst();

            assertThat(advice.jobName()).isEqualTo("mailer.confirm");
            assertThat(advice.declared()).isEqualTo(Bound.NETWORK);
            assertThat(advice.lane()).isEqualTo("network");
            assertThat(advice.runs()).isEqualTo(1);
            assertThat(jobs.advisor().observations()).containsExactly(advice);
        });
    }

    @Test
    void theOverviewShowsALaneHeldBackByItsConcurrencyWithTheSettingToTry() {
        exposed.withBean(Sleeper.class)
                .withPropertyValues(
                        "taskbound.lanes.network.concurrency=1",
                        "taskbound.advisor.window=2s",
                        "taskbound.advisor.lanes.sampling-period=50ms")
                .run(context -> {
                    Jobs jobs = context.getBean(Jobs.class);
                    TaskboundEndpoint endpoint = context.getBean(TaskboundEndpoint.class);
                    // 3 s of sleeping on one slot, judged on the last 1 to 2 s.
                    for (int i = 0; i < 60; i++) {
                        jobs.enqueue(Sleeper::sleep);
                    }

                    LaneAdvice advice = await().atMost(Duration.ofSeconds(30))
                            .until(() -> endpoint.overview().laneAdvice(), found -> !found.isEmpty())
                            .getFirst();

                    assertThat(advice.lane()).isEqualTo("network");
                    assertThat(advice.concurrency()).isEqualTo(1);
                    assertThat(advice.suggestedConcurrency()).isGreaterThan(1);
                    String json = JsonMapper.builder().build().writeValueAsString(endpoint.overview());
                    assertThat(json)
                            .contains("\"laneAdvice\":[{\"lane\":\"network\",\"concurrency\":1,")
                            .contains("\"setting\":\"taskbound.lanes.network.concurrency=");
                });
    }

    @Test
    void aLaneAdviceSettingTheEngineRefusesFailsStartUpNamingTheProperty() {
        exposed.withPropertyValues("taskbound.advisor.lanes.cpu-busy-share=1.5")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining(
                                "Invalid taskbound.advisor.lanes.cpu-busy-share: The advisor's CPU busy"
                                        + " share must be above 0 and at most 1, was 1.5"));
    }

    /** A job that waits: on one slot, its runs queue while the CPU idles. */
    public static class Sleeper {

        @Job(name = "endpoint.sleep", bound = Bound.NETWORK)
        public void sleep() throws InterruptedException {
            Thread.sleep(50);
        }
    }

    @Test
    void anAdvisorSettingTheEngineRefusesFailsStartUpNamingTheProperty() {
        exposed.withPropertyValues("taskbound.advisor.min-runs=0")
                .run(
                        context -> assertThat(context.getStartupFailure())
                                .hasStackTraceContaining(
                                        "Invalid taskbound.advisor.min-runs: The advisor needs at least 1 run of a job, was 0"));
        exposed.withPropertyValues("taskbound.advisor.enabled=false").run(context -> {
            context.getBean(ShopApplication.Shop.class).order(8, "chair", false);
            assertThat(context.getBean(Jobs.class).advisor().observations()).isEmpty();
        });
    }

    @Test
    void aLaneIsPausedAndResumedAndAScheduleTriggered() {
        exposed.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            jobs.recurring("mail.digest").every(Duration.ofHours(1)).call("mailer.confirm", "[2]");
            TaskboundEndpoint endpoint = context.getBean(TaskboundEndpoint.class);

            WebEndpointResponse<Map<String, Object>> paused = endpoint.act("lanes", "network", "pause");
            assertThat(paused.getStatus()).isEqualTo(200);
            assertThat(paused.getBody()).containsEntry("paused", true);
            assertThat(jobs.lanes().paused()).containsExactly("network");
            assertThat(endpoint.act("lanes", "network", "resume").getBody()).containsEntry("paused", false);
            assertThat(jobs.lanes().paused()).isEmpty();

            assertThat(endpoint.act("schedules", "mail.digest", "pause").getBody())
                    .containsEntry("paused", true);
            assertThat(jobs.schedules().find("mail.digest").orElseThrow().paused())
                    .isTrue();
            WebEndpointResponse<Map<String, Object>> triggered = endpoint.act("schedules", "mail.digest", "trigger");
            UUID fired = (UUID) triggered.getBody().get("jobId");
            await().until(() -> jobs.find(fired).orElseThrow().state() == JobState.SUCCEEDED);
            assertThat(context.getBean(Mailer.class).confirmed).contains(2L);
        });
    }

    @Test
    void badRequestsAreAnsweredWithWhatIsWrongAndChangeNothing() {
        exposed.run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            TaskboundEndpoint endpoint = context.getBean(TaskboundEndpoint.class);

            assertAnswer(
                    endpoint.act("lanes", "network", "stop"),
                    400,
                    "Unknown action \"stop\" on a lane",
                    "[pause, resume]");
            assertAnswer(endpoint.act("lanes", "no-such-lane", "pause"), 404, "no-such-lane");
            assertAnswer(endpoint.act("schedules", "no-such-schedule", "trigger"), 404, "no-such-schedule");
            assertAnswer(endpoint.act("schedules", "x", "delete"), 400, "[pause, resume, trigger]");
            assertAnswer(endpoint.act("queues", "x", "pause"), 404, "/actuator/taskbound/lanes/{lane}");
            assertThat(jobs.lanes().paused()).isEmpty();
        });
    }

    @Test
    void theEndpointIsOnlyThereWhenExposed() {
        onDatabase(shopApplication(), freshDatabaseUrl())
                .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(TaskboundEndpoint.class));
    }

    private static void assertAnswer(WebEndpointResponse<Map<String, Object>> answer, int status, String... says) {
        assertThat(answer.getStatus()).isEqualTo(status);
        assertThat((String) answer.getBody().get("message")).contains(says);
    }
}
