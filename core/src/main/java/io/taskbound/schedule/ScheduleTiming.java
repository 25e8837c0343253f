package io.taskbound.schedule;

import io.taskbound.InvalidScheduleException;
import io.taskbound.store.StoredSchedule;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule fires: a cron expression read in a zone, or a fixed interval counted from an
 * anchor (the time the schedule was created or its interval last changed). Cron fire times are
 * computed in the zone's local time by Spring's {@link CronExpression}, so "03:00 every day" stays
 * at 03:00 local across DST changes; a local time that the clocks skip fires once, at the instant
 * java.time gives it, and a local time that happens twice fires once, the first time. An interval
 * is a fixed amount of real time.
 */
public final class ScheduleTiming {

    /** The shortest interval: each fire is a stored job, and a second is the cron's resolution too. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** The next fire time of a schedule that never fires again; PostgreSQL can store it. */
    public static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

    /** How many due cron fire times {@link #due} counts one by one before it searches instead. */
    static final int COUNTED = 1_000;

    private final @Nullable String cron;
    private final @Nullable CronExpression expression;
    private final boolean everyHour;
    private final @Nullable Duration every;
    private final ZoneId zone;
    private final Instant anchor;

    private ScheduleTiming(
            @Nullable String cron,
            @Nullable CronExpression expression,
            @Nullable Duration every,
            ZoneId zone,
            Instant anchor) {
        this.cron = cron;
        this.expression = expression;
        this.everyHour = cron != null && firesEveryHour(cron);
        this.every = every;
        this.zone = zone;
        this.anchor = anchor;
    }

    /**
     * A cron timing; {@code schedule} names the schedule in the error.
     *
     * @throws InvalidScheduleException naming the expression and what a valid one looks like
     */
    public static ScheduleTiming cron(String schedule, String cron, ZoneId zone) {
        Objects.requireNonNull(cron, "cron");
        String trimmed = cron.strip();
        try {
            return new ScheduleTiming(trimmed, CronExpression.parse(trimmed), null, zone, Instant.EPOCH);
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException(
                    "Invalid cron expression \"" + cron + "\" for " + schedule + ": "
                            + e.getMessage() + ". Use six fields, second minute hour day-of-month month day-of-week"
                            + " (\"0 */5 * * * *\" is every five minutes), or a macro such as @hourly or @daily",
                    e);
        }
    }

    /**
     * An interval timing whose fire times are {@code anchor + k * every} for k = 1, 2, ...
     *
     * @throws InvalidScheduleException if the interval is shorter than {@link #MIN_INTERVAL}
     */
    public static ScheduleTiming every(String schedule, Duration every, Instant anchor) {
        Objects.requireNonNull(every, "every");
        if (every.compareTo(MIN_INTERVAL) < 0) {
            throw new InvalidScheduleException(
                    "Interval " + every + " of " + schedule + " is too short: use at least PT1S, or a cron expression");
        }
        return new ScheduleTiming(null, null, every, ZoneId.of("UTC"), anchor);
    }

    private static boolean firesEveryHour(String cron) {
        String[] fields = cron.strip().split("\\s+");
        return fields[0].equalsIgnoreCase("@hourly") || (fields.length == 6 && fields[2].equals("*"));
    }

    /** The timing of a stored schedule. */
    public static ScheduleTiming of(StoredSchedule schedule) {
        String name = "schedule \"" + schedule.id() + "\"";
        return schedule.cron() != null
                ? cron(name, schedule.cron(), schedule.zone())
                : every(name, Objects.requireNonNull(schedule.every()), schedule.anchorAt());
    }

    /** Parses an ISO-8601 interval such as {@code "PT30S"} for {@link #every}. */
    public static Duration parseInterval(String schedule, String text) {
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidScheduleException(
                    "Invalid interval \"" + text + "\" for " + schedule
                            + ": write an ISO-8601 duration such as \"PT30S\", \"PT5M\" or \"P1D\"",
                    e);
        }
    }

    /** Parses a zone id such as {@code "Europe/Paris"}; blank means the JVM's zone. */
    public static ZoneId parseZone(String schedule, String text) {
        if (text == null || text.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new InvalidScheduleException(
                    "Unknown zone \"" + text + "\" for " + schedule
                            + ": use a region id such as \"Europe/Paris\" or \"UTC\"",
                    e);
        }
    }

    public @Nullable String cron() {
        return cron;
    }

    public @Nullable Duration every() {
        return every;
    }

    public ZoneId zone() {
        return zone;
    }

    public Instant anchor() {
        return anchor;
    }

    /** This timing counted from a new anchor; only intervals have one. */
    public ScheduleTiming anchoredAt(Instant newAnchor) {
        return every == null ? this : new ScheduleTiming(null, null, every, zone, newAnchor);
    }

    /** The first fire time strictly after {@code after}. */
    public Instant next(Instant after) {
        if (every != null) {
            if (after.isBefore(anchor)) {
                return anchor.plus(every);
            }
            long periods = Duration.between(anchor, after).toNanos() / every.toNanos();
            return anchor.plus(every.multipliedBy(periods + 1));
        }
        ZonedDateTime next = Objects.requireNonNull(expression).next(after.atZone(zone));
        if (next != null && !everyHour) {
            // When the clocks fall back, an hour of local time happens twice and the cron library
            // fires in both: "daily at 02:30" would run twice that night. Only a schedule whose hour
            // field is "*" means every real hour; the others fire at the first pass only.
            ZonedDateTime firstPass = next.withEarlierOffsetAtOverlap();
            if (!firstPass.equals(next) && !firstPass.toInstant().isAfter(after)) {
                return next(next.toInstant());
            }
        }
        Instant skipped = skippedBySpringingForward(after, next);
        if (skipped != null) {
            return skipped;
        }
        if (next == null) {
            // A valid expression that never fires again, such as the 30th of February.
            return NEVER;
        }
        return next.toInstant();
    }

    // When the clocks spring forward, local times in the gap do not exist and the cron library
    // skips them: a job "daily at 02:30" would not run that night. Such a fire time fires instead at
    // the instant it would have had without the change, which is how java.time resolves a local
    // time in a gap (02:30 in Paris on the spring-forward night is 03:30 CEST).
    private @Nullable Instant skippedBySpringingForward(Instant after, @Nullable ZonedDateTime next) {
        ZoneOffsetTransition transition = zone.getRules().nextTransition(after);
        if (transition == null
                || !transition.isGap()
                || (next != null && !transition.getInstant().isBefore(next.toInstant()))) {
            return null;
        }
        ZonedDateTime candidate = Objects.requireNonNull(expression).next(after.atZone(transition.getOffsetBefore()));
        if (candidate == null) {
            return null;
        }
        LocalDateTime local = candidate.toLocalDateTime();
        boolean inGap =
                !local.isBefore(transition.getDateTimeBefore()) && local.isBefore(transition.getDateTimeAfter());
        Instant at = candidate.toInstant();
        return inGap && at.isAfter(after) && (next == null || at.isBefore(next.toInstant())) ? at : null;
    }

    /** The next {@code count} fire times after {@code after}. */
    public List<Instant> next(Instant after, int count) {
        List<Instant> times = new ArrayList<>(count);
        Instant at = after;
        for (int i = 0; i < count; i++) {
            at = next(at);
            if (at.equals(NEVER)) {
                break;
            }
            times.add(at);
        }
        return times;
    }

    /**
     * The fire times from {@code first} (a fire time, included) up to {@code now} (included): how
     * many there are, and the latest {@code keep} of them, oldest first.
     *
     * <p>This runs under the schedule's row lock, after downtime of any length, so it never walks
     * every missed fire time: a per-second schedule down for a week has 604,800 of them. An interval
     * is arithmetic. A cron timing is walked as far as {@link #COUNTED} fire times, which gives the
     * exact answer after ordinary downtime; past that, the latest fire time is found by a search
     * back from {@code now} (valid because the first fire time after an instant only moves forward
     * as the instant does) and each earlier one by a search back from the one after it, so the cost grows with {@code keep} and the
     * logarithm of the downtime, and the count is only known to be more than {@link #COUNTED}.
     */
    public Due due(Instant first, Instant now, int keep) {
        return due(first, now, keep, COUNTED);
    }

    /** {@link #due} counting at most {@code counted} cron fire times one by one. */
    Due due(Instant first, Instant now, int keep, int counted) {
        if (first.isAfter(now)) {
            return new Due(0, true, List.of());
        }
        if (every != null) {
            long count = Duration.between(first, now).toNanos() / every.toNanos() + 1;
            int kept = (int) Math.min(keep, count);
            List<Instant> latest = new ArrayList<>(kept);
            for (long k = count - kept; k < count; k++) {
                latest.add(first.plus(every.multipliedBy(k)));
            }
            return new Due(count, true, latest);
        }
        ArrayDeque<Instant> latest = new ArrayDeque<>(Math.min(keep, counted));
        long count = 0;
        for (Instant at = first; !at.isAfter(now); at = next(at)) {
            if (count == counted) {
                return new Due(counted, false, latestBefore(first, now.plusNanos(1), keep));
            }
            count++;
            if (latest.size() == keep) {
                latest.removeFirst();
            }
            latest.addLast(at);
        }
        return new Due(count, true, List.copyOf(latest));
    }

    // The latest "keep" fire times before "end", from "first" on, oldest first. Each is found by a
    // search back from the one after it, with steps that start at the gap between the two found
    // last, so a regular schedule costs a few calls of next() per fire time.
    private List<Instant> latestBefore(Instant first, Instant end, int keep) {
        ArrayDeque<Instant> latest = new ArrayDeque<>(Math.min(keep, 1024));
        long step = 1;
        Instant before = end;
        while (latest.size() < keep) {
            Instant previous = previous(first, before, step);
            if (previous == null) {
                break;
            }
            if (!latest.isEmpty()) {
                step = Math.max(1, Duration.between(previous, latest.getFirst()).toSeconds());
            }
            latest.addFirst(previous);
            before = previous;
        }
        return List.copyOf(latest);
    }

    // The latest fire time before "before" that is "first" or after it; null if "first" is not
    // before it. Cron fire times fall on whole seconds, so the search runs over whole seconds s for
    // the last one with next(s) < before: next(s) is then the fire time wanted. It gallops back from
    // "before" by "step" seconds, doubling, then bisects.
    private @Nullable Instant previous(Instant first, Instant before, long step) {
        if (!first.isBefore(before)) {
            return null;
        }
        if (!next(first).isBefore(before)) {
            return first;
        }
        long floor = first.getEpochSecond();
        long hi = before.getEpochSecond();
        long lo;
        for (long back = step; ; back = Math.min(back, 1L << 61) * 2) {
            lo = Math.max(floor, hi - back);
            if (lo == floor || next(Instant.ofEpochSecond(lo)).isBefore(before)) {
                break;
            }
            hi = lo;
        }
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (next(Instant.ofEpochSecond(mid)).isBefore(before)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Instant previous = next(Instant.ofEpochSecond(lo));
        return previous.isBefore(first) ? first : previous;
    }

    /**
     * Fire times that are due: how many ({@code count} if {@code exact}, else more than {@code
     * count}), and the latest of them, oldest first.
     */
    public record Due(long count, boolean exact, List<Instant> latest) {

        /** The count for a log line: "3", or "more than 1000". */
        public String describeCount() {
            return exact ? Long.toString(count) : "more than " + count;
        }
    }

    /** Whether {@code other} fires at the same times, whatever its anchor. */
    public boolean sameAs(ScheduleTiming other) {
        return Objects.equals(cron, other.cron)
                && Objects.equals(every, other.every)
                && (every != null || zone.equals(other.zone));
    }

    @Override
    public String toString() {
        return cron != null ? "cron \"" + cron + "\" in " + zone : "every " + every;
    }
}
