package io.taskbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The read side of the job store, for dashboards and tools: listings with keyset paging, a job's
 * details and log, the nodes, and counts per state. Every call is one or two indexed statements,
 * however many jobs are stored. Reach it with {@link Jobs#queries()}.
 */
public interface JobQueries {

    /** The most rows one page may have. */
    int MAX_PAGE_SIZE = 1_000;

    /**
     * Jobs that {@code filter} takes, newest first (by creation, ties in a fixed order).
     *
     * @param cursor null for the first page, else the {@link Page#next()} of the page before
     * @param size rows per page, 1 to {@value #MAX_PAGE_SIZE}
     * @throws IllegalArgumentException naming the cursor or size, if either is not valid
     */
    Page<JobSummary> list(JobFilter filter, @Nullable String cursor, int size);

    /** A job with its arguments, result, timings and failed runs, or empty if none has that id. */
    Optional<JobDetails> details(UUID jobId);

    /**
     * A job's log lines, oldest first.
     *
     * @param cursor null for the first page, else the {@link Page#next()} of the page before
     */
    Page<JobLogLine> logs(UUID jobId, @Nullable String cursor, int size);

    /** The nodes that are registered now, by name, with the lanes each runs and its version. */
    List<NodeInfo> nodes();

    /**
     * What each lane of the cluster is doing, per job name: jobs waiting, running and held, and the
     * runs of the last minute with their throughput and latencies. Made of the figures every node
     * publishes each {@code taskbound.figures-interval} and of a count of the queue that one node
     * makes per interval while the figures are being read; no call counts the job table itself,
     * except the first after a quiet spell, which counts the queue once for every reader.
     */
    LaneReport lanes();

    /**
     * How many jobs {@code filter} takes, counting no further than {@code upTo}: a result equal to
     * {@code upTo} means at least that many. For a confirmation such as "delete 312 jobs?", which
     * stops at "more than 10,000" rather than counting millions. A filter no index serves (text in
     * the arguments, a rare name) reads rows until it has {@code upTo} matches: at worst the whole
     * table, one statement.
     *
     * @throws IllegalArgumentException if {@code upTo} is below 1
     */
    long count(JobFilter filter, long upTo);

    /**
     * As {@link #count(JobFilter, long)}, but giving up after {@code within}: empty if counting took
     * longer. For a confirmation that must answer at once, whatever the filter.
     *
     * @throws IllegalArgumentException if {@code upTo} is below 1 or {@code within} is not positive
     */
    OptionalLong count(JobFilter filter, long upTo, Duration within);

    /**
     * How many jobs are in each state: exact up to {@code 10,000}, estimated above from the
     * planner's statistics (asked again at most every 30 seconds).
     */
    Map<JobState, StateCount> counts();
}
