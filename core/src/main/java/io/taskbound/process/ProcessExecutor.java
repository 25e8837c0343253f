package io.taskbound.process;

import io.taskbound.JobError;
import io.taskbound.JobExecutor;
import io.taskbound.JobRun;
import io.taskbound.WorkerInfo;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.JobDefinition;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * The {@code process} executor: runs a lane's jobs in warm worker JVMs, one job per worker at a
 * time, so that a job that exhausts its heap, exits the JVM or is killed takes only its own run
 * down, never the application.
 *
 * <p>Workers are started with this JVM's java binary and classpath and the lane's {@link
 * ProcessSettings}, at the lane's first jobs or with the lane, and replaced after a number of jobs,
 * when a job leaves more heap in use than the lane allows, or after waiting too long for a job (a
 * lazy lane then has none until a job needs one; an eager one gets a fresh worker in its place).
 * Each has a platform thread of the lane's, named {@code taskbound-<lane>-process-N}, that talks to
 * it over {@link WorkerProtocol}; there are as many threads as workers, so a lane never has more
 * workers than that. A worker that dies fails the run it had, with how it ended and its stderr's
 * last lines, and the next run gets a new one. A timeout or cancellation kills the worker and all
 * it started; the engine then records the run as timed out or cancelled as for any lane.
 */
public final class ProcessExecutor implements JobExecutor {

    private static final Logger log = LoggerFactory.getLogger(ProcessExecutor.class);
    private static final Duration GOODBYE_GRACE = Duration.ofSeconds(5);
    // A worker that recorded an AOT cache writes it as it exits: seconds, for a Spring context's classes.
    private static final Duration RECORDING_GRACE = Duration.ofMinutes(2);

    private final String lane;
    private final ProcessSettings settings;
    private final JobCatalog jobs;
    private final WorkerBoot boot;
    private final List<String> command;
    private final ExecutorService threads;
    // Most recently idle first: the lane takes the warmest worker, and leaves the ones it needs least
    // waiting long enough for the idle timeout to close them.
    private final BlockingDeque<Worker> idle = new LinkedBlockingDeque<>();
    private final @Nullable ScheduledExecutorService idleCheck;
    private final Set<Worker> live = ConcurrentHashMap.newKeySet();
    private final @Nullable WorkerCache cache;
    // The worker that records the AOT cache, while it lives: retired after its first job.
    private volatile @Nullable Worker recorder;
    private volatile boolean shutDown;

    public ProcessExecutor(String lane, ProcessSettings settings, JobCatalog jobs) {
        this(lane, settings, jobs, WorkerBoot.PLAIN);
    }

    /** With workers that make their jobs' objects as {@code boot} says (the application's context). */
    public ProcessExecutor(String lane, ProcessSettings settings, JobCatalog jobs, WorkerBoot boot) {
        this(lane, settings, jobs, boot, System.getProperty("java.class.path"));
    }

    /** With workers started from {@code classPath} rather than this JVM's own. */
    ProcessExecutor(String lane, ProcessSettings settings, JobCatalog jobs, WorkerBoot boot, String classPath) {
        this.lane = Objects.requireNonNull(lane, "lane");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.boot = Objects.requireNonNull(boot, "boot");
        this.command = WorkerCommand.command(
                lane, settings, ManagementFactory.getRuntimeMXBean().getInputArguments(), classPath);
        this.cache = WorkerCache.open(lane, settings, WorkerCommand.java(settings), classPath)
                .orElse(null);
        this.threads = Executors.newFixedThreadPool(
                settings.workers(),
                Thread.ofPlatform()
                        .name("taskbound-" + lane + "-process-", 1)
                        .daemon(true)
                        .factory());
        if (settings.eagerStart()) {
            // On the lane's threads, ahead of any run: a run finds a warm worker waiting, and
            // the workers never outnumber the threads.
            for (int i = 0; i < settings.workers(); i++) {
                threads.execute(this::warmUp);
            }
        }
        this.idleCheck = settings.idleTimeout() == null ? null : startIdleCheck(settings.idleTimeout());
    }

    // Looks four times per timeout, so that an idle worker goes at most a quarter of the timeout
    // late, and never more than a minute late.
    private ScheduledExecutorService startIdleCheck(Duration timeout) {
        ScheduledExecutorService check = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("taskbound-" + lane + "-process-idle")
                .daemon(true)
                .factory());
        long period = Math.clamp(timeout.toMillis() / 4, 10, 60_000);
        check.scheduleWithFixedDelay(
                () -> {
                    // A scheduled task that throws is never run again: this one must not die silently.
                    try {
                        closeIdleWorkers();
                    } catch (RuntimeException e) {
                        log.warn("Could not close the idle workers of lane {}", lane, e);
                    }
                },
                period,
                period,
                TimeUnit.MILLISECONDS);
        return check;
    }

    @Override
    public void execute(JobRun run) {
        threads.execute(() -> runOnWorker(run));
    }

    private void runOnWorker(JobRun run) {
        Worker worker;
        try {
            worker = take();
        } catch (IOException e) {
            // No worker: the run fails like one whose worker died, and is retried as the job says.
            if (run.start(() -> {})) {
                run.failed(new JobError(Worker.DIED, e.getMessage(), "", true));
            }
            return;
        }
        UUID jobId = run.jobId();
        worker.assign(jobId);
        if (!run.start(() -> worker.stop(jobId))) {
            worker.release();
            giveBack(worker);
            return;
        }
        JobDefinition definition = jobs.find(run.jobName());
        if (definition == null) {
            run.failed(new JobError(
                    "io.taskbound.UnknownJobException",
                    "Job \"" + run.jobName() + "\" is not registered on this node",
                    "",
                    false));
            worker.release();
            giveBack(worker);
            return;
        }
        Worker.Ended ended;
        try {
            ended = worker.run(request(run, definition), run);
        } catch (RuntimeException | Error e) {
            // A run that never reports would hold its lane slot for as long as the node lives.
            worker.kill();
            giveBack(worker);
            run.failed(JobError.of(e));
            return;
        }
        // Back before the run is reported: the lane's next run may take this worker at once.
        giveBack(worker);
        switch (ended.answer()) {
            case WorkerProtocol.Result result -> {
                log.debug("Job {} ({}) ran on {}: {}", run.jobName(), run.jobId(), worker, result.measured());
                run.succeeded(result.resultJson(), result.measured().figures());
            }
            case WorkerProtocol.Failed failed ->
                run.failed(
                        new JobError(failed.type(), failed.message(), failed.stackTrace(), failed.retryable()),
                        failed.measured().figures());
            case null -> {
                JobError died = Objects.requireNonNull(ended.died());
                log.warn("Job {} ({}): {}", run.jobName(), run.jobId(), died.message());
                run.failed(died);
            }
            default -> throw new IllegalStateException("Unexpected answer " + ended.answer());
        }
    }

    private WorkerProtocol.Run request(JobRun run, JobDefinition definition) {
        return new WorkerProtocol.Run(
                run.jobId(),
                run.jobName(),
                run.lane(),
                ClassUtils.getUserClass(definition.bean()).getName(),
                definition.method().getName(),
                Arrays.stream(definition.method().getParameterTypes())
                        .map(Class::getName)
                        .toList(),
                run.argumentsJson(),
                run.attempt(),
                run.fireTime().orElse(null));
    }

    // A warm worker if one waits and lives, else a new one.
    private Worker take() throws IOException {
        Worker worker;
        while ((worker = idle.pollFirst()) != null) {
            if (worker.alive()) {
                return worker;
            }
            retire(worker);
        }
        return startWorker();
    }

    private Worker startWorker() throws IOException {
        long began = System.nanoTime();
        // Shown from the moment its process exists; one that never gets ready is shown no more.
        AtomicReference<@Nullable Worker> launched = new AtomicReference<>();
        WorkerCache.Start cached = cache == null ? WorkerCache.Start.PLAIN : cache.next();
        Worker worker;
        try {
            worker = Worker.start(
                    WorkerCommand.withOptions(command, cached.options()),
                    boot,
                    lane,
                    settings.heap(),
                    settings.startTimeout(),
                    started -> {
                        launched.set(started);
                        live.add(started);
                    });
        } catch (IOException e) {
            Worker failed = launched.get();
            if (failed != null) {
                live.remove(failed);
            }
            if (cached.records()) {
                Objects.requireNonNull(cache).notRecorded();
            }
            throw e;
        }
        if (cached.records()) {
            recorder = worker;
        }
        if (shutDown) {
            retire(worker);
            throw new IOException("Lane \"" + lane + "\" is shutting down");
        }
        log.debug("Started worker {} in {} ms", worker, (System.nanoTime() - began) / 1_000_000);
        return worker;
    }

    // A run that found no idle worker may have started one meanwhile: the lane keeps no more than
    // its number of workers, those on their way out aside.
    private void warmUp() {
        long working = live.stream()
                .filter(worker -> worker.info().state() != WorkerInfo.State.CLOSING)
                .count();
        if (shutDown || working >= settings.workers()) {
            return;
        }
        try {
            makeIdle(startWorker());
        } catch (IOException e) {
            log.warn("Could not start a worker for lane {} ahead of its jobs: {}", lane, e.getMessage());
        }
    }

    // A dead or worn-out worker is replaced: at once when the lane keeps its workers warm, else by
    // the next run that needs one.
    private void giveBack(Worker worker) {
        if (!shutDown
                && worker.alive()
                && worker.jobsRun() < settings.maxJobsPerWorker()
                && !overHeap(worker)
                && worker != recorder) {
            makeIdle(worker);
            return;
        }
        retire(worker);
        if (settings.eagerStart() && !shutDown) {
            // Queued on the lane's threads, after the run at hand: its outcome is reported first,
            // not after a worker's start (seconds, for a Spring context).
            warmUpLater();
        }
    }

    private void warmUpLater() {
        try {
            threads.execute(this::warmUp);
        } catch (RejectedExecutionException shuttingDown) {
            // The lane is stopping: no worker is needed.
        }
    }

    private void makeIdle(Worker worker) {
        worker.idle();
        idle.addFirst(worker);
    }

    private boolean overHeap(Worker worker) {
        long threshold = settings.recycleAboveHeapBytes();
        if (threshold < 0 || worker.heapUsedBytes() <= threshold) {
            return false;
        }
        log.info(
                "Recycling worker {} of lane {}: its last job left {} MB of heap in use, above the {} it may keep",
                worker,
                lane,
                worker.heapUsedBytes() / (1024 * 1024),
                settings.recycleAboveHeap());
        return true;
    }

    /**
     * Closes the workers that waited for a job longer than the idle timeout. A lazy lane is left with
     * none until a job needs one; an eager lane starts a fresh worker for each closed one that had
     * run jobs, so that it stays warm (a fresh worker that never ran a job has nothing to give back,
     * and is kept, or the lane would start a JVM every timeout for nothing).
     */
    private void closeIdleWorkers() {
        Duration timeout = Objects.requireNonNull(settings.idleTimeout());
        // Oldest first; a worker a run has just taken is no longer in the deque, and remove() says so.
        for (Worker worker : List.copyOf(idle).reversed()) {
            boolean freshAndWarm = settings.eagerStart() && worker.jobsRun() == 0;
            if (shutDown || freshAndWarm || !worker.idleLongerThan(timeout) || !idle.remove(worker)) {
                continue;
            }
            log.debug("Closing worker {} of lane {}: idle for over {}", worker, lane, timeout);
            retire(worker);
            if (settings.eagerStart()) {
                warmUpLater();
            }
        }
    }

    // Shown as CLOSING until it has exited. The worker that recorded the AOT cache gets the time to
    // write it, and then the cache is made from it.
    private void retire(Worker worker) {
        worker.closing();
        boolean recorded = worker == recorder;
        if (worker.alive()) {
            Thread.ofVirtual().name(worker + "-goodbye").start(() -> {
                try {
                    worker.close(recorded ? RECORDING_GRACE : GOODBYE_GRACE);
                } finally {
                    live.remove(worker);
                    if (recorded) {
                        recorded();
                    }
                }
            });
        } else {
            live.remove(worker);
            worker.kill();
            if (recorded) {
                recorded();
            }
        }
    }

    private void recorded() {
        recorder = null;
        Objects.requireNonNull(cache).recorded();
    }

    /**
     * This lane's workers now, oldest first: starting, waiting, running a job, or on their way out.
     */
    @Override
    public List<WorkerInfo> workers() {
        return live.stream()
                .map(Worker::info)
                .sorted(Comparator.comparing(WorkerInfo::startedAt).thenComparingLong(WorkerInfo::pid))
                .toList();
    }

    /**
     * Runs handed over that wait for a worker are dropped, as on the platform lane; running ones get
     * up to {@code timeout}, then every worker left is asked to exit.
     */
    @Override
    public boolean shutdown(Duration timeout) throws InterruptedException {
        shutDown = true;
        if (idleCheck != null) {
            idleCheck.shutdownNow();
        }
        threads.shutdown();
        if (threads instanceof ThreadPoolExecutor pool) {
            pool.getQueue().clear();
        }
        boolean ended = threads.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        Worker worker;
        while ((worker = idle.poll()) != null) {
            worker.closing();
            worker.close(GOODBYE_GRACE);
            live.remove(worker);
        }
        return ended;
    }

    @Override
    public void stopAll() {
        shutDown = true;
        if (idleCheck != null) {
            idleCheck.shutdownNow();
        }
        threads.shutdownNow();
        live.forEach(Worker::kill);
        live.clear();
        idle.clear();
    }

    @Override
    public String toString() {
        return "ProcessExecutor[" + lane + ", " + settings.workers() + " workers]";
    }
}
