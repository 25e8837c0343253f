package io.taskbound.run;

import io.taskbound.job.JobMdc;
import io.taskbound.store.ClaimedJob;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a job's {@code JobContext} log lines go besides its stored log: SLF4J, at info, under the
 * logger {@code <prefix>.<job name>} (by default {@value #DEFAULT_PREFIX}{@code .reports.render}),
 * with the job in the MDC ({@link JobMdc}), so that they reach the application's own log files and
 * aggregators, and a level per job name or for all of them turns them down or off.
 */
public final class JobLines {

    /** The logger names' default prefix. */
    public static final String DEFAULT_PREFIX = "taskbound.job";

    /** Lines written only to the job's stored log. */
    public static final JobLines STORED_ONLY = new JobLines(null);

    private final @Nullable String prefix;

    private JobLines(@Nullable String prefix) {
        this.prefix = prefix;
    }

    /**
     * Lines written to SLF4J under {@code prefix}; a blank prefix writes them only to the stored log.
     */
    public static JobLines under(@Nullable String prefix) {
        return prefix == null || prefix.isBlank() ? STORED_ONLY : new JobLines(prefix.strip());
    }

    /** Writes {@code line} of {@code job} to SLF4J, if its logger is on. */
    void write(ClaimedJob job, String line) {
        if (prefix == null) {
            return;
        }
        Logger logger = LoggerFactory.getLogger(prefix + "." + job.name());
        if (!logger.isInfoEnabled()) {
            return;
        }
        // A line of a job that runs on this thread has its keys already; one relayed from a worker
        // JVM or a command is written on its lane's thread, which gets them for the line.
        if (JobMdc.holds(job.id())) {
            logger.info(line);
            return;
        }
        try (JobMdc.Scope scope = JobMdc.open(job.id(), job.name(), job.attempt(), job.lane())) {
            logger.info(line);
        }
    }

    @Override
    public String toString() {
        return prefix == null ? "JobLines[stored only]" : "JobLines[" + prefix + ".<job name>]";
    }
}
