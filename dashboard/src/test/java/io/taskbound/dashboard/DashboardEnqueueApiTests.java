package io.taskbound.dashboard;

import static io.taskbound.dashboard.ApiAssertions.assertRefused;
import static io.taskbound.dashboard.ApiAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.JobFilter;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.dashboard.DashboardClient.Response;
import io.taskbound.dashboard.app.PrintShopApplication;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The job catalogue and starting a job by name, over real HTTP on embedded PostgreSQL. */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(
        classes = PrintShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"taskbound.dashboard.username=admin", "taskbound.dashboard.password=s3cret"})
class DashboardEnqueueApiTests {

    private static final String API = "/taskbound/api";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardDatabase.register(registry);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private Jobs jobs;

    private Response enqueue(String body) {
        return DashboardClient.as(port, "admin", "s3cret").sendJson("POST", API + "/jobs", body);
    }

    // Job types

    @Test
    void jobTypesListEveryRegisteredJobByNameWithReadableTypes() {
        JsonNode types = DashboardClient.as(port, "admin", "s3cret")
                .get(API + "/job-types")
                .body();
        List<String> names = new ArrayList<>();
        types.forEach(type -> names.add(type.get("name").asString()));
        assertThat(names).containsExactly("printer.batch", "printer.clean", "printer.flaky", "printer.print");
        JsonNode batch = types.get(0);
        assertThat(batch.get("parameters").toString())
                .isEqualTo("[{\"name\":\"ids\",\"type\":\"java.util.List<Long>\"},"
                        + "{\"name\":\"copies\",\"type\":\"java.util.Map<String, Integer>\"}]");
        assertThat(batch.get("resultType").asString()).isEqualTo("int");
        assertThat(batch.get("method").asString()).isEqualTo("Printer.batch(List, Map)");
        assertThat(batch.get("maxAttempts").asInt()).isEqualTo(2);
        assertThat(batch.get("timeout").asString()).isEqualTo("PT1M");
        assertThat(batch.get("priority").asInt()).isEqualTo(3);
        JsonNode flaky = types.get(2);
        assertThat(flaky.get("lane").asString()).isEqualTo("cpu");
        assertThat(flaky.get("bound").asString()).isEqualTo("CPU");
        assertThat(flaky.get("maxAttempts").asInt()).isEqualTo(1);
        // The JobContext parameter is not an argument the caller gives.
        assertThat(flaky.get("parameters")).hasSize(2);
        assertThat(flaky.get("parameters").get(1).get("type").asString()).isEqualTo("int");
        assertThat(flaky.get("method").asString()).isEqualTo("Printer.flaky(String, int, JobContext)");
        JsonNode print = types.get(3);
        assertThat(print.get("method").asString()).isEqualTo("Printer.print(String)");
        assertThat(print.get("resultType").asString()).isEqualTo("String");
        // No maxAttempts of its own: its lane's.
        assertThat(print.get("maxAttempts").asInt()).isGreaterThan(0);
        assertThat(types.get(1).get("resultType").asString()).isEqualTo("void");
    }

    // Enqueue

    @Test
    void aJobStartedByNameIsCreatedWithItsLocationAndRunsToSucceeded() {
        Response response = enqueue("{\"name\": \"printer.print\", \"arguments\": [\"hello\"]}");
        assertStatus(response, 201);
        UUID id = UUID.fromString(response.body().get("id").asString());
        assertThat(response.raw().headers().firstValue("Location")).hasValue(API + "/jobs/" + id);
        assertThat(response.body().get("name").asString()).isEqualTo("printer.print");
        assertThat(response.body().get("argumentsJson").asString()).isEqualTo("[\"hello\"]");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.info(id).orElseThrow().state() == JobState.SUCCEEDED);
        assertThat(jobs.info(id).orElseThrow().resultJson()).isEqualTo("\"printed hello\"");
        JsonNode details = DashboardClient.as(port, "admin", "s3cret")
                .get(API + "/jobs/" + id)
                .body();
        assertThat(details.get("job").get("state").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aJobStartedByNameTakesALanePriorityAndRunAt() {
        Instant runAt = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        Response response = enqueue("{\"name\": \"printer.print\", \"arguments\": [\"later\"], \"lane\": \"cpu\","
                + " \"priority\": 7, \"runAt\": \"" + runAt + "\"}");
        assertStatus(response, 201);
        JobInfo job =
                jobs.info(UUID.fromString(response.body().get("id").asString())).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.lane()).isEqualTo("cpu");
        assertThat(job.priority()).isEqualTo(7);
        assertThat(job.runAt()).isEqualTo(runAt);
        assertThat(response.body().get("lane").asString()).isEqualTo("cpu");
        assertThat(Instant.parse(response.body().get("runAt").asString())).isEqualTo(runAt);
    }

    @Test
    void aJobWithoutArgumentsNeedsNoArgumentsField() {
        Response response = enqueue("{\"name\": \"printer.clean\"}");
        assertStatus(response, 201);
        assertThat(response.body().get("argumentsJson").asString()).isEqualTo("[]");
    }

    @Test
    void argumentsHoldingANulCharacterAreRefusedAndNothingIsStored() {
        long before = jobs.queries().count(JobFilter.all().named("printer.print"), 1_000);

        assertRefused(
                enqueue("{\"name\": \"printer.print\", \"arguments\": [\"a\\u0000b\"]}"), 400, "arguments", "NUL");

        assertThat(jobs.queries().count(JobFilter.all().named("printer.print"), 1_000))
                .isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRefused() {
        assertRefused(enqueue("{\"name\": "), 400, "not valid JSON", "name");
        assertRefused(enqueue(""), 400, "empty", "name");
        assertRefused(enqueue("[\"printer.print\"]"), 400, "JSON array, not an object", "arguments");
        assertRefused(enqueue("\"printer.print\""), 400, "not an object");
    }

    @Test
    void aBodySentAsAnythingButJsonIsRefused() {
        DashboardClient admin = DashboardClient.as(port, "admin", "s3cret");
        String job = "{\"name\": \"printer.print\", \"arguments\": [\"x\"]}";
        assertRefused(
                admin.sendBody("POST", API + "/jobs", job, "Content-Type", "application/x-www-form-urlencoded"),
                415,
                "Content-Type application/x-www-form-urlencoded",
                "application/json");
        assertRefused(admin.sendBody("POST", API + "/jobs", job, "Content-Type", "text/plain"), 415, "text/plain");
        assertStatus(
                admin.sendBody("POST", API + "/jobs", job, "Content-Type", "application/json; charset=UTF-8"), 201);
        assertStatus(admin.sendBody("POST", API + "/jobs", job), 201);
    }

    @Test
    void anUnknownFieldIsRefusedListingTheAcceptedOnes() {
        assertRefused(
                enqueue("{\"name\": \"printer.print\", \"args\": []}"),
                400,
                "Unknown field \"args\"",
                "arguments, lane, name, priority, runAt");
    }

    @Test
    void theCommandJobIsNotListedAndIsNeverStartedFromTheDashboard() {
        JsonNode types = DashboardClient.as(port, "admin", "s3cret")
                .get(API + "/job-types")
                .body();
        List<String> names = new ArrayList<>();
        types.forEach(type -> names.add(type.get("name").asString()));
        assertThat(names).doesNotContain("taskbound.command");
        long before = jobs.queries().count(JobFilter.all().named("taskbound.command"), 1_000);

        assertRefused(
                enqueue("{\"name\": \"taskbound.command\", \"arguments\": [{\"command\": [\"touch\", \"/tmp/x\"]}]}"),
                400,
                "Job \"taskbound.command\" in field name is Taskbound's own and is never started from the dashboard",
                "runs an external command",
                "jobs.command(...)");

        assertThat(jobs.queries().count(JobFilter.all().named("taskbound.command"), 1_000))
                .isEqualTo(before);
    }

    @Test
    void aMissingOrUnknownJobNameIsRefused() {
        assertRefused(enqueue("{\"arguments\": [\"x\"]}"), 400, "Field name is missing", "GET /job-types");
        assertRefused(enqueue("{\"name\": \"  \"}"), 400, "Field name is missing");
        assertRefused(enqueue("{\"name\": 5}"), 400, "Field name must be a string");
        assertRefused(
                enqueue("{\"name\": \"printer.scan\"}"),
                400,
                "Unknown job \"printer.scan\"",
                "GET /job-types",
                "printer.print");
    }

    @Test
    void argumentsThatAreNotAnArrayOrDoNotFitTheMethodAreRefused() {
        assertRefused(
                enqueue("{\"name\": \"printer.print\", \"arguments\": \"x\"}"),
                400,
                "Field arguments must be a JSON array");
        assertRefused(
                enqueue("{\"name\": \"printer.print\", \"arguments\": {\"text\": \"x\"}}"),
                400,
                "Field arguments must be a JSON array");
        assertRefused(
                enqueue("{\"name\": \"printer.print\", \"arguments\": []}"),
                400,
                "Field arguments does not fit job \"printer.print\"");
        assertRefused(
                enqueue("{\"name\": \"printer.flaky\", \"arguments\": [\"k\", \"many\"]}"),
                400,
                "Field arguments does not fit job \"printer.flaky\"");
    }

    @Test
    void aBadRunAtLaneOrPriorityIsRefusedNamingTheField() {
        String job = "{\"name\": \"printer.print\", \"arguments\": [\"x\"], ";
        assertRefused(enqueue(job + "\"runAt\": \"tomorrow\"}"), 400, "Field runAt", "ISO-8601", "tomorrow");
        assertRefused(enqueue(job + "\"runAt\": 1767225600}"), 400, "Field runAt must be a string");
        assertRefused(enqueue(job + "\"runAt\": \"+12026-01-01T00:00:00Z\"}"), 400, "Field runAt", "between");
        assertRefused(enqueue(job + "\"lane\": \"tape\"}"), 400, "Unknown lane \"tape\" in field lane", "GET /lanes");
        assertRefused(enqueue(job + "\"priority\": \"high\"}"), 400, "Field priority must be a whole number");
        assertRefused(enqueue(job + "\"priority\": 1.5}"), 400, "Field priority must be a whole number");
        assertRefused(enqueue(job + "\"priority\": 3000000000}"), 400, "Field priority must be a whole number");
    }
}
