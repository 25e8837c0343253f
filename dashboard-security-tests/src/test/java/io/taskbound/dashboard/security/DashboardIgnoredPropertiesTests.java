package io.taskbound.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.dashboard.security.app.ShopApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With Spring Security, the properties of the dashboard's own access are ignored, and the
 * application is told so; here under Boot's default chain for the rest of the application, with roles of the application's choosing.
 */
@ExtendWith(OutputCaptureExtension.class)
// Closed after its tests, while the embedded database is surely up: left to the JVM's exit, the
// context's close races the database's own shutdown hook and the fork hangs for 30 s.
@DirtiesContext
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "taskbound.dashboard.username=admin",
            "taskbound.dashboard.password=taskbound",
            "taskbound.dashboard.allow-anonymous=true",
            "taskbound.dashboard.role=TASKBOUND_VIEWER",
            "taskbound.dashboard.read-only-role=AUDITOR"
        })
class DashboardIgnoredPropertiesTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SecurityDatabase.register(registry);
    }

    @LocalServerPort
    private int port;

    @Test
    void warnsThatTheyAreIgnoredAndIgnoresThem(CapturedOutput output) {
        assertThat(output)
                .contains(
                        "WARN",
                        "Ignoring taskbound.dashboard.username=admin, taskbound.dashboard.password=(hidden),"
                                + " taskbound.dashboard.allow-anonymous=true",
                        "the application's own security applies")
                .doesNotContain("taskbound.dashboard.password=taskbound");
        assertThat(Browser.anonymous(port).get("/taskbound/api/lanes").status()).isEqualTo(401);
        assertThat(Browser.basic(port, "admin", "taskbound")
                        .get("/taskbound/api/lanes")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void takesTheConfiguredRoles() {
        // The viewer has TASKBOUND_VIEWER, here the dashboard's role.
        Browser viewer = Browser.basic(port, "viewer", ShopApplication.PASSWORD);
        assertThat(viewer.get("/taskbound/api/session").body().get("canManage").asBoolean())
                .isTrue();
        assertThat(viewer.postAsTheUi("/taskbound/api", "/lanes/memory/pause").status())
                .isEqualTo(200);
        assertThat(viewer.postAsTheUi("/taskbound/api", "/lanes/memory/resume").status())
                .isEqualTo(200);
        // The operator has TASKBOUND_ADMIN, which is no longer the dashboard's role.
        Browser.Response refused =
                Browser.basic(port, "operator", ShopApplication.PASSWORD).get("/taskbound/api/lanes");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).contains("needs role AUDITOR or TASKBOUND_VIEWER");
    }

    /** The dashboard's chain must not make Boot's default chain, for the rest of the application, back off. */
    @Test
    void leavesTheRestOfTheApplicationToBootsDefaultChain() {
        assertThat(Browser.anonymous(port).get("/hello").status()).isEqualTo(401);
        assertThat(Browser.basic(port, "clerk", ShopApplication.PASSWORD)
                        .get("/hello")
                        .status())
                .isEqualTo(200);
    }
}
