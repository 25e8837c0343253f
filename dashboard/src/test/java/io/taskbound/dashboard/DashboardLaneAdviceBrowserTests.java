package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.Jobs;
import io.taskbound.dashboard.app.PrintShopApplication;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The lanes page in a real headless Chromium shows a lane the advisor finds held back by its
 * concurrency: a row with its figures and the setting to try, and a badge on the lane. An application
 * of its own, whose advisor looks at lanes over a window of seconds.
 */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(
        classes = PrintShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "taskbound.dashboard.username=admin",
            "taskbound.dashboard.password=s3cret",
            // Sleeping jobs on one slot queue up while the CPU idles; judged on the last 1 to 2 s.
            "taskbound.lanes.disk.concurrency=1",
            "taskbound.advisor.window=2s",
            "taskbound.advisor.lanes.sampling-period=50ms"
        })
@Import(DashboardLaneAdviceBrowserTests.Narrow.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardLaneAdviceBrowserTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Jobs jobs;

    private Chromium browser;

    @BeforeAll
    void openBrowser() {
        browser = Chromium.open("http://localhost:" + port, "admin", "s3cret");
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** A job that waits on the disk lane: the lane advice to show. */
    @TestConfiguration
    static class Narrow {

        @Bean
        Spooler spooler() {
            return new Spooler();
        }
    }

    public static class Spooler {

        @Job(name = "printer.spool", bound = Bound.DISK)
        public void spool() throws InterruptedException {
            Thread.sleep(50);
        }
    }

    @Test
    void theLanesPageShowsALaneHeldBackByItsConcurrencyWithTheSettingToTry() {
        // 10 s of sleeping on one slot: the lane stays saturated while the page is read.
        for (int i = 0; i < 200; i++) {
            jobs.enqueue(Spooler::spool);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.advisor().lanes().stream()
                        .anyMatch(advice -> advice.lane().equals("disk")));

        browser.show("#/lanes", "lanes");
        WebElement row = browser.await(By.cssSelector("[data-test='lane-advice-row'][data-lane='disk']"));
        assertThat(row.getText()).contains("disk", "taskbound.lanes.disk.concurrency=");
        assertThat(browser.driver
                        .findElement(By.cssSelector("[data-test='lane-advice-reason']"))
                        .getText())
                .startsWith("Lane \"disk\" ran its only slot with work waiting in");
        assertThat(browser.driver
                        .findElement(By.cssSelector("[data-test='lane-advice-badge']"))
                        .getText())
                .startsWith("concurrency: ");
        browser.driver.executeScript("arguments[0].scrollIntoView()", row);
        browser.screenshot("lane-advice");
        browser.assertNoScriptErrors();
    }
}
