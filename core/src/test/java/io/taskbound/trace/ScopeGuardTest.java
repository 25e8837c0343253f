package io.taskbound.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.ClaimedJob;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A handler that fails while a run's scope opens or closes leaves the thread's current observation
 * as it was before the run: on a pooled thread it would otherwise be the parent of whatever the
 * thread observes next. Handlers that did open their scope are told to close it.
 */
class ScopeGuardTest {

    private final ObservationRegistry registry = ObservationRegistry.create();
    private final Counting counting = new Counting();
    private final ObservedJobs observed = new ObservedJobs(registry, new JobRegistry(TaskboundSettings.defaults()));
    private final ClaimedJob job =
            new ClaimedJob(UUID.randomUUID(), "scope.job", "io", "[]", 1, 3, null, UUID.randomUUID(), null, 0L, null);

    @Test
    void aHandlerFailingAsARunsScopeOpensLeavesTheCallersObservationCurrent() {
        registry.observationConfig().observationHandler(counting).observationHandler(new Failing(true, false));
        Observation request = Observation.start("http.request", registry);

        try (Observation.Scope outer = request.openScope()) {
            JobTracing.Run run = observed.run(job);
            try (JobTracing.Scope scope = run.openScope()) {
                assertThat(registry.getCurrentObservation())
                        .as("the run's scope failed to open: the request's is current")
                        .isSameAs(request);
            }
            run.ended(null);
            assertThat(registry.getCurrentObservation()).isSameAs(request);
            assertThat(counting.open)
                    .as("the handler's scope of the run is gone, the request's is open again")
                    .isEqualTo(1);
        }
        assertThat(registry.getCurrentObservation()).isNull();
    }

    @Test
    void aHandlerFailingAsARunsScopeClosesLeavesNothingOfTheRunCurrent() {
        registry.observationConfig()
                .observationHandler(new Failing(false, true))
                .observationHandler(counting);

        JobTracing.Run run = observed.run(job);
        try (JobTracing.Scope scope = run.openScope()) {
            assertThat(registry.getCurrentObservation().getContext()).isInstanceOf(RunContext.class);
        }
        run.ended(null);

        assertThat(registry.getCurrentObservation()).isNull();
        assertThat(registry.getCurrentObservationScope()).isNull();
        assertThat(counting.open).isZero();
    }

    @Test
    void aHandlerFailingAsARunsScopeClosesBeforeOthersAreToldLeavesNoneOfTheirScopesOpen() {
        // Closing goes through the handlers in reverse: the failing one is told first, and Micrometer
        // tells none after it.
        registry.observationConfig().observationHandler(counting).observationHandler(new Failing(false, true));

        JobTracing.Run run = observed.run(job);
        try (JobTracing.Scope scope = run.openScope()) {
            assertThat(counting.open).isEqualTo(1);
        }
        run.ended(null);

        assertThat(registry.getCurrentObservation()).isNull();
        assertThat(counting.open).as("the handler's scope was reset").isZero();
    }

    @Test
    void withoutFailuresARunsScopeIsCurrentWhileOpenAndGoneAfter() {
        registry.observationConfig().observationHandler(counting);

        JobTracing.Run run = observed.run(job);
        try (JobTracing.Scope scope = run.openScope()) {
            assertThat(registry.getCurrentObservation().getContext()).isInstanceOf(RunContext.class);
            assertThat(counting.open).isEqualTo(1);
        }
        run.ended(null);

        assertThat(registry.getCurrentObservation()).isNull();
        assertThat(counting.open).isZero();
    }

    /**
     * Counts the scopes it has open on the thread, as a tracer keeps its current span; a reset
     * clears them all, as it clears a tracer's.
     */
    private static final class Counting implements ObservationHandler<Observation.Context> {
        int open;

        @Override
        public void onScopeReset(Observation.Context context) {
            open = 0;
        }

        @Override
        public void onScopeOpened(Observation.Context context) {
            open++;
        }

        @Override
        public void onScopeClosed(Observation.Context context) {
            open--;
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    /** Throws where a run's scope opens, or closes. */
    private record Failing(boolean atOpen, boolean atClose) implements ObservationHandler<Observation.Context> {
        @Override
        public void onScopeOpened(Observation.Context context) {
            if (atOpen && context instanceof RunContext) {
                throw new IllegalStateException("handler broken at scope open");
            }
        }

        @Override
        public void onScopeClosed(Observation.Context context) {
            if (atClose && context instanceof RunContext) {
                throw new IllegalStateException("handler broken at scope close");
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
