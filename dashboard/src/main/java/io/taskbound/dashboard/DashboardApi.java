package io.taskbound.dashboard;

import io.taskbound.AttemptInfo;
import io.taskbound.JobDetails;
import io.taskbound.JobFilter;
import io.taskbound.JobInfo;
import io.taskbound.JobLogLine;
import io.taskbound.Jobs;
import io.taskbound.Page;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's REST API, mapped under {@code taskbound.dashboard.path} + {@code /api} (see
 * {@link DashboardApiConfiguration}). Parameters are read by {@link ApiParameters}, not bound by
 * Spring, so that every bad value gets a message of ours naming it.
 */
@RestController
class DashboardApi {

    /** Log lines on the first page of a job's details. */
    static final int DETAIL_LOG_LINES = 100;

    /** The most jobs {@code GET /jobs/count} counts. */
    static final int COUNT_UP_TO = 10_000;

    /** The longest {@code GET /jobs/count} counts: a confirmation dialog must open at once. */
    static final Duration COUNT_WITHIN = Duration.ofMillis(60);

    private static final Set<String> BULK = ApiParameters.union(ApiParameters.FILTER, "all");

    private final Jobs jobs;
    private final LaneViews lanes;

    DashboardApi(Jobs jobs, LaneViews lanes) {
        this.jobs = jobs;
        this.lanes = lanes;
    }

    record Details(JobInfo job, @Nullable Duration lateness, List<AttemptInfo> attempts, Page<JobLogLine> logs) {}

    record Count(int count) {}

    /** @param atLeast whether more jobs match than {@code count}: counting stopped there */
    record Total(@Nullable Long count, boolean atLeast) {}

    record LaneState(String lane, boolean paused) {}

    @GetMapping("/lanes")
    ResponseEntity<byte[]> lanes() {
        return DashboardJson.ok(lanes.lanes());
    }

    @GetMapping("/nodes")
    ResponseEntity<byte[]> nodes() {
        return DashboardJson.ok(jobs.queries().nodes());
    }

    @GetMapping("/jobs")
    ResponseEntity<byte[]> list(HttpServletRequest request) {
        ApiParameters parameters = parameters(request);
        JobFilter filter = parameters.filter(lanes::known);
        int limit = parameters.limit();
        String cursor = parameters.cursor();
        try {
            return DashboardJson.ok(jobs.queries().list(filter, cursor, limit));
        } catch (IllegalArgumentException e) {
            // The limit is checked above: what the listing refuses is the cursor.
            throw ApiException.badRequest("Parameter cursor: " + e.getMessage());
        }
    }

    /**
     * How many jobs the listing's filter takes, for a bulk action's confirmation: counted up to
     * {@value #COUNT_UP_TO}, above which {@code atLeast} says the count stopped there, and for at most
     * {@link #COUNT_WITHIN}: a filter no index serves (text in the arguments) over millions of jobs
     * is not counted, and {@code count} is null.
     */
    @GetMapping("/jobs/count")
    ResponseEntity<byte[]> count(HttpServletRequest request) {
        ApiParameters parameters = parameters(request);
        parameters.requireOnly(ApiParameters.FILTER);
        OptionalLong counted = jobs.queries().count(parameters.filter(lanes::known), COUNT_UP_TO + 1, COUNT_WITHIN);
        if (counted.isEmpty()) {
            return DashboardJson.ok(new Total(null, false));
        }
        return DashboardJson.ok(
                new Total(Math.min(counted.getAsLong(), COUNT_UP_TO), counted.getAsLong() > COUNT_UP_TO));
    }

    @GetMapping("/jobs/{id}")
    ResponseEntity<byte[]> details(@PathVariable String id) {
        UUID jobId = ApiParameters.jobId(id);
        JobDetails details = jobs.queries().details(jobId).orElseThrow(() -> unknownJob(jobId));
        Page<JobLogLine> logs = jobs.queries().logs(jobId, null, DETAIL_LOG_LINES);
        return DashboardJson.ok(new Details(details.job(), details.job().lateness(), details.attempts(), logs));
    }

    @GetMapping("/jobs/{id}/logs")
    ResponseEntity<byte[]> logs(@PathVariable String id, HttpServletRequest request) {
        UUID jobId = ApiParameters.jobId(id);
        ApiParameters parameters = parameters(request);
        int limit = parameters.limit();
        String cursor = parameters.cursor();
        if (jobs.info(jobId).isEmpty()) {
            throw unknownJob(jobId);
        }
        try {
            return DashboardJson.ok(jobs.queries().logs(jobId, cursor, limit));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Parameter cursor: " + e.getMessage());
        }
    }

    @PostMapping("/jobs/{id}/retry")
    ResponseEntity<byte[]> retry(@PathVariable String id) {
        return DashboardJson.ok(jobs.retry(ApiParameters.jobId(id)));
    }

    @PostMapping("/jobs/{id}/cancel")
    ResponseEntity<byte[]> cancel(@PathVariable String id) {
        UUID jobId = ApiParameters.jobId(id);
        // Cancel first, read after: with open-in-view, a job read earlier in the request would be
        // read again from the request's persistence context, as it was before the cancel.
        boolean cancelled = jobs.cancel(jobId);
        JobInfo job = jobs.info(jobId).orElseThrow(() -> unknownJob(jobId));
        if (!cancelled) {
            throw ApiException.conflict("Job " + job.name() + " (" + jobId + ") is " + job.state()
                    + ": only QUEUED, RETRYING or RUNNING jobs can be cancelled");
        }
        // A running job is only asked to stop: it shows RUNNING until its node has stopped it.
        return DashboardJson.ok(job);
    }

    @DeleteMapping("/jobs/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        jobs.delete(ApiParameters.jobId(id));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/jobs/retry")
    ResponseEntity<byte[]> retryAll(HttpServletRequest request) {
        return bulk(request, "retry", jobs::retryAll);
    }

    @PostMapping("/jobs/cancel")
    ResponseEntity<byte[]> cancelAll(HttpServletRequest request) {
        return bulk(request, "cancel", jobs::cancelAll);
    }

    @PostMapping("/jobs/delete")
    ResponseEntity<byte[]> deleteAll(HttpServletRequest request) {
        return bulk(request, "delete", jobs::deleteAll);
    }

    @PostMapping("/lanes/{lane}/pause")
    ResponseEntity<byte[]> pause(@PathVariable String lane) {
        try {
            jobs.lanes().pause(lane);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage());
        }
        return DashboardJson.ok(new LaneState(lane, true));
    }

    @PostMapping("/lanes/{lane}/resume")
    ResponseEntity<byte[]> resume(@PathVariable String lane) {
        try {
            jobs.lanes().resume(lane);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage());
        }
        return DashboardJson.ok(new LaneState(lane, false));
    }

    private ResponseEntity<byte[]> bulk(HttpServletRequest request, String action, ToIntFunction<JobFilter> act) {
        ApiParameters parameters = parameters(request);
        parameters.requireOnly(BULK);
        JobFilter filter = parameters.filter(lanes::known);
        // A misspelt or forgotten filter must never turn into "every job": acting on all takes a word.
        if (filter.equals(JobFilter.all()) && !parameters.all()) {
            throw ApiException.badRequest("A bulk " + action + " needs a filter (state, lane, name, schedule, q, from"
                    + " or to); to " + action + " every job it applies to, pass all=true");
        }
        return DashboardJson.ok(new Count(act.applyAsInt(filter)));
    }

    private static ApiParameters parameters(HttpServletRequest request) {
        return new ApiParameters(request.getParameterMap());
    }

    private static ApiException unknownJob(UUID jobId) {
        return ApiException.notFound("No job has id " + jobId + ": it may have been deleted or pruned");
    }
}
