package io.taskbound.engine;

import io.taskbound.JobRequest;
import io.taskbound.Jobs;

/**
 * The job name and JSON arguments that a request from {@link Jobs#prepare} (or one of the typed
 * {@code schedule} overloads) stores once enqueued. For tools and tests that look for the job an
 * enqueue stored, such as the test kit's assertions: they get the name from a method reference and
 * the arguments encoded by each parameter's declared type exactly as {@code jobs.enqueue(...)} does.
 *
 * @param name the registered job's name, as in {@code @Job(name)}
 * @param argumentsJson the arguments as the JSON array that is stored
 */
public record PreparedJob(String name, String argumentsJson) {

    /**
     * What {@code request} would store.
     *
     * @throws IllegalArgumentException if {@code request} was not made by a {@link Jobs} of the
     *     engine (a mock's, say)
     */
    public static PreparedJob of(JobRequest<?> request) {
        if (!(request instanceof DefaultJobRequest<?> ours)) {
            throw new IllegalArgumentException("Not a request made by Taskbound's Jobs: " + request
                    + "; make it with jobs.schedule(...) or jobs.prepare(...) on the application's Jobs bean");
        }
        return new PreparedJob(ours.definition().name(), ours.argumentsJson());
    }
}
