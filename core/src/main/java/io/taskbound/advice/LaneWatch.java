package io.taskbound.advice;

import io.taskbound.LaneAdvice;
import io.taskbound.loop.Loop;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at this node's lanes once per sampling period, off every job's path: whether each runs all
 * its slots with work waiting ({@link LaneLoad#saturated()}), and how much CPU time this process
 * spent since the look before, against what its available processors could have spent. {@link
 * LaneRules} reads the looks; a lane held back by its concurrency is logged once, at warn.
 *
 * <p>The CPU measured is this process's ({@code getProcessCpuTime} of the JVM's operating system
 * bean) over the elapsed time times {@link Runtime#availableProcessors()}: in a container, where
 * an application usually runs, that is the share of the container's processors in use. Other
 * processes on a shared host are not seen; a JVM whose bean does not tell its CPU time has lanes
 * never flagged.
 *
 * <p>Like the advisor's runs, the looks go to two halves of the window, the newer and the older,
 * and a lane is judged on both once the watch has looked for half a window.
 */
public final class LaneWatch extends Loop {

    private static final Logger log = LoggerFactory.getLogger(LaneWatch.class);

    /** How often at most the watch looks whether a lane needs a warning, and so reads the pauses. */
    private static final long CHECK_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    /**
     * How the advisor looks at lanes.
     *
     * @param samplingPeriod how often it looks at each lane
     * @param saturatedShare the share of looks, above 0 and at most 1, that must find a lane
     *     saturated for it to be flagged
     * @param cpuBusyShare the share of the processors, above 0 and at most 1, that the process keeps
     *     busy while the lane is saturated from which the lane is not flagged: its work then competes
     *     for the cores
     */
    public record Settings(Duration samplingPeriod, double saturatedShare, double cpuBusyShare) {

        public static final Duration DEFAULT_SAMPLING_PERIOD = Duration.ofSeconds(1);
        public static final double DEFAULT_SATURATED_SHARE = 0.5;
        public static final double DEFAULT_CPU_BUSY_SHARE = 0.5;

        public Settings {
            Objects.requireNonNull(samplingPeriod, "samplingPeriod");
            if (samplingPeriod.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "The advisor's lane sampling period must be at least 1 ms, was " + samplingPeriod);
            }
            if (!(saturatedShare > 0 && saturatedShare <= 1)) {
                throw new IllegalArgumentException(
                        "The advisor's saturated share must be above 0 and at most 1, was " + saturatedShare);
            }
            if (!(cpuBusyShare > 0 && cpuBusyShare <= 1)) {
                throw new IllegalArgumentException(
                        "The advisor's CPU busy share must be above 0 and at most 1, was " + cpuBusyShare);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_SAMPLING_PERIOD, DEFAULT_SATURATED_SHARE, DEFAULT_CPU_BUSY_SHARE);
        }
    }

    /** One lane's two halves of the window. */
    private static final class Window {
        LaneTally newer;
        LaneTally older;
        int concurrency;

        Window(long now) {
            newer = new LaneTally(now);
            older = new LaneTally(now);
        }
    }

    private final Supplier<List<LaneLoad>> lanes;
    private final Supplier<Set<String>> paused;
    private final Settings settings;
    private final LaneRules rules;
    private final long halfWindowNanos;
    private final LongSupplier processCpuNanos;
    private final IntSupplier processors;
    private final Map<String, Window> windows = new HashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    // Written by the loop's thread only.
    private long lastLookNanos = -1;
    private long lastCpuNanos = -1;
    private long lastCheckNanos;
    private final LongSupplier nanoTime;
    private final long startedAtNanos;

    /**
     * @param lanes this node's lanes as they are now
     * @param paused the lanes paused now; read only when a lane would be flagged, at most once a second
     * @param window the advisor's window
     */
    public LaneWatch(Supplier<List<LaneLoad>> lanes, Supplier<Set<String>> paused, Duration window, Settings settings) {
        this(
                lanes,
                paused,
                window,
                settings,
                processCpuTime(),
                Runtime.getRuntime()::availableProcessors,
                System::nanoTime);
    }

    LaneWatch(
            Supplier<List<LaneLoad>> lanes,
            Supplier<Set<String>> paused,
            Duration window,
            Settings settings,
            LongSupplier processCpuNanos,
            IntSupplier processors,
            LongSupplier nanoTime) {
        super("taskbound-lane-watch");
        this.lanes = lanes;
        this.paused = paused;
        this.settings = settings;
        this.rules = new LaneRules(settings.saturatedShare(), settings.cpuBusyShare());
        this.halfWindowNanos = window.toNanos() / 2;
        this.processCpuNanos = processCpuNanos;
        this.processors = processors;
        this.nanoTime = nanoTime;
        this.startedAtNanos = nanoTime.getAsLong();
        this.lastCheckNanos = startedAtNanos - CHECK_INTERVAL_NANOS;
    }

    @Override
    protected Duration runOnce() {
        look();
        warnOnce();
        return settings.samplingPeriod();
    }

    /** Looks at every lane now. */
    void look() {
        long now = nanoTime.getAsLong();
        long cpu = processCpuNanos.getAsLong();
        long spent = -1;
        long capacity = 0;
        if (cpu >= 0 && lastCpuNanos >= 0 && now > lastLookNanos) {
            spent = Math.max(0, cpu - lastCpuNanos);
            capacity = (now - lastLookNanos) * Math.max(1, processors.getAsInt());
        }
        List<LaneLoad> loads = lanes.get();
        synchronized (this) {
            for (LaneLoad load : loads) {
                Window window = windows.computeIfAbsent(load.lane(), lane -> new Window(now));
                if (now - window.newer.startedAtNanos > halfWindowNanos) {
                    window.older = window.newer;
                    window.newer = new LaneTally(now);
                }
                window.concurrency = load.concurrency();
                window.newer.add(load, spent, capacity);
            }
        }
        lastLookNanos = now;
        lastCpuNanos = cpu;
    }

    /**
     * The lanes held back by their concurrency, by name: none until the watch has looked for half a
     * window, and none that is paused.
     */
    public List<LaneAdvice> findings() {
        List<LaneAdvice> found = candidates(nanoTime.getAsLong());
        if (found.isEmpty()) {
            return found;
        }
        Set<String> pausedNow = paused.get();
        return found.stream()
                .filter(advice -> !pausedNow.contains(advice.lane()))
                .toList();
    }

    private List<LaneAdvice> candidates(long now) {
        if (now - startedAtNanos < halfWindowNanos) {
            return List.of();
        }
        List<LaneAdvice> found = new ArrayList<>();
        synchronized (this) {
            windows.forEach((lane, window) -> {
                LaneAdvice advice = rules.advise(lane, window.concurrency, window.newer.with(window.older));
                if (advice != null) {
                    found.add(advice);
                }
            });
        }
        found.sort(Comparator.comparing(LaneAdvice::lane));
        return found;
    }

    // At most once a second, and only while a lane not yet warned about would be flagged: the
    // pauses are read from the store.
    void warnOnce() {
        long now = nanoTime.getAsLong();
        if (now - lastCheckNanos < CHECK_INTERVAL_NANOS) {
            return;
        }
        lastCheckNanos = now;
        if (candidates(now).stream().allMatch(advice -> warned.contains(advice.lane()))) {
            return;
        }
        for (LaneAdvice advice : findings()) {
            if (warned.add(advice.lane())) {
                log.warn("{} (bound advisor)", advice.reason());
            }
        }
    }

    // This process's CPU time in nanoseconds, or -1 where the JVM does not tell it.
    private static LongSupplier processCpuTime() {
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        if (bean instanceof com.sun.management.OperatingSystemMXBean os) {
            return os::getProcessCpuTime;
        }
        return () -> -1;
    }
}
