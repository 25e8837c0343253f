package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskbound.InvalidScheduleException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTimingTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void dailyCronStaysAtItsLocalTimeAcrossDstChanges() {
        ScheduleTiming nine = ScheduleTiming.cron("test", "0 0 9 * * *", PARIS);
        // Paris springs forward on 2026-03-29 and falls back on 2026-10-25.
        List<Instant> fires = nine.next(local(PARIS, "2026-03-27T12:00"), 4);
        assertThat(fires)
                .extracting(at -> at.atZone(PARIS).toLocalDateTime().toString())
                .containsExactly("2026-03-28T09:00", "2026-03-29T09:00", "2026-03-30T09:00", "2026-03-31T09:00");
        // 09:00 is 08:00 UTC before the change and 07:00 UTC after it: a day of 23 hours.
        assertThat(Duration.between(fires.get(0), fires.get(1))).isEqualTo(Duration.ofHours(23));
        List<Instant> autumn = nine.next(local(PARIS, "2026-10-24T06:00"), 2);
        assertThat(Duration.between(autumn.get(0), autumn.get(1))).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void aTimeSkippedBySpringingForwardFiresOnceThatNightAndATimeRepeatedByFallingBackFiresOnce() {
        // 02:30 does not exist in Paris on 2026-03-29 and happens twice on 2026-10-25.
        ScheduleTiming halfPastTwo = ScheduleTiming.cron("test", "0 30 2 * * *", PARIS);
        List<String> spring = localTimes(halfPastTwo, PARIS, "2026-03-28T12:00", 3);
        List<String> autumn = localTimes(halfPastTwo, PARIS, "2026-10-24T12:00", 3);
        assertThat(spring)
                .containsExactly("2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00")
                .as("the skipped 02:30 fires at the first valid instant after it, once");
        assertThat(autumn.stream().filter(t -> t.startsWith("2026-10-25")).count())
                .isEqualTo(1);
    }

    @Test
    void hourlyCronInNewYorkFiresEveryRealHourThroughBothChanges() {
        ScheduleTiming hourly = ScheduleTiming.cron("test", "@hourly", NEW_YORK);
        // New York springs forward on 2026-03-08 at 02:00 and falls back on 2026-11-01 at 02:00.
        List<Instant> spring = hourly.next(local(NEW_YORK, "2026-03-08T00:30"), 3);
        assertThat(spring)
                .extracting(at -> at.atZone(NEW_YORK).toLocalTime().toString())
                .containsExactly("01:00", "03:00", "04:00");
        assertThat(Duration.between(spring.get(0), spring.get(1))).isEqualTo(Duration.ofHours(1));
        List<Instant> autumn = hourly.next(local(NEW_YORK, "2026-11-01T00:30"), 3);
        assertThat(autumn)
                .extracting(at -> at.atZone(NEW_YORK).toOffsetDateTime().toString())
                .first()
                .isEqualTo("2026-11-01T01:00-04:00");
        // 01:00 local happens twice; an hourly schedule fires every real hour, so in both.
        assertThat(autumn)
                .extracting(at -> at.atZone(NEW_YORK).toOffsetDateTime().toString())
                .containsExactly("2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00", "2026-11-01T02:00-05:00");
    }

    @Test
    void aFixedTimeInTheRepeatedHourFiresAtTheFirstPassOnly() {
        ScheduleTiming oneThirty = ScheduleTiming.cron("test", "0 30 1 * * *", NEW_YORK);
        assertThat(localTimes(oneThirty, NEW_YORK, "2026-10-31T12:00", 2))
                .containsExactly("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
    }

    @Test
    void macrosAreUnderstood() {
        assertThat(ScheduleTiming.cron("test", "@daily", PARIS).next(local(PARIS, "2026-05-01T10:00")))
                .isEqualTo(local(PARIS, "2026-05-02T00:00"));
    }

    @Test
    void anInvalidCronNamesTheExpressionAndTheSchedule() {
        assertThatThrownBy(() -> ScheduleTiming.cron("schedule \"nightly\"", "0 61 * * * *", PARIS))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("\"0 61 * * * *\"")
                .hasMessageContaining("schedule \"nightly\"")
                .hasMessageContaining("second minute hour day-of-month month day-of-week");
        assertThatThrownBy(() -> ScheduleTiming.cron("test", "*/5 * * * *", PARIS))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("six fields");
    }

    @Test
    void intervalsCountFromTheirAnchor() {
        Instant anchor = Instant.parse("2026-01-01T00:00:00Z");
        ScheduleTiming every = ScheduleTiming.every("test", Duration.ofSeconds(30), anchor);
        assertThat(every.next(anchor)).isEqualTo(anchor.plusSeconds(30));
        assertThat(every.next(anchor.plusSeconds(45))).isEqualTo(anchor.plusSeconds(60));
        assertThat(every.next(anchor.plusSeconds(60))).isEqualTo(anchor.plusSeconds(90));
    }

    @Test
    void intervalsShorterThanASecondAreRefused() {
        assertThatThrownBy(() -> ScheduleTiming.every("schedule \"x\"", Duration.ofMillis(500), Instant.EPOCH))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("PT0.5S")
                .hasMessageContaining("at least PT1S");
    }

    @Test
    void dueCountsEveryPassedFireTimeAndKeepsTheLatest() {
        Instant anchor = Instant.parse("2026-01-01T00:00:00Z");
        ScheduleTiming every = ScheduleTiming.every("test", Duration.ofSeconds(10), anchor);
        ScheduleTiming.Due due = every.due(anchor.plusSeconds(10), anchor.plusSeconds(55), 2);
        assertThat(due.count()).isEqualTo(5);
        assertThat(due.latest()).containsExactly(anchor.plusSeconds(40), anchor.plusSeconds(50));

        ScheduleTiming cron = ScheduleTiming.cron("test", "*/10 * * * * *", ZoneId.of("UTC"));
        ScheduleTiming.Due cronDue = cron.due(anchor.plusSeconds(10), anchor.plusSeconds(55), 2);
        assertThat(cronDue.count()).isEqualTo(5);
        assertThat(cronDue.latest()).containsExactly(anchor.plusSeconds(40), anchor.plusSeconds(50));
        assertThat(cron.due(anchor.plusSeconds(10), anchor.plusSeconds(5), 2).count())
                .isZero();
    }

    private static Instant local(ZoneId zone, String localDateTime) {
        return ZonedDateTime.of(LocalDateTime.parse(localDateTime), zone).toInstant();
    }

    private static List<String> localTimes(ScheduleTiming timing, ZoneId zone, String from, int count) {
        return timing.next(local(zone, from), count).stream()
                .map(at -> at.atZone(zone).toOffsetDateTime().toString())
                .toList();
    }
}
