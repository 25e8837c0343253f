package io.taskbound;

import java.util.List;

/**
 * Everything stored about a job but its log: the job, with arguments, result and timings, and each
 * of its runs that did not succeed, oldest first. Its log lines are paged by {@link
 * JobQueries#logs}.
 */
public record JobDetails(JobInfo job, List<AttemptInfo> attempts) {

    public JobDetails {
        attempts = List.copyOf(attempts);
    }
}
