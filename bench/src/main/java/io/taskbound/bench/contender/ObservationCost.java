package io.taskbound.bench.contender;

import io.micrometer.observation.ObservationRegistry;
import io.taskbound.JobState;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import io.taskbound.trace.JobTracing;
import io.taskbound.trace.ObservedJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What observing one run costs the thread that runs the job, in the application's JVM and nothing
 * else: {@code java -jar taskbound-bench.jar observation-cost}. For each way an application may have
 * its {@code ObservationRegistry} set up (as {@link Observability} sets it up for the bench's
 * traced contenders), it observes a run a million times over (begin, make current, end with its
 * outcome) and prints the median of five rounds in nanoseconds per run. The database, the job's
 * events and the metrics listener are not in it: the throughput scenario's variants measure all of
 * it together.
 */
public final class ObservationCost {

    private static final int RUNS = 1_000_000;
    private static final int ROUNDS = 5;
    // With --virtual-threads: runs started this many at a time, each on a new virtual thread.
    private static final int AT_ONCE = 1_000;

    private static boolean freshThreads;

    private ObservationCost() {}

    public static void main(String[] args) {
        freshThreads = List.of(args).contains("--virtual-threads");
        JobRegistry registry = new JobRegistry(TaskboundSettings.defaults());
        registry.register(new TaskboundContender.BenchJobs(), TaskboundContender.BenchJobs.class);
        System.out.println("Observing a run of bench.noop, its enqueue traced (a stored W3C traceparent)"
                + (freshThreads
                        ? ", each run on a virtual thread of its own as on the io lane (the no-registry line is"
                                + " the thread's own cost; subtract it):"
                        : ":"));
        measure("no registry (tracing off)", JobTracing.NONE);
        measure("a handler that does nothing", new ObservedJobs(Observability.idleHandler(), registry));
        measure("meter handler only", registry, Observability.Level.TRACED, true, false);
        measure("tracing, 1 trace in 10 sampled", registry, Observability.Level.TRACED, false, true);
        measure("meter handler and tracing, 1 in 10", registry, Observability.Level.TRACED, true, true);
        measure("tracing, every trace sampled", registry, Observability.Level.TRACED_ALL, false, true);
        measure("meter handler and tracing, every trace", registry, Observability.Level.TRACED_ALL, true, true);
    }

    private static void measure(
            String setup, JobRegistry jobs, Observability.Level level, boolean meterHandler, boolean tracing) {
        try (Observability observability = new Observability(level)) {
            ObservationRegistry observations = observability.observations(meterHandler, tracing);
            measure(setup, new ObservedJobs(observations, jobs));
        }
    }

    private static void measure(String setup, JobTracing tracing) {
        ClaimedJob job = new ClaimedJob(
                UUID.randomUUID(),
                "bench.noop",
                "io",
                "[1]",
                1,
                3,
                null,
                UUID.randomUUID(),
                null,
                0L,
                "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        Completion succeeded = new Completion(
                job.id(),
                job.lease(),
                JobState.SUCCEEDED,
                null,
                null,
                null,
                "SUCCEEDED",
                Duration.ZERO,
                10,
                null,
                null,
                null);
        List<Long> rounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS + 1; round++) {
            Runnable observed = () -> {
                JobTracing.Run run = tracing.run(job);
                try (JobTracing.Scope scope = run.openScope()) {
                    // the job's method would run here
                }
                run.ended(succeeded);
            };
            long start = System.nanoTime();
            if (freshThreads) {
                onVirtualThreads(observed);
            } else {
                for (int i = 0; i < RUNS; i++) {
                    observed.run();
                }
            }
            if (round > 0) { // the first round warms the JIT up
                rounds.add((System.nanoTime() - start) / RUNS);
            }
        }
        rounds.sort(null);
        System.out.printf("  %-42s %,6d ns per run (rounds %s)%n", setup, rounds.get(ROUNDS / 2), rounds);
    }

    private static void onVirtualThreads(Runnable observed) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int started = 0; started < RUNS; started += AT_ONCE) {
                List<Future<?>> batch = new ArrayList<>(AT_ONCE);
                for (int i = 0; i < AT_ONCE; i++) {
                    batch.add(threads.submit(observed));
                }
                for (Future<?> run : batch) {
                    run.get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
