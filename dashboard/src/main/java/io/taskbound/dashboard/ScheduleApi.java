package io.taskbound.dashboard;

import io.taskbound.InvalidScheduleException;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.Jobs;
import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.RecurringRequest;
import io.taskbound.ScheduleInfo;
import io.taskbound.UnknownJobException;
import io.taskbound.UnknownScheduleException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The schedules: list, create, change, delete, pause, resume, trigger, and a preview of a timing's
 * next fire times before it is saved. A schedule declared by {@code @Recurring} is defined by its
 * code: here it can be paused, resumed and triggered, not changed or deleted.
 */
@RestController
class ScheduleApi {

    /** The id of the unsaved schedule a preview is computed with. */
    private static final String PREVIEW_ID = "preview";

    /** Fire times each schedule comes with, and that a preview gives unless asked. */
    static final int NEXT = 5;

    static final int MAX_PREVIEW = 50;

    private static final Set<String> PREVIEW = Set.of("cron", "every", "zone", "count");

    private final Jobs jobs;
    private final JobTypes types;
    private final ApiLocations locations;

    ScheduleApi(Jobs jobs, JobTypes types, ApiLocations locations) {
        this.jobs = jobs;
        this.types = types;
        this.locations = locations;
    }

    /**
     * A stored schedule as the API shows it.
     *
     * @param declaredInCode whether a {@code @Recurring} method declares it, in {@code declaredBy}
     * @param timing the cron expression, or {@code every} and the ISO-8601 interval
     * @param next its next fire times from now, {@value #NEXT} of them
     */
    record Schedule(
            String id,
            String jobName,
            String argumentsJson,
            @Nullable String cron,
            @Nullable Duration every,
            ZoneId zone,
            MisfirePolicy misfire,
            int maxCatchUp,
            OverlapPolicy overlap,
            Duration jitter,
            boolean paused,
            Instant nextFireAt,
            @Nullable Instant lastFireAt,
            @Nullable String declaredBy,
            Instant createdAt,
            Instant updatedAt,
            boolean declaredInCode,
            String timing,
            List<Instant> next) {}

    record Preview(ZoneId zone, List<Instant> next) {}

    @GetMapping("/schedules")
    ResponseEntity<byte[]> list() {
        return DashboardJson.ok(jobs.schedules().list().stream().map(this::view).toList());
    }

    @GetMapping("/schedules/preview")
    ResponseEntity<byte[]> preview(HttpServletRequest request) {
        ApiParameters parameters = new ApiParameters(request.getParameterMap());
        parameters.requireOnly(PREVIEW);
        String cron = parameters.value("cron");
        String every = parameters.value("every");
        String zoneText = parameters.value("zone");
        int count = count(parameters.value("count"));
        if ((cron == null) == (every == null)) {
            throw ApiException.badRequest("Give one of the parameters cron (a cron expression such as"
                    + " \"0 0 3 * * *\") and every (an ISO-8601 interval such as PT5M), "
                    + (cron == null ? "not neither" : "not both"));
        }
        ZoneId zone = zoneText == null ? ZoneId.systemDefault() : JsonBody.zone("Parameter", "zone", zoneText);
        // A request never saved stores nothing: its id is only what its messages call it.
        RecurringRequest draft = jobs.recurring(PREVIEW_ID).zone(zone);
        try {
            if (cron != null) {
                draft.cron(cron);
            } else {
                draft.every(JsonBody.duration("Parameter", "every", every));
            }
        } catch (InvalidScheduleException e) {
            // The draft's id means nothing to whoever typed the expression: the message goes without it.
            String message = e.getMessage().replace(" for schedule \"" + PREVIEW_ID + "\"", "");
            throw ApiException.badRequest("Parameter " + (cron != null ? "cron" : "every") + ": " + message);
        }
        return DashboardJson.ok(new Preview(zone, draft.preview(count)));
    }

    @GetMapping("/schedules/{id}")
    ResponseEntity<byte[]> find(@PathVariable String id) {
        return DashboardJson.ok(view(existing(id)));
    }

    @PostMapping("/schedules")
    ResponseEntity<byte[]> create(HttpServletRequest request) {
        JsonBody body = JsonBody.read(request, ScheduleSettings.CREATE);
        String id = ScheduleSettings.id(body);
        String job = body.requiredText("job", "the name of the job to run, as GET /job-types lists them");
        EnqueueApi.refuseBuiltIn(types, job, "job");
        ScheduleSettings settings = ScheduleSettings.read(body);
        if (!settings.timed()) {
            throw ApiException.badRequest("Fields cron and every are both missing: give one, cron for a cron"
                    + " expression such as \"0 0 3 * * *\" or every for an interval such as \"PT5M\"");
        }
        jobs.schedules().find(id).ifPresent(existing -> {
            throw ApiException.conflict("Schedule \"" + id + "\" exists already"
                    + (existing.declaredInCode()
                            ? ", declared by @Recurring on " + existing.declaredBy() + ": give the new one another id"
                            : ": change it with PUT /schedules/" + id + ", or give the new one another id"));
        });
        String arguments = settings.argumentsJson() == null ? "[]" : settings.argumentsJson();
        RecurringRequest draft = settings.applyTo(jobs.recurring(id));
        ScheduleInfo created = store(job, () -> draft.call(job, arguments));
        return DashboardJson.created(locations.schedule(request, id), view(created));
    }

    @PutMapping("/schedules/{id}")
    ResponseEntity<byte[]> change(@PathVariable String id, HttpServletRequest request) {
        ScheduleInfo current = changeable(id, "changed");
        ScheduleSettings settings = ScheduleSettings.read(JsonBody.read(request, ScheduleSettings.CHANGE));
        RecurringRequest draft = settings.applyTo(update(id));
        if (settings.argumentsJson() != null) {
            draft.arguments(settings.argumentsJson());
        }
        return DashboardJson.ok(view(store(current.jobName(), draft::save)));
    }

    @DeleteMapping("/schedules/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        changeable(id, "deleted");
        if (!jobs.schedules().delete(id)) {
            throw unknownSchedule(id);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/schedules/{id}/pause")
    ResponseEntity<byte[]> pause(@PathVariable String id) {
        return DashboardJson.ok(view(known(id, () -> jobs.schedules().pause(id))));
    }

    @PostMapping("/schedules/{id}/resume")
    ResponseEntity<byte[]> resume(@PathVariable String id) {
        return DashboardJson.ok(view(known(id, () -> jobs.schedules().resume(id))));
    }

    /** Makes one job of the schedule now: {@code 201 Created}, with the job. */
    @PostMapping("/schedules/{id}/trigger")
    ResponseEntity<byte[]> trigger(@PathVariable String id, HttpServletRequest request) {
        JobHandle<Object> handle;
        try {
            handle = known(id, () -> jobs.schedules().trigger(id));
        } catch (UnknownJobException e) {
            throw ApiException.conflict(
                    "Schedule \"" + id + "\" runs a job that is not registered on this node: " + e.getMessage());
        }
        JobInfo job = jobs.info(handle.id())
                .orElseThrow(() -> new IllegalStateException("Job " + handle.id() + " was stored but cannot be read"));
        return DashboardJson.created(locations.job(request, handle.id()), job);
    }

    private Schedule view(ScheduleInfo schedule) {
        List<Instant> next;
        try {
            next = jobs.schedules().preview(schedule.id(), NEXT);
        } catch (UnknownScheduleException e) {
            next = List.of(); // Deleted since it was read.
        }
        return new Schedule(
                schedule.id(),
                schedule.jobName(),
                schedule.argumentsJson(),
                schedule.cron(),
                schedule.every(),
                schedule.zone(),
                schedule.misfire(),
                schedule.maxCatchUp(),
                schedule.overlap(),
                schedule.jitter(),
                schedule.paused(),
                schedule.nextFireAt(),
                schedule.lastFireAt(),
                schedule.declaredBy(),
                schedule.createdAt(),
                schedule.updatedAt(),
                schedule.declaredInCode(),
                schedule.timing(),
                next);
    }

    private ScheduleInfo existing(String id) {
        return jobs.schedules().find(id).orElseThrow(() -> unknownSchedule(id));
    }

    /** The schedule, if the API may change or delete it: not one that {@code @Recurring} declares. */
    private ScheduleInfo changeable(String id, String what) {
        ScheduleInfo schedule = existing(id);
        if (schedule.declaredInCode()) {
            throw ApiException.conflict("Schedule \"" + id + "\" is declared by @Recurring on " + schedule.declaredBy()
                    + " and cannot be " + what + " here: change the annotation (schedules are reconciled with the code"
                    + " at start-up), or pause, resume or trigger it here");
        }
        return schedule;
    }

    private RecurringRequest update(String id) {
        try {
            return jobs.schedules().update(id);
        } catch (UnknownScheduleException e) {
            throw unknownSchedule(id);
        }
    }

    /** Stores a schedule of {@code job}, turning what the core refuses into a message naming the field. */
    private ScheduleInfo store(String job, Supplier<ScheduleInfo> save) {
        try {
            return save.get();
        } catch (UnknownJobException e) {
            throw EnqueueApi.unknownJob(job, "job", types.names());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Field arguments does not fit job \"" + job + "\": " + e.getMessage());
        } catch (UnknownScheduleException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (InvalidScheduleException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static <T> T known(String id, Supplier<T> act) {
        try {
            return act.get();
        } catch (UnknownScheduleException e) {
            throw unknownSchedule(id);
        }
    }

    private static int count(@Nullable String text) {
        if (text == null) {
            return NEXT;
        }
        try {
            int count = Integer.parseInt(text);
            if (count >= 1 && count <= MAX_PREVIEW) {
                return count;
            }
        } catch (NumberFormatException e) {
            // Refused below, with the range.
        }
        throw ApiException.badRequest("Parameter count must be a whole number from 1 to " + MAX_PREVIEW + ", was \""
                + ApiParameters.shown(text) + "\"");
    }

    private static ApiException unknownSchedule(String id) {
        return ApiException.notFound(
                "No schedule has id \"" + ApiParameters.shown(id) + "\": GET /schedules lists" + " them");
    }
}
