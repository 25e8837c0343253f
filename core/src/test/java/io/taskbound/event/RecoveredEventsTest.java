package io.taskbound.event;

import static io.taskbound.JobEvent.Kind.DEAD;
import static io.taskbound.JobEvent.Kind.FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.transaction.support.TransactionSynchronization.STATUS_COMMITTED;
import static org.springframework.transaction.support.TransactionSynchronization.STATUS_ROLLED_BACK;

import io.taskbound.Bound;
import io.taskbound.JobEvent;
import io.taskbound.JobState;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.ChangedJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * The jobs a dead-node sweep recovers are reported as its other changes are: told inside the
 * sweep's transaction, queued only once it commits, forgotten when it rolls back.
 */
class RecoveredEventsTest {

    private final RecordingListener listener = new RecordingListener();
    private final EventQueue queue = new EventQueue(List.of(listener), 100);
    private final JobEvents events =
            new JobEvents(queue, new JobRegistry(TaskboundSettings.defaults()), Clock.systemUTC());

    @BeforeEach
    void start() {
        queue.start();
    }

    @AfterEach
    void stop() {
        queue.stop(Duration.ofSeconds(5));
    }

    @Test
    void aSweepThatRollsBackReportsNothingAndOneThatCommitsReportsEachJobByWhatItBecame() {
        ChangedJob undone = recovered(JobState.QUEUED);
        ChangedJob requeued = recovered(JobState.QUEUED);
        ChangedJob lastAttempt = recovered(JobState.DEAD);

        sweep(List.of(undone), STATUS_ROLLED_BACK);
        sweep(List.of(requeued, lastAttempt), STATUS_COMMITTED);

        JobEvent failed = listener.await(requeued.id(), FAILED);
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.error()).isEqualTo("Node lost");
        listener.await(lastAttempt.id(), DEAD);
        // Queued in the order they were told: had the rolled-back one been queued, it would be here.
        assertThat(listener.of(undone.id())).isEmpty();
    }

    private static ChangedJob recovered(JobState state) {
        Instant now = Instant.now();
        return new ChangedJob(UUID.randomUUID(), "sweep.job", "io", Bound.IO, state, 1, 3, now, now, "Node lost");
    }

    // As the store's sweep does: told while its transaction is open, then the transaction ends.
    private void sweep(List<ChangedJob> jobs, int outcome) {
        TransactionSynchronizationManager.initSynchronization();
        try {
            events.recovered(jobs);
            if (outcome == STATUS_COMMITTED) {
                TransactionSynchronizationUtils.triggerAfterCommit();
            }
            TransactionSynchronizationUtils.invokeAfterCompletion(
                    TransactionSynchronizationManager.getSynchronizations(), outcome);
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }
}
