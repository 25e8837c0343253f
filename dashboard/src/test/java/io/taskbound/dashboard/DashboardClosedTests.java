package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.dashboard.DashboardClient.Response;
import io.taskbound.dashboard.app.PrintShopApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Without credentials or the opt-out configured, the dashboard refuses everyone and says what to set. */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(classes = PrintShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardClosedTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardDatabase.register(registry);
    }

    @LocalServerPort
    private int port;

    @Test
    void refusesAnonymousRequestsSayingWhichPropertiesToSet() {
        for (String path : new String[] {"/taskbound/api/lanes", "/taskbound/api/jobs", "/taskbound"}) {
            Response response = DashboardClient.anonymous(port).get(path);
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.body().get("status").asInt()).isEqualTo(403);
            assertThat(response.message())
                    .contains(
                            "taskbound.dashboard.username",
                            "taskbound.dashboard.password",
                            "taskbound.dashboard.allow-anonymous=true");
        }
    }

    @Test
    void refusesEvenRequestsThatBringCredentials() {
        assertThat(DashboardClient.as(port, "admin", "admin")
                        .post("/taskbound/api/lanes/io/pause")
                        .status())
                .isEqualTo(403);
    }
}
