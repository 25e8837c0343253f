package io.taskbound.event;

import io.taskbound.JobEvent;
import io.taskbound.JobListener;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/** Keeps every event it is told, in order, and waits for the ones a test expects. */
final class RecordingListener implements JobListener {

    final List<JobEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(JobEvent event) {
        events.add(event);
    }

    /** The events of one job, in the order they arrived. */
    List<JobEvent> of(UUID jobId) {
        return events.stream().filter(event -> event.jobId().equals(jobId)).toList();
    }

    List<JobEvent.Kind> kindsOf(UUID jobId) {
        return of(jobId).stream().map(JobEvent::kind).toList();
    }

    /** Waits for the job's first event of {@code kind} after {@code seen} of them, and returns it. */
    JobEvent await(UUID jobId, JobEvent.Kind kind, int seen) {
        Awaitility.await("event " + kind + " #" + (seen + 1) + " of job " + jobId)
                .atMost(Duration.ofSeconds(30))
                .until(() -> count(jobId, kind) > seen);
        return of(jobId).stream().filter(event -> event.kind() == kind).toList().get(seen);
    }

    JobEvent await(UUID jobId, JobEvent.Kind kind) {
        return await(jobId, kind, 0);
    }

    private long count(UUID jobId, JobEvent.Kind kind) {
        return of(jobId).stream().filter(event -> event.kind() == kind).count();
    }
}
