package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.JobHandle;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.dashboard.DashboardClient.Response;
import io.taskbound.dashboard.app.PrintShopApplication;
import io.taskbound.dashboard.app.PrintShopApplication.Printer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The REST API over real HTTP, on embedded PostgreSQL, as the configured user. */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(
        classes = PrintShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "taskbound.dashboard.username=admin",
            "taskbound.dashboard.password=s3cret",
            // One warm worker JVM, for the lanes view's workers; no job of the print shop is on it.
            "taskbound.lanes.memory.executor=process",
            "taskbound.lanes.memory.process.eager-start=true",
            "taskbound.lanes.memory.process.jvm-options=-XX:+UseSerialGC,-XX:TieredStopAtLevel=1"
        })
class DashboardApiTests {

    private static final String API = "/taskbound/api";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardDatabase.register(registry);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private Jobs jobs;

    @Autowired
    private Printer printer;

    private DashboardClient admin() {
        return DashboardClient.as(port, "admin", "s3cret");
    }

    /** A word no other test's arguments contain, to find this test's jobs by argument search. */
    private static String token() {
        return "t" + UUID.randomUUID().toString().replace("-", "");
    }

    private List<UUID> later(String token, int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(jobs.schedule(Printer::print, token + "-" + i)
                    .in(Duration.ofHours(1))
                    .id());
        }
        return ids;
    }

    private UUID dead(String token, int lines) {
        printer.broken.add(token);
        UUID id = jobs.enqueue(Printer::flaky, token, lines).id();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.info(id).orElseThrow().state() == JobState.DEAD);
        return id;
    }

    private static void assertRefused(Response response, int status, String... messageParts) {
        assertRefused(response, status);
        assertThat(response.message()).contains(messageParts);
    }

    private static void assertRefused(Response response, int status) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.raw().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("error").asString()).isNotBlank();
        assertThat(response.message()).isNotBlank();
    }

    // Session

    @Test
    void sessionNamesTheBasicUserWhoMayManageWithoutACsrfToken() {
        Response session = admin().get(API + "/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body().get("user").asString()).isEqualTo("admin");
        assertThat(session.body().get("canManage").asBoolean()).isTrue();
        assertThat(session.body().get("csrf").isNull()).isTrue();
        assertThat(DashboardClient.anonymous(port).get(API + "/session").status())
                .isEqualTo(401);
    }

    // Lanes, nodes, stats

    @Test
    void lanesShowThisNodesExecutorConcurrencyAndTheBoundTypesRoutedToEach() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode body = admin().get(API + "/lanes").body();
            assertThat(body.get("lanes")).hasSize(11);
            assertThat(body.get("window").asString()).startsWith("PT");
            JsonNode io = lane(body, "io");
            assertThat(io.get("node").get("executor").asString()).isEqualTo("VIRTUAL");
            assertThat(io.get("node").get("concurrency").asInt()).isEqualTo(1000);
            assertThat(io.get("boundTypes").toString()).isEqualTo("[\"IO\"]");
            assertThat(io.get("paused").asBoolean()).isFalse();
            assertThat(io.get("total").has("queued")).isTrue();
            JsonNode cpu = lane(body, "cpu");
            assertThat(cpu.get("node").get("executor").asString()).isEqualTo("PLATFORM");
            assertThat(cpu.get("boundTypes").toString()).isEqualTo("[\"CPU\"]");
        });
    }

    @Test
    void lanesShowEachWorkerJvmOfAProcessLaneWithItsPidStateAndJobs() {
        JsonNode workers = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> lane(admin().get(API + "/lanes").body(), "memory").get("workers"),
                        byNode -> byNode.size() == 1
                                && byNode.values().iterator().next().size() == 1
                                && byNode.values()
                                        .iterator()
                                        .next()
                                        .get(0)
                                        .get("state")
                                        .asString()
                                        .equals("IDLE"));

        assertThat(workers.propertyNames())
                .singleElement()
                .satisfies(node -> assertThat(UUID.fromString(node)).isNotNull());
        JsonNode worker = workers.values().iterator().next().get(0);
        long pid = worker.get("pid").asLong();
        assertThat(ProcessHandle.of(pid)).as("a live worker JVM, pid %d", pid).isPresent();
        assertThat(worker.get("jobsRun").asInt()).isZero();
        assertThat(Instant.parse(worker.get("startedAt").asString())).isBefore(Instant.now());
        assertThat(worker.get("jobId").isNull()).isTrue();
        assertThat(lane(admin().get(API + "/lanes").body(), "io").get("workers").isEmpty())
                .isTrue();
    }

    private static JsonNode lane(JsonNode lanes, String name) {
        for (JsonNode lane : lanes.get("lanes")) {
            if (lane.get("lane").asString().equals(name)) {
                return lane;
            }
        }
        throw new AssertionError("No lane " + name + " in " + lanes);
    }

    @Test
    void nodesListThisNodeWithItsHeartbeatAgeAsAnIsoDuration() {
        JsonNode nodes = admin().get(API + "/nodes").body();
        assertThat(nodes).hasSize(1);
        JsonNode node = nodes.get(0);
        assertThat(node.get("name").asString()).isNotBlank();
        assertThat(Duration.parse(node.get("heartbeatAge").asString())).isLessThan(Duration.ofMinutes(1));
        assertThat(Instant.parse(node.get("startedAt").asString()))
                .isBefore(Instant.now().plusSeconds(60));
    }

    @Test
    void statsCountJobsPerStateAndPerLane() {
        later(token(), 2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode stats = admin().get(API + "/stats").body();
            assertThat(stats.get("states").get("QUEUED").get("count").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(stats.get("states").get("QUEUED").get("exact").asBoolean())
                    .isTrue();
            assertThat(stats.get("states").has("DEAD")).isTrue();
            assertThat(stats.get("lanes").get("io").has("queued")).isTrue();
            assertThat(stats.get("lanes").get("io").has("running")).isTrue();
        });
    }

    // Listing

    @Test
    void listingPagesThroughJobsNewestFirstWithTheNextCursor() {
        String token = token();
        List<UUID> ids = later(token, 3);
        JsonNode first = admin().get(API + "/jobs?q=" + token + "&limit=2").body();
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("items").get(0).get("id").asString())
                .isEqualTo(ids.get(2).toString());
        assertThat(first.get("next").isNull()).isFalse();
        JsonNode second = admin().get(API + "/jobs?q=" + token + "&limit=2&cursor="
                        + first.get("next").asString())
                .body();
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("next").isNull()).isTrue();
        Set<String> seen = new HashSet<>();
        first.get("items").forEach(item -> seen.add(item.get("id").asString()));
        second.get("items").forEach(item -> seen.add(item.get("id").asString()));
        assertThat(seen)
                .containsExactlyInAnyOrderElementsOf(
                        ids.stream().map(UUID::toString).toList());
        JsonNode item = second.get("items").get(0);
        assertThat(item.get("name").asString()).isEqualTo("printer.print");
        assertThat(item.get("state").asString()).isEqualTo("QUEUED");
        assertThat(Instant.parse(item.get("createdAt").asString()))
                .isBefore(Instant.parse(item.get("runAt").asString()));
    }

    @Test
    void listingFiltersByStateLaneNameAndCreatedRange() {
        String token = token();
        Instant before = Instant.now().minusSeconds(60);
        later(token, 2);
        UUID dead = dead(token, 0);
        String query = API + "/jobs?q=" + token;
        assertThat(admin().get(query + "&state=DEAD").body().get("items")).hasSize(1);
        assertThat(admin().get(query + "&state=dead,queued").body().get("items"))
                .hasSize(3);
        assertThat(admin().get(query + "&state=DEAD&state=QUEUED").body().get("items"))
                .hasSize(3);
        assertThat(admin().get(query + "&lane=cpu")
                        .body()
                        .get("items")
                        .get(0)
                        .get("id")
                        .asString())
                .isEqualTo(dead.toString());
        assertThat(admin().get(query + "&name=printer.print").body().get("items"))
                .hasSize(2);
        assertThat(admin().get(query + "&from=" + before).body().get("items")).hasSize(3);
        assertThat(admin().get(query + "&to=" + before).body().get("items")).isEmpty();
        assertThat(admin().get(query + "&schedule=nightly").body().get("items")).isEmpty();
    }

    // One job

    @Test
    void detailsShowAttemptsWithErrorAndStackTraceLogsProgressAndTimings() {
        String token = token();
        UUID id = dead(token, 3);
        JsonNode details = admin().get(API + "/jobs/" + id).body();
        JsonNode job = details.get("job");
        assertThat(job.get("state").asString()).isEqualTo("DEAD");
        assertThat(job.get("argumentsJson").asString()).contains(token);
        assertThat(job.get("progress").asInt()).isEqualTo(50);
        assertThat(Instant.parse(job.get("finishedAt").asString())).isNotNull();
        assertThat(Duration.parse(job.get("wallTime").asString())).isNotNull();
        assertThat(Duration.parse(details.get("lateness").asString())).isNotNull();
        JsonNode attempt = details.get("attempts").get(0);
        assertThat(attempt.get("outcome").asString()).isEqualTo("FAILED");
        assertThat(attempt.get("error").asString()).contains("printer jammed on " + token);
        assertThat(attempt.get("stackTrace").asString()).contains("IllegalStateException", "Printer.flaky");
        JsonNode logs = details.get("logs").get("items");
        assertThat(logs).hasSize(3);
        assertThat(logs.get(0).get("message").asString()).isEqualTo("line 1 of " + token);
        assertThat(Instant.parse(logs.get(0).get("at").asString())).isNotNull();
    }

    @Test
    void logsArePagedWithACursor() {
        UUID id = dead(token(), 5);
        JsonNode first = admin().get(API + "/jobs/" + id + "/logs?limit=3").body();
        assertThat(first.get("items")).hasSize(3);
        JsonNode second = admin().get(API + "/jobs/" + id + "/logs?limit=3&cursor="
                        + first.get("next").asString())
                .body();
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("items").get(1).get("message").asString()).startsWith("line 5 of ");
        assertThat(second.get("next").isNull()).isTrue();
    }

    @Test
    void retryRunsADeadJobAgain() {
        String token = token();
        UUID id = dead(token, 0);
        printer.broken.remove(token);
        Response retried = admin().post(API + "/jobs/" + id + "/retry");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("id").asString()).isEqualTo(id.toString());
        assertThat(retried.body().get("state").asString()).isIn("QUEUED", "RUNNING", "SUCCEEDED");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> admin().get(API + "/jobs/" + id)
                                .body()
                                .get("job")
                                .get("state")
                                .asString(),
                        "SUCCEEDED"::equals);
    }

    @Test
    void cancelCancelsAQueuedJobAndThenConflicts() {
        UUID id = later(token(), 1).get(0);
        Response cancelled = admin().post(API + "/jobs/" + id + "/cancel");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("state").asString()).isEqualTo("CANCELLED");
        assertRefused(
                admin().post(API + "/jobs/" + id + "/cancel"), 409, "is CANCELLED", "QUEUED, RETRYING or RUNNING");
    }

    @Test
    void deleteRemovesAFinishedJob() {
        JobHandle<String> printed = jobs.enqueue(Printer::print, token());
        printed.await(Duration.ofSeconds(30));
        assertThat(admin().delete(API + "/jobs/" + printed.id()).status()).isEqualTo(204);
        assertRefused(
                admin().get(API + "/jobs/" + printed.id()), 404, printed.id().toString());
    }

    @Test
    void actionsTheJobsStateDoesNotAllowAreConflicts() {
        UUID queued = later(token(), 1).get(0);
        assertRefused(admin().delete(API + "/jobs/" + queued), 409, queued.toString(), "QUEUED");
        assertRefused(admin().post(API + "/jobs/" + queued + "/retry"), 409, queued.toString(), "QUEUED");
    }

    @Test
    void anUnknownJobIdIsNotFound() {
        UUID unknown = UUID.randomUUID();
        assertRefused(admin().get(API + "/jobs/" + unknown), 404, unknown.toString());
        assertRefused(admin().get(API + "/jobs/" + unknown + "/logs"), 404, unknown.toString());
        assertRefused(admin().post(API + "/jobs/" + unknown + "/retry"), 404, unknown.toString());
        assertRefused(admin().post(API + "/jobs/" + unknown + "/cancel"), 404, unknown.toString());
        assertRefused(admin().delete(API + "/jobs/" + unknown), 404, unknown.toString());
    }

    // Bad input

    @Test
    void aMalformedJobIdIsABadRequest() {
        assertRefused(admin().get(API + "/jobs/12345"), 400, "Job id \"12345\" is not a UUID");
        assertRefused(admin().get(API + "/jobs/1-2-3-4-5/logs"), 400, "\"1-2-3-4-5\"");
        assertRefused(admin().post(API + "/jobs/nope/retry"), 400, "\"nope\"");
        assertRefused(admin().post(API + "/jobs/nope/cancel"), 400, "\"nope\"");
        assertRefused(admin().delete(API + "/jobs/nope"), 400, "\"nope\"");
    }

    @Test
    void anUnknownStateIsABadRequest() {
        assertRefused(admin().get(API + "/jobs?state=QUEUED,FINISHED"), 400, "Unknown state \"FINISHED\"", "SUCCEEDED");
    }

    @Test
    void aBadCursorIsABadRequest() {
        assertRefused(admin().get(API + "/jobs?cursor=garbage"), 400, "cursor", "\"garbage\"");
        UUID id = later(token(), 1).get(0);
        assertRefused(admin().get(API + "/jobs/" + id + "/logs?cursor=garbage"), 400, "cursor", "\"garbage\"");
    }

    @Test
    void aBadLimitIsABadRequest() {
        assertRefused(admin().get(API + "/jobs?limit=0"), 400, "limit", "1 to 1000", "\"0\"");
        assertRefused(admin().get(API + "/jobs?limit=1001"), 400, "limit", "\"1001\"");
        assertRefused(admin().get(API + "/jobs?limit=ten"), 400, "limit", "\"ten\"");
        UUID id = later(token(), 1).get(0);
        assertRefused(admin().get(API + "/jobs/" + id + "/logs?limit=-1"), 400, "limit", "\"-1\"");
    }

    @Test
    void aBadTimeIsABadRequest() {
        assertRefused(admin().get(API + "/jobs?from=yesterday"), 400, "from", "ISO-8601", "\"yesterday\"");
        assertRefused(admin().get(API + "/jobs?to=2026-13-01"), 400, "to", "\"2026-13-01\"");
        assertRefused(admin().get(API + "/jobs?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"), 400, "empty range");
        assertRefused(admin().get(API + "/jobs?from=%2B100000-01-01T00:00:00Z"), 400, "from", "9999-12-31T23:59:59Z");
    }

    @Test
    void aNulCharacterInAParameterIsABadRequest() {
        assertRefused(admin().get(API + "/jobs?q=a%00b"), 400, "Parameter q", "NUL");
        assertRefused(admin().get(API + "/jobs?name=%00"), 400, "Parameter name", "NUL");
        assertRefused(admin().post(API + "/jobs/cancel?schedule=%00"), 400, "Parameter schedule", "NUL");
    }

    @Test
    void anUnknownLaneIsABadRequestInAFilterAndNotFoundInAnAction() {
        assertRefused(admin().get(API + "/jobs?lane=fast"), 400, "Unknown lane \"fast\"", "GET /lanes");
        assertRefused(admin().post(API + "/jobs/cancel?lane=fast"), 400, "Unknown lane \"fast\"");
        assertRefused(admin().post(API + "/lanes/fast/pause"), 404, "Unknown lane \"fast\"", "cpu");
        assertRefused(admin().post(API + "/lanes/fast/resume"), 404, "Unknown lane \"fast\"");
    }

    @Test
    void aParameterGivenTwiceIsABadRequest() {
        assertRefused(admin().get(API + "/jobs?name=a&name=b"), 400, "name", "2 times");
    }

    // Bulk actions

    @Test
    void aBulkActionWithoutAFilterIsRefusedUnlessAllIsPassed() {
        assertRefused(admin().post(API + "/jobs/delete"), 400, "needs a filter", "all=true");
        assertRefused(admin().post(API + "/jobs/retry"), 400, "needs a filter");
        assertRefused(admin().post(API + "/jobs/cancel"), 400, "needs a filter");
        assertRefused(admin().post(API + "/jobs/delete?stat=DEAD"), 400, "Unknown parameter \"stat\"", "state");
        assertRefused(admin().post(API + "/jobs/delete?all=yes"), 400, "all", "\"yes\"");

        List<UUID> queued = later(token(), 2);
        Response all = admin().post(API + "/jobs/cancel?all=true");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().get("count").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(queued)
                .allSatisfy(
                        id -> assertThat(jobs.info(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED));
    }

    @Test
    void bulkActionsTakeTheListingsFilterAndSayHowMany() {
        String token = token();
        later(token, 3);
        Response cancelled = admin().post(API + "/jobs/cancel?q=" + token + "&state=QUEUED");
        assertThat(cancelled.body().get("count").asInt()).isEqualTo(3);
        Response retried = admin().post(API + "/jobs/retry?q=" + token + "&state=CANCELLED");
        assertThat(retried.body().get("count").asInt()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> admin().get(API + "/jobs?state=SUCCEEDED&q=" + token)
                                .body()
                                .get("items")
                                .size()
                        == 3);
        Response deleted = admin().post(API + "/jobs/delete?q=" + token);
        assertThat(deleted.body().get("count").asInt()).isEqualTo(3);
        assertThat(admin().get(API + "/jobs?q=" + token).body().get("items")).isEmpty();
    }

    // Lanes

    @Test
    void aLaneIsPausedAndResumed() {
        Response paused = admin().post(API + "/lanes/constrained/pause");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.body().get("paused").asBoolean()).isTrue();
        assertThat(jobs.lanes().paused()).contains("constrained");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> lane(admin().get(API + "/lanes").body(), "constrained")
                        .get("paused")
                        .asBoolean());
        Response resumed = admin().post(API + "/lanes/constrained/resume");
        assertThat(resumed.body().get("paused").asBoolean()).isFalse();
        assertThat(jobs.lanes().paused()).doesNotContain("constrained");
    }

    // Access with credentials

    @Test
    void withoutCredentialsTheApiAsksForThem() {
        Response response = DashboardClient.anonymous(port).get(API + "/lanes");
        assertRefused(response, 401, "taskbound.dashboard.username");
        assertThat(response.raw().headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Basic realm="));
    }

    @Test
    void wrongCredentialsAreRefused() {
        assertRefused(DashboardClient.as(port, "admin", "s3cre").get(API + "/lanes"), 401);
        assertRefused(DashboardClient.as(port, "admi", "s3cret").get(API + "/lanes"), 401);
        assertRefused(DashboardClient.anonymous(port).get(API + "/jobs/" + UUID.randomUUID()), 401);
        assertRefused(DashboardClient.anonymous(port).send("GET", "/taskbound", "Authorization", "Basic %%%"), 401);
    }

    @Test
    void theRightCredentialsAreLetIn() {
        assertThat(admin().get(API + "/lanes").status()).isEqualTo(200);
    }

    @Test
    void aCrossSiteRequestThatChangesSomethingIsRefused() {
        UUID id = later(token(), 1).get(0);
        assertRefused(admin().post(API + "/jobs/" + id + "/cancel", "Sec-Fetch-Site", "cross-site"), 403, "Cross-site");
        assertRefused(
                admin().post(API + "/jobs/" + id + "/cancel", "Origin", "https://evil.example"),
                403,
                "https://evil.example");
        assertRefused(admin().delete(API + "/jobs/" + id, "Origin", "null"), 403, "Cross-origin");
        assertThat(jobs.info(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(admin().send("GET", API + "/jobs/" + id, "Sec-Fetch-Site", "cross-site")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void forwardedHeadersAreNotTrustedWithoutTheApplicationsForwardedHeaderFilter() {
        UUID id = later(token(), 1).get(0);
        Response refused = admin().post(
                        API + "/jobs/" + id + "/cancel",
                        "Origin",
                        "https://evil.example",
                        "X-Forwarded-Proto",
                        "https",
                        "X-Forwarded-Host",
                        "evil.example",
                        "Forwarded",
                        "proto=https;host=evil.example");
        assertRefused(refused, 403, "Cross-origin");
        assertThat(jobs.info(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void aSameOriginRequestThatChangesSomethingIsAllowed() {
        UUID id = later(token(), 1).get(0);
        Response cancelled = admin().post(
                        API + "/jobs/" + id + "/cancel", "Origin", admin().origin(), "Sec-Fetch-Site", "same-origin");
        assertThat(cancelled.status()).as(cancelled.raw().body()).isEqualTo(200);
        assertThat(cancelled.body().get("state").asString()).isEqualTo("CANCELLED");
    }
}
