package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobFilter;
import io.taskbound.JobHandle;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.dashboard.app.PrintShopApplication;
import io.taskbound.dashboard.app.PrintShopApplication.Printer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
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
 * The web UI in a real headless Chromium, signed in with HTTP Basic: every page loads (with a
 * screenshot of each under {@code target/screenshots}), and what a user does there works, as the
 * store shows afterwards.
 */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(
        classes = PrintShopApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "taskbound.dashboard.username=admin",
            "taskbound.dashboard.password=s3cret",
            // One warm worker JVM, for the lanes page's workers; no job of the print shop is on it.
            "taskbound.lanes.memory.executor=process",
            "taskbound.lanes.memory.process.eager-start=true",
            "taskbound.lanes.memory.process.jvm-options=-XX:+UseSerialGC,-XX:TieredStopAtLevel=1",
            // The advisor judges after 3 runs, so that the misdeclared job below is flagged quickly.
            "taskbound.advisor.min-runs=3"
        })
@Import(DashboardBrowserTests.Misdeclared.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTests {

    /** Text that would run as script or markup if anything rendered a job's values as HTML. */
    static final String HOSTILE = "<script>alert(1)</script>\"onerror=alert(2) <img src=x onerror=alert(3)>";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Jobs jobs;

    @Autowired
    Printer printer;

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

    @Test
    void everyPageLoadsAndIsScreenshotted() {
        UUID printed = jobs.enqueue(Printer::print, "a leaflet").id();
        await().until(() -> state(printed) == JobState.SUCCEEDED);

        browser.show("#/", "overview");
        browser.find("tile-SUCCEEDED");
        browser.find("node-card");
        browser.screenshot("overview");
        browser.show("#/jobs", "jobs");
        browser.await(By.cssSelector("[data-test='job-row'][data-id='" + printed + "']"));
        browser.screenshot("jobs");
        browser.show("#/jobs/" + printed, "job");
        assertThat(browser.text()).contains("printer.print", "printed a leaflet");
        browser.screenshot("job");
        browser.show("#/schedules", "schedules");
        browser.await(By.cssSelector("[data-test='schedule-row'][data-id='printer.clean']"));
        browser.screenshot("schedules");
        browser.show("#/lanes", "lanes");
        browser.await(By.cssSelector("[data-test='lane-row'][data-lane='cpu']"));
        browser.screenshot("lanes");
        browser.show("#/nodes", "nodes");
        browser.find("node-row");
        browser.screenshot("nodes");
        browser.show("#/enqueue", "enqueue");
        browser.find("enqueue-form");
        browser.screenshot("enqueue");
        browser.assertNoScriptErrors();
    }

    @Test
    void everyPageFitsALaptopsWidthWithoutScrollingSideways() {
        jobs.enqueue(Printer::print, "a narrow leaflet");
        browser.driver.manage().window().setSize(new Dimension(1024, 768));
        try {
            for (String[] page : new String[][] {
                {"#/", "overview"},
                {"#/jobs", "jobs"},
                {"#/schedules", "schedules"},
                {"#/lanes", "lanes"},
                {"#/nodes", "nodes"},
                {"#/enqueue", "enqueue"}
            }) {
                browser.show(page[0], page[1]);
                Object overflow = browser.driver.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(((Number) overflow).intValue())
                        .as("sideways overflow of %s at 1024 px", page[1])
                        .isLessThanOrEqualTo(0);
            }
            browser.show("#/jobs", "jobs");
            browser.screenshot("jobs-1024");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    @Test
    void aJobEnqueuedFromTheFormIsSeenToCompleteLive() {
        browser.show("#/enqueue", "enqueue");
        new Select(browser.find("enqueue-name")).selectByValue("printer.print");
        browser.find("enqueue-param-text").sendKeys("a poster");
        browser.click("enqueue-submit");

        // The job's page opens and follows the job until it has succeeded, without a reload.
        browser.await(By.cssSelector("[data-test='page-job']"));
        browser.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector(".badge.state-succeeded"), "SUCCEEDED"));
        assertThat(browser.text()).contains("printed a poster");
        String id = browser.driver.getCurrentUrl().replaceAll(".*#/jobs/", "");
        assertThat(jobs.info(UUID.fromString(id)).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        browser.assertNoScriptErrors();
    }

    @Test
    void aDeadJobIsRetriedFromItsPage() {
        printer.broken.add("retry-me");
        UUID dead = jobs.enqueue(Printer::flaky, "retry-me", 2).id();
        await().until(() -> state(dead) == JobState.DEAD);

        browser.show("#/jobs/" + dead, "job");
        browser.find("attempts");
        assertThat(browser.text()).contains("printer jammed on retry-me");
        printer.broken.remove("retry-me");
        browser.click("job-retry");

        browser.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector(".badge.state-succeeded"), "SUCCEEDED"));
        await().until(() -> state(dead) == JobState.SUCCEEDED);
    }

    @Test
    void jobsMatchingAFilterAreDeletedInBulkAfterAConfirmationThatSaysHowMany() {
        List<UUID> ids = List.of(
                jobs.enqueue(Printer::print, "bulk-7f3a one").id(),
                jobs.enqueue(Printer::print, "bulk-7f3a two").id(),
                jobs.enqueue(Printer::print, "bulk-7f3a three").id());
        UUID other = jobs.enqueue(Printer::print, "keep me").id();
        await().until(() ->
                ids.stream().allMatch(id -> state(id) == JobState.SUCCEEDED) && state(other) == JobState.SUCCEEDED);

        browser.show("#/jobs?state=SUCCEEDED&q=bulk-7f3a", "jobs");
        browser.waiting()
                .until(driver -> driver.findElements(By.cssSelector("[data-test='job-row']"))
                                .size()
                        == 3);
        browser.click("bulk-delete");
        WebElement confirm = browser.find("confirm");
        assertThat(confirm.getText()).contains("3 match", "q bulk-7f3a");
        browser.click("confirm-ok");

        browser.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("[data-test='toast']"), "3 jobs"));
        browser.waiting()
                .until(driver -> driver.findElements(By.cssSelector("[data-test='job-row']"))
                        .isEmpty());
        assertThat(ids).allSatisfy(id -> assertThat(jobs.info(id)).isEmpty());
        assertThat(jobs.info(other)).isPresent();
    }

    @Test
    void aDeclaredScheduleIsPausedAndTriggeredButNotEditable() {
        browser.show("#/schedules", "schedules");
        By row = By.cssSelector("[data-test='schedule-row'][data-id='printer.clean']");
        browser.await(row);
        WebElement edit = browser.driver.findElement(row).findElements(By.tagName("button")).stream()
                .filter(button -> button.getText().equals("Edit"))
                .findFirst()
                .orElseThrow();
        assertThat(edit.isEnabled())
                .as("a schedule declared in code cannot be edited here")
                .isFalse();

        browser.driver
                .findElement(row)
                .findElement(By.cssSelector("[data-test='schedule-toggle']"))
                .click();
        browser.waiting().until(driver -> driver.findElement(row).getText().contains("paused"));
        assertThat(jobs.schedules().find("printer.clean").orElseThrow().paused())
                .isTrue();

        long before = jobs.queries().count(JobFilter.all().fromSchedule("printer.clean"), 100);
        browser.driver
                .findElement(row)
                .findElement(By.cssSelector("[data-test='schedule-trigger']"))
                .click();
        browser.waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("[data-test='toast']"), "Triggered printer.clean"));
        assertThat(jobs.queries().count(JobFilter.all().fromSchedule("printer.clean"), 100))
                .isEqualTo(before + 1);

        browser.driver
                .findElement(row)
                .findElement(By.cssSelector("[data-test='schedule-toggle']"))
                .click();
        browser.waiting().until(driver -> !driver.findElement(row).getText().contains("paused"));
        assertThat(jobs.schedules().find("printer.clean").orElseThrow().paused())
                .isFalse();
    }

    @Test
    void aScheduleIsCreatedAfterItsInvalidCronIsShownWrong() {
        browser.show("#/schedules", "schedules");
        browser.click("schedule-new");
        browser.find("schedule-id").sendKeys("browser.hourly");
        new Select(browser.find("schedule-job")).selectByValue("printer.print");
        WebElement arguments = browser.find("schedule-arguments");
        arguments.clear();
        arguments.sendKeys("[\"hourly\"]");
        WebElement cron = browser.find("schedule-cron");
        cron.sendKeys("61 * * * * *");

        WebElement error = browser.find("schedule-preview-error");
        assertThat(error.getText()).contains("cron");
        assertThat(cron.getAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("schedule-form-invalid");

        cron.clear();
        cron.sendKeys("0 0 * * * *");
        browser.waiting()
                .until(driver -> driver.findElements(By.cssSelector("[data-test='schedule-preview'] li"))
                                .size()
                        == 5);
        browser.screenshot("schedule-form");
        browser.click("schedule-save");

        browser.await(By.cssSelector("[data-test='schedule-row'][data-id='browser.hourly']"));
        assertThat(jobs.schedules().find("browser.hourly").orElseThrow().cron()).isEqualTo("0 0 * * * *");
    }

    @Test
    void aLaneIsPausedAndResumedFromTheLanesPage() {
        browser.show("#/lanes", "lanes");
        By row = By.cssSelector("[data-test='lane-row'][data-lane='disk']");
        browser.await(row)
                .findElement(By.cssSelector("[data-test='lane-toggle']"))
                .click();
        browser.waiting().until(driver -> driver.findElement(row).getText().contains("paused"));
        await().until(() -> jobs.queries().lanes().lane("disk").orElseThrow().paused());

        browser.driver
                .findElement(row)
                .findElement(By.cssSelector("[data-test='lane-toggle']"))
                .click();
        await().until(() -> !jobs.queries().lanes().lane("disk").orElseThrow().paused());
    }

    @Test
    void theLanesPageShowsEachWorkerJvmWithTheNameOfItsNode() {
        browser.show("#/lanes", "lanes");
        WebElement worker = browser.await(
                By.cssSelector("[data-test='lane-workers'][data-lane='memory'] [data-test='worker-row']"));

        String node = jobs.queries().nodes().getFirst().name();
        long pid = jobs.queries()
                .lanes()
                .lane("memory")
                .orElseThrow()
                .workers()
                .values()
                .iterator()
                .next()
                .getFirst()
                .pid();
        assertThat(worker.getText()).startsWith(node).contains(String.valueOf(pid));
    }

    /** A job declared CPU that only waits: the bound advisor's finding to show. */
    @TestConfiguration
    static class Misdeclared {

        @Bean
        WarmUp warmUp() {
            return new WarmUp();
        }
    }

    public static class WarmUp {

        @Job(name = "printer.warmUp", bound = Bound.CPU)
        public void warmUp() throws InterruptedException {
            Thread.sleep(20);
        }
    }

    @Test
    void theLanesPageShowsTheBoundAdvisorsFindingAndTheJobsPageItsNote() {
        for (int i = 0; i < 3; i++) {
            jobs.enqueue(WarmUp::warmUp).await(Duration.ofSeconds(30));
        }
        await().until(() -> jobs.advisor().findings().stream()
                .anyMatch(advice -> advice.jobName().equals("printer.warmUp")));

        browser.show("#/lanes", "lanes");
        WebElement row = browser.await(By.cssSelector("[data-test='advice-row'][data-job='printer.warmUp']"));
        browser.waiting().until(driver -> row.getText().contains("@Job(bound = IO)"));
        assertThat(row.getText()).contains("printer.warmUp", "cpu", "CPU", "waiting", "3");
        assertThat(browser.driver
                        .findElement(By.cssSelector("[data-test='advice-reason']"))
                        .getText())
                .contains("Job \"printer.warmUp\" is declared @Job(bound = Bound.CPU) but its runs spent");
        assertThat(browser.driver
                        .findElement(By.cssSelector("[data-test='advice-badge']"))
                        .getText())
                .isEqualTo("bound: IO?");
        browser.driver.executeScript("arguments[0].scrollIntoView()", row);
        browser.screenshot("advice");

        browser.show("#/jobs?name=printer.warmUp", "jobs");
        assertThat(browser.await(By.cssSelector("[data-test='advice-note']")).getText())
                .contains("Declared CPU, observed waiting over 3 runs", "declare @Job(bound = Bound.IO)");
    }

    @Test
    void darkModeIsSwitchedAndKept() {
        browser.show("#/", "overview");
        String before = browser.driver.findElement(By.tagName("html")).getAttribute("data-theme");
        browser.click("theme-toggle");
        String after = before.equals("dark") ? "light" : "dark";
        browser.waiting()
                .until(driver ->
                        after.equals(driver.findElement(By.tagName("html")).getAttribute("data-theme")));
        if (after.equals("dark")) {
            browser.screenshot("overview-dark");
        }

        browser.driver.navigate().refresh();
        browser.await(By.cssSelector("[data-test='page-overview']"));
        assertThat(browser.driver.findElement(By.tagName("html")).getAttribute("data-theme"))
                .isEqualTo(after);
        browser.click("theme-toggle");
        if (before.equals("dark")) {
            browser.screenshot("overview-dark");
        }
    }

    @Test
    void valuesFromJobsAreShownAsTextAndNeverRun() {
        printer.broken.add(HOSTILE);
        JobHandle<String> hostile = jobs.enqueue(Printer::flaky, HOSTILE, 1);
        await().until(() -> state(hostile.id()) == JobState.DEAD);

        browser.show("#/jobs/" + hostile.id(), "job");
        browser.find("logs");
        assertNoDialog();
        assertThat(browser.find("job-error").getText()).contains("printer jammed on " + HOSTILE);
        assertThat(browser.find("logs").getText()).contains("line 1 of " + HOSTILE);
        assertThat(browser.text()).contains(HOSTILE);
        assertThat(browser.driver.findElements(By.cssSelector("main img"))).isEmpty();

        browser.show("#/jobs?state=DEAD", "jobs");
        browser.await(By.cssSelector("[data-test='job-row'][data-id='" + hostile.id() + "']"));
        assertNoDialog();
        assertThat(browser.text()).contains("printer jammed on <script>");
        browser.screenshot("escaping");
    }

    private void assertNoDialog() {
        try {
            String text = browser.driver.switchTo().alert().getText();
            throw new AssertionError("A dialog opened: a job's value ran as script: " + text);
        } catch (NoAlertPresentException expected) {
            // Nothing ran.
        }
    }

    private JobState state(UUID id) {
        return jobs.info(id).orElseThrow().state();
    }
}
