package io.taskbound.sample;

import static io.taskbound.test.JobsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.JobFilter;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.ScheduleInfo;
import io.taskbound.WorkerInfo;
import io.taskbound.test.AutoConfigureTaskboundTest;
import io.taskbound.test.TaskboundTester;
import io.taskbound.test.TestClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample app end to end, over HTTP, on its embedded PostgreSQL; its jobs drained and its clock
 * moved with Taskbound's test kit.
 */
@AutoConfigureTaskboundTest
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "pressroom.embedded-postgres.data-dir=${java.io.tmpdir}/pressroom-test-${random.uuid}",
            "pressroom.embedded-postgres.keep-data=false"
        })
class PressroomApplicationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private Jobs jobs;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private TaskboundTester taskbound;

    @Autowired
    private TestClock clock;

    @Test
    void healthShowsTaskboundUpWithItsNodeAndLanes() throws Exception {
        JsonNode health = get("/actuator/health/taskbound");
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("nodeId").asString()).isNotBlank();
        JsonNode lanes = health.get("details").get("lanes");
        assertThat(lanes.get("cpu").get("executor").asString()).isEqualTo("PLATFORM");
        assertThat(lanes.get("io").get("executor").asString()).isEqualTo("VIRTUAL");
        assertThat(lanes.get("io").get("capacity").asInt()).isEqualTo(1000);
    }

    @Test
    void aReportIsStoredAndRenderedOnTheCpuLane() throws Exception {
        JsonNode created = post("/api/reports", Map.of("title", "Q3 sales", "samples", 20_000));
        long reportId = created.get("reportId").asLong();
        String jobId = created.get("jobId").asString();

        taskbound.drain();
        assertThat(get("/api/reports/" + reportId).get("status").asString()).isEqualTo("RENDERED");
        JsonNode job = get("/api/jobs/" + jobId);
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("lane").asString()).isEqualTo("cpu");
        assertThat(job.get("cpuTime").isNull()).isFalse();
    }

    @Test
    void theReportIndexIsBuiltInAWorkerJvmWithTheAppsInjectedService() throws Exception {
        post("/api/reports", Map.of("title", "Index me: weekly sales", "samples", 1_000));
        post("/api/reports", Map.of("title", "Index me: weekly returns", "samples", 2_000));
        long reports = new JdbcTemplate(dataSource).queryForObject("select count(*) from report", Long.class);
        long samples = new JdbcTemplate(dataSource).queryForObject("select sum(samples) from report", Long.class);

        String jobId = post("/api/reports/index", Map.of()).get("jobId").asString();

        // The worker JVM boots the application's context first: slower than a thread lane.
        taskbound.drain(Duration.ofSeconds(90));
        JsonNode job = get("/api/jobs/" + jobId);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("lane").asString()).isEqualTo("memory");
        JsonNode summary = JSON.readTree(job.get("resultJson").asString());
        assertThat(summary.get("reports").asLong()).isGreaterThanOrEqualTo(reports);
        assertThat(summary.get("samples").asLong()).isGreaterThanOrEqualTo(samples);
        assertThat(summary.get("topWords").toString()).contains("weekly");
        assertThat(summary.get("workerPid").asLong())
                .isNotEqualTo(ProcessHandle.current().pid())
                .isIn(ProcessHandle.current().children().map(ProcessHandle::pid).toList());
    }

    @Test
    void aFlakyWebhookIsRetriedUntilItIsDelivered() throws Exception {
        String jobId = post("/api/webhooks", Map.of("url", "https://flaky.example.com/x", "payload", "{}"))
                .get("jobId")
                .asString();
        // Each failed attempt waits for its backoff, a second or two: the clock passes it at once.
        taskbound.drain();
        for (int retry = 1; retry <= 2; retry++) {
            clock.advance(Duration.ofMinutes(1));
            taskbound.drain();
        }
        assertThat(get("/api/jobs/" + jobId).get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(get("/api/jobs/" + jobId).get("attempt").asInt()).isEqualTo(3);
        JsonNode attempts = get("/api/jobs/" + jobId + "/attempts");
        assertThat(attempts.size()).isEqualTo(2);
        assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("FAILED");
        assertThat(attempts.get(0).get("stackTrace").asString()).isNotBlank();
        JsonNode delivered = get("/api/jobs?state=succeeded&name=webhooks.deliver&size=50");
        assertThat(delivered.get("items").findValuesAsString("id")).contains(jobId);
    }

    @Test
    void aListingWithABadStateOrCursorIsRefusedWithWhatToPass() throws Exception {
        assertThat(status("/api/jobs?state=LOST")).isEqualTo(400);
        assertThat(status("/api/jobs?cursor=nonsense")).isEqualTo(400);
        assertThat(status("/api/jobs?size=0")).isEqualTo(400);
    }

    @Test
    void theThreeAddsOfTheSeedExampleReturnTheirSums() throws Exception {
        JsonNode sums = get("/api/demo/add");
        assertThat(sums.get("results").toString()).isEqualTo("[2,4,6]");
    }

    @Test
    void theNightlyPurgeAndTheBacklogCheckAreScheduledAtStartUp() {
        Map<String, ScheduleInfo> schedules =
                jobs.schedules().list().stream().collect(Collectors.toMap(ScheduleInfo::id, Function.identity()));
        assertThat(schedules).containsKeys("housekeeping.nightly-purge", "reports.backlog");

        ScheduleInfo purge = schedules.get("housekeeping.nightly-purge");
        assertThat(purge.declaredBy()).isEqualTo("Housekeeping.nightlyPurge(JobContext)");
        assertThat(purge.cron()).isEqualTo("0 0 3 * * *");
        assertThat(purge.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(purge.paused()).isFalse();
        assertThat(purge.nextFireAt())
                .isAfter(clock.instant())
                .isBefore(clock.instant().plus(Duration.ofHours(25)));
        assertThat(purge.nextFireAt().atZone(ZoneId.of("Europe/Paris")).toLocalTime())
                .isEqualTo(LocalTime.of(3, 0));

        ScheduleInfo backlog = schedules.get("reports.backlog");
        assertThat(backlog.jobName()).isEqualTo("ReportBacklog.check");
        assertThat(backlog.every()).isEqualTo(Duration.ofSeconds(30));
        assertThat(backlog.declaredInCode()).isTrue();
        // The schedule moves on once its fire time has passed: a drain fires it if it is due.
        taskbound.drain();
        assertThat(jobs.schedules().find("reports.backlog").orElseThrow().nextFireAt())
                .isAfter(clock.instant());
        assertThat(jobs.schedules().preview("reports.backlog", 3))
                .satisfies(fires ->
                        assertThat(Duration.between(fires.get(0), fires.get(1))).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void theSchedulesAreListedWithTheirTimingAndNextFireTime() throws Exception {
        Map<String, JsonNode> listed = new HashMap<>();
        get("/api/schedules").forEach(schedule -> listed.put(schedule.get("id").asString(), schedule));
        assertThat(listed).containsKeys("housekeeping.nightly-purge", "reports.backlog");
        JsonNode purge = listed.get("housekeeping.nightly-purge");
        assertThat(purge.get("cron").asString()).isEqualTo("0 0 3 * * *");
        assertThat(purge.get("zone").asString()).isEqualTo("Europe/Paris");
        assertThat(Instant.parse(purge.get("nextFireAt").asString())).isAfter(Instant.now());
        assertThat(listed.get("reports.backlog").get("every").asString()).isEqualTo("PT30S");
    }

    @Test
    void theBacklogCheckTriggeredFromTheApiCountsTheReportsWaitingToBeRendered() throws Exception {
        // Stored without a render job, so it stays waiting for the whole test.
        new JdbcTemplate(dataSource)
                .update("insert into report (title, samples, status) values ('Stuck in the queue', 1, 'PENDING')");

        String jobId = post("/api/schedules/reports.backlog/trigger", Map.of())
                .get("jobId")
                .asString();
        taskbound.drain();
        JsonNode job = get("/api/jobs/" + jobId);
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("scheduleId").asString()).isEqualTo("reports.backlog");
        assertThat(job.get("lane").asString()).isEqualTo("io");
        assertThat(Long.parseLong(job.get("resultJson").asString())).isPositive();
    }

    @Test
    void theNightlyPurgeTriggeredFromTheApiDeletesReportsPastTheirRetention() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Long old = jdbc.queryForObject(
                "insert into report (title, samples, status, rendered_at)"
                        + " values ('Q1 archive', 1, 'RENDERED', now() - interval '40 days') returning id",
                Long.class);
        Long recent = jdbc.queryForObject(
                "insert into report (title, samples, status, rendered_at)"
                        + " values ('This week', 1, 'RENDERED', now() - interval '2 days') returning id",
                Long.class);

        String jobId = post("/api/schedules/housekeeping.nightly-purge/trigger", Map.of())
                .get("jobId")
                .asString();
        taskbound.drain();
        assertThat(get("/api/jobs/" + jobId).get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(get("/api/jobs/" + jobId).get("lane").asString()).isEqualTo("constrained");
        assertThat(jdbc.queryForList("select id from report where id in (?, ?)", Long.class, old, recent))
                .containsExactly(recent);
    }

    @Test
    void anUnknownScheduleIsNotFound() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri("/api/schedules/no-such-schedule/trigger"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("Unknown schedule").contains("no-such-schedule");
    }

    @Test
    void badInputIsAnsweredWithAClearError() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri("/api/housekeeping?in=soon"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("in must be an ISO-8601 duration").contains("soon");
    }

    @Test
    void theDashboardApiAnswersTheSampleUserAndNoOneElse() throws Exception {
        String admin = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:taskbound".getBytes());
        HttpResponse<String> nodes = http.send(
                HttpRequest.newBuilder(uri("/taskbound/api/nodes"))
                        .header("Authorization", admin)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(nodes.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(nodes.body()).get(0).get("name").asString()).isNotBlank();
        assertThat(http.send(
                                HttpRequest.newBuilder(uri("/taskbound/api/lanes"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aNewReportEnqueuesItsRenderingOnTheCpuLane() throws Exception {
        long reportId = post("/api/reports", Map.of("title", "Q4 sales", "samples", 1_000))
                .get("reportId")
                .asLong();

        assertThat(jobs)
                .hasEnqueued(ReportRenderer::render, reportId)
                .inLane("cpu")
                .times(1);
        taskbound.drain();
        assertThat(get("/api/reports/" + reportId).get("status").asString()).isEqualTo("RENDERED");
    }

    @Test
    void aPurgeOrderedForLaterRunsOnceTheClockGetsThere() throws Exception {
        String jobId = post("/api/housekeeping?olderThan=P90D&in=PT10M", Map.of())
                .get("jobId")
                .asString();

        assertThat(jobs)
                .hasEnqueued(Housekeeping::purgeReportsOlderThan, Duration.ofDays(90))
                .withUniqueKey("housekeeping")
                .delayedBy(Duration.ofMinutes(10))
                .times(1);
        taskbound.drain();
        assertThat(jobs.info(UUID.fromString(jobId)).orElseThrow().state()).isEqualTo(JobState.QUEUED);

        clock.advance(Duration.ofMinutes(10));
        taskbound.drain();
        assertThat(jobs.info(UUID.fromString(jobId)).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void theNightlyPurgeRunsOnceTheClockReachesThreeInTheMorning() {
        // The nightly purge rather than the backlog check: a check that fires on its own every 30
        // seconds may still be running when the clock jumps, and its overlap policy skips the fire.
        Instant threeAm = jobs.schedules()
                .find("housekeeping.nightly-purge")
                .orElseThrow()
                .nextFireAt();

        clock.advance(Duration.between(clock.instant(), threeAm));
        taskbound.drain();

        List<JobInfo> purges =
                jobs
                        .queries()
                        .list(JobFilter.all().fromSchedule("housekeeping.nightly-purge"), null, 5)
                        .items()
                        .stream()
                        .map(job -> jobs.info(job.id()).orElseThrow())
                        .toList();
        assertThat(purges).anySatisfy(purge -> {
            assertThat(purge.fireTime()).isEqualTo(threeAm);
            assertThat(purge.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(purge.lane()).isEqualTo("constrained");
        });
        Instant next = jobs.schedules()
                .find("housekeeping.nightly-purge")
                .orElseThrow()
                .nextFireAt();
        assertThat(next).isAfter(threeAm);
        assertThat(next.atZone(ZoneId.of("Europe/Paris")).toLocalTime()).isEqualTo(LocalTime.of(3, 0));
    }

    @Test
    void theChecksumJobDeclaredIoOnPurposeIsFlaggedByTheBoundAdvisor() throws Exception {
        // The memory lane's worker JVM boots the app's context with the app: on two cores that takes
        // them both for seconds, and the checksums would compute for less of their time meanwhile.
        Awaitility.await("the memory lane's worker ready")
                .atMost(Duration.ofSeconds(90))
                .until(() -> jobs.queries().lanes().lane("memory").orElseThrow().workers().values().stream()
                        .flatMap(List::stream)
                        .anyMatch(worker -> worker.state() != WorkerInfo.State.STARTING));
        // Batches of 25, as the README says to: the first runs are interpreted and the sampled figures
        // need a few dozen runs to settle; four batches at most.
        JsonNode finding = null;
        for (int batch = 0; batch < 4 && finding == null; batch++) {
            post("/api/demo/checksums?runs=25", Map.of());
            taskbound.drain();
            // JFR hands the samples of the jobs' virtual threads over about once a second.
            JsonNode seen = Awaitility.await("the advisor's view of batch " + batch)
                    .atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ofSeconds(3))
                    .until(() -> adviceOf("reports.checksum"), found -> found != null);
            finding = seen.get("suggested").isNull() ? null : seen;
        }

        assertThat(finding).as("flagged within four batches of 25 runs").isNotNull();
        assertThat(finding.get("declared").asString()).isEqualTo("IO");
        assertThat(finding.get("observed").asString()).isEqualTo("CPU_BOUND");
        assertThat(finding.get("suggested").asString()).isEqualTo("CPU");
        assertThat(finding.get("reason").asString()).contains("declare @Job(bound = Bound.CPU)");
        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(uri("/api/demo/checksums?runs=0"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("runs must be between 1 and 1000, was 0");
    }

    // The bound advisor's observation of {@code jobName} in /actuator/taskbound, or null.
    private JsonNode adviceOf(String jobName) throws IOException, InterruptedException {
        for (JsonNode advice : get("/actuator/taskbound").get("advice")) {
            if (advice.get("jobName").asString().equals(jobName)) {
                return advice;
            }
        }
        return null;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private int status(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 400) {
            assertThat(JSON.readTree(response.body()).get("error").asString()).isNotBlank();
        }
        return response.statusCode();
    }

    private JsonNode post(String path, Map<String, Object> body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
