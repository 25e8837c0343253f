package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * After long downtime, {@link ScheduleTiming#due} searches for the latest missed cron fire times
 * instead of walking to them. It must find exactly what the walk finds, DST changes included.
 */
class CatchUpSearchTest {

    private static final List<String> CRONS = List.of(
            "* * * * * *",
            "*/7 * * * * *",
            "0 * * * * *",
            "0 30 2 * * *",
            "0 0 1-3 * * *",
            "@hourly",
            "0 15 1 * * *",
            "0 0 9 * * MON-FRI",
            "30 */5 1-4 * * *");
    private static final List<ZoneId> ZONES =
            List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Paris"), ZoneId.of("America/New_York"));

    @Test
    void findsTheSameLatestFireTimesAsAWalkAcrossDstChanges() {
        SplittableRandom random = new SplittableRandom(42);
        // Around the spring and autumn changes of 2026 in Paris and New York, and in between.
        List<Instant> around = List.of(
                local("2026-03-08T00:00", "America/New_York"),
                local("2026-03-29T00:00", "Europe/Paris"),
                local("2026-10-25T00:00", "Europe/Paris"),
                local("2026-11-01T00:00", "America/New_York"),
                local("2026-06-15T12:00", "UTC"));
        for (String cron : CRONS) {
            for (ZoneId zone : ZONES) {
                ScheduleTiming timing = ScheduleTiming.cron("test", cron, zone);
                for (Instant center : around) {
                    for (int trial = 0; trial < 4; trial++) {
                        Instant from = center.minusSeconds(random.nextLong(6 * 3600));
                        Instant first = timing.next(from);
                        Instant now = first.plusMillis(random.nextLong(4 * 3600 * 1000L));
                        int keep = 1 + random.nextInt(40);
                        // Counting one fire time only, so that every case past it is searched.
                        assertSameAsWalk(timing, first, now, keep, 1);
                    }
                }
            }
        }
    }

    @Test
    void countsExactlyUpToItsBoundAndAsMoreThanTheBoundBeyond() {
        ScheduleTiming perSecond = ScheduleTiming.cron("test", "* * * * * *", ZoneId.of("UTC"));
        Instant first = Instant.parse("2026-01-01T00:00:00Z");

        ScheduleTiming.Due counted = perSecond.due(first, first.plusSeconds(ScheduleTiming.COUNTED - 1), 3);
        assertThat(counted.exact()).isTrue();
        assertThat(counted.count()).isEqualTo(ScheduleTiming.COUNTED);
        assertThat(counted.describeCount()).isEqualTo(Integer.toString(ScheduleTiming.COUNTED));

        Instant now = first.plus(Duration.ofDays(7)).plusMillis(250);
        ScheduleTiming.Due week = perSecond.due(first, now, 3);
        assertThat(week.exact()).isFalse();
        assertThat(week.describeCount()).isEqualTo("more than " + ScheduleTiming.COUNTED);
        Instant latest = first.plus(Duration.ofDays(7));
        assertThat(week.latest()).containsExactly(latest.minusSeconds(2), latest.minusSeconds(1), latest);
    }

    @Test
    void keepsNoMoreThanThereAreAndStartsAtTheFirstFireTime() {
        // Only the first fire time, then nothing for a year: the search must not go before it.
        ScheduleTiming yearly = ScheduleTiming.cron("test", "0 0 0 1 1 *", ZoneId.of("UTC"));
        ScheduleTiming everySecondInJanuary = ScheduleTiming.cron("test", "* * * * 1 *", ZoneId.of("UTC"));
        Instant first = Instant.parse("2026-01-31T23:58:00Z");
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        assertSameAsWalk(everySecondInJanuary, first, now, 200, 1);
        assertSameAsWalk(yearly, Instant.parse("2026-01-01T00:00:00Z"), now, 5, 1);
    }

    private static void assertSameAsWalk(ScheduleTiming timing, Instant first, Instant now, int keep, int counted) {
        ScheduleTiming.Due due = timing.due(first, now, keep, counted);
        List<Instant> walked = new ArrayList<>();
        for (Instant at = first; !at.isAfter(now); at = timing.next(at)) {
            walked.add(at);
        }
        List<Instant> expected = walked.subList(Math.max(0, walked.size() - keep), walked.size());
        String context = timing + " from " + first + " to " + now + ", keep " + keep;
        assertThat(due.latest()).as(context).containsExactlyElementsOf(expected);
        if (due.exact()) {
            assertThat(due.count()).as(context).isEqualTo(walked.size());
        } else {
            assertThat(walked.size()).as(context).isGreaterThan((int) due.count());
        }
    }

    private static Instant local(String localDateTime, String zone) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant();
    }
}
