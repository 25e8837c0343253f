package io.taskbound.autoconfigure;

import io.taskbound.advice.Advisor;
import io.taskbound.advice.LaneWatch;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The bound advisor, {@code taskbound.advisor.*}: how it looks at this instance's runs.
 *
 * @param enabled whether the advisor watches runs at all
 * @param window how far back it looks, per job name: between half of it and all of it
 * @param minRuns runs of a job name in the window before it says anything of it
 * @param memoryHeavy allocation per run (or a worker's heap peak) from which a job is heavy on
 *     memory and belongs on the memory lane; unset, a quarter of the application's heap, at most 1GB
 * @param samplingPeriod how often JDK Flight Recorder samples the jobs running on virtual threads,
 *     whose CPU time the JVM does not count; 0 not to sample them, leaving it unknown
 * @param lanes how it looks, over the same window, for lanes held back by their concurrency
 */
@ConfigurationProperties("taskbound.advisor")
public record TaskboundAdvisorProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10m") Duration window,

        @DefaultValue("" + Advisor.Settings.DEFAULT_MIN_RUNS)
        int minRuns,

        @Nullable DataSize memoryHeavy,
        @DefaultValue("20ms") Duration samplingPeriod,
        @DefaultValue Lanes lanes) {

    /**
     * The lane advice, {@code taskbound.advisor.lanes.*}: a lane is flagged when it was saturated
     * (every slot running, work waiting for one) in at least {@code saturatedShare} of the looks
     * while this instance kept less than {@code cpuBusyShare} of its processors busy.
     *
     * @param samplingPeriod how often the advisor looks at each lane
     * @param saturatedShare the share of looks, above 0 and at most 1, that must find a lane saturated
     * @param cpuBusyShare the share of the processors, above 0 and at most 1, from which the CPU is
     *     busy enough that a saturated lane is not flagged
     */
    public record Lanes(
            @DefaultValue("1s") Duration samplingPeriod,

            @DefaultValue("" + LaneWatch.Settings.DEFAULT_SATURATED_SHARE)
            double saturatedShare,

            @DefaultValue("" + LaneWatch.Settings.DEFAULT_CPU_BUSY_SHARE)
            double cpuBusyShare) {}

    /** The engine's settings, or null when the advisor is off; a value it refuses names its property. */
    Advisor.@Nullable Settings toSettings() {
        if (!enabled) {
            return null;
        }
        try {
            return new Advisor.Settings(
                    window,
                    minRuns,
                    memoryHeavy == null ? Advisor.Settings.defaultMemoryHeavyBytes() : memoryHeavy.toBytes(),
                    samplingPeriod.isZero() ? null : samplingPeriod,
                    new LaneWatch.Settings(lanes.samplingPeriod(), lanes.saturatedShare(), lanes.cpuBusyShare()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid taskbound.advisor." + refused() + ": " + e.getMessage(), e);
        }
    }

    // The property whose value the engine refused, to name it.
    private String refused() {
        if (window.isNegative() || window.isZero()) {
            return "window";
        }
        if (minRuns < 1) {
            return "min-runs";
        }
        if (memoryHeavy != null && memoryHeavy.toBytes() < 1) {
            return "memory-heavy";
        }
        if (samplingPeriod.isNegative() || (!samplingPeriod.isZero() && samplingPeriod.toMillis() < 1)) {
            return "sampling-period";
        }
        if (lanes.samplingPeriod().toMillis() < 1) {
            return "lanes.sampling-period";
        }
        if (!(lanes.saturatedShare() > 0 && lanes.saturatedShare() <= 1)) {
            return "lanes.saturated-share";
        }
        return "lanes.cpu-busy-share";
    }
}
