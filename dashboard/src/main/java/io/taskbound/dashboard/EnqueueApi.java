package io.taskbound.dashboard;

import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobRequest;
import io.taskbound.Jobs;
import io.taskbound.UnknownJobException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The jobs this node can run, and starting one by hand: the dashboard's "run now" or "run at". The
 * job is named and its arguments given as JSON, as a schedule stores them, so that any registered
 * job can be started without code.
 */
@RestController
class EnqueueApi {

    static final Set<String> FIELDS = Set.of("name", "arguments", "lane", "runAt", "priority");

    /** How many registered names an unknown job's message suggests. */
    private static final int SUGGESTED = 5;

    private final Jobs jobs;
    private final JobTypes types;
    private final LaneViews lanes;
    private final ApiLocations locations;

    EnqueueApi(Jobs jobs, JobTypes types, LaneViews lanes, ApiLocations locations) {
        this.jobs = jobs;
        this.types = types;
        this.lanes = lanes;
        this.locations = locations;
    }

    @GetMapping("/job-types")
    ResponseEntity<byte[]> jobTypes() {
        return DashboardJson.ok(types.list());
    }

    @PostMapping("/jobs")
    ResponseEntity<byte[]> enqueue(HttpServletRequest request) {
        JsonBody body = JsonBody.read(request, FIELDS);
        String name = body.requiredText("name", "the name of a registered job, as GET /job-types lists them");
        String arguments = body.arrayJson("arguments");
        String lane = body.text("lane");
        Instant runAt = body.instant("runAt");
        Integer priority = body.integer("priority");
        JobRequest<Object> job = prepare(name, arguments);
        if (lane != null && !lane.isBlank()) {
            onLane(job, lane.strip());
        }
        if (priority != null) {
            job.priority(priority);
        }
        JobHandle<Object> handle = runAt == null ? job.enqueue() : job.at(runAt);
        JobInfo stored = jobs.info(handle.id())
                .orElseThrow(() -> new IllegalStateException("Job " + handle.id() + " was stored but cannot be read"));
        return DashboardJson.created(locations.job(request, handle.id()), stored);
    }

    private JobRequest<Object> prepare(String name, String arguments) {
        refuseBuiltIn(types, name, "name");
        try {
            return jobs.prepare(name, arguments);
        } catch (UnknownJobException e) {
            throw unknownJob(name, "name", types.names());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Field arguments does not fit job \"" + name + "\": " + e.getMessage());
        }
    }

    private void onLane(JobRequest<Object> job, String lane) {
        if (!lanes.known(lane)) {
            throw ApiException.badRequest("Unknown lane \"" + ApiParameters.shown(lane) + "\" in field lane: pass the"
                    + " name of a lane as GET /lanes lists them, or leave it out for the job's own");
        }
        try {
            job.lane(lane);
        } catch (IllegalArgumentException e) {
            // Known to the cluster, but not run by this node's settings.
            throw ApiException.badRequest("Field lane: " + e.getMessage());
        }
    }

    /**
     * Refuses a job of Taskbound's own named in field {@code field}. The core refuses it too; this
     * says why in the dashboard's words, before anything else is looked at.
     */
    static void refuseBuiltIn(JobTypes types, String name, String field) {
        if (types.builtIn(name)) {
            throw ApiException.badRequest("Job \"" + ApiParameters.shown(name) + "\" in field " + field
                    + " is Taskbound's own and is never started from the dashboard: it runs an external command on"
                    + " the application's nodes, so only the application's code may enqueue one (jobs.command(...))");
        }
    }

    /** An unknown job named in field {@code field}, with a few of the names that are registered. */
    static ApiException unknownJob(String name, String field, Set<String> known) {
        String some = known.isEmpty()
                ? "none is registered on this node"
                : "such as " + known.stream().limit(SUGGESTED).collect(Collectors.joining(", "))
                        + (known.size() > SUGGESTED ? ", …" : "");
        return ApiException.badRequest("Unknown job \"" + ApiParameters.shown(name) + "\" in field " + field
                + ": no @Job method with that name is registered on this node; GET /job-types lists those that are ("
                + some + ")");
    }
}
