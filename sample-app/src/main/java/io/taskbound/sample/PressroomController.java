package io.taskbound.sample;

import io.taskbound.AttemptInfo;
import io.taskbound.JobDetails;
import io.taskbound.JobFilter;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.JobSummary;
import io.taskbound.Jobs;
import io.taskbound.Page;
import io.taskbound.ScheduleInfo;
import io.taskbound.TaskboundException;
import io.taskbound.UnknownScheduleException;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The REST endpoints that start jobs, one per kind of work. */
@RestController
@RequestMapping("/api")
public class PressroomController {

    private final Jobs jobs;
    private final ReportService reports;

    public PressroomController(Jobs jobs, ReportService reports) {
        this.jobs = jobs;
        this.reports = reports;
    }

    public record NewReport(String title, Integer samples) {}

    public record NewWebhook(String url, String payload) {}

    @PostMapping("/reports")
    public ResponseEntity<ReportService.Created> createReport(@RequestBody NewReport request) {
        ReportService.Created created =
                reports.create(request.title(), request.samples() == null ? 200_000 : request.samples());
        return ResponseEntity.created(URI.create("/api/reports/" + created.reportId()))
                .body(created);
    }

    /** Indexes every report in a worker JVM of the memory lane; see {@link ReportIndexer}. */
    @PostMapping("/reports/index")
    public ResponseEntity<Map<String, String>> indexReports() {
        JobHandle<ReportIndexer.Summary> index = jobs.enqueue(ReportIndexer::index);
        return ResponseEntity.accepted().body(Map.of("jobId", index.id().toString()));
    }

    @GetMapping("/reports/{id}")
    public ResponseEntity<Report> report(@PathVariable long id) {
        Report report = reports.find(id);
        return report == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(report);
    }

    @PostMapping("/webhooks")
    public ResponseEntity<Map<String, String>> webhook(@RequestBody NewWebhook request) {
        if (request.url() == null || !request.url().matches("https?://.+")) {
            throw new IllegalArgumentException("url must be an http or https URL, was " + request.url());
        }
        JobHandle<Integer> delivery = jobs.schedule(
                        WebhookSender::deliver, request.url(), request.payload() == null ? "{}" : request.payload())
                .uniqueKey("webhook:" + request.url() + ":" + (request.payload() == null ? "" : request.payload()))
                .enqueue();
        return ResponseEntity.accepted().body(Map.of("jobId", delivery.id().toString()));
    }

    @PostMapping("/thumbnails")
    public ResponseEntity<Map<String, String>> thumbnail(
            @RequestParam String name, @RequestParam int width, @RequestParam int height) {
        // Checked here so that a bad size is the caller's error, not a job retried until it is dead.
        if (width < 1 || height < 1 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException(
                    "width and height must be 1..4096 pixels, were " + width + " and " + height);
        }
        JobHandle<String> thumbnail = jobs.enqueue(ThumbnailMaker::make, name, width, height);
        return ResponseEntity.accepted().body(Map.of("jobId", thumbnail.id().toString()));
    }

    @PostMapping("/housekeeping")
    public ResponseEntity<Map<String, String>> housekeeping(
            @RequestParam(defaultValue = "P30D") String olderThan, @RequestParam(defaultValue = "PT0S") String in) {
        Duration age = duration("olderThan", olderThan);
        Duration delay = duration("in", in);
        JobHandle<Integer> purge = jobs.schedule(Housekeeping::purgeReportsOlderThan, age)
                .uniqueKey("housekeeping")
                .in(delay);
        return ResponseEntity.accepted().body(Map.of("jobId", purge.id().toString()));
    }

    /** The seed example: three slow additions, awaited together. About 3 s, not 9. */
    @GetMapping("/demo/add")
    public Map<String, Object> addThree() {
        long start = System.nanoTime();
        List<JobHandle<Integer>> sums = List.of(
                jobs.enqueue(Calculator::add, 1, 1),
                jobs.enqueue(Calculator::add, 2, 2),
                jobs.enqueue(Calculator::add, 3, 3));
        List<Integer> results =
                sums.stream().map(sum -> sum.await(Duration.ofSeconds(30))).toList();
        return Map.of("results", results, "elapsedMs", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Enqueues {@code runs} checksums of report 1, a job declared IO on purpose that computes: the
     * bound advisor's finding to look at once 20 have run.
     */
    @PostMapping("/demo/checksums")
    public ResponseEntity<Map<String, Object>> checksums(@RequestParam(defaultValue = "25") int runs) {
        if (runs < 1 || runs > 1_000) {
            return ResponseEntity.badRequest().body(Map.of("error", "runs must be between 1 and 1000, was " + runs));
        }
        for (int i = 0; i < runs; i++) {
            jobs.enqueue(Checksums::checksum, 1L);
        }
        return ResponseEntity.accepted().body(Map.of("enqueued", runs, "job", "reports.checksum"));
    }

    @GetMapping("/jobs/{id}")
    public ResponseEntity<JobInfo> job(@PathVariable UUID id) {
        return ResponseEntity.of(jobs.info(id));
    }

    /** The runs of a job that did not succeed, each with its error and stack trace. */
    @GetMapping("/jobs/{id}/attempts")
    public ResponseEntity<List<AttemptInfo>> attempts(@PathVariable UUID id) {
        return ResponseEntity.of(jobs.queries().details(id).map(JobDetails::attempts));
    }

    /** Jobs newest first, by state and name; pass the page's "next" as cursor for the one after. */
    @GetMapping("/jobs")
    public Page<JobSummary> list(
            @RequestParam(required = false) List<String> state,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "20") int size) {
        JobFilter filter = JobFilter.all();
        if (state != null && !state.isEmpty()) {
            filter = filter.inStates(
                    state.stream().map(PressroomController::state).toArray(JobState[]::new));
        }
        if (name != null) {
            filter = filter.named(name);
        }
        return jobs.queries().list(filter, cursor, size);
    }

    private static JobState state(String value) {
        try {
            return JobState.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "state must be one of " + java.util.Arrays.toString(JobState.values()) + ", was \"" + value + "\"");
        }
    }

    @DeleteMapping("/jobs/{id}")
    public ResponseEntity<Map<String, Object>> cancel(@PathVariable UUID id) {
        boolean cancelled = jobs.cancel(id);
        return ResponseEntity.status(cancelled ? HttpStatus.ACCEPTED : HttpStatus.CONFLICT)
                .body(Map.of("jobId", id.toString(), "cancelled", cancelled));
    }

    /** The recurring schedules: the nightly purge and the backlog check, with their next fire times. */
    @GetMapping("/schedules")
    public List<ScheduleInfo> schedules() {
        return jobs.schedules().list();
    }

    /** Runs a schedule's job now, outside its timing; the schedule's next fire time stays as it is. */
    @PostMapping("/schedules/{id}/trigger")
    public ResponseEntity<Map<String, String>> trigger(@PathVariable String id) {
        JobHandle<Object> job = jobs.schedules().trigger(id);
        return ResponseEntity.accepted().body(Map.of("jobId", job.id().toString()));
    }

    private static Duration duration(String name, String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 duration such as PT10S or P30D, was \"" + value + "\"");
        }
    }

    @ExceptionHandler(UnknownScheduleException.class)
    public ResponseEntity<Map<String, String>> notFound(UnknownScheduleException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler({IllegalArgumentException.class, TaskboundException.class})
    public ResponseEntity<Map<String, String>> badRequest(RuntimeException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
}
