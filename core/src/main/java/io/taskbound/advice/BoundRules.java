package io.taskbound.advice;

import io.taskbound.Bound;
import io.taskbound.BoundAdvice;
import io.taskbound.BoundAdvice.Observed;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the advisor reads a job name's figures: what they look like, how sure that is, and which
 * bound they fit better than the declared one.
 *
 * <ul>
 *   <li>Computing: CPU time at least {@value #CPU_BOUND_SHARE} of wall time. A job that computes on
 *       a lane of virtual threads ({@code IO}, {@code NETWORK}, {@code CONCURRENCY}) holds a carrier
 *       thread, of which there are as many as cores, and starves the lane's waiting jobs:
 *       {@code CPU} fits it.
 *   <li>Waiting: CPU time at most {@value #IO_BOUND_SHARE} of wall time. A job that mostly waits on
 *       a platform pool sized to the cores ({@code CPU}, {@code THROUGHPUT}) holds a thread that
 *       could compute: {@code IO} fits it.
 *   <li>Heavy on memory: a run allocates at least the threshold (1 GiB by default) on average, or
 *       its worker's heap peaked past it. Outside the {@code MEMORY} lane it shares the
 *       application's heap and its collections: {@code MEMORY} fits it.
 * </ul>
 *
 * Other bounds ({@code LATENCY}, {@code INTERACTIVE}, {@code DISK}, {@code GPU}, {@code CONSTRAINED})
 * choose a lane for reasons the figures do not show, and are never contradicted.
 */
final class BoundRules {

    static final double CPU_BOUND_SHARE = 0.5;
    static final double IO_BOUND_SHARE = 0.2;

    private static final Set<Bound> WAITING = EnumSet.of(Bound.IO, Bound.NETWORK, Bound.CONCURRENCY);
    private static final Set<Bound> COMPUTING = EnumSet.of(Bound.CPU, Bound.THROUGHPUT);

    private final int minRuns;
    private final long memoryHeavyBytes;

    BoundRules(int minRuns, long memoryHeavyBytes) {
        this.minRuns = minRuns;
        this.memoryHeavyBytes = memoryHeavyBytes;
    }

    BoundAdvice advise(String jobName, Bound declared, RunProfile.Figures figures) {
        Double cpuShare = figures.cpuWallNanos() > 0 ? (double) figures.cpuNanos() / figures.cpuWallNanos() : null;
        Long perRun = figures.allocationRuns() > 0 ? figures.allocatedBytes() / figures.allocationRuns() : null;
        Long perSecond = figures.allocationWallNanos() > 0
                ? (long) (figures.allocatedBytes() * 1e9 / figures.allocationWallNanos())
                : null;
        Long peak = figures.peakHeapBytes() < 0 ? null : figures.peakHeapBytes();
        long heaviest = Math.max(perRun == null ? 0 : perRun, peak == null ? 0 : peak);
        Observed observed;
        double margin;
        if (figures.runs() < minRuns) {
            observed = Observed.UNKNOWN;
            margin = 0;
        } else if (heaviest >= memoryHeavyBytes) {
            observed = Observed.MEMORY_HEAVY;
            margin = Math.min(1, (double) heaviest / memoryHeavyBytes - 1);
        } else if (cpuShare == null) {
            observed = Observed.UNKNOWN;
            margin = 0;
        } else if (cpuShare >= CPU_BOUND_SHARE) {
            observed = Observed.CPU_BOUND;
            margin = (cpuShare - CPU_BOUND_SHARE) / (1 - CPU_BOUND_SHARE);
        } else if (cpuShare <= IO_BOUND_SHARE) {
            observed = Observed.IO_BOUND;
            margin = (IO_BOUND_SHARE - cpuShare) / IO_BOUND_SHARE;
        } else {
            observed = Observed.MIXED;
            margin = 0;
        }
        // Three quarters sure at the minimum of runs, fully at twice as many; and by how far the
        // figures are past the line: half sure on it, fully at the far end.
        double runsFactor = Math.min(1, 0.75 + 0.25 * (figures.runs() - minRuns) / minRuns);
        double confidence = observed == Observed.UNKNOWN ? 0 : runsFactor * (0.5 + 0.5 * Math.clamp(margin, 0, 1));
        Bound suggested = suggestion(declared, observed);
        return new BoundAdvice(
                jobName,
                figures.lane(),
                declared,
                observed,
                Math.round(confidence * 100) / 100.0,
                figures.runs(),
                cpuShare,
                cpuShare == null ? null : Math.max(0, 1 - cpuShare),
                perRun,
                perSecond,
                peak,
                suggested,
                reason(jobName, declared, observed, figures.runs(), cpuShare, heaviest, suggested));
    }

    private static @Nullable Bound suggestion(Bound declared, Observed observed) {
        return switch (observed) {
            case CPU_BOUND -> WAITING.contains(declared) ? Bound.CPU : null;
            case IO_BOUND -> COMPUTING.contains(declared) ? Bound.IO : null;
            case MEMORY_HEAVY -> declared == Bound.MEMORY ? null : Bound.MEMORY;
            case MIXED, UNKNOWN -> null;
        };
    }

    private String reason(
            String jobName,
            Bound declared,
            Observed observed,
            long runs,
            @Nullable Double cpuShare,
            long heaviest,
            @Nullable Bound suggested) {
        String seen = switch (observed) {
            case UNKNOWN ->
                runs < minRuns
                        ? runs + " run(s) so far; the advisor needs " + minRuns
                        : "no CPU time measured or sampled for its runs";
            case MEMORY_HEAVY -> "its runs allocate or hold " + megabytes(heaviest) + " each, over " + runs + " runs";
            default -> "its runs spent " + percent(cpuShare) + " of their wall time on CPU, over " + runs + " runs";
        };
        if (suggested == null) {
            return "Job \"" + jobName + "\" is declared " + declared + "; " + seen + ".";
        }
        return "Job \"" + jobName + "\" is declared @Job(bound = Bound." + declared + ") but " + seen + ": declare"
                + " @Job(bound = Bound." + suggested + ") to run it on the " + suggested.defaultLane() + " lane"
                + (suggested == Bound.CPU ? ", where it does not hold a carrier thread of the waiting jobs" : "")
                + (suggested == Bound.IO ? ", where its waits do not hold a thread that could compute" : "")
                + (suggested == Bound.MEMORY ? ", in a worker JVM with a heap of its own" : "")
                + ".";
    }

    private static String percent(@Nullable Double share) {
        return share == null ? "?" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", bytes / (1024 * 1024));
    }
}
