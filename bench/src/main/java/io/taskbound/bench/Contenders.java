package io.taskbound.bench;

import io.taskbound.bench.contender.DbSchedulerContender;
import io.taskbound.bench.contender.JobRunrContender;
import io.taskbound.bench.contender.RawFloorContender;
import io.taskbound.bench.contender.TaskboundContender;
import java.util.List;

/** The contenders by name. */
public final class Contenders {

    public static final List<String> ALL = List.of("taskbound", "jobrunr", "db-scheduler", "raw-floor");

    /**
     * Variants run only when asked for: Taskbound with Micrometer metrics ({@code --metrics}); and with
     * metrics and observations, whose one handler does nothing or which become timers and traces, one
     * in ten or every one sampled ({@code --tracing}).
     */
    public static final List<String> VARIANTS = List.of(
            TaskboundContender.WITH_METRICS,
            TaskboundContender.OBSERVED,
            TaskboundContender.TRACED,
            TaskboundContender.TRACED_ALL);

    private Contenders() {}

    public static Contender create(String name) {
        return switch (name) {
            case "taskbound" -> new TaskboundContender();
            case "jobrunr" -> new JobRunrContender();
            case "db-scheduler" -> new DbSchedulerContender();
            case "raw-floor" -> new RawFloorContender();
            case TaskboundContender.WITH_METRICS -> TaskboundContender.withMetrics();
            case TaskboundContender.OBSERVED -> TaskboundContender.observed();
            case TaskboundContender.TRACED -> TaskboundContender.traced(false);
            case TaskboundContender.TRACED_ALL -> TaskboundContender.traced(true);
            default ->
                throw new IllegalArgumentException(
                        "Unknown contender \"" + name + "\": use one of " + ALL + " or " + VARIANTS);
        };
    }
}
