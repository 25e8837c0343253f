package io.taskbound.dashboard;

import static io.taskbound.dashboard.ApiAssertions.assertRefused;
import static io.taskbound.dashboard.ApiAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.dashboard.DashboardClient.Response;
import io.taskbound.dashboard.app.PrintShopApplication;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
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

/**
 * The schedules over real HTTP on embedded PostgreSQL: those created here, and {@code printer.clean},
 * which {@code @Recurring} declares in the test application.
 */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(
        classes = PrintShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"taskbound.dashboard.username=admin", "taskbound.dashboard.password=s3cret"})
class DashboardScheduleApiTests {

    private static final String API = "/taskbound/api";
    private static final String DECLARED = "printer.clean";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardDatabase.register(registry);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private Jobs jobs;

    private DashboardClient admin() {
        return DashboardClient.as(port, "admin", "s3cret");
    }

    private Response create(String body) {
        return admin().sendJson("POST", API + "/schedules", body);
    }

    private Response change(String id, String body) {
        return admin().sendJson("PUT", API + "/schedules/" + id, body);
    }

    private static String newId() {
        return "s-" + UUID.randomUUID();
    }

    /** A new schedule of {@code printer.print}, every hour. */
    private String created() {
        String id = newId();
        assertStatus(
                create("{\"id\": \"" + id
                        + "\", \"job\": \"printer.print\", \"arguments\": [\"x\"], \"every\": \"PT1H\"}"),
                201);
        return id;
    }

    private static List<Instant> instants(JsonNode array) {
        List<Instant> instants = new ArrayList<>();
        array.forEach(value -> instants.add(Instant.parse(value.asString())));
        return instants;
    }

    // Reading

    @Test
    void theListingShowsADeclaredScheduleWithItsTimingAndNextFireTimes() {
        JsonNode declared = null;
        for (JsonNode schedule : admin().get(API + "/schedules").body()) {
            if (schedule.get("id").asString().equals(DECLARED)) {
                declared = schedule;
            }
        }
        assertThat(declared).isNotNull();
        assertThat(declared.get("declaredInCode").asBoolean()).isTrue();
        assertThat(declared.get("declaredBy").asString()).contains("Printer.clean");
        assertThat(declared.get("jobName").asString()).isEqualTo("printer.clean");
        assertThat(declared.get("timing").asString()).isEqualTo("0 0 3 1 1 *");
        assertThat(declared.get("zone").asString()).isEqualTo("Europe/Paris");
        assertThat(declared.get("misfire").asString()).isEqualTo("FIRE_ONCE");
        List<Instant> next = instants(declared.get("next"));
        assertThat(next).hasSize(5).isSorted().doesNotHaveDuplicates();
        assertThat(next.getFirst())
                .isEqualTo(Instant.parse(declared.get("nextFireAt").asString()));
    }

    @Test
    void oneScheduleIsFoundByIdAndAnUnknownIdIsNotFound() {
        assertThat(admin().get(API + "/schedules/" + DECLARED).body().get("id").asString())
                .isEqualTo(DECLARED);
        assertRefused(admin().get(API + "/schedules/nope"), 404, "\"nope\"", "GET /schedules");
    }

    // Creating

    @Test
    void aCronScheduleIsCreatedWithEverySetting() {
        String id = newId();
        Response response = create("{\"id\": \"" + id + "\", \"job\": \"printer.print\", \"arguments\": [\"hi\"],"
                + " \"cron\": \"0 0 4 * * *\", \"zone\": \"Asia/Tokyo\", \"misfire\": \"skip\", \"maxCatchUp\": 3,"
                + " \"overlap\": \"ALLOW\", \"jitter\": \"PT10S\"}");
        assertStatus(response, 201);
        assertThat(response.raw().headers().firstValue("Location")).hasValue(API + "/schedules/" + id);
        JsonNode schedule = response.body();
        assertThat(schedule.get("jobName").asString()).isEqualTo("printer.print");
        assertThat(schedule.get("argumentsJson").asString()).isEqualTo("[\"hi\"]");
        assertThat(schedule.get("cron").asString()).isEqualTo("0 0 4 * * *");
        assertThat(schedule.get("every").isNull()).isTrue();
        assertThat(schedule.get("timing").asString()).isEqualTo("0 0 4 * * *");
        assertThat(schedule.get("zone").asString()).isEqualTo("Asia/Tokyo");
        assertThat(schedule.get("misfire").asString()).isEqualTo("SKIP");
        assertThat(schedule.get("maxCatchUp").asInt()).isEqualTo(3);
        assertThat(schedule.get("overlap").asString()).isEqualTo("ALLOW");
        assertThat(schedule.get("jitter").asString()).isEqualTo("PT10S");
        assertThat(schedule.get("declaredInCode").asBoolean()).isFalse();
        assertThat(schedule.get("paused").asBoolean()).isFalse();
        for (Instant fire : instants(schedule.get("next"))) {
            assertThat(fire.atZone(ZoneId.of("Asia/Tokyo")).toLocalTime()).isEqualTo(LocalTime.of(4, 0));
        }
        assertThat(jobs.schedules().find(id)).isPresent();
    }

    @Test
    void anIntervalScheduleIsCreatedWithoutArguments() {
        String id = newId();
        Response response = create("{\"id\": \"" + id + "\", \"job\": \"printer.clean\", \"every\": \"PT5M\"}");
        assertStatus(response, 201);
        assertThat(response.body().get("every").asString()).isEqualTo("PT5M");
        assertThat(response.body().get("timing").asString()).isEqualTo("every PT5M");
        assertThat(response.body().get("argumentsJson").asString()).isEqualTo("[]");
        List<Instant> next = instants(response.body().get("next"));
        assertThat(Duration.between(next.get(0), next.get(1))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theCommandJobIsNeverScheduledFromTheDashboard() {
        String id = newId();
        assertRefused(
                create("{\"id\": \"" + id + "\", \"job\": \"taskbound.command\","
                        + " \"arguments\": [{\"command\": [\"ls\"]}], \"every\": \"PT5M\"}"),
                400,
                "Job \"taskbound.command\" in field job is Taskbound's own",
                "jobs.command(...)");
        assertThat(jobs.schedules().find(id)).isEmpty();
    }

    @Test
    void anIdThatExistsIsAConflict() {
        String id = created();
        assertRefused(
                create("{\"id\": \"" + id
                        + "\", \"job\": \"printer.print\", \"arguments\": [\"y\"], \"every\": \"PT1H\"}"),
                409,
                id,
                "exists already");
        assertRefused(
                create("{\"id\": \"" + DECLARED + "\", \"job\": \"printer.clean\", \"every\": \"PT1H\"}"),
                409,
                "exists already",
                "declared by");
    }

    @Test
    void aNewScheduleWithoutAGoodIdOrJobIsRefused() {
        String timing = "\"every\": \"PT1H\"";
        assertRefused(create("{\"job\": \"printer.clean\", " + timing + "}"), 400, "Field id is missing");
        assertRefused(
                create("{\"id\": \" \", \"job\": \"printer.clean\", " + timing + "}"), 400, "Field id is missing");
        assertRefused(
                create("{\"id\": \"a/b\", \"job\": \"printer.clean\", " + timing + "}"),
                400,
                "Field id must be",
                "a/b");
        assertRefused(
                create("{\"id\": \"two words\", \"job\": \"printer.clean\", " + timing + "}"), 400, "Field id must be");
        assertRefused(
                create("{\"id\": \"" + "x".repeat(201) + "\", \"job\": \"printer.clean\", " + timing + "}"),
                400,
                "Field id must be 1 to 200");
        assertRefused(create("{\"id\": \"" + newId() + "\", " + timing + "}"), 400, "Field job is missing");
        assertRefused(
                create("{\"id\": \"" + newId() + "\", \"job\": \"printer.scan\", " + timing + "}"),
                400,
                "Unknown job \"printer.scan\" in field job",
                "GET /job-types");
    }

    @Test
    void aNewScheduleWithBadArgumentsIsRefused() {
        String start = "{\"id\": \"" + newId() + "\", \"job\": \"printer.print\", \"every\": \"PT1H\", ";
        assertRefused(create(start + "\"arguments\": \"x\"}"), 400, "Field arguments must be a JSON array");
        assertRefused(
                create(start + "\"arguments\": [1, 2]}"), 400, "Field arguments does not fit job \"printer.print\"");
        assertRefused(
                create(start.replace(", \"every\": \"PT1H\", ", ", ") + "\"arguments\": [\"x\"]}"),
                400,
                "Fields cron and every are both missing");
    }

    @Test
    void aNewScheduleWithABadTimingOrPolicyIsRefusedNamingTheField() {
        String start = "{\"id\": \"" + newId() + "\", \"job\": \"printer.clean\", ";
        assertRefused(
                create(start + "\"cron\": \"0 0 * * * *\", \"every\": \"PT5M\"}"),
                400,
                "Fields cron and every are both given");
        assertRefused(create(start + "\"cron\": \"0 61 * * * *\"}"), 400, "Field cron", "0 61 * * * *");
        assertRefused(
                create(start + "\"every\": \"5 minutes\"}"),
                400,
                "Field every must be an ISO-8601 duration",
                "5 minutes");
        assertRefused(create(start + "\"every\": \"PT0.5S\"}"), 400, "Field every", "too short");
        assertRefused(create(start + "\"every\": \"PT9999999999H\"}"), 400, "Field every must be at most P3650D");
        assertRefused(
                create(start + "\"every\": \"PT1H\", \"zone\": \"Mars/Olympus\"}"), 400, "Field zone", "Mars/Olympus");
        assertRefused(
                create(start + "\"every\": \"PT1H\", \"misfire\": \"sometimes\"}"),
                400,
                "Field misfire",
                "FIRE_ONCE, FIRE_ALL, SKIP",
                "sometimes");
        assertRefused(
                create(start + "\"every\": \"PT1H\", \"overlap\": \"queue\"}"), 400, "Field overlap", "SKIP, ALLOW");
        assertRefused(create(start + "\"every\": \"PT1H\", \"maxCatchUp\": 0}"), 400, "Field maxCatchUp", "at least 1");
        assertRefused(
                create(start + "\"every\": \"PT1H\", \"maxCatchUp\": \"many\"}"),
                400,
                "Field maxCatchUp must be a whole number");
        assertRefused(create(start + "\"every\": \"PT1H\", \"jitter\": \"PT-1S\"}"), 400, "Field jitter", "negative");
        assertRefused(create(start + "\"every\": \"PT1H\", \"jitter\": \"soon\"}"), 400, "Field jitter", "soon");
        assertRefused(create(start + "\"every\": \"PT1H\", \"jitter\": \"P4000D\"}"), 400, "Field jitter", "at most");
        assertRefused(
                create(start + "\"every\": \"PT1H\", \"lane\": \"cpu\"}"),
                400,
                "Unknown field \"lane\"",
                "arguments, cron, every, id, jitter, job, maxCatchUp, misfire, overlap, zone");
        assertRefused(create("{\"id\": "), 400, "not valid JSON");
        assertRefused(create("[]"), 400, "not an object");
    }

    // Changing and deleting

    @Test
    void aScheduleCreatedHereIsChangedByTheFieldsGiven() {
        String id = created();
        Response response = change(
                id,
                "{\"cron\": \"0 30 2 * * *\", \"zone\": \"UTC\", \"overlap\": \"allow\","
                        + " \"arguments\": [\"new\"]}");
        assertStatus(response, 200);
        JsonNode schedule = response.body();
        assertThat(schedule.get("cron").asString()).isEqualTo("0 30 2 * * *");
        assertThat(schedule.get("every").isNull()).isTrue();
        assertThat(schedule.get("zone").asString()).isEqualTo("UTC");
        assertThat(schedule.get("overlap").asString()).isEqualTo("ALLOW");
        assertThat(schedule.get("argumentsJson").asString()).isEqualTo("[\"new\"]");
        // What was not given stays.
        assertThat(schedule.get("misfire").asString()).isEqualTo("FIRE_ONCE");
        assertThat(schedule.get("jobName").asString()).isEqualTo("printer.print");
        assertThat(jobs.schedules().find(id).orElseThrow().cron()).isEqualTo("0 30 2 * * *");
        assertThat(change(id, "{\"every\": \"PT10M\"}").body().get("timing").asString())
                .isEqualTo("every PT10M");
    }

    @Test
    void aChangeWithABadFieldIsRefusedAndChangesNothing() {
        String id = created();
        assertRefused(change(id, "{\"arguments\": [1, 2]}"), 400, "Arguments", "printer.print");
        assertRefused(
                change(id, "{\"cron\": \"0 0 3 * * *\", \"every\": \"PT5M\"}"),
                400,
                "Fields cron and every are both given");
        assertRefused(change(id, "{\"every\": \"PT5M\", \"jitter\": \"PT-5S\"}"), 400, "Field jitter");
        assertRefused(
                change(id, "{\"job\": \"printer.clean\"}"),
                400,
                "Unknown field \"job\"",
                "arguments, cron, every, jitter, maxCatchUp, misfire, overlap, zone");
        assertRefused(change(id, "{\"id\": \"other\"}"), 400, "Unknown field \"id\"");
        assertThat(jobs.schedules().find(id).orElseThrow().every()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aScheduleCreatedHereIsDeleted() {
        String id = created();
        Response response = admin().delete(API + "/schedules/" + id);
        assertStatus(response, 204);
        assertThat(jobs.schedules().find(id)).isEmpty();
        assertRefused(admin().get(API + "/schedules/" + id), 404, id);
        assertRefused(admin().delete(API + "/schedules/" + id), 404, id);
    }

    @Test
    void anUnknownScheduleIsNotFoundForEveryAction() {
        assertRefused(change("nope", "{\"every\": \"PT5M\"}"), 404, "\"nope\"");
        assertRefused(admin().delete(API + "/schedules/nope"), 404, "\"nope\"");
        assertRefused(admin().post(API + "/schedules/nope/pause"), 404, "\"nope\"");
        assertRefused(admin().post(API + "/schedules/nope/resume"), 404, "\"nope\"");
        assertRefused(admin().post(API + "/schedules/nope/trigger"), 404, "\"nope\"");
    }

    // A schedule declared in code

    @Test
    void aDeclaredScheduleCannotBeChangedOrDeletedHere() {
        assertRefused(
                change(DECLARED, "{\"every\": \"PT5M\"}"),
                409,
                "declared by",
                "Printer.clean",
                "change the annotation",
                "pause");
        assertRefused(admin().delete(API + "/schedules/" + DECLARED), 409, "declared by", "Printer.clean");
        assertThat(jobs.schedules().find(DECLARED).orElseThrow().cron()).isEqualTo("0 0 3 1 1 *");
    }

    @Test
    void aDeclaredScheduleIsPausedResumedAndTriggeredAndItsJobRuns() {
        Response paused = admin().post(API + "/schedules/" + DECLARED + "/pause");
        assertStatus(paused, 200);
        assertThat(paused.body().get("paused").asBoolean()).isTrue();
        assertThat(jobs.schedules().find(DECLARED).orElseThrow().paused()).isTrue();
        Response resumed = admin().post(API + "/schedules/" + DECLARED + "/resume");
        assertStatus(resumed, 200);
        assertThat(resumed.body().get("paused").asBoolean()).isFalse();

        Response triggered = admin().post(API + "/schedules/" + DECLARED + "/trigger");
        assertStatus(triggered, 201);
        UUID job = UUID.fromString(triggered.body().get("id").asString());
        assertThat(triggered.raw().headers().firstValue("Location")).hasValue(API + "/jobs/" + job);
        assertThat(triggered.body().get("name").asString()).isEqualTo("printer.clean");
        assertThat(triggered.body().get("scheduleId").asString()).isEqualTo(DECLARED);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.info(job).orElseThrow().state() == JobState.SUCCEEDED);
    }

    // Preview

    @Test
    void aCronPreviewGivesAscendingFireTimesReadInTheZone() {
        Response response = admin().get(API + "/schedules/preview?cron=0+0+3+*+*+*&zone=Europe/Paris&count=7");
        assertStatus(response, 200);
        assertThat(response.body().get("zone").asString()).isEqualTo("Europe/Paris");
        List<Instant> next = instants(response.body().get("next"));
        assertThat(next).hasSize(7).isSorted().doesNotHaveDuplicates();
        assertThat(next.getFirst()).isAfter(Instant.now());
        for (Instant fire : next) {
            assertThat(fire.atZone(ZoneId.of("Europe/Paris")).toLocalTime()).isEqualTo(LocalTime.of(3, 0));
        }
    }

    @Test
    void aPreviewCountsFiveByDefaultAndStoresNothing() {
        Response response = admin().get(API + "/schedules/preview?every=PT5M");
        assertStatus(response, 200);
        List<Instant> next = instants(response.body().get("next"));
        assertThat(next).hasSize(5);
        assertThat(Duration.between(next.get(0), next.get(4))).isEqualTo(Duration.ofMinutes(20));
        assertThat(response.body().get("zone").asString())
                .isEqualTo(ZoneId.systemDefault().getId());
        assertThat(admin().get(API + "/schedules").body().toString()).doesNotContain("\"preview\"");
        assertThat(jobs.schedules().find("preview")).isEmpty();
    }

    @Test
    void aPreviewWithABadParameterIsRefusedNamingIt() {
        String preview = API + "/schedules/preview";
        assertRefused(admin().get(preview + "?cron=0+61+*+*+*+*"), 400, "Parameter cron", "0 61 * * * *", "61");
        assertRefused(admin().get(preview + "?cron=tomorrow"), 400, "Parameter cron", "tomorrow");
        assertRefused(admin().get(preview + "?every=often"), 400, "Parameter every", "often");
        assertRefused(admin().get(preview + "?every=PT0S"), 400, "Parameter every", "too short");
        assertRefused(admin().get(preview + "?every=P99999D"), 400, "Parameter every must be at most");
        assertRefused(admin().get(preview + "?cron=@daily&zone=Mars/Olympus"), 400, "Parameter zone", "Mars/Olympus");
        assertRefused(admin().get(preview + "?cron=@daily&count=0"), 400, "Parameter count", "1 to 50");
        assertRefused(admin().get(preview + "?cron=@daily&count=51"), 400, "Parameter count", "51");
        assertRefused(admin().get(preview + "?cron=@daily&count=some"), 400, "Parameter count", "some");
        assertRefused(admin().get(preview + "?cron=@daily&every=PT5M"), 400, "cron", "every", "not both");
        assertRefused(admin().get(preview), 400, "cron", "every", "not neither");
        assertRefused(admin().get(preview + "?cron=@daily&cron=@hourly"), 400, "Parameter cron was given 2 times");
        assertRefused(admin().get(preview + "?cron=@daily&zones=UTC"), 400, "Unknown parameter \"zones\"");
    }
}
