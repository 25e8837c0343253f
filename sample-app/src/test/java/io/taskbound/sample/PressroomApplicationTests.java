package io.taskbound.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sample app end to end, over HTTP, on its embedded PostgreSQL. */
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

        await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/api/reports/" + reportId).get("status").asString(), "RENDERED"::equals);
        JsonNode job = get("/api/jobs/" + jobId);
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("lane").asString()).isEqualTo("cpu");
        assertThat(job.get("cpuTime").isNull()).isFalse();
    }

    @Test
    void aFlakyWebhookIsRetriedUntilItIsDelivered() throws Exception {
        String jobId = post("/api/webhooks", Map.of("url", "https://flaky.example.com/x", "payload", "{}"))
                .get("jobId")
                .asString();
        await().atMost(Duration.ofSeconds(40))
                .until(() -> get("/api/jobs/" + jobId).get("state").asString(), "SUCCEEDED"::equals);
        assertThat(get("/api/jobs/" + jobId).get("attempt").asInt()).isEqualTo(3);
    }

    @Test
    void theThreeAddsOfTheSeedExampleReturnTheirSums() throws Exception {
        JsonNode sums = get("/api/demo/add");
        assertThat(sums.get("results").toString()).isEqualTo("[2,4,6]");
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

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
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
