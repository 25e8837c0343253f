package io.taskbound.dashboard;

import io.taskbound.JobFilter;
import io.taskbound.JobState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of the API, read strictly: every value that does not fit is refused with a
 * message naming the parameter, the value and what to pass, never passed on to fail deeper down.
 */
final class ApiParameters {

    /** The parameters of the job filter, shared by the listing and the bulk actions. */
    static final Set<String> FILTER = Set.of("state", "lane", "name", "schedule", "q", "from", "to");

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = io.taskbound.JobQueries.MAX_PAGE_SIZE;

    // UUID.fromString takes "1-2-3-4-5" too; an id is only ever the 36 characters the API gave.
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final Map<String, String[]> values;

    ApiParameters(Map<String, String[]> values) {
        values.forEach((name, given) -> {
            for (String value : given) {
                // PostgreSQL text cannot hold a NUL character: refused here rather than failing the statement.
                if (value.indexOf('\0') >= 0) {
                    throw ApiException.badRequest("Parameter " + shown(name) + " holds a NUL character (%00),"
                            + " which no stored value can contain: remove it");
                }
            }
        });
        this.values = values;
    }

    /** The job id in a path, such as {@code 0199a3c2-7a1e-7c55-9a43-3c4b8e0d8f21}. */
    static UUID jobId(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw ApiException.badRequest("Job id \"" + shown(text) + "\" is not a UUID such as"
                    + " 0199a3c2-7a1e-7c55-9a43-3c4b8e0d8f21: pass the id of a job as the listing gives it");
        }
        return UUID.fromString(text);
    }

    /**
     * The filter the parameters describe.
     *
     * @param knownLane whether a lane exists; an unknown one is refused rather than matching nothing,
     *     since a typo would otherwise look like an empty lane
     */
    JobFilter filter(Predicate<String> knownLane) {
        JobFilter filter = JobFilter.all();
        Set<JobState> states = states();
        if (!states.isEmpty()) {
            filter = filter.inStates(states.toArray(JobState[]::new));
        }
        String lane = single("lane");
        if (lane != null && !lane.isBlank()) {
            if (!knownLane.test(lane.strip())) {
                throw ApiException.badRequest("Unknown lane \"" + shown(lane) + "\" in parameter lane: pass the name"
                        + " of a lane as GET /lanes lists them");
            }
            filter = filter.inLane(lane);
        }
        String name = single("name");
        if (name != null && !name.isBlank()) {
            filter = filter.named(name);
        }
        String schedule = single("schedule");
        if (schedule != null && !schedule.isBlank()) {
            filter = filter.fromSchedule(schedule);
        }
        String text = single("q");
        if (text != null && !text.isEmpty()) {
            filter = filter.argumentsContaining(text);
        }
        Instant from = instant("from");
        Instant to = instant("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("Parameters from (" + from + ") and to (" + to + ") make an empty range:"
                    + " pass a from before the to");
        }
        return filter.createdBetween(from, to);
    }

    /** The rows per page: {@value #DEFAULT_LIMIT} unless given, at most {@value #MAX_LIMIT}. */
    int limit() {
        String text = single("limit");
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Refused below, with the range.
        }
        throw ApiException.badRequest(
                "Parameter limit must be a whole number from 1 to " + MAX_LIMIT + ", was \"" + shown(text) + "\"");
    }

    @Nullable
    String cursor() {
        String cursor = single("cursor");
        return cursor == null || cursor.isBlank() ? null : cursor.strip();
    }

    /** Whether {@code all=true} was passed: the bulk actions' consent to act without a filter. */
    boolean all() {
        String text = single("all");
        if (text == null || text.isBlank() || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.badRequest("Parameter all must be true or false, was \"" + shown(text) + "\"");
    }

    /** Refuses any parameter not in {@code allowed}, so that a misspelt filter never widens an action. */
    /** {@code names} and {@code more}: the parameters or fields one request takes. */
    static Set<String> union(Set<String> names, String... more) {
        Set<String> all = new HashSet<>(names);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    void requireOnly(Set<String> allowed) {
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("Unknown parameter \"" + shown(name) + "\": pass only "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
    }

    private Set<JobState> states() {
        String[] given = values.get("state");
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        if (given == null) {
            return states;
        }
        for (String value : given) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    states.add(state(part.strip()));
                }
            }
        }
        return states;
    }

    private static JobState state(String text) {
        try {
            return JobState.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "Unknown state \"" + shown(text) + "\" in parameter state: pass one or more of "
                            + Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.joining(", "))
                            + ", repeated or comma-separated");
        }
    }

    private @Nullable Instant instant(String name) {
        String text = single(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Parameter " + name + " must be an ISO-8601 instant such as"
                    + " 2026-01-31T12:00:00Z, was \"" + shown(text) + "\"");
        }
        // Instant reaches far beyond what PostgreSQL's timestamps hold; refused here, not by the database.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest("Parameter " + name + " must be an instant between " + EARLIEST + " and "
                    + LATEST + ", was \"" + shown(text) + "\"");
        }
        return instant;
    }

    /** The value of a parameter given at most once, stripped; null when missing or blank. */
    @Nullable
    String value(String name) {
        String text = single(name);
        return text == null || text.isBlank() ? null : text.strip();
    }

    private @Nullable String single(String name) {
        String[] given = values.get(name);
        if (given == null || given.length == 0) {
            return null;
        }
        if (given.length > 1) {
            throw ApiException.badRequest("Parameter " + name + " was given " + given.length + " times: give it once");
        }
        return given[0];
    }

    /** User input as a message quotes it: shortened, so that an error never echoes a huge value. */
    static String shown(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
