package io.taskbound.advice;

import io.taskbound.BoundAdvice;
import io.taskbound.BoundAdvisor;
import io.taskbound.LaneAdvice;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.JobDefinition;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound advisor of one node: each run that ends here adds its wall time, and the CPU time and
 * allocation its thread or worker measured, to its job name's window; runs on virtual threads get
 * theirs from {@link RunSampler}. {@link BoundRules} reads the window; a mismatch is logged once per
 * job name, at warn, when it is first seen with a confidence of at least one half (the advisor
 * looks at most once a second per name, as runs end and samples come).
 *
 * <p>The window is two halves of {@link Settings#window}: runs go to the newer, and when it is
 * older than half the window it becomes the older one and the oldest is dropped. So the advisor
 * looks back between half a window and a whole one, and a job that changed is seen as it is now
 * within a window.
 *
 * <p>Over the same window, a {@link LaneWatch} looks at this node's lanes for those held back by
 * their concurrency rather than by the machine ({@link #lanes()}).
 */
public final class Advisor implements BoundAdvisor, RunSampler.Sink {

    private static final Logger log = LoggerFactory.getLogger(Advisor.class);

    /** Of the runs of a name past twice the minimum, one in this many on virtual threads is sampled. */
    static final int SAMPLE_EVERY = 8;

    /** How often at most the advisor looks whether one job name needs a warning. */
    private static final long CHECK_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    /**
     * How the advisor looks.
     *
     * @param window how far back it looks: between half of it and all of it
     * @param minRuns runs of a name in the window before it says anything of it
     * @param memoryHeavyBytes allocation per run (or worker heap peak) from which a job is heavy on
     *     memory: by default {@link #defaultMemoryHeavyBytes()}
     * @param samplingPeriod how often JFR samples the CPU of jobs on virtual threads; null not to
     *     sample, leaving their CPU time unknown
     * @param lanes how it looks at this node's lanes, over the same window
     */
    public record Settings(
            Duration window,
            int minRuns,
            long memoryHeavyBytes,
            @Nullable Duration samplingPeriod,
            LaneWatch.Settings lanes) {

        public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
        public static final int DEFAULT_MIN_RUNS = 20;
        /** The most the default memory-heavy threshold is: 1 GiB. */
        public static final long DEFAULT_MEMORY_HEAVY_BYTES = 1024L * 1024 * 1024;

        public static final Duration DEFAULT_SAMPLING_PERIOD = Duration.ofMillis(20);

        public Settings {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("The advisor's window must be positive, was " + window);
            }
            if (minRuns < 1) {
                throw new IllegalArgumentException("The advisor needs at least 1 run of a job, was " + minRuns);
            }
            if (memoryHeavyBytes < 1) {
                throw new IllegalArgumentException(
                        "The advisor's memory-heavy threshold must be positive, was " + memoryHeavyBytes);
            }
            if (samplingPeriod != null && samplingPeriod.toMillis() < 1) {
                throw new IllegalArgumentException("The advisor's sampling period must be at least 1 ms, was "
                        + samplingPeriod + "; leave it unset not to sample");
            }
            Objects.requireNonNull(lanes, "lanes");
        }

        /** Settings that look at lanes in the default way. */
        public Settings(Duration window, int minRuns, long memoryHeavyBytes, @Nullable Duration samplingPeriod) {
            this(window, minRuns, memoryHeavyBytes, samplingPeriod, LaneWatch.Settings.defaults());
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_WINDOW, DEFAULT_MIN_RUNS, defaultMemoryHeavyBytes(), DEFAULT_SAMPLING_PERIOD);
        }

        /**
         * A quarter of this JVM's heap ({@code -Xmx}), at most 1 GiB: a job whose runs allocate or
         * hold that much shares the application's heap with the web requests at their cost, however
         * large the heap, and in a small one it does at a quarter of it.
         */
        public static long defaultMemoryHeavyBytes() {
            long maxHeap = Runtime.getRuntime().maxMemory();
            return maxHeap == Long.MAX_VALUE
                    ? DEFAULT_MEMORY_HEAVY_BYTES
                    : Math.min(DEFAULT_MEMORY_HEAVY_BYTES, Math.max(1, maxHeap / 4));
        }
    }

    /** One job name's two halves of the window. */
    private final class Window {
        private volatile RunProfile newer = new RunProfile(System.nanoTime());
        private volatile RunProfile older = new RunProfile(newer.startedAtNanos);
        final AtomicLong seen = new AtomicLong();
        final AtomicLong started = new AtomicLong();
        volatile long lastCheckNanos = System.nanoTime() - CHECK_INTERVAL_NANOS;

        RunProfile current() {
            RunProfile now = newer;
            if (System.nanoTime() - now.startedAtNanos > halfWindowNanos) {
                synchronized (this) {
                    if (newer == now) {
                        older = now;
                        newer = new RunProfile(System.nanoTime());
                    }
                }
            }
            return newer;
        }

        RunProfile.Figures figures() {
            RunProfile now = current();
            return now.with(older);
        }
    }

    private final JobCatalog jobs;
    private final Settings settings;
    private final BoundRules rules;
    private final long halfWindowNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile @Nullable RunSampler sampler;
    private volatile @Nullable LaneWatch laneWatch;

    public Advisor(JobCatalog jobs, Settings settings) {
        this.jobs = jobs;
        this.settings = settings;
        this.rules = new BoundRules(settings.minRuns(), settings.memoryHeavyBytes());
        this.halfWindowNanos = settings.window().toNanos() / 2;
    }

    /** Starts sampling the CPU of runs on virtual threads, if the settings ask for it and JFR is there. */
    public void start() {
        Duration period = settings.samplingPeriod();
        if (period == null || sampler != null) {
            return;
        }
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            log.info("The bound advisor cannot sample the CPU of jobs on virtual threads: this Java runtime has no"
                    + " JDK Flight Recorder (module jdk.jfr); their CPU time stays unknown");
            return;
        }
        try {
            sampler = RunSampler.start(period, this);
        } catch (RuntimeException | Error e) {
            log.warn(
                    "The bound advisor could not start sampling with JDK Flight Recorder; the CPU time of jobs on"
                            + " virtual threads stays unknown",
                    e);
        }
        RunSampler started = sampler;
        if (started != null) {
            log.debug("Bound advisor sampling virtual threads' CPU with {} every {}", started.cpuEvent(), period);
        }
    }

    public void stop() {
        RunSampler running = sampler;
        sampler = null;
        if (running != null) {
            running.close();
        }
    }

    /**
     * A run of {@code jobName} starts on {@code thread}, a virtual thread: whether its CPU is
     * sampled. Every run of a name is, up to twice the minimum of runs in its window; after that one
     * in {@value #SAMPLE_EVERY}, which keeps the figures and spares a busy lane the bookkeeping.
     */
    public boolean sampling(Thread thread, String jobName) {
        RunSampler running = sampler;
        if (running == null) {
            return false;
        }
        long started =
                windows.computeIfAbsent(jobName, name -> new Window()).started.getAndIncrement();
        if (started >= 2L * settings.minRuns() && started % SAMPLE_EVERY != 0) {
            return false;
        }
        running.running(thread, jobName);
        return true;
    }

    /** The sampled run on {@code thread} has ended. */
    public void endedOnVirtualThread(Thread thread) {
        RunSampler running = sampler;
        if (running != null) {
            running.ended(thread);
        }
    }

    /**
     * A run of {@code jobName} on {@code lane} ended after {@code wallMicros}, with what was measured
     * of it (null for unknown); {@code sampled} when it ran on a virtual thread whose CPU was sampled.
     */
    public void ran(
            String jobName,
            String lane,
            long wallMicros,
            @Nullable Long cpuMicros,
            @Nullable Long allocatedBytes,
            @Nullable Long peakHeapBytes,
            boolean sampled) {
        Window window = windows.computeIfAbsent(jobName, name -> new Window());
        RunProfile profile = window.current();
        long wallNanos = wallMicros * 1_000;
        profile.lane = lane;
        profile.runs.increment();
        profile.wallNanos.add(wallNanos);
        if (cpuMicros != null) {
            profile.measuredCpuNanos.add(cpuMicros * 1_000);
            profile.measuredCpuWallNanos.add(wallNanos);
        } else if (sampled && sampler != null) {
            profile.sampledRuns.increment();
            profile.sampledWallNanos.add(wallNanos);
        }
        if (allocatedBytes != null) {
            profile.measuredAllocatedBytes.add(allocatedBytes);
            profile.measuredAllocationRuns.increment();
            profile.measuredAllocationWallNanos.add(wallNanos);
        }
        if (peakHeapBytes != null) {
            profile.peakHeapBytes.accumulateAndGet(peakHeapBytes, Math::max);
        }
        window.seen.incrementAndGet();
        maybeWarn(jobName, window);
    }

    @Override
    public void sampledCpu(String jobName, long nanos) {
        Window window = windows.computeIfAbsent(jobName, name -> new Window());
        window.current().sampledCpuNanos.add(nanos);
        maybeWarn(jobName, window);
    }

    @Override
    public void sampledAllocation(String jobName, long bytes) {
        Window window = windows.computeIfAbsent(jobName, name -> new Window());
        window.current().sampledAllocatedBytes.add(bytes);
        maybeWarn(jobName, window);
    }

    // Samples come after their runs ended: a name whose last runs were judged before their samples
    // came is judged again once they are in.
    @Override
    public void flushed() {
        windows.forEach(this::maybeWarn);
    }

    // From runs and from samples, which may come after a name's last run: at most once a second
    // per name, and never again for a name warned about.
    private void maybeWarn(String jobName, Window window) {
        long now = System.nanoTime();
        if (window.seen.get() < settings.minRuns()
                || now - window.lastCheckNanos < CHECK_INTERVAL_NANOS
                || warned.contains(jobName)) {
            return;
        }
        window.lastCheckNanos = now;
        warnOnce(jobName, window);
    }

    private void warnOnce(String jobName, Window window) {
        BoundAdvice advice = advise(jobName, window);
        if (advice != null && advice.mismatch() && advice.confidence() >= 0.5 && warned.add(jobName)) {
            log.warn("{} (bound advisor, confidence {})", advice.reason(), advice.confidence());
        }
    }

    private @Nullable BoundAdvice advise(String jobName, Window window) {
        JobDefinition definition = jobs.find(jobName);
        RunProfile.Figures figures = window.figures();
        if (definition == null || figures.runs() == 0) {
            return null;
        }
        return rules.advise(jobName, definition.bound(), figures);
    }

    @Override
    public List<BoundAdvice> observations() {
        return windows.entrySet().stream()
                .map(entry -> advise(entry.getKey(), entry.getValue()))
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(BoundAdvice::jobName))
                .toList();
    }

    /**
     * The loop that watches this node's lanes from now on, replacing any earlier one; the engine
     * starts and stops it with its other loops.
     *
     * @param lanes the lanes as they are now
     * @param paused the lanes paused now
     */
    public LaneWatch watchLanes(Supplier<List<LaneLoad>> lanes, Supplier<Set<String>> paused) {
        LaneWatch watch = new LaneWatch(lanes, paused, settings.window(), settings.lanes());
        laneWatch = watch;
        return watch;
    }

    @Override
    public List<LaneAdvice> lanes() {
        LaneWatch watch = laneWatch;
        return watch == null ? List.of() : watch.findings();
    }

    /** An advisor that sees nothing: where it is turned off. */
    public static BoundAdvisor off() {
        return List::of;
    }
}
