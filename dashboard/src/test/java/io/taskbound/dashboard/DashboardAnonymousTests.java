package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.Jobs;
import io.taskbound.dashboard.DashboardClient.Response;
import io.taskbound.dashboard.app.PrintShopApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With the explicit opt-out, the dashboard is open without credentials, still refusing cross-site
 * changes; behind a proxy, with Spring's {@code ForwardedHeaderFilter}, the proxy's origin is its own.
 */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(
        classes = PrintShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "taskbound.dashboard.allow-anonymous=true",
            "taskbound.dashboard.path=/ops/jobs",
            "server.forward-headers-strategy=framework"
        })
class DashboardAnonymousTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardDatabase.register(registry);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private Jobs jobs;

    @Test
    void isOpenWithoutCredentialsUnderTheConfiguredPath() {
        Response nodes = DashboardClient.anonymous(port).get("/ops/jobs/api/nodes");
        assertThat(nodes.status()).isEqualTo(200);
        assertThat(nodes.body()).hasSize(1);
        assertThat(DashboardClient.anonymous(port).get("/taskbound/api/nodes").status())
                .isEqualTo(404);
    }

    @Test
    void sessionHasNoUserButMayManage() {
        Response session = DashboardClient.anonymous(port).get("/ops/jobs/api/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body().get("user").isNull()).isTrue();
        assertThat(session.body().get("canManage").asBoolean()).isTrue();
        assertThat(session.body().get("csrf").isNull()).isTrue();
    }

    @Test
    void stillRefusesACrossSiteChange() {
        DashboardClient anyone = DashboardClient.anonymous(port);
        Response refused = anyone.post("/ops/jobs/api/lanes/disk/pause", "Sec-Fetch-Site", "cross-site");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(jobs.lanes().paused()).doesNotContain("disk");
        Response paused = anyone.post("/ops/jobs/api/lanes/disk/pause", "Origin", anyone.origin());
        assertThat(paused.status()).isEqualTo(200);
        assertThat(jobs.lanes().paused()).contains("disk");
        jobs.lanes().resume("disk");
    }

    @Test
    void behindAProxyTheForwardedOriginIsTheServersOwnWhenTheApplicationInstalledForwardedHeaderFilter() {
        DashboardClient anyone = DashboardClient.anonymous(port);
        Response paused = anyone.post(
                "/ops/jobs/api/lanes/gpu/pause",
                "Origin",
                "https://jobs.example.com",
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "jobs.example.com");
        assertThat(paused.status()).as(paused.raw().body()).isEqualTo(200);
        jobs.lanes().resume("gpu");
        Response refused = anyone.post(
                "/ops/jobs/api/lanes/gpu/pause",
                "Origin",
                "https://evil.example",
                "X-Forwarded-Proto",
                "https",
                "X-Forwarded-Host",
                "jobs.example.com");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(jobs.lanes().paused()).doesNotContain("gpu");
    }
}
