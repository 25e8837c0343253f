package io.taskbound.advice;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.jspecify.annotations.Nullable;

/**
 * CPU time and allocation of jobs on virtual threads, estimated from JDK Flight Recorder samples
 * taken in this JVM: the JVM keeps no per-thread CPU or allocation counters for virtual threads.
 *
 * <p>A run on a virtual thread is registered with its thread for as long as it runs, and until the
 * second hand-over of JFR's events after it ended (JFR hands them over about once a second). An execution sample of that
 * thread ({@value #EXECUTION_SAMPLE}: JFR found it running Java code at the end of a sampling period)
 * counts the time since JFR's sampling round before it, about one period, for the job's name; an
 * allocation sample ({@value #ALLOCATION_SAMPLE}) counts the
 * bytes JFR says it stands for.
 *
 * <p>An execution sample sees a thread that runs Java code, whether the operating system gives it a
 * core at that moment or it waits for one: it measures how much of its time the job wants to
 * compute, which is what tells a computing job from a waiting one, and which a busy machine does
 * not bend (JDK 25's CPU-time samples would measure CPU actually given, which does). Its limit: JFR
 * samples at most five threads running Java code per period, so with more than five jobs computing
 * at once each is under-counted, by up to the ratio of the two.
 */
final class RunSampler implements AutoCloseable {

    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    static final String ALLOCATION_SAMPLE = "jdk.ObjectAllocationSample";

    /** Where samples go, by job name. */
    interface Sink {
        void sampledCpu(String jobName, long nanos);

        void sampledAllocation(String jobName, long bytes);

        /** A batch of samples has been handed over: about once a second. */
        void flushed();
    }

    // The job of each virtual thread that runs one now, and of those whose run ended since the
    // hand-over before last: a run's samples come at the latest with the hand-over after its end.
    private final Map<Long, String> running = new ConcurrentHashMap<>();
    private volatile Map<Long, String> endedRecently = new ConcurrentHashMap<>();
    private volatile Map<Long, String> endedBefore = new ConcurrentHashMap<>();
    // Read and written by the stream's one thread only.
    private long roundAtNanos;
    private long roundWeightNanos;
    private final RecordingStream stream;
    private final String cpuEvent;
    private final long periodNanos;
    private final Sink sink;

    private RunSampler(Duration period, Sink sink) {
        this.periodNanos = period.toNanos();
        this.sink = sink;
        this.cpuEvent = EXECUTION_SAMPLE;
        this.stream = new RecordingStream();
        stream.enable(cpuEvent).withPeriod(period);
        stream.enable(ALLOCATION_SAMPLE).with("throttle", "150/s");
        stream.onEvent(cpuEvent, this::cpu);
        stream.onEvent(ALLOCATION_SAMPLE, this::allocation);
        stream.onFlush(this::forgetEnded);
        stream.setReuse(true);
        // In time order, so that a sample's round is told from the one before it.
        stream.setOrdered(true);
    }

    /**
     * A sampler taking CPU samples every {@code period}, started; null where this JVM's Flight
     * Recorder is disabled. Call it only where the {@code jdk.jfr} module is present: this
     * class does not load without it.
     */
    static @Nullable RunSampler start(Duration period, Sink sink) {
        if (!FlightRecorder.isAvailable()) {
            return null;
        }
        RunSampler sampler = new RunSampler(period, sink);
        sampler.stream.startAsync();
        return sampler;
    }

    /** Which JFR event the CPU samples come from. */
    String cpuEvent() {
        return cpuEvent;
    }

    /** {@code thread} runs a run of {@code jobName} from now on. */
    void running(Thread thread, String jobName) {
        running.put(thread.threadId(), jobName);
    }

    /** The run on {@code thread} has ended. */
    void ended(Thread thread) {
        String jobName = running.remove(thread.threadId());
        if (jobName != null) {
            endedRecently.put(thread.threadId(), jobName);
        }
    }

    // JFR samples in rounds, one each period, of a few threads each. A sampler thread kept from its
    // core takes its rounds late: each sample then stands for the time since the round before, up to
    // four periods (a longer gap is a time when no thread ran Java code, not a late round).
    private void cpu(RecordedEvent event) {
        long at = event.getStartTime().getEpochSecond() * 1_000_000_000L
                + event.getStartTime().getNano();
        if (at - roundAtNanos > periodNanos / 2) {
            roundWeightNanos = roundAtNanos == 0 ? periodNanos : Math.clamp(at - roundAtNanos, 0, 4 * periodNanos);
            roundAtNanos = at;
        }
        String jobName = jobOf(event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread());
        if (jobName != null) {
            sink.sampledCpu(jobName, roundWeightNanos);
        }
    }

    private void allocation(RecordedEvent event) {
        String jobName = jobOf(event.getThread());
        if (jobName != null) {
            sink.sampledAllocation(jobName, event.getLong("weight"));
        }
    }

    private @Nullable String jobOf(@Nullable RecordedThread thread) {
        if (thread == null) {
            return null;
        }
        long id = thread.getJavaThreadId();
        String jobName = running.get(id);
        if (jobName == null) {
            jobName = endedRecently.get(id);
        }
        return jobName != null ? jobName : endedBefore.get(id);
    }

    // The runs that ended before the previous hand-over had their samples in it or in this one: they
    // are forgotten now, a generation at a time, so that no hand-over scans the runs.
    private void forgetEnded() {
        endedBefore = endedRecently;
        endedRecently = new ConcurrentHashMap<>();
        sink.flushed();
    }

    @Override
    public void close() {
        stream.close();
    }
}
