package io.taskbound.dashboard;

import io.taskbound.InvalidScheduleException;
import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.RecurringRequest;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A schedule's settings as a request body gives them, read and checked before any is applied to a
 * {@link RecurringRequest}, so that a bad field never leaves a change half made. What the core
 * refuses (a cron expression it cannot parse, an interval under a second) comes back with the
 * field's name in front of the core's message.
 */
record ScheduleSettings(
        @Nullable String cron,
        @Nullable Duration every,
        @Nullable ZoneId zone,
        @Nullable String argumentsJson,
        @Nullable MisfirePolicy misfire,
        @Nullable Integer maxCatchUp,
        @Nullable OverlapPolicy overlap,
        @Nullable Duration jitter) {

    /** The fields a change may give; a new schedule gives its id and job as well. */
    static final Set<String> CHANGE =
            Set.of("arguments", "cron", "every", "zone", "misfire", "maxCatchUp", "overlap", "jitter");

    static final Set<String> CREATE = ApiParameters.union(CHANGE, "id", "job");

    /** What an API schedule's id may be: it goes into URLs, so it stays a word of a URL path. */
    private static final Pattern ID = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._:@-]{0,199}");

    static ScheduleSettings read(JsonBody body) {
        String cron = body.text("cron");
        Duration every = body.duration("every");
        if (cron != null && every != null) {
            throw ApiException.badRequest("Fields cron and every are both given: give one, cron for a cron"
                    + " expression such as \"0 0 3 * * *\" or every for an interval such as \"PT5M\"");
        }
        return new ScheduleSettings(
                cron == null || cron.isBlank() ? null : cron.strip(),
                every,
                body.zone("zone"),
                body.has("arguments") ? body.arrayJson("arguments") : null,
                body.choice("misfire", MisfirePolicy.class),
                body.integer("maxCatchUp"),
                body.choice("overlap", OverlapPolicy.class),
                body.duration("jitter"));
    }

    /** The id of a new schedule, checked to be one that a URL can carry as it is. */
    static String id(JsonBody body) {
        String id = body.requiredText("id", "the new schedule's id, such as \"nightly-report\"");
        if (!ID.matcher(id).matches()) {
            throw ApiException.badRequest("Field id must be 1 to 200 letters, digits or . _ - : @, starting with a"
                    + " letter or digit, was \"" + ApiParameters.shown(id) + "\"");
        }
        return id;
    }

    boolean timed() {
        return cron != null || every != null;
    }

    /** Applies every given setting; the arguments are left to the caller, which names the job. */
    RecurringRequest applyTo(RecurringRequest request) {
        if (zone != null) {
            request.zone(zone);
        }
        if (cron != null) {
            field("cron", () -> request.cron(cron));
        }
        if (every != null) {
            field("every", () -> request.every(every));
        }
        if (misfire != null) {
            request.misfire(misfire);
        }
        if (maxCatchUp != null) {
            field("maxCatchUp", () -> request.maxCatchUp(maxCatchUp));
        }
        if (overlap != null) {
            request.overlap(overlap);
        }
        if (jitter != null) {
            field("jitter", () -> request.jitter(jitter));
        }
        return request;
    }

    private static void field(String name, Supplier<RecurringRequest> apply) {
        try {
            apply.get();
        } catch (InvalidScheduleException e) {
            throw ApiException.badRequest("Field " + name + ": " + e.getMessage());
        }
    }
}
