package io.taskbound.bench;

import javax.sql.DataSource;

/**
 * One job system under test, inside a worker JVM. Jobs call {@link Probe#run(JobKind, int)} and do
 * nothing else, so that contenders differ only in how they store, claim and complete jobs.
 */
public interface Contender extends AutoCloseable {

    /** The name used on the command line and in the report. */
    String name();

    /** The settings used, and why they are fair, for the report. */
    String settings();

    /** Creates the contender's schema and client on a fresh database; enqueue works after this. */
    void prepare(DataSource dataSource) throws Exception;

    /** Starts processing jobs on this node. */
    void start() throws Exception;

    /** Enqueues {@code count} jobs of {@code kind}, indices {@code from} onwards, as one bulk operation. */
    void enqueueBulk(JobKind kind, int from, int count) throws Exception;

    /** Enqueues one job, as a request handler would. */
    void enqueue(JobKind kind, int index) throws Exception;

    /**
     * Jobs finished as the store sees it, for scenarios with several nodes; {@code enqueued} is how
     * many were enqueued, for stores that delete finished jobs.
     */
    long finishedInStore(DataSource dataSource, long enqueued) throws Exception;

    /** Stops processing and releases everything. */
    @Override
    void close() throws Exception;
}
