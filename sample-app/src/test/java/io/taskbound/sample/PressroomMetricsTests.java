package io.taskbound.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Taskbound's metrics in the sample app's {@code /actuator/prometheus}. The same context as {@link
 * PressroomApplicationTests}, which the test framework shares between the two.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "pressroom.embedded-postgres.data-dir=${java.io.tmpdir}/pressroom-test-${random.uuid}",
            "pressroom.embedded-postgres.keep-data=false"
        })
class PressroomMetricsTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Test
    void prometheusShowsTheJobsThatRanByNameAndTheLanes() throws Exception {
        assertThat(get("/api/demo/add")).contains("[2,4,6]");

        // The events reach the metrics on their own thread, just after the jobs' results.
        List<String> finished = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> series("taskbound_jobs_finished_total{"),
                        lines -> lines.stream()
                                .anyMatch(line -> line.contains("job=\"calculator.add\"")
                                        && line.contains("outcome=\"succeeded\"")
                                        && !line.endsWith(" 0.0")));
        assertThat(finished).anyMatch(line -> line.contains("lane=\"io\"") && line.contains("bound=\"io\""));
        assertThat(series("taskbound_jobs_run_seconds_count{"))
                .anyMatch(line -> line.contains("job=\"calculator.add\""));
        assertThat(series("taskbound_jobs_wait_seconds_count{"))
                .anyMatch(line -> line.contains("job=\"calculator.add\""));
        assertThat(series("taskbound_lane_capacity_jobs{")).anyMatch(line -> line.contains("lane=\"io\"} 1000"));
        assertThat(series("taskbound_lane_paused{")).anyMatch(line -> line.contains("lane=\"cpu\"} 0"));
        assertThat(series("taskbound_lane_workers{")).anyMatch(line -> line.contains("lane=\"memory\""));
        assertThat(series("taskbound_schedules_lateness_seconds")).isNotEmpty();
        // Every other name as the README's table gives it.
        for (String name : List.of(
                "taskbound_jobs_enqueued_total{",
                "taskbound_jobs_started_total{",
                "taskbound_lane_running_jobs{",
                "taskbound_lane_held_jobs{",
                "taskbound_lane_queued_jobs{",
                "taskbound_lane_workers_heap_used_bytes{",
                "taskbound_events_dropped_total")) {
            assertThat(series(name)).as(name).isNotEmpty();
        }
    }

    private List<String> series(String prefix) throws IOException, InterruptedException {
        return get("/actuator/prometheus")
                .lines()
                .filter(line -> line.startsWith(prefix))
                .toList();
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
