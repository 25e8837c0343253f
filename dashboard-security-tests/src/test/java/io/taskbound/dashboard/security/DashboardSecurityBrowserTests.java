package io.taskbound.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.Jobs;
import io.taskbound.dashboard.Chromium;
import io.taskbound.dashboard.security.app.ShopApplication;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web UI under Spring Security, in a real headless Chromium: the admin role changes things
 * through the CSRF token the page takes from {@code /api/session}; the read-only role sees the
 * pages with every button that would change something disabled.
 */
@DirtiesContext
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardSecurityBrowserTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SecurityDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Jobs jobs;

    @Test
    void theAdminRolePausesALaneFromThePageWithItsSessionsCsrfToken() {
        try (Chromium browser = Chromium.open("http://localhost:" + port, "operator", ShopApplication.PASSWORD)) {
            browser.show("#/lanes", "lanes");
            By row = By.cssSelector("[data-test='lane-row'][data-lane='disk']");
            browser.await(row)
                    .findElement(By.cssSelector("[data-test='lane-toggle']"))
                    .click();

            await().until(() ->
                    jobs.queries().lanes().lane("disk").orElseThrow().paused());
            browser.waiting().until(driver -> driver.findElement(row).getText().contains("paused"));
            browser.driver
                    .findElement(row)
                    .findElement(By.cssSelector("[data-test='lane-toggle']"))
                    .click();
            await().until(() ->
                    !jobs.queries().lanes().lane("disk").orElseThrow().paused());
            assertThat(browser.text()).contains("operator").doesNotContain("read only");
            browser.assertNoScriptErrors();
        }
    }

    @Test
    void theReadOnlyRoleSeesThePagesWithEveryChangingButtonDisabled() {
        try (Chromium browser = Chromium.open("http://localhost:" + port, "viewer", ShopApplication.PASSWORD)) {
            browser.show("#/lanes", "lanes");
            WebElement toggle = browser.await(By.cssSelector("[data-test='lane-row'][data-lane='disk']"))
                    .findElement(By.cssSelector("[data-test='lane-toggle']"));
            assertThat(toggle.isEnabled()).isFalse();
            assertThat(browser.text()).contains("viewer (read only)");

            browser.show("#/schedules", "schedules");
            assertThat(browser.find("schedule-new").isEnabled()).isFalse();
            browser.show("#/jobs", "jobs");
            assertThat(browser.find("bulk-delete").isEnabled()).isFalse();
            browser.screenshot("read-only-jobs");
            assertThat(jobs.queries()
                            .lanes()
                            .lane("disk")
                            .map(lane -> lane.paused())
                            .orElse(false))
                    .isFalse();
        }
    }
}
