package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.dashboard.app.PrintShopApplication;
import io.taskbound.testing.StatementCounter;
import io.taskbound.testing.TestDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * What open dashboard tabs cost the database: ten tabs on the live overview, each with its event
 * stream open, against the same node with nobody watching, with Taskbound's default settings.
 */
@DirtiesContext // closed while the test database runs: see DashboardDatabase
@SpringBootTest(
        classes = {PrintShopApplication.class, DashboardLiveCostTests.Counted.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"taskbound.dashboard.username=admin", "taskbound.dashboard.password=s3cret"})
class DashboardLiveCostTests {

    static final StatementCounter COUNTER = new StatementCounter();

    // Long enough to hold every periodic look of an idle node but the minute's pruning (see the
    // core's IdleCostTest), and several of the overview's refreshes.
    private static final Duration WINDOW = Duration.ofSeconds(31);
    private static final int TABS = 10;

    @TestConfiguration(proxyBeanMethods = false)
    static class Counted {
        @Bean(destroyMethod = "close")
        HikariDataSource dataSource() {
            try (HikariDataSource database = TestDatabase.create(false)) {
                return TestDatabase.counted(database, COUNTER);
            }
        }
    }

    @LocalServerPort
    int port;

    @Test
    void tenLiveOverviewTabsAddAtMostTwoStatementsASecond() {
        Map<String, Long> idle = measure(() -> true);

        List<EventStream> tabs = IntStream.range(0, TABS)
                .mapToObj(tab -> DashboardClient.as(port, "admin", "s3cret").events("/taskbound/api/events"))
                .toList();
        try {
            await().until(() ->
                    tabs.stream().allMatch(tab -> !tab.named("overview").isEmpty()));
            Map<String, Long> watched = measure(() -> true);

            assertThat(tabs)
                    .allSatisfy(tab -> assertThat(tab.named("overview").size())
                            .as("overviews each tab got: it is live")
                            .isGreaterThanOrEqualTo((int) (WINDOW.toSeconds() / 5)));
            long added = total(watched) - total(idle);
            double perSecond = added / (double) WINDOW.toSeconds();
            String difference = difference(idle, watched);
            System.out.printf(
                    "Dashboard cost: %d statements in %d s with nobody watching, %d with %d live overview tabs:"
                            + " %.2f statements/s added%n%s%n",
                    total(idle), WINDOW.toSeconds(), total(watched), TABS, perSecond, difference);
            assertThat(perSecond)
                    .as(
                            "statements per second that %d live tabs add; the difference by statement:%n%s",
                            TABS, difference)
                    .isLessThanOrEqualTo(2.0);
        } finally {
            tabs.forEach(EventStream::close);
        }
    }

    private static Map<String, Long> measure(java.util.concurrent.Callable<Boolean> steady) {
        COUNTER.reset();
        await("the measured window")
                .during(WINDOW)
                .atMost(WINDOW.plusSeconds(10))
                .until(steady);
        return new HashMap<>(COUNTER.byStatement());
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String difference(Map<String, Long> idle, Map<String, Long> watched) {
        Map<String, Long> all = new HashMap<>(watched);
        idle.forEach((sql, count) -> all.merge(sql, -count, Long::sum));
        return all.entrySet().stream()
                .filter(entry -> entry.getValue() != 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> String.format("%+5d  %s", entry.getValue(), shorten(entry.getKey())))
                .collect(Collectors.joining("\n"));
    }

    private static String shorten(String sql) {
        String line = sql.replaceAll("\\s+", " ");
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
