package io.taskbound.trace;

import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import io.taskbound.store.NewJob;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the engine tells the application's observability of enqueues and runs: {@link #NONE}, or
 * {@link ObservedJobs} when the application has a Micrometer {@code ObservationRegistry}. Its types
 * are the engine's own, so the engine loads no Micrometer class unless one is configured.
 */
public interface JobTracing {

    /** Observes nothing: enqueues insert their jobs as they are, runs have no observation. */
    JobTracing NONE = new JobTracing() {
        @Override
        public <T, X extends Exception> T enqueue(List<NewJob> jobs, Insert<T, X> insert) throws X {
            return insert.insert(jobs);
        }

        @Override
        public Run run(ClaimedJob job) {
            return Run.NONE;
        }
    };

    /**
     * Observes the enqueue of {@code jobs} while {@code insert} stores them, and hands it the jobs
     * with the trace context to store with each: the context of the enqueue's observation, which is
     * the caller's current one's child.
     */
    <T, X extends Exception> T enqueue(List<NewJob> jobs, Insert<T, X> insert) throws X;

    /** Begins the observation of a run of {@code job}, which ends with {@link Run#ended}. */
    Run run(ClaimedJob job);

    /** Stores jobs. */
    @FunctionalInterface
    interface Insert<T, X extends Exception> {
        T insert(List<NewJob> jobs) throws X;
    }

    /** The observation of one run. */
    interface Run {

        /** No observation. */
        Run NONE = new Run() {
            @Override
            public Scope openScope() {
                return Scope.NONE;
            }

            @Override
            public void ended(@Nullable Completion completion) {}
        };

        /**
         * Makes the run's observation the current one on this thread, for the job's own code and
         * log lines, until the scope is closed.
         */
        Scope openScope();

        /** Ends the observation with the run's outcome; null when the run was dropped unfinished. */
        void ended(@Nullable Completion completion);
    }

    /** A run's observation made current on a thread. */
    interface Scope extends AutoCloseable {

        Scope NONE = () -> {};

        @Override
        void close();
    }
}
