package io.taskbound.lane;

import io.taskbound.JobExecutor;
import io.taskbound.JobRun;
import io.taskbound.loop.Loop;
import io.taskbound.settings.LaneSettings;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.JobStore;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop of one lane on one node: claims in batches while the lane has room, hands each job
 * to the runner (which from then on answers for it), gives its run to the lane's executor when one
 * of the lane's {@code concurrency} slots is free, and sleeps until woken: an enqueue here, a
 * NOTIFY from another node, a timer for a job due later, a slot freed while work was waiting, or
 * the {@link DueWorkPoller} that looks for every lane's work at once. An idle lane does not poll by
 * itself: eleven lanes each polling every second would be eleven statements a second from a node
 * doing nothing.
 *
 * <p>Jobs claimed beyond the free slots are held here in claim order and started by the thread of
 * the job whose end frees a slot. The slots are counted here rather than by the executor, so that
 * the lane's concurrency is a hard limit whatever the executor: a virtual-thread executor starts
 * every job it is given at once, and a user's executor may do anything. How many jobs are held is bounded
 * by {@link ClaimAhead}.
 */
public final class Dispatcher extends Loop {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /**
     * How long a lane that found nothing sleeps unless woken: in effect until woken. The poller that
     * wakes it is supervised like every loop; the hour only bounds what a lost wake-up can cost.
     */
    static final Duration UNTIL_WOKEN = Duration.ofHours(1);

    private final String lane;
    private final LaneSettings settings;
    private final JobExecutor executor;
    private final JobStore store;
    private final Set<String> jobNames;
    private final UUID nodeId;
    private final Duration pollInterval;
    private final BiFunction<ClaimedJob, Runnable, JobRun> runner;
    private final BooleanSupplier claimsAllowed;
    private final ClaimAhead ahead;
    private final Queue<Handed> held = new ConcurrentLinkedQueue<>();
    /** Jobs claimed and not finished: started or held. */
    private final AtomicInteger inHand = new AtomicInteger();
    /** Jobs given to the executor and not finished: at most {@code concurrency}. */
    private final AtomicInteger started = new AtomicInteger();

    private volatile boolean backlog;
    private volatile boolean closed;
    // Set while the executor refuses jobs: held jobs are offered again after the poll interval.
    private volatile boolean refused;

    /**
     * @param runner turns a claimed job into its run, given what to call once the run has ended
     * @param pollInterval how soon a lane that could not claim (it was full, or claims were held
     *     back) looks again unless woken
     * @param claimsAllowed asked before each claim; while it answers false the lane claims nothing
     *     (held jobs still start) and looks again after the poll interval
     */
    public Dispatcher(
            String lane,
            LaneSettings settings,
            JobExecutor executor,
            JobStore store,
            Set<String> jobNames,
            UUID nodeId,
            Duration pollInterval,
            BiFunction<ClaimedJob, Runnable, JobRun> runner,
            BooleanSupplier claimsAllowed) {
        super("taskbound-" + lane + "-dispatcher");
        this.lane = lane;
        this.settings = settings;
        this.executor = executor;
        this.store = store;
        this.jobNames = Set.copyOf(jobNames);
        this.nodeId = nodeId;
        this.pollInterval = pollInterval;
        this.runner = runner;
        this.claimsAllowed = claimsAllowed;
        this.ahead = new ClaimAhead(settings);
    }

    @Override
    protected Duration runOnce() {
        if (closed) {
            return pollInterval;
        }
        if (refused) {
            // The executor refused a job: offer the held ones again before claiming any more.
            refused = false;
            startHeld();
            if (refused) {
                return pollInterval;
            }
        }
        if (!claimsAllowed.getAsBoolean()) {
            return pollInterval;
        }
        int holding = inHand.get();
        int limit = settings.concurrency() + ahead.limit();
        int free = limit - holding;
        // With work waiting and the lane nearly full, wait until a good part of a batch is free:
        // waking on every finished job would claim a job or two per statement and spend the
        // database on claims instead of work.
        int worthClaiming = Math.max(1, Math.min(settings.batchSize(), limit) / 4);
        if (free <= 0 || (backlog && holding > 0 && free < worthClaiming)) {
            backlog = true;
            return pollInterval;
        }
        int wanted = Math.min(free, settings.batchSize());
        List<ClaimedJob> claimed = store.claim(lane, wanted, jobNames, nodeId);
        for (ClaimedJob job : claimed) {
            inHand.incrementAndGet();
            Handed handed = new Handed();
            handed.run = runner.apply(job, handed);
            held.add(handed);
        }
        startHeld();
        if (refused) {
            return pollInterval;
        }
        // A full batch means more may be due: claim again at once rather than wait for a signal.
        backlog = claimed.size() == wanted;
        return backlog ? Duration.ZERO : UNTIL_WOKEN;
    }

    /**
     * Starts held jobs while slots are free. Called after a claim and after each job's end; a slot
     * is taken before a job is taken, so that a job added just after another thread found no free
     * slot is started by the thread that frees one.
     */
    private void startHeld() {
        while (!closed && !held.isEmpty()) {
            int slots = started.get();
            if (slots >= settings.concurrency()) {
                return;
            }
            if (!started.compareAndSet(slots, slots + 1)) {
                continue;
            }
            Handed job = held.poll();
            if (job == null) {
                started.decrementAndGet();
                continue;
            }
            job.startNanos = System.nanoTime();
            try {
                executor.execute(job.run);
            } catch (RuntimeException e) {
                started.decrementAndGet();
                if (closed) {
                    // The lane is stopping: the job stays RUNNING under this node in the store, and
                    // the shutdown's re-queue gives it back.
                    inHand.decrementAndGet();
                    log.debug("Lane {} is stopping; a held job was not started", lane);
                    return;
                }
                // Refused while running (a user's executor full, or shut down): the job stays held,
                // claimed by this node, and is offered again after the poll interval; until the
                // executor takes it, the lane claims nothing more.
                held.add(job);
                if (!refused) {
                    log.warn(
                            "Executor of lane {} refused a job ({}); held jobs are offered again every {}",
                            lane,
                            e.toString(),
                            pollInterval);
                }
                refused = true;
                wakeAt(System.nanoTime() + pollInterval.toNanos());
                return;
            }
        }
    }

    /** A claimed job's run, and what its end does: frees its slot and starts the next held job. */
    private final class Handed implements Runnable {
        JobRun run;
        volatile long startNanos;

        @Override
        public void run() {
            ahead.recorded(System.nanoTime() - startNanos);
            // Out of hand before its slot is freed, so that a finishing job never shows as held.
            inHand.decrementAndGet();
            started.decrementAndGet();
            startHeld();
            if (backlog) {
                wake();
            }
        }
    }

    /**
     * Stops starting held jobs and drops them. Dropped jobs are still RUNNING under this node in the
     * store, so the shutdown's re-queue gives them back at once instead of running them first. Stop
     * the claim loop first, and shut the executor down afterwards: it may serve other lanes too.
     */
    public void close() {
        closed = true;
        while (held.poll() != null) {
            inHand.decrementAndGet();
        }
    }

    public String lane() {
        return lane;
    }

    public LaneSettings settings() {
        return settings;
    }

    public JobExecutor executor() {
        return executor;
    }

    /** Jobs of this lane started on this node and not yet finished; at most its concurrency. */
    public int running() {
        return started.get();
    }

    /** Jobs of this lane claimed by this node and waiting for a free slot to start. */
    public int held() {
        return Math.max(0, inHand.get() - started.get());
    }

    /**
     * Whether work of this lane waits for a slot: jobs are held here, or the lane's last claim took
     * all it asked for, or it was woken for new work while full, so more is due in the queue. (A last
     * claim that took the last due job counts until the next claim finds none.)
     */
    public boolean workWaiting() {
        return held() > 0 || backlog;
    }
}
