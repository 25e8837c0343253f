package io.taskbound.advice;

import io.taskbound.LaneAdvice;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the advisor reads a lane's looks: whether its concurrency is the bottleneck, and what to set
 * it to.
 *
 * <p>A lane is flagged when, over at least {@value #MIN_SAMPLES} looks, at least {@code
 * saturatedShare} of them found it saturated (every slot running, work waiting for one), and while
 * it was, this process kept less than {@code cpuBusyShare} of its available processors busy. Work
 * that waits for a slot while the cores idle is work a higher concurrency would start; a lane that
 * is saturated while the CPU is busy is computing as fast as the machine allows, and more slots
 * would only share the same cores, so it is not flagged.
 *
 * <p>The suggestion assumes the lane's CPU use grows with its concurrency, and that all the CPU
 * time seen was the lane's, which can only overstate it: the concurrency times {@code cpuBusyShare}
 * over the busy share seen keeps the CPU below {@code cpuBusyShare}. It is capped at {@value
 * #MAX_SCALE} times the current concurrency, since a lane whose jobs hardly compute would otherwise
 * be told a thousandfold, and is at least one more than now. The advisor looks again at the new
 * setting: a lane still held back after a step is flagged again.
 */
final class LaneRules {

    /** Looks at a lane in the window before it is judged. */
    static final int MIN_SAMPLES = 10;

    /** The most a suggestion multiplies a lane's concurrency by. */
    static final int MAX_SCALE = 4;

    private final double saturatedShare;
    private final double cpuBusyShare;

    LaneRules(double saturatedShare, double cpuBusyShare) {
        this.saturatedShare = saturatedShare;
        this.cpuBusyShare = cpuBusyShare;
    }

    /** The advice on {@code lane}, running {@code concurrency} at once, or null when it is not held back. */
    @Nullable
    LaneAdvice advise(String lane, int concurrency, LaneTally.Figures figures) {
        if (figures.samples() < MIN_SAMPLES || figures.cpuCapacityNanos() <= 0) {
            return null;
        }
        double saturated = (double) figures.saturated() / figures.samples();
        double cpuBusy = Math.clamp((double) figures.cpuNanos() / figures.cpuCapacityNanos(), 0.0, 1.0);
        if (saturated < saturatedShare || cpuBusy >= cpuBusyShare) {
            return null;
        }
        double held = figures.saturated() == 0 ? 0 : (double) figures.heldWhileSaturated() / figures.saturated();
        int suggested = suggest(concurrency, cpuBusy);
        String setting = "taskbound.lanes." + lane + ".concurrency=" + suggested;
        String slots = concurrency == 1 ? "its only slot" : "all " + concurrency + " of its slots";
        String reason = "Lane \"" + lane + "\" ran " + slots + " with work waiting in "
                + percent(saturated) + " of " + figures.samples() + " looks"
                + (held > 0 ? String.format(Locale.ROOT, " (%.1f jobs held for a slot on average)", held) : "")
                + " while this node's CPU was " + percent(cpuBusy) + " busy: its concurrency, not the machine,"
                + " holds its work back. Set " + setting + " to run more of it at once.";
        return new LaneAdvice(
                lane, concurrency, figures.samples(), saturated, held, cpuBusy, suggested, setting, reason);
    }

    /**
     * The concurrency that would keep the CPU below {@code cpuBusyShare} if the lane used all of the
     * {@code cpuBusy} seen: scaled by their ratio, at most {@value #MAX_SCALE} times, at least one more.
     */
    int suggest(int concurrency, double cpuBusy) {
        double scale = cpuBusy <= 0 ? MAX_SCALE : Math.min(MAX_SCALE, cpuBusyShare / cpuBusy);
        // Less a hair, so that a product that is whole but for rounding (3 × 0.5 / 0.3) is not rounded up past it.
        long scaled = (long) Math.ceil(concurrency * scale - 1e-9);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(concurrency + 1L, scaled));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
}
