package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.dashboard.app.PrintShopApplication;
import io.taskbound.dashboard.app.PrintShopApplication.Printer;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The web UI's page and files, and the live part of the API: overview, stats with their series, event stream, counts. */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(
        classes = PrintShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"taskbound.dashboard.username=admin", "taskbound.dashboard.password=s3cret"})
class DashboardLiveTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Jobs jobs;

    private DashboardClient admin() {
        return DashboardClient.as(port, "admin", "s3cret");
    }

    @Test
    void thePageIsServedWithAPolicyThatAllowsNoInlineScript() {
        HttpResponse<String> page = admin().raw("/taskbound/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("script-src 'self'", "object-src 'none'", "frame-ancestors 'none'");
        assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.body()).contains("<script type=\"module\" src=\"assets/app.js\"></script>");
        assertThat(page.body()).doesNotContainPattern("<script>|<script [^>]*>[^<]");
    }

    @Test
    void thePathWithoutASlashRedirectsToThePageRelatively() {
        HttpResponse<String> bare = admin().raw("/taskbound");

        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValue("taskbound/");
    }

    @Test
    void theScriptsAndTheLibrariesAreServedAsJavaScriptUnderTheDashboardsAccess() {
        for (String file : new String[] {
            "/taskbound/assets/app.js",
            "/taskbound/vendor/htm/preact/standalone.module.js",
            "/taskbound/vendor/uplot/dist/uPlot.esm.js"
        }) {
            HttpResponse<String> script = admin().raw(file);
            assertThat(script.statusCode()).as(file).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type").orElseThrow())
                    .as(file)
                    .contains("javascript");
        }
        assertThat(admin().raw("/taskbound/vendor/uplot/dist/uPlot.min.css").statusCode())
                .isEqualTo(200);
        assertThat(DashboardClient.anonymous(port)
                        .raw("/taskbound/assets/app.js")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void theOverviewHasLanesCountsNodesAndAPointOfTheSeries() {
        JsonNode overview = admin().get("/taskbound/api/overview").body();

        assertThat(overview.get("lanes").get("lanes").size()).isPositive();
        assertThat(overview.get("stats").get("states").has("QUEUED")).isTrue();
        assertThat(overview.get("nodes").size()).isEqualTo(1);
        assertThat(overview.get("point").get("lanes").has("io")).isTrue();
        assertThat(overview.get("refresh").asString()).isEqualTo("PT5S");

        JsonNode stats = admin().get("/taskbound/api/stats").body();
        assertThat(stats.get("states").has("DEAD")).isTrue();
        assertThat(stats.get("series").get("points").size()).isPositive();
        assertThat(stats.get("series").get("step").asString()).isEqualTo("PT5S");
    }

    @Test
    void theEventStreamSendsTheOverviewAtOnceThenThisNodesJobEvents() {
        EventStream stream = admin().events("/taskbound/api/events");
        try {
            await().until(() -> !stream.named("overview").isEmpty()
                    && !stream.named("series").isEmpty());

            UUID printed = jobs.enqueue(Printer::print, "a live flyer").id();

            await().until(() -> stream.named("jobs").stream()
                    .flatMap(batch -> batch.data().get("changes").valueStream())
                    .anyMatch(change -> change.get("jobId").asString().equals(printed.toString())
                            && change.get("kind").asString().equals("SUCCEEDED")));
            assertThat(jobs.info(printed).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
            // A new overview follows each refresh while the stream is open.
            int overviews = stream.named("overview").size();
            await().until(() -> stream.named("overview").size() > overviews);
        } finally {
            stream.close();
        }
    }

    @Test
    void aFilterIsCountedForABulkConfirmation() {
        for (int i = 0; i < 3; i++) {
            jobs.enqueue(Printer::print, "count-me-9c1 " + i);
        }

        JsonNode count = admin().get("/taskbound/api/jobs/count?q=count-me-9c1").body();
        assertThat(count.get("count").asLong()).isEqualTo(3);
        assertThat(count.get("atLeast").asBoolean()).isFalse();

        DashboardClient.Response refused = admin().get("/taskbound/api/jobs/count?stat=DEAD");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.message()).contains("stat");
    }
}
